// rollsim init (docs/scenario.md, "A first scenario"): a scenario to start from, written from
// the manifests and what rollsim infers of them (model/workload_profile.cpp), with a TODO where
// only the user knows (how long the process takes to serve).

#include "rollsim/init.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "input/manifest_reader.hpp"
#include "model/workload_profile.hpp"
#include "rollsim/error.hpp"

namespace rollsim {

namespace {

namespace fs = std::filesystem;

/// `path` as the scenario names it: relative to the scenario's directory.
std::string relative_to(const std::string& path, const std::string& out_file) {
    if (path.empty()) return path;
    std::error_code ec;
    const fs::path base = out_file.empty() || out_file == "-" ? fs::current_path(ec) : fs::absolute(fs::path(out_file), ec).parent_path();
    const fs::path rel = fs::relative(fs::absolute(path, ec), base, ec);
    return ec || rel.empty() ? path : rel.string();
}

/// A quoted YAML string.
std::string q(const std::string& s) {
    std::string out = "\"";
    for (char c : s) out += c == '"' || c == '\\' ? std::string("\\") + c : std::string(1, c);
    return out + "\"";
}

/// Labels a synthetic node needs for the DaemonSet to select it: its nodeSelector, and the first
/// value of each required affinity expression of its first term.
std::string node_labels(const PodTemplate& t) {
    std::map<std::string, std::string> labels = t.node_selector;
    if (!t.required_node_affinity.empty()) {
        for (const auto& r : t.required_node_affinity.front().match_expressions) {
            if (r.op == "In" && !r.values.empty()) labels.emplace(r.key, r.values.front());
            if (r.op == "Exists") labels.emplace(r.key, "true");
        }
    }
    std::vector<std::string> parts;
    for (const auto& [k, v] : labels) parts.push_back(q(k) + ": " + q(v));
    return parts.empty() ? "" : fmt::format(", labels: {{{}}}", fmt::join(parts, ", "));
}

}  // namespace

std::string init_scenario(const InitInput& in) {
    ScenarioSpec s;
    s.current = input::read_daemonset_file(in.current_file);
    s.proposed = in.proposed_file.empty() ? s.current : input::read_daemonset_file(in.proposed_file);
    const model::WorkloadProfile profile = model::workload_profile(s);
    const TrafficMode mode = s.proposed.hints.traffic.value_or(model::traffic_of(profile.kind));
    const bool host_port = mode == TrafficMode::HostPort && s.proposed.pod_template.has_host_port();
    const ContainerSpec& c =
        *s.proposed.pod_template.find_container(default_modelled_container(s.current.pod_template, s.proposed.pod_template, mode));

    std::string y = fmt::format("# A first rollsim scenario for DaemonSet {}/{}, written by `rollsim init`.\n",
                                s.current.namespace_, s.current.name);
    y += "# Check each TODO, then: rollsim validate THIS.yaml && rollsim run THIS.yaml (docs/scenario.md).\n";
    y += fmt::format("# What it is: {}, because {}.\n", to_string(profile.kind), fmt::join(profile.reasons, "; "));
    if (!profile.isolated()) {
        y += fmt::format("# A test copy beside the live pod would not be isolated: {}.\n", fmt::join(profile.not_isolated, "; "));
    }
    y += "apiVersion: rollsim.io/v1alpha1\nkind: Scenario\n";
    y += fmt::format("metadata: {{name: {}}}\nspec:\n", q(s.current.name));
    y += "  kubernetesVersion: \"1.31\"          # TODO: your cluster's version (1.28 to 1.32 are modelled)\n";
    y += "  trials: 200\n  cluster:\n";
    if (!in.nodes_file.empty()) {
        y += fmt::format("    nodesFile: {}\n", q(relative_to(in.nodes_file, in.out_file)));
    } else {
        y += fmt::format("    nodePools:                          # TODO: your nodes (or nodesFile: kubectl get nodes -o json)\n"
                         "      - {{name: node, count: 3{}}}\n",
                         node_labels(s.current.pod_template));
    }
    if (!in.pods_file.empty()) y += fmt::format("    podsFile: {}\n", q(relative_to(in.pods_file, in.out_file)));
    y += "  daemonSet:\n";
    y += fmt::format("    current: {}\n", q(relative_to(in.current_file, in.out_file)));
    if (in.proposed_file.empty()) {
        y += fmt::format("    proposed: {}   # TODO: the changed manifest (this is the live one: nothing to roll out)\n",
                         q(relative_to(in.current_file, in.out_file)));
    } else {
        y += fmt::format("    proposed: {}\n", q(relative_to(in.proposed_file, in.out_file)));
    }
    y += "  workload:\n";
    y += fmt::format("    container: {}\n", q(c.name));
    y += fmt::format("    kind: {}  # inferred; say otherwise if rollsim is wrong\n", to_string(profile.kind));
    y += "    imagePull: 5s                      # TODO: `rollsim calibrate` measures these from your cluster\n";
    y += "    listen: 1s\n";
    y += "    serve: 5s                          # TODO: container start -> the real request path works\n";
    y += "    shutdown: 1s\n";
    y += "  traffic:\n";
    y += fmt::format("    mode: {}\n", to_string(mode));
    if (mode == TrafficMode::HostPort) {
        y += "    healthCheck: {interval: 10s, unhealthyThreshold: 3, healthyThreshold: 2, surface: serving}  # TODO: your load balancer's\n";
    }
    y += "  variants:\n    strategies:\n";
    y += "      - {name: as-proposed}\n";
    y += "      - {name: one-at-a-time, updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 1}}}\n";
    if (mode == TrafficMode::Coverage) {
        y += "      - {name: ten-percent, updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 10%}}}\n";
    }
    if (host_port && profile.isolated()) {
        y += "      - name: test-then-promote\n"
             "        testThenPromote: {portOffset: 10000, nodes: 1, timeout: 10m,\n"
             "                          then: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 1}}}\n";
    }
    y += "    probes:\n      - {name: as-proposed}\n";
    y += "  limits:                              # TODO: what is acceptable (recommend and review use these)\n";
    y += mode == TrafficMode::Coverage ? "    maxUncoveredNodes: 1\n" : "    maxErrorSeconds: 0\n";
    y += "    maxRolloutDuration: 2h\n";
    return y;
}

}  // namespace rollsim
