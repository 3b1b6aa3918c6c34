#include "input/starting_pods.hpp"

#include <algorithm>
#include <charconv>
#include <map>

#include <fmt/format.h>

#include "input/cluster_reader.hpp"
#include "input/manifest_reader.hpp"
#include "rollsim/io.hpp"

namespace rollsim {

const char* to_string(StartingPods::State s) {
    switch (s) {
        case StartingPods::State::Ready: return "Ready";
        case StartingPods::State::NotReady: return "NotReady";
        case StartingPods::State::CrashLoopBackOff: return "CrashLoopBackOff";
        case StartingPods::State::Missing: return "Missing";
        case StartingPods::State::Pending: return "Pending";
        case StartingPods::State::Terminating: return "Terminating";
        case StartingPods::State::Misscheduled: return "Misscheduled";
    }
    return "?";
}

}  // namespace rollsim

namespace rollsim::input {

namespace {

constexpr const char* kStates = "Ready, NotReady, CrashLoopBackOff, Missing, Pending, Terminating or Misscheduled";

StartingPods::State state_of(const YamlNode& n) {
    using State = StartingPods::State;
    const std::string s = n.str();
    for (State st : {State::Ready, State::NotReady, State::CrashLoopBackOff, State::Missing, State::Pending,
                     State::Terminating, State::Misscheduled}) {
        if (s == to_string(st)) return st;
    }
    n.fail(fmt::format("\"{}\": must be {}", s, kStates));
}

/// `percent: 20%` (or a plain number of percent).
double percent_of(const YamlNode& n) {
    std::string text = n.str();
    if (!text.empty() && text.back() == '%') text.pop_back();
    double v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) {
        n.fail(fmt::format("\"{}\": must be a percent such as 20%", n.str()));
    }
    if (v <= 0 || v > 100) n.fail(fmt::format("{}%: must be more than 0% and at most 100%", v));
    return v;
}

}  // namespace

void read_starting_pods(const YamlNode& list, ScenarioSpec& s) {
    if (!list.is_seq()) list.fail("must be a list of {count or percent, state, pool or nodes} entries");
    for (const auto& e : list.items()) {
        e.allow_keys({"count", "percent", "state", "revision", "pool", "nodes", "restarts", "graceLeft"});
        StartingPods sp;
        sp.source = SourceRef{e.file(), e.line()};
        sp.path = e.path();
        sp.state = state_of(e.require("state"));
        if (e.get("count") && e.get("percent")) e.require("percent").fail("give count or percent, not both");
        if (auto c = e.get("count")) {
            sp.count = c->int32();
            if (sp.count < 1) c->fail("must be at least 1");
        } else if (auto p = e.get("percent")) {
            sp.percent = percent_of(*p);
        } else if (!e.get("nodes")) {
            e.require("count");  // names the missing key
        }
        if (auto r = e.get("revision")) {
            if (r->str() != "current" && r->str() != "older") r->fail(fmt::format("\"{}\": must be current or older", r->str()));
            sp.older = r->str() == "older";
            if (sp.older && sp.state == StartingPods::State::Missing) r->fail("a Missing pod has no revision");
        }
        if (auto r = e.get("restarts")) {
            if (sp.state != StartingPods::State::CrashLoopBackOff) r->fail("only a CrashLoopBackOff pod has restarts");
            sp.restarts = r->int32();
            if (sp.restarts < 1) r->fail("must be at least 1 (a pod in CrashLoopBackOff has restarted)");
        }
        if (auto g = e.get("graceLeft")) {
            if (sp.state != StartingPods::State::Terminating) g->fail("only a Terminating pod has grace left");
            sp.grace_left = g->duration();
        }
        if (e.get("pool") && e.get("nodes")) e.require("nodes").fail("give pool or nodes, not both");
        std::size_t candidates = 0;
        if (auto names = e.get("nodes")) {
            if (e.get("count") || e.get("percent")) names->fail("named nodes are the count: leave count and percent out");
            for (const auto& item : names->items()) {
                const std::string name = item.str();
                const auto it = std::find_if(s.nodes.begin(), s.nodes.end(), [&](const NodeSpec& n) { return n.name == name; });
                if (it == s.nodes.end() || !it->present) item.fail(fmt::format("no node named \"{}\" at the start", name));
                const auto index = static_cast<std::uint32_t>(it - s.nodes.begin());
                for (const auto& earlier : s.starting_pods) {
                    if (std::find(earlier.nodes.begin(), earlier.nodes.end(), index) != earlier.nodes.end()) {
                        item.fail(fmt::format("node \"{}\" is named by an earlier entry (line {})", name, earlier.source.line));
                    }
                }
                sp.nodes.push_back(index);
            }
            if (sp.nodes.empty()) names->fail("must name at least one node");
        } else {
            if (auto p = e.get("pool")) sp.pool = p->str();
            for (const NodeSpec& n : s.nodes) candidates += n.present && (sp.pool.empty() || n.pool == sp.pool) ? 1 : 0;
            if (candidates == 0) e.require("pool").fail(fmt::format("no pool named \"{}\" with nodes present at the start", sp.pool));
            if (sp.count > 0 && static_cast<std::size_t>(sp.count) > candidates) {
                e.require("count").fail(fmt::format("{} pods, but {} has only {} node(s) at the start", sp.count,
                                                    sp.pool.empty() ? "the cluster" : "pool " + sp.pool, candidates));
            }
        }
        s.starting_pods.push_back(std::move(sp));
    }
}

}  // namespace rollsim::input

namespace rollsim::input {

namespace {

/// A pod's state as the API reports it (kubectl's own words: phase, conditions, container
/// statuses), for the modelled container.
StartingPods state_of_pod(const YamlNode& pod, const std::string& container) {
    StartingPods sp;
    const YamlNode meta = pod.require("metadata");
    if (auto d = meta.get("deletionTimestamp"); d && !d->is_null()) {
        sp.state = StartingPods::State::Terminating;
        // The grace left is not in the object (only deletionGracePeriodSeconds, from the
        // deletion): taken as all of it, and said so by validate.
        return sp;
    }
    const auto status = pod.get("status");
    const std::string phase = status && status->get("phase") ? status->require("phase").str() : "Running";
    const auto node_name = pod.require("spec").get("nodeName");
    if (phase == "Pending" && (!node_name || node_name->is_null())) {
        sp.state = StartingPods::State::Pending;
        return sp;
    }
    if (phase == "Succeeded" || phase == "Failed") {
        pod.require("status").require("phase").fail(fmt::format(
            "pod {} is {}: a terminal pod of the DaemonSet is not modelled yet (the controller deletes it with a "
            "back-off); remove it from the list",
            meta.require("name").str(), phase));
    }
    if (!status || status->is_null()) return sp;  // a hand-written list: Running, Ready
    if (auto statuses = status->get("containerStatuses"); statuses && statuses->is_seq()) {
        for (const auto& cs : statuses->items()) {
            if (!container.empty() && cs.get("name") && cs.require("name").str() != container) continue;
            const auto waiting = cs.get("state") ? cs.require("state").get("waiting") : std::nullopt;
            if (waiting && !waiting->is_null() && waiting->get("reason") &&
                waiting->require("reason").str() == "CrashLoopBackOff") {
                sp.state = StartingPods::State::CrashLoopBackOff;
                sp.restarts = std::max<std::int32_t>(1, cs.get("restartCount") ? cs.require("restartCount").int32() : 1);
                return sp;
            }
            break;
        }
    }
    if (auto conditions = status->get("conditions"); conditions && conditions->is_seq()) {
        for (const auto& c : conditions->items()) {
            if (c.get("type") && c.require("type").str() == "Ready" && c.get("status") &&
                c.require("status").str() != "True") {
                sp.state = phase == "Pending" ? StartingPods::State::Pending : StartingPods::State::NotReady;
            }
        }
    }
    if (phase == "Pending" && sp.state == StartingPods::State::Ready) sp.state = StartingPods::State::Pending;
    return sp;
}

/// An unbound DaemonSet pod's node: the controller pins it with a required node affinity on
/// matchFields metadata.name (daemonset_util.go ReplaceDaemonSetPodNodeNameNodeAffinity).
std::string affinity_node(const YamlNode& pod) {
    const YamlNode spec = pod.require("spec");
    const auto at = [](const std::optional<YamlNode>& n, const char* key) -> std::optional<YamlNode> {
        return n && n->is_map() ? n->get(key) : std::nullopt;
    };
    const auto terms = at(at(at(spec.get("affinity"), "nodeAffinity"), "requiredDuringSchedulingIgnoredDuringExecution"),
                          "nodeSelectorTerms");
    if (!terms || !terms->is_seq()) return "";
    for (const auto& t : terms->items()) {
        const auto fields = t.get("matchFields");
        if (!fields || !fields->is_seq()) continue;
        for (const auto& f : fields->items()) {
            const auto values = f.get("values");
            if (f.get("key") && f.require("key").str() == "metadata.name" && values && values->is_seq() &&
                values->items().size() == 1) {
                return values->items().front().str();
            }
        }
    }
    return "";
}

/// The DaemonSet's template generation (the deprecated.daemonset.template.generation
/// annotation the controller keeps), if the manifest has it.
std::optional<std::string> template_generation(const DaemonSetSpec& ds) {
    const auto doc = YamlNode::parse_all(ds.original_json, ds.source.file);
    if (doc.empty()) return std::nullopt;
    const auto meta = doc.front().get("metadata");
    const auto ann = meta ? meta->get("annotations") : std::nullopt;
    const auto g = ann && ann->is_map() ? ann->get("deprecated.daemonset.template.generation") : std::nullopt;
    if (!g || g->is_null()) return std::nullopt;
    return g->str();
}

}  // namespace

std::size_t read_starting_pods_from_list(const std::string& text, const std::string& file, const std::string& container,
                                         ScenarioSpec& s) {
    const std::optional<std::string> generation = template_generation(s.current);
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < s.nodes.size(); ++i) index.emplace(s.nodes[i].name, i);
    std::vector<bool> has_pod(s.nodes.size(), false);
    std::map<std::string, std::vector<std::string>> by_hash;  ///< controller-revision-hash -> pods
    std::optional<YamlNode> second_hash;  ///< the first label of a second revision
    std::vector<StartingPods> found;
    std::size_t own = 0;
    for (const YamlNode& pod : read_objects_text(text, file, "Pod")) {
        const YamlNode meta = pod.require("metadata");
        if (!owned_by_daemonset(meta, s.current.namespace_, s.current.name)) continue;
        ++own;
        const std::string name = meta.require("name").str();
        // IsPodUpdated (pkg/controller/daemon/util/daemonset_util.go): a pod is of the current
        // template when its pod-template-generation label is the DaemonSet's template
        // generation, or its controller-revision-hash is the current revision's.
        const auto labels = meta.get("labels");
        const auto label = [&](const char* key) -> std::optional<std::string> {
            if (!labels || !labels->is_map()) return std::nullopt;
            const auto v = labels->get(key);
            return v && !v->is_null() ? std::optional<std::string>(v->str()) : std::nullopt;
        };
        const auto g = label("pod-template-generation");
        const bool older = g && generation && *g != *generation;
        if (const auto h = label("controller-revision-hash")) {
            if (!by_hash.empty() && by_hash.count(*h) == 0 && !second_hash) {
                second_hash = meta.require("labels").require("controller-revision-hash");
            }
            by_hash[*h].push_back(name);
        }
        const auto node_name = pod.require("spec").get("nodeName");
        StartingPods sp = state_of_pod(pod, container);
        sp.source = SourceRef{meta.file(), meta.line()};
        sp.path = meta.path();
        std::string node = node_name && !node_name->is_null() ? node_name->str() : "";
        if (node.empty()) node = affinity_node(pod);
        const auto it = index.find(node);
        if (it == index.end()) continue;  // on a node the scenario does not have: upstream deletes it
        if (has_pod[it->second]) {
            meta.require("name").fail(fmt::format("pod {} is a second pod of the DaemonSet on node {}: duplicates are not "
                                                  "modelled yet (the controller deletes all but the oldest)",
                                                  name, node));
        }
        has_pod[it->second] = true;
        sp.nodes = {static_cast<std::uint32_t>(it->second)};
        sp.imported = true;
        sp.older = older;
        found.push_back(std::move(sp));
    }
    if (!generation && by_hash.size() > 1) {
        std::vector<std::string> parts;
        for (const auto& [h, pods] : by_hash) parts.push_back(fmt::format("{} ({} pods)", h, pods.size()));
        second_hash->fail(fmt::format("the DaemonSet's pods are of {} revisions, {}, and its manifest has no "
                                      "deprecated.daemonset.template.generation annotation to tell the current one: "
                                      "give the DaemonSet as kubectl get ds -o yaml prints it",
                                      by_hash.size(), fmt::join(parts, ", ")));
    }
    if (own == 0) return 0;
    for (std::size_t i = 0; i < s.nodes.size(); ++i) {
        if (has_pod[i] || !s.nodes[i].present) continue;
        StartingPods sp;
        sp.state = StartingPods::State::Missing;
        sp.nodes = {static_cast<std::uint32_t>(i)};
        sp.source = SourceRef{file, 0};
        sp.path = "podsFile";
        sp.imported = true;
        found.push_back(std::move(sp));
    }
    for (auto& sp : found) s.starting_pods.push_back(std::move(sp));
    return own;
}

}  // namespace rollsim::input
