// The scenario a review simulates (docs/review.md, "What is simulated").

#include <filesystem>

#include <fmt/format.h>

#include "experiment/variants.hpp"
#include "input/cluster_reader.hpp"
#include "input/manifest_reader.hpp"
#include "input/units.hpp"
#include "input/source.hpp"
#include "rollsim/error.hpp"
#include "rollsim/io.hpp"
#include "rollsim/review.hpp"

namespace rollsim {

namespace {

/// Nodes the live DaemonSet selects: its nodeSelector and the first value of each required
/// affinity expression of its first term as labels.
std::vector<NodeSpec> synthetic_nodes(const DaemonSetSpec& live, int count) {
    std::vector<NodeSpec> out;
    for (int i = 0; i < count; ++i) {
        NodeSpec n;
        n.name = fmt::format("node-{}", i);
        n.pool = "review";
        n.labels = live.pod_template.node_selector;
        if (!live.pod_template.required_node_affinity.empty()) {
            for (const auto& r : live.pod_template.required_node_affinity.front().match_expressions) {
                if (r.op == "In" && !r.values.empty()) n.labels[r.key] = r.values.front();
                if (r.op == "Exists") n.labels[r.key] = "true";
            }
        }
        n.labels["kubernetes.io/hostname"] = n.name;
        n.labels.emplace("kubernetes.io/arch", "amd64");
        n.labels.emplace("kubernetes.io/os", "linux");
        out.push_back(std::move(n));
    }
    return out;
}

/// --serve: `90s..180s` (uniform) or one duration (constant).
DistributionSpec serve_option(const std::string& text) {
    std::string error;
    auto d = input::parse_duration_range(text, error);
    if (!d) throw InputError("--serve", 0, "", error);
    return *d;
}

/// A suppression must name a finding review makes.
void check_finding(const Suppression& sup) {
    const auto& ids = finding_ids();
    if (std::find(ids.begin(), ids.end(), sup.finding) == ids.end()) {
        const std::string near = input::did_you_mean(sup.finding, std::vector<std::string_view>(ids.begin(), ids.end()));
        throw InputError(sup.source.file, sup.source.line, "",
                         fmt::format("\"{}\" is not a finding rollsim reports{}", sup.finding,
                                     near.empty() ? std::string(" (docs/review.md lists them)")
                                                  : fmt::format(" (did you mean \"{}\"?)", near)));
    }
}

/// The DaemonSet's rollsim.io/ignore, and `.rollsim.yaml`'s `ignore` (for every DaemonSet, or
/// the one it names).
std::vector<Suppression> suppressions(const ReviewInput& in, const DaemonSetSpec& ds) {
    std::vector<Suppression> out;
    for (const auto& [id, reason] : ds.hints.ignore) out.push_back(Suppression{id, reason, ds.hints.ignore_source});
    std::string config = in.config_file;
    if (config.empty() && std::filesystem::is_regular_file(".rollsim.yaml")) config = ".rollsim.yaml";
    if (!config.empty()) {
        const input::YamlNode root = input::YamlNode::parse(input::read_input_file(config), config);
        root.allow_keys({"ignore"});
        if (const auto list = root.get("ignore"); list && !list->is_null()) {
            for (const auto& item : list->items()) {
                item.allow_keys({"finding", "reason", "daemonSet"});
                if (const auto only = item.get("daemonSet")) {
                    const std::string name = only->str();
                    if (name != ds.namespace_ + "/" + ds.name && name != ds.name) continue;
                }
                const std::string reason = item.require("reason").str();
                if (reason.empty()) item.require("reason").fail("say why the finding is accepted");
                out.push_back(Suppression{item.require("finding").str(), reason,
                                          SourceRef{item.file(), item.require("finding").line()}});
            }
        }
    }
    for (const auto& sup : out) check_finding(sup);
    return out;
}

}  // namespace

ReviewSetup review_scenario(const ReviewInput& in) {
    ReviewSetup setup;
    ScenarioSpec& s = setup.scenario;
    std::vector<std::string> assumed;
    if (!in.scenario_file.empty()) {
        s = load_scenario(in.scenario_file);
    } else {
        s.name = "review";
        s.trials = 200;
        assumed.push_back("rollsim's default workload (image pull 5 s, listening after 1 s, serving after 5 s, "
                          "shutdown 1 s; give --scenario or --serve for the service's own)");
    }
    // Each file is read once: it may be a pipe (`--current <(git show main:ds.yaml)`).
    std::string hashed;
    const auto text = [&](const std::string& file) {
        std::string t = input::read_input_file(file);
        hashed += t;
        return t;
    };
    s.current = input::pick_daemonset_text(text(in.current_file), in.current_file, in.name, in.namespace_);
    s.proposed = input::pick_daemonset_text(text(in.proposed_file), in.proposed_file, in.name, in.namespace_);
    if (s.proposed.name != s.current.name || s.proposed.namespace_ != s.current.namespace_) {
        throw InputError(in.proposed_file, s.proposed.source.line, "metadata.name",
                         fmt::format("must change the same DaemonSet as {} ({}/{}), not {}/{}", in.current_file,
                                     s.current.namespace_, s.current.name, s.proposed.namespace_, s.proposed.name));
    }
    if (!in.nodes_file.empty()) {
        s.node_pools.clear();
        s.nodes = input::read_nodes_text(text(in.nodes_file), in.nodes_file);
    } else if (in.scenario_file.empty()) {
        s.nodes = synthetic_nodes(s.current, in.synthetic_nodes);
        assumed.push_back(in.synthetic_nodes == 3 ? std::string("three nodes that the live DaemonSet selects (give --nodes for the real ones)")
                                                  : fmt::format("{} nodes that the live DaemonSet selects (give --nodes for the real ones)",
                                                                in.synthetic_nodes));
    }
    if (!in.pods_file.empty()) input::add_pods_text(text(in.pods_file), in.pods_file, s.current.namespace_, s.current.name, s.nodes);
    if (!in.serve.empty()) {
        const DistributionSpec serve = serve_option(in.serve);
        s.workload.proposed.serve = serve;
        if (in.scenario_file.empty()) {
            s.workload.current.serve = serve;
            assumed.front() = fmt::format("serving {} after the container starts (--serve), rollsim's defaults "
                                          "otherwise (image pull 5 s, listening after 1 s, shutdown 1 s)",
                                          serve.describe());
        }
    }
    // The modelled container: the scenario's, when both manifests have it; else the first.
    if (s.current.pod_template.find_container(s.workload.container) == nullptr ||
        s.proposed.pod_template.find_container(s.workload.container) == nullptr) {
        s.workload.container.clear();
    }
    if (!in.workload.empty()) {
        s.workload.kind = input::parse_workload_kind(in.workload);
        if (!s.workload.kind) {
            throw InputError("--workload", 0, "", fmt::format("\"{}\": must be {}", in.workload, input::kWorkloadKinds));
        }
        s.workload.kind_source = SourceRef{"--workload", 0};
    }
    const model::WorkloadProfile profile = model::workload_profile(s);
    if (s.workload.container.empty()) {
        s.workload.container = default_modelled_container(
            s.current.pod_template, s.proposed.pod_template,
            in.scenario_file.empty() ? s.proposed.hints.traffic.value_or(model::traffic_of(profile.kind)) : s.traffic.mode);
    }
    const ContainerSpec& c = *s.proposed.pod_template.find_container(s.workload.container);
    if (in.scenario_file.empty()) {
        // What the manifests' rollsim.io/ annotations say of each revision's process.
        for (const auto& [ds, b] : {std::pair{&s.current, &s.workload.current}, std::pair{&s.proposed, &s.workload.proposed}}) {
            if (ds->hints.serve && (ds != &s.proposed || in.serve.empty())) b->serve = *ds->hints.serve;
            if (ds->hints.listen) b->listen = *ds->hints.listen;
            if (ds->hints.shutdown) b->shutdown = *ds->hints.shutdown;
        }
        if (s.proposed.hints.serve && in.serve.empty()) {
            assumed.front() = fmt::format("serving {} after the container starts (rollsim.io/serve), rollsim's defaults "
                                          "otherwise (image pull 5 s, listening after 1 s, shutdown 1 s)",
                                          s.proposed.hints.serve->describe());
        }
        // A TCP probe only sees the listening socket; other handlers are assumed to exercise
        // the serving path, and the review tries the other case too.
        for (Behaviour* b : {&s.workload.current, &s.workload.proposed}) {
            if (c.readiness_probe && c.readiness_probe->handler == ProbeSpec::Handler::TcpSocket) {
                b->readiness_surface = Surface::Listening;
            }
            if (c.startup_probe && c.startup_probe->handler != ProbeSpec::Handler::TcpSocket) b->startup_surface = Surface::Serving;
        }
        s.traffic.mode = s.proposed.hints.traffic.value_or(model::traffic_of(profile.kind));
        if (s.traffic.mode == TrafficMode::HostPort) {
            s.traffic.health_check.enabled = true;
            assumed.push_back("clients reach the host port through a load balancer that checks the serving path "
                              "every 10 s (3 failures down, 2 successes up)");
        }
    }
    s.file = in.proposed_file;
    s.sha256 = input::sha256_hex(hashed + s.sha256);

    // The change as proposed first, then the safe alternatives it is compared with.
    s.strategies.clear();
    StrategyVariant proposed;
    proposed.name = "as-proposed";
    proposed.as_proposed = true;
    s.strategies.push_back(proposed);
    StrategyVariant one;
    one.name = "one-at-a-time";
    one.update_strategy = UpdateStrategySpec{"RollingUpdate", true, IntOrString::of(1), IntOrString::of(0)};
    s.strategies.push_back(one);
    if (s.proposed.pod_template.has_host_port() && model::traffic_of(profile.kind) == TrafficMode::HostPort) {
        StrategyVariant ttp;
        ttp.name = "test-then-promote";
        ttp.operator_plan.kind = OperatorSpec::Kind::TestThenPromote;
        ttp.operator_plan.canary_count = 1;
        ttp.operator_plan.then = one.update_strategy;
        ttp.update_strategy = one.update_strategy;
        s.strategies.push_back(ttp);
    }
    s.probes.clear();
    ProbeVariant as_proposed;
    as_proposed.name = "as-proposed";
    as_proposed.as_proposed = true;
    s.probes.push_back(as_proposed);
    if (c.readiness_probe && s.workload.proposed.readiness_surface == Surface::Serving) {
        // What if the readiness endpoint answers as soon as the process listens?
        ProbeVariant shallow;
        shallow.name = "if-readiness-is-shallow";
        ProbeSpec r = *c.readiness_probe;
        r.surface = Surface::Listening;
        shallow.readiness = std::optional<ProbeSpec>{r};
        s.probes.push_back(shallow);
    }
    ProbeVariant sized;
    sized.name = "sized";
    sized.sized_margin = 1.25;
    s.probes.push_back(sized);
    setup.assumptions.clear();
    for (std::size_t i = 0; i < assumed.size(); ++i) setup.assumptions += (i ? "; " : "") + assumed[i];
    setup.suppressions = suppressions(in, s.proposed);
    return setup;
}

}  // namespace rollsim
