// Reading Kubernetes YAML as kubectl reads it (go-yaml v2 under sigs.k8s.io/yaml), node and pod
// lists from kubectl, and writing YAML that reads back the same.

#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <nlohmann/json.hpp>

#include "input/cluster_reader.hpp"
#include "input/manifest_reader.hpp"
#include "input/yaml_reader.hpp"
#include "output/yaml_writer.hpp"
#include "rollsim/error.hpp"

namespace rollsim::test {

namespace fs = std::filesystem;
using input::resolve_yaml11;
using Type = input::Yaml11Scalar::Type;

namespace {

std::string scratch_file(const std::string& text) {
    static std::atomic<int> counter{0};
    const fs::path p = fs::temp_directory_path() /
                       ("rollsim-manifest-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".yaml");
    std::ofstream(p) << text;
    return p.string();
}

std::string source(const std::string& name) { return std::string(ROLLSIM_SOURCE_DIR) + "/tests/manifests/" + name; }

/// tests/manifests/minimal-daemonset.yaml: its last line is the container's image.
const std::string kDaemonSet = [] {
    std::ifstream in(source("minimal-daemonset.yaml"));
    return std::string(std::istreambuf_iterator<char>(in), {});
}();

}  // namespace

TEST_CASE("go-yaml v2 resolve: YAML 1.1 booleans, octal and base prefixes, floats, timestamps stay strings") {
    // The table of go-yaml v2's resolve.go (resolveMapList and the int/float branches).
    for (const char* t : {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"}) {
        CHECK(resolve_yaml11(t).type == Type::Bool);
        CHECK(resolve_yaml11(t).boolean);
    }
    for (const char* f : {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"}) {
        CHECK(resolve_yaml11(f).type == Type::Bool);
        CHECK_FALSE(resolve_yaml11(f).boolean);
    }
    for (const char* n : {"", "~", "null", "Null", "NULL"}) CHECK(resolve_yaml11(n).type == Type::Null);
    CHECK(resolve_yaml11("0755").integer == 493);  // a leading 0 is octal (ParseInt base 0)
    CHECK(resolve_yaml11("0644").integer == 420);
    CHECK(resolve_yaml11("0x1F").integer == 31);
    CHECK(resolve_yaml11("0b101").integer == 5);
    CHECK(resolve_yaml11("0o17").integer == 15);
    CHECK(resolve_yaml11("1_000").integer == 1000);
    CHECK(resolve_yaml11("-42").integer == -42);
    CHECK(resolve_yaml11("+42").integer == 42);
    CHECK(resolve_yaml11("08").type == Type::Float);  // not octal, so yamlStyleFloat reads 8
    CHECK(resolve_yaml11("08").real == 8.0);
    CHECK(resolve_yaml11("1e3").real == 1000.0);
    CHECK(resolve_yaml11(".5").real == 0.5);
    for (const char* s : {"1.14.2", "2026-11-22", "abc", "8080/TCP", "0x", ".", "1e", "yes please", "0xZZ"}) {
        CHECK_MESSAGE(resolve_yaml11(s).type == Type::String, s);
    }
}

TEST_CASE("a written string reads back as the same string (plain only when YAML 1.1 and 1.2 agree)") {
    for (const char* s : {"yes", "on", "Off", "n", "0755", "8080", "1.5", "1e3", "1_000", "2026-11-22", "12:30",
                          "null", "~", "", " lead", "trail ", "a: b", "a #b", "-", "- x", "--flag", "*x", "&x",
                          "!x", "%x", "@x", "`x", "[x", "{x", "'x", "\"x", "|x", ">x", "?x", ".inf", "0x1F", "0o17"}) {
        CHECK_MESSAGE(!output::plain_safe(s), s);
    }
    for (const char* s : {"edge-proxy", "registry.example.com/edge-proxy:1.15.0", "/healthz", "ClusterFirst",
                          "node-role.example.com/edge", "sleep 5", "-c", "a=b", "http://localhost:9100/metrics"}) {
        CHECK_MESSAGE(output::plain_safe(s), s);
    }
    nlohmann::ordered_json doc = {{"a", "yes"}, {"b", 420}, {"c", nullptr}, {"d", "line one\nline two\n"},
                                  {"e", nlohmann::ordered_json::array({"8080", true})}, {"f", nlohmann::ordered_json::object()}};
    const std::string yaml = output::to_yaml(doc);
    CHECK(yaml == "a: \"yes\"\nb: 420\nd: |\n  line one\n  line two\ne:\n- \"8080\"\n- true\nf: {}\n");
    // Read back as kubectl reads it: the same JSON, without the null.
    const auto back = input::YamlNode::parse_all(yaml, "written.yaml", input::Dialect::Kubernetes).front();
    doc.erase("c");
    CHECK(nlohmann::ordered_json::parse(input::yaml_to_json(back, true)) == doc);
}

TEST_CASE("Kubernetes manifests: the last of repeated keys wins, YAML 1.1 booleans where the API wants one") {
    const std::string file = scratch_file(kDaemonSet + "      hostNetwork: yes\n      terminationGracePeriodSeconds: 10\n"
                                                                    "      terminationGracePeriodSeconds: 45\n");
    const DaemonSetSpec ds = input::read_daemonset_file(file);
    CHECK(ds.pod_template.host_network);
    CHECK(ds.pod_template.termination_grace_period_seconds == 45);
    CHECK(nlohmann::json::parse(ds.original_json)["spec"]["template"]["spec"]["hostNetwork"] == true);
    fs::remove(file);
}

TEST_CASE("Kubernetes manifests: a plain number or boolean in a string field fails with its line, as the API server fails it") {
    const std::string file = scratch_file(kDaemonSet + "          args: [--port, 8080]\n");
    try {
        input::read_daemonset_file(file);
        FAIL("an unquoted 8080 in args was accepted");
    } catch (const InputError& e) {
        CHECK(e.line() == 12);
        CHECK(e.path() == "spec.template.spec.containers[0].args[1]");
        CHECK(std::string(e.what()).find("cannot unmarshal number into a string field") != std::string::npos);
    }
    const std::string labels = scratch_file(std::string(kDaemonSet).replace(kDaemonSet.find("{app: a}}\n    spec"), 8, "{app: a, on: yes}"));
    CHECK_THROWS_AS(input::read_daemonset_file(labels), InputError);
    fs::remove(file);
    fs::remove(labels);
}

TEST_CASE("streams: Helm output, kind List, and a file with several DaemonSets needs a name") {
    const DaemonSetSpec helm = input::read_daemonset_file(source("host-agent-helm.yaml"));
    CHECK(helm.name == "host-agent");
    CHECK(helm.pod_template.containers.front().ports.front().host_port == 9100);  // defaultHostNetworkPorts
    const std::string list = scratch_file("apiVersion: v1\nkind: List\nitems:\n- " +
                                          [] {
                                              std::string out;
                                              for (char ch : kDaemonSet) {
                                                  out += ch;
                                                  if (ch == '\n') out += "  ";
                                              }
                                              return out;
                                          }());
    CHECK(input::read_daemonset_file(list).name == "a");
    const std::string two = scratch_file(kDaemonSet + "---\n" +
                                         std::string(kDaemonSet).replace(kDaemonSet.find("name: a,"), 8, "name: b,"));
    try {
        input::read_daemonset_file(two);
        FAIL("two DaemonSets without a name were accepted");
    } catch (const InputError& e) {
        CHECK(std::string(e.what()).find("holds 2 (a, b); name the one to read") != std::string::npos);
    }
    CHECK(input::read_daemonset_file(two, "b").name == "b");
    CHECK_THROWS_AS(input::read_daemonset_file(two, "c"), InputError);
    fs::remove(list);
    fs::remove(two);
}

TEST_CASE("kubectl get nodes: labels, allocatable, and the taints of the node lifecycle controller (docs/model.md, node health)") {
    const auto nodes = input::read_nodes_file(source("nodes-kubectl.json"));
    REQUIRE(nodes.size() == 5);
    CHECK(nodes[0].allocatable.cpu_milli == 3920);
    CHECK(nodes[0].allocatable.memory_bytes == 15306544LL * 1024);
    CHECK(nodes[0].allocatable.pods == 58);
    CHECK(nodes[2].labels.at("kubernetes.io/arch") == "arm64");
    const auto has = [](const NodeSpec& n, const std::string& key, const std::string& effect) {
        int count = 0;
        for (const auto& t : n.taints) count += t.key == key && t.effect == effect ? 1 : 0;
        return count;
    };
    // MemoryPressure=True with its taint already listed: not added twice.
    CHECK(has(nodes[2], "node.kubernetes.io/memory-pressure", "NoSchedule") == 1);
    // Ready=Unknown: unreachable NoSchedule and NoExecute (UnreachableTaintTemplate).
    CHECK(has(nodes[3], "node.kubernetes.io/unreachable", "NoSchedule") == 1);
    CHECK(has(nodes[3], "node.kubernetes.io/unreachable", "NoExecute") == 1);
    // spec.unschedulable (a cordon).
    CHECK(has(nodes[4], "node.kubernetes.io/unschedulable", "NoSchedule") == 1);
}

TEST_CASE("kubectl get pods: requests as the scheduler sums them, host ports held, the DaemonSet's own pods skipped") {
    auto nodes = input::read_nodes_file(source("nodes-kubectl.json"));
    const std::size_t added = input::add_pods_file(source("pods-kubectl.json"), "edge", "edge-proxy", nodes);
    CHECK(added == 5);  // 8 pods: 2 of the DaemonSet and 1 Succeeded left out
    CHECK(nodes[0].requested_by_others().cpu_milli == 225);
    CHECK(nodes[0].requested_by_others().pods == 3);
    REQUIRE(nodes[0].pods.size() == 3);
    const auto exporter = std::find_if(nodes[0].pods.begin(), nodes[0].pods.end(),
                                       [](const OtherPod& p) { return !p.host_ports.empty(); });
    REQUIRE(exporter != nodes[0].pods.end());
    CHECK(exporter->host_ports.size() == 1);
    CHECK(exporter->host_ports[0].port == 9100);
    CHECK(exporter->name == "monitoring/node-exporter-2kd9x");
    // max(sum of containers 2 CPU, init container 3 CPU) (resource.PodRequests).
    CHECK(nodes[1].requested_by_others().cpu_milli == 3000);
    CHECK(nodes[1].requested_by_others().memory_bytes == 4LL << 30);
}

TEST_CASE("kubectl get pods: a sidecar's requests run beside the containers and the init containers after it (PodRequests)") {
    auto nodes = input::read_nodes_file(source("nodes-kubectl.json"));
    const std::string name = nodes[0].name;
    const std::string pods = R"({"apiVersion": "v1", "kind": "List", "items": [{"apiVersion": "v1", "kind": "Pod",
      "metadata": {"name": "mesh-abc", "namespace": "apps"},
      "spec": {"nodeName": ")" + name + R"(",
        "initContainers": [
          {"name": "proxy", "image": "proxy:1", "restartPolicy": "Always", "resources": {"requests": {"cpu": "100m"}}},
          {"name": "migrate", "image": "app:1", "resources": {"requests": {"cpu": "500m"}}}],
        "containers": [{"name": "app", "image": "app:1", "resources": {"requests": {"cpu": "200m"}}}]},
      "status": {"phase": "Running"}}]})";
    const std::size_t before = static_cast<std::size_t>(nodes[0].requested_by_others().cpu_milli);
    CHECK(input::add_pods_text(pods, "pods.json", "edge", "edge-proxy", nodes) == 1);
    // max(app 200m + proxy 100m, migrate 500m + the proxy beside it 100m) = 600m.
    CHECK(static_cast<std::size_t>(nodes[0].requested_by_others().cpu_milli) - before == 600);
}

TEST_CASE("kubectl get priorityclasses: the built-in system classes it lists are skipped, a user class is read") {
    const std::string text = R"({"apiVersion": "v1", "kind": "List", "items": [
      {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "system-cluster-critical"},
       "value": 2000000000},
      {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "system-node-critical"},
       "value": 2000001000},
      {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "batch-low"},
       "value": -10, "preemptionPolicy": "Never"}]})";
    const auto classes = input::read_priority_classes_text(text, "pc.json");
    REQUIRE(classes.size() == 1);
    CHECK(classes[0].name == "batch-low");
    CHECK(classes[0].value == -10);
    CHECK(classes[0].preempt_never);
    // A system- name with another value is still refused (ValidatePriorityClass).
    const std::string forged = R"({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
      "metadata": {"name": "system-node-critical"}, "value": 5})";
    CHECK_THROWS_AS(input::read_priority_classes_text(forged, "pc.json"), InputError);
}

}  // namespace rollsim::test
