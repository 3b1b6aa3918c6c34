// Other pods, priority classes, cluster events and shared bottlenecks: the scenario keys of
// docs/scenario.md that make the cluster busy and changing.

#include "input/scenario_cluster.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

namespace rollsim::input {

namespace {

std::int64_t bytes(const YamlNode& n) { return n.quantity(0); }

Resources cpu_memory(const YamlNode& n) {
    n.allow_keys({"cpu", "memory", "ephemeral-storage"});
    Resources r;
    if (auto v = n.get("cpu")) r.cpu_milli = v->quantity(3);
    if (auto v = n.get("memory")) r.memory_bytes = v->quantity(0);
    return r;
}

/// The nodes an event names: `nodes: [names]`, or `pool:` with an optional `count:` (the
/// pool's first nodes).
std::vector<std::uint32_t> event_nodes(const YamlNode& e, const ScenarioSpec& s) {
    std::vector<std::uint32_t> out;
    if (auto names = e.get("nodes")) {
        for (const auto& item : names->items()) {
            const std::string name = item.str();
            const auto it = std::find_if(s.nodes.begin(), s.nodes.end(), [&](const NodeSpec& n) { return n.name == name; });
            if (it == s.nodes.end()) item.fail(fmt::format("no node named \"{}\"", name));
            out.push_back(static_cast<std::uint32_t>(it - s.nodes.begin()));
        }
        return out;
    }
    const YamlNode pool = e.require("pool");
    const std::string name = pool.str();
    std::int64_t count = -1;
    if (auto c = e.get("count")) {
        count = c->integer();
        if (count < 1) c->fail("must be at least 1");
    }
    for (std::uint32_t i = 0; i < s.nodes.size(); ++i) {
        if (s.nodes[i].pool == name && s.nodes[i].present && (count < 0 || static_cast<std::int64_t>(out.size()) < count)) {
            out.push_back(i);
        }
    }
    if (out.empty()) pool.fail(fmt::format("no pool named \"{}\" with nodes present at the start", name));
    return out;
}

/// `{action: Rollback, at: T}` or `{action: Rollback, when: {CONDITION}}`.
RollbackAction read_rollback(const YamlNode& e) {
    e.allow_keys({"action", "at", "when"});
    RollbackAction r;
    r.source = SourceRef{e.file(), e.line()};
    r.path = e.path();
    if (e.get("at") && e.get("when")) e.require("when").fail("give at or when, not both");
    if (auto at = e.get("at")) {
        r.at = at->duration();
        return r;
    }
    const YamlNode when = e.require("when");
    if (!when.is_map()) when.fail("must be a mapping: notCompleteAfter, errorSecondsOver or unavailableNodesOver (with for)");
    when.allow_keys({"notCompleteAfter", "errorSecondsOver", "unavailableNodesOver", "for"});
    int conditions = 0;
    if (auto v = when.get("notCompleteAfter")) {
        r.not_complete_after = v->duration();
        ++conditions;
    }
    if (auto v = when.get("errorSecondsOver")) {
        r.error_seconds_over = v->number();
        if (*r.error_seconds_over < 0) v->fail("must not be negative");
        ++conditions;
    }
    if (auto v = when.get("unavailableNodesOver")) {
        r.unavailable_nodes_over = v->int32();
        if (*r.unavailable_nodes_over < 0) v->fail("must not be negative");
        ++conditions;
    }
    if (auto v = when.get("for")) {
        if (!r.unavailable_nodes_over) v->fail("only unavailableNodesOver holds for a time");
        r.for_ = v->duration();
    }
    if (conditions != 1) when.fail("give one condition: notCompleteAfter, errorSecondsOver or unavailableNodesOver");
    return r;
}

}  // namespace

std::vector<PriorityClassSpec> builtin_priority_classes() {
    return {PriorityClassSpec{"system-cluster-critical", kSystemClusterCritical, false, false},
            PriorityClassSpec{"system-node-critical", kSystemNodeCritical, false, false}};
}

NodeSpec pool_node(const NodePoolSpec& pool, std::int32_t index) {
    NodeSpec n;
    n.name = fmt::format("{}-{}", pool.name, index);
    n.pool = pool.name;
    n.labels = pool.labels;
    n.labels.emplace("kubernetes.io/hostname", n.name);
    n.taints = pool.taints;
    n.allocatable = pool.allocatable;
    n.reserved = pool.reserved;
    n.pods = pool.pods;
    for (auto& other : n.pods) other.name += "-" + n.name;
    return n;
}

std::vector<OtherPod> read_pool_pods(const YamlNode& list) {
    std::vector<OtherPod> out;
    std::set<std::string> names;
    for (const auto& item : list.items()) {
        item.allow_keys({"name", "count", "requests", "limits", "priority", "priorityClassName", "preemptionPolicy",
                         "usage", "terminationGracePeriodSeconds", "shutdown", "hostPorts"});
        OtherPod p;
        const YamlNode name = item.require("name");
        p.name = name.str();
        if (!names.insert(p.name).second) name.fail("duplicate pod name in this pool");
        Resources limits;
        bool has_limits = false;
        if (auto r = item.get("requests")) p.requests = cpu_memory(*r);
        if (auto l = item.get("limits")) {
            limits = cpu_memory(*l);
            has_limits = true;
            // SetDefaults_ResourceList: a limit with no request makes the request equal the limit.
            if (!item.get("requests") || !item.require("requests").get("cpu")) p.requests.cpu_milli = limits.cpu_milli;
            if (!item.get("requests") || !item.require("requests").get("memory")) p.requests.memory_bytes = limits.memory_bytes;
        }
        if (auto r = item.get("requests"); r && r->get("ephemeral-storage")) p.disk_request = bytes(r->require("ephemeral-storage"));
        p.requests.pods = 1;
        // qos.go GetPodQOS for a one-container pod.
        const bool any = p.requests.cpu_milli > 0 || p.requests.memory_bytes > 0 || has_limits;
        const bool guaranteed = has_limits && limits.cpu_milli > 0 && limits.memory_bytes > 0 &&
                                limits.cpu_milli == p.requests.cpu_milli && limits.memory_bytes == p.requests.memory_bytes;
        p.qos = !any ? QosClass::BestEffort : guaranteed ? QosClass::Guaranteed : QosClass::Burstable;
        if (item.get("priority") && item.get("priorityClassName")) item.require("priority").fail("give priority or priorityClassName, not both");
        if (auto v = item.get("priority")) p.priority = v->int32();
        if (auto v = item.get("priorityClassName")) p.priority_class_name = v->str();
        if (auto v = item.get("preemptionPolicy")) {
            const std::string policy = v->str();
            if (policy != "Never" && policy != "PreemptLowerPriority") v->fail("must be PreemptLowerPriority or Never");
            p.preempt_never = policy == "Never";
        }
        p.memory_usage = p.requests.memory_bytes;
        if (auto u = item.get("usage")) {
            u->allow_keys({"memory", "ephemeral-storage"});
            if (auto v = u->get("memory")) p.memory_usage = bytes(*v);
            if (auto v = u->get("ephemeral-storage")) p.disk_usage = bytes(*v);
        }
        if (auto v = item.get("terminationGracePeriodSeconds")) {
            const std::int64_t g = v->integer();
            if (g < 0) v->fail("must not be negative");
            p.grace = SimTime::seconds(g);
        }
        if (auto v = item.get("shutdown")) p.shutdown = v->duration();
        if (auto hp = item.get("hostPorts")) {
            for (const auto& port : hp->items()) {
                const std::int64_t v = port.integer();
                if (v < 1 || v > 65535) port.fail("must be a port in 1-65535");
                p.host_ports.push_back(HeldHostPort{static_cast<std::int32_t>(v), "TCP", "0.0.0.0"});
            }
        }
        std::int64_t count = 1;
        if (auto c = item.get("count")) {
            count = c->integer();
            if (count < 0 || count > 1000) c->fail("must be in 0-1000");
        }
        for (std::int64_t i = 0; i < count; ++i) {
            OtherPod copy = p;
            if (count > 1) copy.name += fmt::format("-{}", i);
            out.push_back(std::move(copy));
        }
    }
    return out;
}

void read_cluster_events(const YamlNode& list, ScenarioSpec& s) {
    using Kind = ClusterEvent::Kind;
    static const std::pair<const char*, Kind> kinds[] = {
        {"Unreachable", Kind::Unreachable}, {"NotReady", Kind::NotReady},
        {"Ready", Kind::Ready},             {"Cordon", Kind::Cordon},
        {"Uncordon", Kind::Uncordon},       {"Drain", Kind::Drain},
        {"Join", Kind::Join},               {"Leave", Kind::Leave},
        {"Labels", Kind::Labels},           {"MemoryPressure", Kind::MemoryPressure},
        {"DiskPressure", Kind::DiskPressure}, {"PIDPressure", Kind::PIDPressure},
    };
    for (const auto& e : list.items()) {
        if (auto a = e.get("action"); a && a->is_scalar() && a->str() == "Rollback") {
            s.rollbacks.push_back(read_rollback(e));
            continue;
        }
        if (auto a = e.get("action"); a && a->is_scalar() && a->str() == "Apply") continue;  // the loader's
        e.allow_keys({"at", "ratePerHour", "action", "nodes", "pool", "count", "for", "labels", "reclaim"});
        ClusterEvent ev;
        ev.source = SourceRef{e.file(), e.line()};
        const YamlNode action = e.require("action");
        const std::string a = action.str();
        const auto it = std::find_if(std::begin(kinds), std::end(kinds), [&](const auto& k) { return a == k.first; });
        if (it == std::end(kinds)) {
            std::vector<std::string> names;
            for (const auto& k : kinds) names.emplace_back(k.first);
            names.emplace_back("Rollback");
            names.emplace_back("Apply");
            action.fail(fmt::format("must be one of {}, not \"{}\"", fmt::join(names, ", "), a));
        }
        ev.kind = it->second;
        if (e.get("at") && e.get("ratePerHour")) e.require("ratePerHour").fail("give at or ratePerHour, not both");
        if (auto v = e.get("at")) {
            ev.at = v->duration();
            if (ev.at < SimTime::zero()) v->fail("must not be negative");
        } else if (auto r = e.get("ratePerHour")) {
            const double rate = r->number();
            if (!(rate > 0) || rate > 3600) r->fail("must be above 0 and at most 3600");
            if (ev.kind == Kind::Join || ev.kind == Kind::Leave) r->fail("Join and Leave happen once: give at");
            ev.rate_per_hour = rate;
        } else {
            e.fail("give at (a time) or ratePerHour (per node)");
        }
        if (auto v = e.get("for")) {
            ev.duration = v->duration();
            if (*ev.duration <= SimTime::zero()) v->fail("must be longer than 0");
            if (ev.kind == Kind::Join || ev.kind == Kind::Leave || ev.kind == Kind::Ready || ev.kind == Kind::Uncordon) {
                v->fail(fmt::format("{} is not undone; give a second event instead", a));
            }
        } else if (ev.rate_per_hour) {
            e.fail("an event with ratePerHour needs `for` (how long each occurrence lasts)");
        }
        if (auto v = e.get("reclaim")) {
            if (ev.kind != Kind::MemoryPressure && ev.kind != Kind::DiskPressure) v->fail("only MemoryPressure and DiskPressure reclaim");
            ev.reclaim = bytes(*v);
        }
        if (auto l = e.get("labels")) {
            if (ev.kind != Kind::Labels) l->fail("only a Labels event sets labels");
            for (const auto& [k, v] : l->entries()) {
                ev.labels[k] = v.is_null() ? std::nullopt : std::optional<std::string>(v.str());
            }
        } else if (ev.kind == Kind::Labels) {
            e.fail("a Labels event needs labels (a value sets one, null removes it)");
        }
        if (ev.kind == Kind::Join) {
            // New nodes of the pool, numbered after its last one, absent until the event.
            const YamlNode pool = e.require("pool");
            if (e.get("nodes")) e.require("nodes").fail("Join adds new nodes to a pool: give pool and count");
            const auto p = std::find_if(s.node_pools.begin(), s.node_pools.end(),
                                        [&](const NodePoolSpec& np) { return np.name == pool.str(); });
            if (p == s.node_pools.end()) pool.fail(fmt::format("no pool named \"{}\"", pool.str()));
            std::int64_t count = 1;
            if (auto c = e.get("count")) {
                count = c->integer();
                if (count < 1 || count > 100000) c->fail("must be in 1-100000");
            }
            std::int32_t next = 0;
            for (const auto& n : s.nodes) next += n.pool == p->name ? 1 : 0;
            for (std::int64_t i = 0; i < count; ++i) {
                NodeSpec n = pool_node(*p, next++);
                n.present = false;
                ev.nodes.push_back(static_cast<std::uint32_t>(s.nodes.size()));
                s.nodes.push_back(std::move(n));
            }
        } else {
            ev.nodes = event_nodes(e, s);
        }
        s.events.push_back(std::move(ev));
    }
}

RegistrySpec read_registry(const YamlNode& n) {
    n.allow_keys({"bandwidth", "nodeBandwidth"});
    RegistrySpec r;
    r.bandwidth = bytes(n.require("bandwidth"));
    if (r.bandwidth <= 0) n.require("bandwidth").fail("must be above 0 (bytes per second, e.g. 100Mi)");
    if (auto v = n.get("nodeBandwidth")) {
        r.node_bandwidth = bytes(*v);
        if (r.node_bandwidth <= 0) v->fail("must be above 0 (bytes per second, e.g. 50Mi)");
    }
    return r;
}

ConfigBackendSpec read_config_backend(const YamlNode& n) {
    n.allow_keys({"concurrency", "time"});
    ConfigBackendSpec b;
    const YamlNode c = n.require("concurrency");
    b.concurrency = c.int32();
    if (b.concurrency < 1) c.fail("must be at least 1");
    b.time = n.require("time").distribution();
    return b;
}

void resolve_priorities(ScenarioSpec& s, const YamlNode& where) {
    const PriorityClassSpec* global_default = nullptr;
    for (const auto& c : s.priority_classes) {
        if (c.global_default) global_default = &c;
    }
    const auto find = [&](const std::string& name) -> const PriorityClassSpec* {
        for (const auto& c : s.priority_classes) {
            if (c.name == name) return &c;
        }
        return nullptr;
    };
    for (DaemonSetSpec* ds : {&s.current, &s.proposed}) {
        PodTemplate& t = ds->pod_template;
        const PriorityClassSpec* c = t.priority_class_name.empty() ? global_default : find(t.priority_class_name);
        if (c == nullptr && !t.priority_class_name.empty()) {
            where.fail(fmt::format("the DaemonSet in {}: pods would be forbidden: no PriorityClass with name {} was "
                                   "found (add it with cluster.priorityClassesFile)",
                                   ds->source.file, t.priority_class_name));
        }
        t.priority = c != nullptr ? c->value : 0;
        t.preempt_never = c != nullptr && c->preempt_never;
    }
    for (auto& n : s.nodes) {
        for (auto& p : n.pods) {
            if (p.priority_class_name.empty()) {
                if (global_default != nullptr && p.priority == 0) p.priority = global_default->value;
                continue;
            }
            const PriorityClassSpec* c = find(p.priority_class_name);
            if (c == nullptr) {
                where.fail(fmt::format("pod {} on node {}: no PriorityClass with name {} was found", p.name, n.name,
                                       p.priority_class_name));
            }
            p.priority = c->value;
            p.preempt_never = p.preempt_never || c->preempt_never;
        }
    }
}

}  // namespace rollsim::input
