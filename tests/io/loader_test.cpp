// Loading scenarios and manifests: the resolved values, and every error naming file, line and key.

#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>

#include "experiment/variants.hpp"
#include "input/yaml_reader.hpp"
#include "rollsim/error.hpp"
#include "rollsim/io.hpp"

namespace rollsim::test {

namespace fs = std::filesystem;

namespace {

/// A scratch directory with a scenario and the edge-proxy manifests.
struct Scratch {
    fs::path dir;
    Scratch() {
        static std::atomic<int> counter{0};
        dir = fs::temp_directory_path() /
              ("rollsim-loader-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        fs::create_directories(dir);
        const fs::path m = fs::path(ROLLSIM_SOURCE_DIR) / "scenarios/edge-proxy-single-node/manifests";
        fs::copy_file(m / "edge-proxy-v1.yaml", dir / "v1.yaml");
        fs::copy_file(m / "edge-proxy-v2.yaml", dir / "v2.yaml");
    }
    ~Scratch() { fs::remove_all(dir); }
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(dir / name) << text;
        return (dir / name).string();
    }
};

/// A valid scenario; `extra` lines are appended under spec (two-space indent).
std::string scenario(const std::string& spec_extra = "", const std::string& cluster_extra = "") {
    return "apiVersion: rollsim.io/v1alpha1\n"
           "kind: Scenario\n"
           "metadata: {name: t}\n"
           "spec:\n"
           "  trials: 10\n"
           "  cluster:\n"
           "    nodePools:\n"
           "      - name: edge\n"
           "        count: 2\n"
           "        labels: {node-role.example.com/edge: \"true\"}\n" +
           cluster_extra +
           "  daemonSet: {current: v1.yaml, proposed: v2.yaml}\n" + spec_extra;
}

/// Loads and expects an InputError; returns it.
InputError load_error(const Scratch& s, const std::string& text) {
    const std::string file = s.write("scenario.yaml", text);
    try {
        load_scenario(file);
    } catch (const InputError& e) {
        return e;
    }
    FAIL("expected an InputError");
    throw;
}

}  // namespace

TEST_SUITE("io.loader") {

TEST_CASE("a valid scenario resolves units, pools and defaults") {
    Scratch s;
    const std::string file = s.write("scenario.yaml", scenario(
        "  horizon: 90m\n"
        "  workload:\n"
        "    serve: {distribution: uniform, min: 90s, max: 180s}\n"
        "    imagePull: {distribution: lognormal, median: 6s, p95: 20s}\n"
        "  traffic: {mode: hostPort, healthCheck: none}\n",
        "        allocatable: {cpu: 3500m, memory: 7.5Gi, pods: 58}\n"));
    const ScenarioSpec sc = load_scenario(file);
    CHECK(sc.name == "t");
    CHECK(sc.trials == 10);
    CHECK(sc.horizon == SimTime::minutes(90));
    REQUIRE(sc.nodes.size() == 2);
    CHECK(sc.nodes[1].name == "edge-1");
    CHECK(sc.nodes[0].allocatable.cpu_milli == 3500);
    CHECK(sc.nodes[0].allocatable.memory_bytes == 8053063680);
    CHECK(sc.nodes[0].allocatable.pods == 58);
    CHECK(sc.workload.proposed.serve.kind == DistributionSpec::Kind::Uniform);
    CHECK(sc.workload.proposed.serve.high == 180.0);
    CHECK(sc.current.pod_template.containers[0].ports[0].host_port == 8080);
    CHECK(sc.current.pod_template.containers[0].requests.cpu_milli == 500);
    CHECK(sc.proposed.pod_template.containers[0].image == "registry.example.com/edge-proxy:1.15.0");
    CHECK(sc.strategies.size() == 1);
    CHECK(sc.strategies[0].as_proposed);
    CHECK(sc.sha256.size() == 64);
    CHECK_FALSE(sc.traffic.health_check.enabled);
}

TEST_CASE("unknown keys are refused with a suggestion, on their line") {
    Scratch s;
    const auto e = load_error(s, scenario("  trails: 5\n"));
    CHECK(e.line() == 12);
    CHECK(e.path() == "spec.trails");
    CHECK(std::string(e.what()).find("scenario.yaml:12: spec.trails: unknown key (did you mean \"trials\"?)") !=
          std::string::npos);
}

TEST_CASE("wrong types, bad durations and quantities name the key") {
    Scratch s;
    struct Case {
        std::string extra, cluster, path, message;
    };
    const Case cases[] = {
        {"  seed: many\n", "", "spec.seed", "must be an integer, not \"many\""},
        {"  horizon: 10x\n", "", "spec.horizon", "unknown unit \"x\""},
        {"  horizon: -5s\n", "", "spec.horizon", "cannot be negative"},
        {"  horizon: 1.5ms\n", "", "spec.horizon", "whole number of milliseconds"},
        {"", "        allocatable: {memory: 1.5.3Gi}\n", "spec.cluster.nodePools[0].allocatable.memory",
         "\"1.5.3Gi\" is not a Kubernetes quantity"},
        {"", "        reserved: {pods: -3}\n", "spec.cluster.nodePools[0].reserved.pods", "must not be negative"},
        {"  kubernetesVersion: \"1.20\"\n", "", "spec.kubernetesVersion", "not a version rollsim models"},
        {"  traffic: {mode: udp}\n", "", "spec.traffic.mode", "must be hostPort, service or coverage"},
        {"  workload: {serve: {distribution: gamma}}\n", "", "spec.workload.serve.distribution",
         "unknown distribution \"gamma\""},
        {"  workload: {serve: {distribution: uniform, min: 9s, max: 3s}}\n", "", "spec.workload.serve.max",
         "must not be less than min"},
        {"  workload: {faults: {crashOnStart: 1.5}}\n", "", "spec.workload.faults.crashOnStart",
         "must be a probability between 0 and 1"},
        {"  workload: {container: sidecar}\n", "", "spec.workload.container", "has no container named \"sidecar\""},
        {"  trials: 0\n", "", "spec.trials", "must be between 1 and"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.path);
        std::string text = scenario(c.extra, c.cluster);
        if (c.extra.find("trials") != std::string::npos) text.replace(text.find("  trials: 10\n"), 13, "");
        const auto e = load_error(s, text);
        CHECK(e.path() == c.path);
        CHECK(e.line() > 0);
        CHECK(e.message().find(c.message) != std::string::npos);
    }
}

TEST_CASE("duplicate keys are refused") {
    Scratch s;
    const auto e = load_error(s, scenario("  trials: 20\n"));
    CHECK(e.path() == "spec.trials");
    CHECK(e.message() == "duplicate key");
}

TEST_CASE("aliases: ordinary reuse loads, a billion laughs is refused, with the counts") {
    Scratch s;
    // An anchor reused a few times (a common way to share labels) is fine.
    const std::string file = s.write("scenario.yaml", scenario("", "      - name: more\n        count: 1\n"
                                                                   "        labels: &shared {a: b}\n"
                                                                   "      - name: again\n        count: 1\n"
                                                                   "        labels: *shared\n"));
    CHECK(load_scenario(file).nodes.size() == 4);
    // Seven levels of nine aliases each: 9^7 = 4.8 M leaves, 6.1 M nodes in all, from 26 written.
    std::string bomb = "spec:\n  x0: &a0 [l, l, l, l, l, l, l, l, l]\n";
    for (int i = 1; i < 7; ++i) {
        bomb += "  x" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
        for (int k = 0; k < 9; ++k) bomb += (k ? ", *a" : "*a") + std::to_string(i - 1);
        bomb += "]\n";
    }
    const auto e = load_error(s, bomb);
    CHECK(e.line() == 1);
    CHECK(e.message().find("refused as an alias bomb") != std::string::npos);
    CHECK(e.message().find("expand 26 written nodes to 6053453") != std::string::npos);
}

TEST_CASE("invalid UTF-8 names its line and column, nesting past 500 levels is refused") {
    Scratch s;
    const auto e = load_error(s, "apiVersion: rollsim.io/v1alpha1\nkind: Scenario\nmetadata: {name: \"a\xc3\"}\n");
    CHECK(e.line() == 3);
    CHECK(e.message() == "invalid UTF-8: byte 0xc3 at column 20 (YAML files are UTF-8)");
    const auto overlong = load_error(s, "a: \xc0\xaf\n");  // an overlong '/'
    CHECK(overlong.message().find("byte 0xc0 at column 4") != std::string::npos);
    CHECK(load_error(s, "a: \xc3\xa9\n").message().find("UTF-8") == std::string::npos);  // é is fine
    const auto deep = load_error(s, "spec: " + std::string(501, '[') + std::string(501, ']') + "\n");
    CHECK(deep.message() == "invalid YAML: nested more than 500 levels deep");
}

TEST_CASE("fuzzing finds, kept as regressions: an alias inside its own anchor, control characters") {
    Scratch s;
    // yaml-cpp builds a cyclic node for this; walking it overflowed the stack (fuzz_scenario).
    const auto cycle = load_error(s, "spec: &s {cluster: *s}\n");
    CHECK(cycle.message() == "an alias refers to the anchor it is inside (a cycle)");
    // A NUL made yaml-cpp emit a lone 0x85 byte, which the JSON writer threw on (fuzz_manifest),
    // and made it loop for minutes (fuzz_nodes).
    const auto nul = load_error(s, std::string("metadata: {name: a\0b}\n", 23));
    CHECK(nul.line() == 1);
    CHECK(nul.message() == "a control character (byte 0x00) at column 19: YAML allows printable characters, "
                           "tabs and line breaks only");
}

TEST_CASE("a comma where a YAML document starts is refused, not looped on (yaml-cpp 0.7, jbeder/yaml-cpp#1040)") {
    Scratch s;
    // yaml-cpp's LoadAll loops forever, allocating, on each of these (found by fuzz_scenario).
    const auto first = load_error(s, " ,a\n");
    CHECK(first.line() == 1);
    CHECK(first.message() == "invalid YAML: a ',' outside any [ ] or { } at column 2");
    const auto after_scalar = load_error(s, "\"x\" ,\n");
    CHECK(after_scalar.message() == "invalid YAML: a ',' outside any [ ] or { } at column 5");
    const auto second_document = load_error(s, "spec: {}\n...\n\n  ,\n");
    CHECK(second_document.line() == 4);
    CHECK(second_document.message() == "invalid YAML: a ',' outside any [ ] or { } at column 3");
    // Commas inside flow collections and scalars are fine.
    CHECK_NOTHROW(input::YamlNode::parse_all("a: [1, 2]\nb: {c: 1, d: 2}\ne: x, y\n", "t.yaml"));
    // JSON (kubectl -o json) skips the parser's first reading when every comma is inside its
    // brackets; one after the value, or anything JSON would not write, is still read and refused.
    const auto json = input::YamlNode::parse_all("{\"items\": [{\"a\": \"x, \\\"y\\\"\"}, {\"b\": [1, -2.5e3, true, null]}]}\n", "t.json");
    REQUIRE(json.size() == 1);
    CHECK(json[0].require("items").items().size() == 2);
    const auto after_json = load_error(s, "{\"a\": [1, 2]}\n ,\n");
    CHECK(after_json.line() == 2);
    CHECK(after_json.message() == "invalid YAML: a ',' outside any [ ] or { } at column 2");
    CHECK(load_error(s, "[1, 2] ,\n").message() == "invalid YAML: a ',' outside any [ ] or { } at column 8");
    CHECK(load_error(s, "[a'b], c'd]\n").message().find("invalid YAML") == 0);
}

TEST_CASE("invalid YAML and empty files") {
    Scratch s;
    const auto e = load_error(s, "spec: [unclosed\n");
    CHECK(e.message().find("invalid YAML") == 0);
    CHECK(e.line() >= 1);
    const auto empty = load_error(s, "");
    CHECK(empty.message().find("is empty") != std::string::npos);
    const auto missing_file = [&] {
        try {
            load_scenario((s.dir / "nope.yaml").string());
        } catch (const InputError& err) {
            return std::string(err.what());
        }
        return std::string();
    }();
    CHECK(missing_file.find("nope.yaml: no such file") != std::string::npos);
}

TEST_CASE("manifest problems name the manifest file, line and key") {
    Scratch s;
    SUBCASE("a missing manifest") {
        const auto e = load_error(s, scenario().replace(scenario().find("v2.yaml"), 7, "v9.yaml"));
        CHECK(e.path() == "spec.daemonSet.proposed");
        CHECK(e.message().find("v9.yaml: no such file") != std::string::npos);
    }
    SUBCASE("a selector that does not match the template labels") {
        std::string m;
        {
            std::ifstream in(s.dir / "v2.yaml");
            m.assign(std::istreambuf_iterator<char>(in), {});
        }
        const auto pos = m.rfind("app.kubernetes.io/name: edge-proxy");  // the template's label
        m.replace(pos, 34, "app.kubernetes.io/name: edge-proxx");
        s.write("v2.yaml", m);
        const auto e = load_error(s, scenario());
        CHECK(e.file().find("v2.yaml") != std::string::npos);
        CHECK(e.path() == "spec.template");
        CHECK(e.message().find("`selector` does not match template `labels`") != std::string::npos);
    }
    SUBCASE("a kind that is not a DaemonSet") {
        s.write("v2.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n");
        const auto e = load_error(s, scenario());
        CHECK(e.message() == "\"Deployment\": expected a DaemonSet (kind: DaemonSet)");
        CHECK(e.line() == 2);
        CHECK(e.path() == "kind");
    }
    SUBCASE("a liveness probe with successThreshold 2") {
        std::string m;
        {
            std::ifstream in(s.dir / "v2.yaml");
            m.assign(std::istreambuf_iterator<char>(in), {});
        }
        m.replace(m.find("initialDelaySeconds: 10"), 23, "initialDelaySeconds: 10\n            successThreshold: 2");
        s.write("v2.yaml", m);
        const auto e = load_error(s, scenario());
        CHECK(e.path() == "spec.template.spec.containers[0].livenessProbe.successThreshold");
        CHECK(e.message() == "Invalid value: must be 1");
    }
}

TEST_CASE("an invalid strategy is not a load error: the variant is rejected with the API's message") {
    Scratch s;
    const std::string file = s.write("scenario.yaml", scenario(
        "  variants:\n"
        "    strategies:\n"
        "      - {name: too-much, updateStrategy: {rollingUpdate: {maxUnavailable: 110%}}}\n"
        "      - {name: both, updateStrategy: {rollingUpdate: {maxUnavailable: 1, maxSurge: 1}}}\n"
        "      - {name: neither, updateStrategy: {rollingUpdate: {maxUnavailable: 0, maxSurge: \"0%\"}}}\n"
        "      - {name: fine, updateStrategy: {rollingUpdate: {maxUnavailable: 25%}}, minReadySeconds: 10}\n"));
    const ScenarioSpec sc = load_scenario(file);
    const auto plan = experiment::plan_variants(sc);
    REQUIRE(plan.size() == 4);
    CHECK_FALSE(plan[0]->accepted);
    CHECK(plan[0]->rejection->find("maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, "
                                   "StrVal:\"110%\"}: must not be greater than 100%") != std::string::npos);
    CHECK(plan[1]->rejection->find("may not be set when maxUnavailable is non-zero") != std::string::npos);
    CHECK(plan[2]->rejection->find("cannot be 0 when maxSurge is 0") != std::string::npos);
    CHECK(plan[3]->accepted);
    CHECK(plan[3]->min_ready_seconds == 10);
    CHECK(plan[3]->strategy_text == "RollingUpdate(maxUnavailable=25%, maxSurge=0)");
}

TEST_CASE("operator and canary plans: resolved, and their misuse refused") {
    Scratch s;
    const std::string file = s.write("scenario.yaml", scenario(
        "  variants:\n"
        "    strategies:\n"
        "      - {name: b, operator: {batchSize: 50%, soak: 2m}}\n"
        "      - {name: c, canary: {nodes: 1, soak: 5m, then: {rollingUpdate: {maxUnavailable: 1}}}}\n"
        "      - {name: bad-then, canary: {then: {rollingUpdate: {maxUnavailable: 1, maxSurge: 1}}}}\n"));
    const ScenarioSpec sc = load_scenario(file);
    const auto plan = experiment::plan_variants(sc);
    REQUIRE(plan.size() == 3);
    CHECK(plan[0]->strategy_text == "OnDelete, operator batches of 50%, soak 120s");
    CHECK(plan[0]->model.plan.batch == IntOrPercent{50, true});
    CHECK(plan[0]->model.strategy.type == model::UpdateStrategy::Type::OnDelete);
    CHECK(plan[1]->strategy_text == "canary on 1 node, soak 300s, then RollingUpdate(maxUnavailable=1, maxSurge=0)");
    CHECK(plan[1]->model.plan.canary_nodes == std::vector<model::NodeId>{0});
    CHECK_FALSE(plan[2]->accepted);  // the patched-in strategy is validated like any other
    CHECK(plan[2]->rejection->find("may not be set when maxUnavailable is non-zero") != std::string::npos);

    const auto e1 = load_error(s, scenario(
        "  variants:\n"
        "    strategies:\n"
        "      - {name: x, updateStrategy: {rollingUpdate: {maxUnavailable: 1}}, operator: {batchSize: 2}}\n"));
    CHECK(e1.message() == "an operator plan needs updateStrategy type OnDelete");
    const auto e2 = load_error(s, scenario(
        "  variants:\n"
        "    strategies:\n"
        "      - {name: x, canary: {nodes: 0, then: {}}}\n"));
    CHECK(e2.path() == "spec.variants.strategies[0].canary.nodes");
}

TEST_CASE("hostPort mode needs a host port, and a missing nodesFile is named") {
    Scratch s;
    std::string m;
    {
        std::ifstream in(s.dir / "v1.yaml");
        m.assign(std::istreambuf_iterator<char>(in), {});
    }
    m.replace(m.find("hostPort: 8080"), 14, "name: web");
    m.replace(m.find("name: web"), 9, "protocol: TCP");
    s.write("v1.yaml", m);
    s.write("v2.yaml", m);
    const auto e = load_error(s, scenario("  traffic: {mode: hostPort}\n"));
    CHECK(e.path() == "spec.traffic.mode");
    const auto nf = load_error(s, scenario("", "").replace(scenario().find("    nodePools:"), 0, "    nodesFile: nodes.yaml\n"));
    INFO(nf.what());
    CHECK(nf.path() == "spec.cluster.nodesFile");
    CHECK(std::string(nf.what()).find("nodes.yaml") != std::string::npos);
}

}  // TEST_SUITE

}  // namespace rollsim::test
