// Nodes and pods from kubectl output.

#include "input/cluster_reader.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "input/manifest_reader.hpp"
#include "input/scenario_cluster.hpp"
#include "input/source.hpp"
#include "input/yaml_reader.hpp"
#include "rollsim/error.hpp"

namespace rollsim::input {

namespace {

Resources max_of(const Resources& a, const Resources& b) {
    return Resources{std::max(a.cpu_milli, b.cpu_milli), std::max(a.memory_bytes, b.memory_bytes), 0};
}

/// status.conditions as type -> status ("True", "False", "Unknown"); the first of a type counts.
std::map<std::string, std::string> condition_statuses(const YamlNode& node) {
    std::map<std::string, std::string> out;
    const auto status = node.get("status");
    if (!status || status->is_null()) return out;
    const auto conds = status->get("conditions");
    if (!conds || conds->is_null()) return out;
    for (const auto& c : conds->items()) {
        if (c.get("type")) out.emplace(c.require("type").str(), c.get("status") ? c.require("status").str() : "");
    }
    return out;
}

}  // namespace

std::vector<NodeSpec> read_nodes_file(const std::string& file) { return read_nodes_text(read_input_file(file), file); }

std::vector<NodeSpec> read_nodes_text(const std::string& text, const std::string& file) {
    std::vector<NodeSpec> out;
    std::map<std::string, int> seen;
    for (const YamlNode& doc : require_objects_text(text, file, "Node")) {
        NodeSpec n;
        n.pool = "imported";
        n.from_node_list = true;
        const YamlNode meta = doc.require("metadata");
        n.name = meta.require("name").k8s_string();
        if (!seen.emplace(n.name, doc.line()).second) meta.require("name").fail(fmt::format("a second node named {}", n.name));
        if (auto l = meta.get("labels"); l && !l->is_null()) {
            for (const auto& [k, v] : l->entries()) n.labels[k] = v.is_null() ? "" : v.k8s_string();
        }
        n.labels.emplace("kubernetes.io/hostname", n.name);
        const auto status = doc.get("status");
        if (status && !status->is_null()) {
            if (auto info = status->get("nodeInfo"); info && !info->is_null()) {
                if (auto a = info->get("architecture")) n.labels.emplace("kubernetes.io/arch", a->k8s_string());
                if (auto o = info->get("operatingSystem")) n.labels.emplace("kubernetes.io/os", o->k8s_string());
            }
            auto alloc = status->get("allocatable");
            if (!alloc || alloc->is_null()) alloc = status->get("capacity");
            if (alloc && !alloc->is_null()) {
                n.allocatable = read_resources(*alloc);
                // A node that reports no pod capacity gets the kubelet's default maxPods.
                if (!alloc->get("pods")) n.allocatable.pods = 110;
            }
        }
        bool unschedulable = false;
        if (auto spec = doc.get("spec"); spec && !spec->is_null()) {
            if (auto u = spec->get("unschedulable"); u && !u->is_null()) unschedulable = u->boolean();
            if (auto t = spec->get("taints"); t && !t->is_null()) {
                for (const auto& item : t->items()) {
                    Taint taint{item.require("key").k8s_string(), item.get("value") ? item.require("value").k8s_string() : "",
                                item.require("effect").k8s_string()};
                    if (taint.effect != "NoSchedule" && taint.effect != "PreferNoSchedule" && taint.effect != "NoExecute") {
                        item.require("effect").fail(fmt::format("Unsupported value: \"{}\": supported values: "
                                                                "\"NoExecute\", \"NoSchedule\", \"PreferNoSchedule\"",
                                                                taint.effect));
                    }
                    n.taints.push_back(std::move(taint));
                }
            }
        }
        // The node lifecycle controller's taints (nodeConditionToTaintKeyStatusMap,
        // NotReadyTaintTemplate, UnreachableTaintTemplate) and the cordon's: a list printed
        // between the condition and the controller's pass may lack them.
        const auto add = [&](const std::string& key, const std::string& effect) {
            const bool has = std::any_of(n.taints.begin(), n.taints.end(),
                                         [&](const Taint& t) { return t.key == key && t.effect == effect; });
            if (!has) n.taints.push_back(Taint{key, "", effect});
        };
        const auto conditions = condition_statuses(doc);
        const auto condition = [&](const char* type) {
            const auto it = conditions.find(type);
            return it == conditions.end() ? std::string() : it->second;
        };
        const std::string ready = condition("Ready");
        if (ready == "False") {
            add("node.kubernetes.io/not-ready", "NoSchedule");
            add("node.kubernetes.io/not-ready", "NoExecute");
        } else if (ready == "Unknown") {
            add("node.kubernetes.io/unreachable", "NoSchedule");
            add("node.kubernetes.io/unreachable", "NoExecute");
        }
        if (condition("MemoryPressure") == "True") add("node.kubernetes.io/memory-pressure", "NoSchedule");
        if (condition("DiskPressure") == "True") add("node.kubernetes.io/disk-pressure", "NoSchedule");
        if (condition("PIDPressure") == "True") add("node.kubernetes.io/pid-pressure", "NoSchedule");
        if (condition("NetworkUnavailable") == "True") add("node.kubernetes.io/network-unavailable", "NoSchedule");
        if (unschedulable) add("node.kubernetes.io/unschedulable", "NoSchedule");
        out.push_back(std::move(n));
    }
    if (out.empty()) throw InputError(file, 0, "", "holds no Node (kubectl get nodes -o yaml prints a List of them)");
    return out;
}

namespace {
/// qos.go GetPodQOS, per container: whether it requests or limits cpu or memory at all, and
/// whether it has cpu and memory limits equal to its requests (what Guaranteed needs).
std::pair<bool, bool> qos_facts(const YamlNode& c) {
    const auto res = c.get("resources");
    if (!res || res->is_null()) return {false, false};
    const auto section = [&](const char* key) {
        const auto s = res->get(key);
        return s && !s->is_null() && s->is_map() ? std::optional<YamlNode>(*s) : std::nullopt;
    };
    const auto requests = section("requests");
    const auto limits = section("limits");
    bool any = false;
    bool equal = limits.has_value();
    for (const char* name : {"cpu", "memory"}) {
        const auto r = requests ? requests->get(name) : std::nullopt;
        const auto l = limits ? limits->get(name) : std::nullopt;
        any = any || r || l;
        if (!l) {
            equal = false;
        } else if (r && r->quantity(3) != l->quantity(3)) {
            equal = false;
        }
    }
    return {any, equal};
}
}  // namespace

bool owned_by_daemonset(const YamlNode& meta, const std::string& ns, const std::string& ds) {
    const std::string pod_ns = meta.get("namespace") ? meta.require("namespace").k8s_string() : "default";
    const auto owners = meta.get("ownerReferences");
    if (pod_ns != ns || !owners || !owners->is_seq()) return false;
    for (const auto& o : owners->items()) {
        if (o.get("kind") && o.require("kind").str() == "DaemonSet" && o.get("name") && o.require("name").str() == ds) {
            return true;
        }
    }
    return false;
}

std::size_t add_pods_file(const std::string& file, const std::string& ns, const std::string& ds, std::vector<NodeSpec>& nodes) {
    return add_pods_text(read_input_file(file), file, ns, ds, nodes);
}

std::size_t add_pods_text(const std::string& text, const std::string& file, const std::string& ns, const std::string& ds,
                          std::vector<NodeSpec>& nodes) {
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < nodes.size(); ++i) index.emplace(nodes[i].name, i);
    std::size_t added = 0;
    for (const YamlNode& pod : read_objects_text(text, file, "Pod")) {
        const YamlNode meta = pod.require("metadata");
        const std::string name = meta.require("name").k8s_string();
        const std::string pod_ns = meta.get("namespace") ? meta.require("namespace").k8s_string() : "default";
        if (owned_by_daemonset(meta, ns, ds)) continue;  // the DaemonSet's own pods are simulated, not reserved
        if (auto status = pod.get("status"); status && !status->is_null()) {
            if (auto phase = status->get("phase"); phase && (phase->str() == "Succeeded" || phase->str() == "Failed")) continue;
        }
        const YamlNode spec = pod.require("spec");
        const auto node_name = spec.get("nodeName");
        if (!node_name || node_name->is_null()) continue;  // Pending: not on a node yet
        const auto it = index.find(node_name->str());
        if (it == index.end()) continue;
        NodeSpec& node = nodes[it->second];
        OtherPod other;
        other.name = pod_ns + "/" + name;
        // The scheduler's effective request (resource.PodRequests): the larger of the sum over
        // containers and sidecars, and each init container with the sidecars before it; plus
        // the pod overhead.
        Resources sum;
        bool any_request = false;
        bool guaranteed = true;
        const auto containers = spec.require("containers");
        for (const auto& c : containers.items()) {
            sum += container_requests(c);
            const auto [requested, equal_limits] = qos_facts(c);
            any_request = any_request || requested;
            guaranteed = guaranteed && equal_limits;
            if (auto ports = c.get("ports"); ports && !ports->is_null()) {
                for (const auto& p : ports->items()) {
                    const auto hp = p.get("hostPort");
                    if (!hp || hp->is_null() || hp->integer() <= 0) continue;
                    HeldHostPort held;
                    held.port = static_cast<std::int32_t>(hp->integer());
                    if (auto pr = p.get("protocol")) held.protocol = pr->k8s_string();
                    if (auto ip = p.get("hostIP"); ip && !ip->is_null() && !ip->str().empty()) held.ip = ip->k8s_string();
                    other.host_ports.push_back(std::move(held));
                }
            }
        }
        if (auto init = spec.get("initContainers"); init && !init->is_null()) {
            Resources sidecars, init_peak;
            for (const auto& c : init->items()) {
                Resources during = container_requests(c);
                if (const auto rp = c.get("restartPolicy"); rp && !rp->is_null() && rp->str() == "Always") {
                    sum += during;
                    sidecars += during;
                    during = sidecars;
                } else {
                    during += sidecars;
                }
                init_peak = max_of(init_peak, during);
                const auto [requested, equal_limits] = qos_facts(c);
                any_request = any_request || requested;
                guaranteed = guaranteed && equal_limits;
            }
            sum = max_of(sum, init_peak);
        }
        if (auto ov = spec.get("overhead"); ov && !ov->is_null()) sum += read_resources(*ov);
        other.requests = Resources{sum.cpu_milli, sum.memory_bytes, 1};
        other.memory_usage = sum.memory_bytes;
        // The API server's priority admission has written spec.priority; status.qosClass is the
        // kubelet's GetPodQOS (computed here when a hand-written list lacks it).
        if (auto pr = spec.get("priority"); pr && !pr->is_null()) other.priority = static_cast<std::int32_t>(pr->integer());
        if (auto pp = spec.get("preemptionPolicy"); pp && !pp->is_null()) other.preempt_never = pp->str() == "Never";
        if (auto g = spec.get("terminationGracePeriodSeconds"); g && !g->is_null()) other.grace = SimTime::seconds(g->integer());
        other.qos = !any_request ? QosClass::BestEffort : guaranteed ? QosClass::Guaranteed : QosClass::Burstable;
        if (auto status = pod.get("status"); status && !status->is_null()) {
            if (auto q = status->get("qosClass"); q && !q->is_null()) {
                const std::string qos = q->str();
                other.qos = qos == "Guaranteed" ? QosClass::Guaranteed : qos == "BestEffort" ? QosClass::BestEffort : QosClass::Burstable;
            }
        }
        node.pods.push_back(std::move(other));
        ++added;
    }
    return added;
}

}  // namespace rollsim::input

namespace rollsim::input {

std::vector<PriorityClassSpec> read_priority_classes_file(const std::string& file) {
    return read_priority_classes_text(read_input_file(file), file);
}

std::vector<PriorityClassSpec> read_priority_classes_text(const std::string& text, const std::string& file) {
    std::vector<PriorityClassSpec> out;
    const std::vector<YamlNode> classes = read_objects_text(text, file, "PriorityClass");
    for (const YamlNode& pc : classes) {
        PriorityClassSpec c;
        c.name = pc.require("metadata").require("name").k8s_string();
        const YamlNode value = pc.require("value");
        const std::int64_t v = value.integer();
        // `kubectl get priorityclasses` lists the built-in classes too: already there.
        const auto builtins = builtin_priority_classes();
        if (std::any_of(builtins.begin(), builtins.end(),
                        [&](const PriorityClassSpec& b) { return b.name == c.name && b.value == v; })) {
            continue;
        }
        // scheduling/validation ValidatePriorityClass: user classes may not exceed 1e9, and
        // the system- prefix is reserved for the built-in classes.
        if (v > 1'000'000'000) value.fail("must be at most 1000000000 (HighestUserDefinablePriority)");
        if (c.name.rfind("system-", 0) == 0) {
            pc.require("metadata").require("name").fail("the system- prefix is reserved for the built-in classes");
        }
        c.value = static_cast<std::int32_t>(v);
        if (auto g = pc.get("globalDefault"); g && !g->is_null()) c.global_default = g->boolean();
        if (auto p = pc.get("preemptionPolicy"); p && !p->is_null()) {
            const std::string policy = p->k8s_string();
            if (policy != "Never" && policy != "PreemptLowerPriority") {
                p->fail("must be PreemptLowerPriority or Never");
            }
            c.preempt_never = policy == "Never";
        }
        out.push_back(std::move(c));
    }
    if (classes.empty()) throw InputError(file, 0, "", "holds no PriorityClass");
    return out;
}

}  // namespace rollsim::input
