#include "model/eligibility.hpp"

#include <algorithm>
#include <charconv>

namespace rollsim::model {

std::vector<Toleration> daemon_pod_tolerations(const PodTemplate& t) {
    std::vector<Toleration> out = t.tolerations;
    const auto add = [&out](const char* key, const char* effect) {
        Toleration tol{key, "Exists", "", effect, std::nullopt};
        // AddOrUpdateTolerationInPodSpec: an equal toleration is not added twice.
        if (std::find(out.begin(), out.end(), tol) == out.end()) out.push_back(std::move(tol));
    };
    add("node.kubernetes.io/not-ready", "NoExecute");
    add("node.kubernetes.io/unreachable", "NoExecute");
    add("node.kubernetes.io/disk-pressure", "NoSchedule");
    add("node.kubernetes.io/memory-pressure", "NoSchedule");
    add("node.kubernetes.io/pid-pressure", "NoSchedule");
    add("node.kubernetes.io/unschedulable", "NoSchedule");
    if (t.host_network) add("node.kubernetes.io/network-unavailable", "NoSchedule");
    return out;
}

bool tolerates(const Toleration& t, const Taint& taint) {
    if (!t.effect.empty() && t.effect != taint.effect) return false;
    if (!t.key.empty() && t.key != taint.key) return false;
    if (t.op.empty() || t.op == "Equal") return t.value == taint.value;
    return t.op == "Exists";
}

namespace {

bool parse_int64(const std::string& s, std::int64_t& out) {
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc{} && ptr == s.data() + s.size();
}

bool has_untolerated(const NodeSpec& node, const std::vector<Toleration>& tolerations,
                     bool no_schedule_counts) {
    for (const Taint& taint : node.taints) {
        const bool relevant =
            taint.effect == "NoExecute" || (no_schedule_counts && taint.effect == "NoSchedule");
        if (!relevant) continue;
        const bool ok = std::any_of(tolerations.begin(), tolerations.end(),
                                    [&](const Toleration& t) { return tolerates(t, taint); });
        if (!ok) return true;
    }
    return false;
}

bool term_matches(const NodeSelectorTerm& term, const NodeSpec& node) {
    // An empty term matches no node (nodeaffinity: "a null or empty term matches no objects").
    if (term.match_expressions.empty() && term.match_fields.empty()) return false;
    for (const auto& r : term.match_expressions) {
        if (!matches(r, node.labels)) return false;
    }
    for (const auto& r : term.match_fields) {
        // Only metadata.name is a supported field.
        if (r.key != "metadata.name") return false;
        if (!matches(r, {{"metadata.name", node.name}})) return false;
    }
    return true;
}

}  // namespace

bool matches(const NodeSelectorRequirement& r, const std::map<std::string, std::string>& labels) {
    const auto it = labels.find(r.key);
    const bool has = it != labels.end();
    const auto in_values = [&] {
        return has && std::find(r.values.begin(), r.values.end(), it->second) != r.values.end();
    };
    if (r.op == "In") return in_values();
    if (r.op == "NotIn") return !in_values();
    if (r.op == "Exists") return has;
    if (r.op == "DoesNotExist") return !has;
    if (r.op == "Gt" || r.op == "Lt") {
        std::int64_t label = 0;
        std::int64_t bound = 0;
        if (!has || r.values.size() != 1 || !parse_int64(it->second, label) ||
            !parse_int64(r.values[0], bound)) {
            return false;
        }
        return r.op == "Gt" ? label > bound : label < bound;
    }
    return false;
}

bool matches_node_affinity(const PodTemplate& t, const NodeSpec& node) {
    for (const auto& [key, value] : t.node_selector) {
        const auto it = node.labels.find(key);
        if (it == node.labels.end() || it->second != value) return false;
    }
    if (t.required_node_affinity.empty()) return true;
    return std::any_of(t.required_node_affinity.begin(), t.required_node_affinity.end(),
                       [&](const NodeSelectorTerm& term) { return term_matches(term, node); });
}

Eligibility node_should_run_daemon_pod(const NodeSpec& node, const PodTemplate& t,
                                       const std::vector<Toleration>& tolerations) {
    if (!t.node_name.empty() && t.node_name != node.name) return {false, false};
    if (!matches_node_affinity(t, node)) return {false, false};
    if (has_untolerated(node, tolerations, /*no_schedule_counts=*/true)) {
        // Scheduled daemon pods keep running while they tolerate every NoExecute taint.
        return {false, !has_untolerated(node, tolerations, /*no_schedule_counts=*/false)};
    }
    return {true, true};
}

}  // namespace rollsim::model
