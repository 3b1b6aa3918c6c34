// Loading a scenario (docs/scenario.md): every key checked, units resolved, DaemonSet
// manifests read, node pools expanded. Errors name the file, line and key path.

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <set>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "input/cluster_reader.hpp"
#include "input/manifest_reader.hpp"
#include "input/scenario_cluster.hpp"
#include "input/scenario_workload.hpp"
#include "input/source.hpp"
#include "input/starting_pods.hpp"
#include "input/yaml_reader.hpp"
#include "model/kube_version.hpp"
#include "model/workload_profile.hpp"
#include "rollsim/io.hpp"

namespace rollsim {

namespace {

using input::YamlNode;

constexpr std::int64_t kMaxNodes = 1'000'000;
constexpr std::int64_t kMaxTrials = 10'000'000;

Resources resources(const YamlNode& n, Resources base) {
    n.allow_keys({"cpu", "memory", "pods"});
    for (const auto& [key, value] : n.entries()) {
        if (key == "cpu") base.cpu_milli = value.quantity(3);
        else if (key == "memory") base.memory_bytes = value.quantity(0);
        else base.pods = value.quantity(0);
    }
    return base;
}

std::map<std::string, std::string> labels(const YamlNode& n) {
    std::map<std::string, std::string> out;
    if (n.is_null()) return out;
    for (const auto& [k, v] : n.entries()) out[k] = v.str();
    return out;
}

std::vector<Taint> taints(const YamlNode& n) {
    std::vector<Taint> out;
    if (n.is_null()) return out;
    for (const auto& t : n.items()) {
        t.allow_keys({"key", "value", "effect"});
        Taint taint{t.require("key").str(), t.get("value") ? t.get("value")->str() : "",
                    t.require("effect").str()};
        if (taint.effect != "NoSchedule" && taint.effect != "PreferNoSchedule" &&
            taint.effect != "NoExecute") {
            t.require("effect").fail("must be NoSchedule, PreferNoSchedule or NoExecute");
        }
        out.push_back(std::move(taint));
    }
    return out;
}

UpdateStrategySpec update_strategy(const YamlNode& n) {
    n.allow_keys({"type", "rollingUpdate"});
    UpdateStrategySpec s;
    if (auto t = n.get("type")) s.type = t->str();
    if (auto ru = n.get("rollingUpdate"); ru && !ru->is_null()) {
        ru->allow_keys({"maxUnavailable", "maxSurge"});
        s.has_rolling_update = true;
        if (auto v = ru->get("maxUnavailable"); v && !v->is_null()) s.max_unavailable = v->int_or_string();
        if (auto v = ru->get("maxSurge"); v && !v->is_null()) s.max_surge = v->int_or_string();
    }
    return s;
}

std::string resolve(const std::string& scenario_file, const std::string& relative) {
    namespace fs = std::filesystem;
    const fs::path p(relative);
    if (p.is_absolute()) return p.string();
    return (fs::path(scenario_file).parent_path() / p).lexically_normal().string();
}

/// A file the scenario names, relative to it; its bytes join the scenario's hash.
std::string named_file(const YamlNode& n, const std::string& scenario_file, std::string& hashed) {
    const std::string path = resolve(scenario_file, n.str());
    try {
        hashed += input::read_input_file(path);
    } catch (const InputError& e) {
        n.fail(fmt::format("cannot read {}: {}", path, e.message()));
    }
    return path;
}

/// A manifest path, {file, name} for a file with several DaemonSets, or an inline DaemonSet.
DaemonSetSpec daemonset(const YamlNode& n, const std::string& scenario_file, std::string& hashed) {
    if (n.is_scalar()) return input::read_daemonset_file(named_file(n, scenario_file, hashed));
    if (!n.is_map()) n.fail("must be a manifest path, {file, name}, or an inline DaemonSet");
    if (!n.get("kind") && n.get("file")) {
        n.allow_keys({"file", "name"});
        const std::string path = named_file(n.require("file"), scenario_file, hashed);
        return input::read_daemonset_file(path, n.get("name") ? n.require("name").str() : "");
    }
    return input::read_daemonset(n);
}

/// daemonSet.change: the current DaemonSet with a new image, probes, strategy or
/// minReadySeconds, applied to its manifest so that every other field stays as it is.
DaemonSetSpec changed(const DaemonSetSpec& current, const YamlNode& change, const std::string& workload_container) {
    change.allow_keys({"container", "image", "startupProbe", "readinessProbe", "livenessProbe", "updateStrategy",
                       "minReadySeconds"});
    nlohmann::ordered_json d = nlohmann::ordered_json::parse(current.original_json);
    std::string name = change.get("container") ? change.require("container").str() : workload_container;
    if (name.empty()) name = current.pod_template.find_container("")->name;  // the modelled one
    nlohmann::ordered_json* c = nullptr;
    for (auto& cj : d["spec"]["template"]["spec"]["containers"]) {
        if (cj.is_object() && cj.value("name", "") == name) c = &cj;
    }
    if (c == nullptr) {
        (change.get("container") ? change.require("container") : change)
            .fail(fmt::format("the current DaemonSet has no container named \"{}\"", name));
    }
    if (auto v = change.get("image")) (*c)["image"] = v->str();
    for (const char* kind : {"startup", "readiness", "liveness"}) {
        const std::string key = std::string(kind) + "Probe";
        auto v = change.get(key);
        if (!v) continue;
        if (v->is_null() || (v->is_scalar() && v->str() == "none")) {
            c->erase(key);
            continue;
        }
        input::read_probe(*v, kind, /*allow_surface=*/false);  // checked where the user wrote it
        (*c)[key] = nlohmann::ordered_json::parse(input::yaml_to_json(*v, true));
    }
    if (auto v = change.get("updateStrategy")) {
        update_strategy(*v);
        d["spec"]["updateStrategy"] = nlohmann::ordered_json::parse(input::yaml_to_json(*v, true));
    }
    if (auto v = change.get("minReadySeconds")) {
        const std::int32_t m = v->int32();
        if (m < 0) v->fail("must be greater than or equal to 0");
        d["spec"]["minReadySeconds"] = m;
    }
    // JSON is YAML: read the changed manifest back through the one reader, so that it is
    // defaulted and validated like any other.
    const auto docs = input::YamlNode::parse_all(d.dump(), change.file() + " (daemonSet.change applied to " +
                                                            current.source.file + ")",
                                              input::Dialect::Kubernetes);
    DaemonSetSpec out = input::read_daemonset(docs.front());
    out.source = SourceRef{change.file(), change.line()};
    return out;
}

std::optional<std::optional<ProbeSpec>> probe_override(const YamlNode& pv, const char* key,
                                                       const std::string& kind) {
    auto v = pv.get(key);
    if (!v) return std::nullopt;
    if (v->is_null() || (v->is_scalar() && v->str() == "none")) return std::optional<ProbeSpec>{};
    return std::optional<ProbeSpec>{input::read_probe(*v, kind, /*allow_surface=*/true)};
}

/// variants.probeGrid: every combination of the listed values over base probes.
void probe_grid(const YamlNode& g, std::vector<ProbeVariant>& out, std::set<std::string>& names) {
    g.allow_keys({"startupProbe", "readinessProbe", "livenessProbe", "readinessPeriodSeconds",
                  "initialDelaySeconds", "failureThreshold", "startupBudget"});
    const ProbeSpec readiness = input::read_probe(g.require("readinessProbe"), "readiness", true);
    std::optional<ProbeSpec> startup_base;
    if (auto x = g.get("startupProbe")) startup_base = input::read_probe(*x, "startup", true);
    std::optional<std::optional<ProbeSpec>> liveness;
    if (auto x = g.get("livenessProbe")) liveness = std::optional<ProbeSpec>{input::read_probe(*x, "liveness", true)};
    const auto ints = [&](const char* key, std::int32_t fallback) {
        std::vector<std::int32_t> v;
        if (auto x = g.get(key)) {
            for (const auto& i : x->items()) {
                v.push_back(i.int32());
                if (v.back() < 0) i.fail("must not be negative");
            }
            if (v.empty()) x->fail("must list at least one value");
        } else {
            v.push_back(fallback);
        }
        return v;
    };
    const auto periods = ints("readinessPeriodSeconds", readiness.period_seconds);
    const auto delays = ints("initialDelaySeconds", readiness.initial_delay_seconds);
    const auto thresholds = ints("failureThreshold", readiness.failure_threshold);
    std::vector<SimTime> budgets;
    if (auto x = g.get("startupBudget")) {
        for (const auto& i : x->items()) budgets.push_back(i.duration());
        if (budgets.empty()) x->fail("must list at least one value");
    } else {
        budgets.push_back(SimTime::zero());
    }
    for (std::int32_t period : periods) {
        for (std::int32_t delay : delays) {
            for (std::int32_t threshold : thresholds) {
                for (SimTime budget : budgets) {
                    ProbeVariant pv;
                    pv.name = fmt::format("grid-r{}-d{}-f{}-s{}", period, delay, threshold, budget.whole_seconds());
                    pv.source = SourceRef{g.file(), g.line()};
                    ProbeSpec r = readiness;
                    r.period_seconds = std::max(period, 1);
                    r.initial_delay_seconds = delay;
                    r.failure_threshold = std::max(threshold, 1);
                    pv.readiness = std::optional<ProbeSpec>{r};
                    if (budget > SimTime::zero()) {
                        ProbeSpec st = startup_base.value_or(r);
                        st.success_threshold = 1;
                        st.initial_delay_seconds = 0;
                        if (!startup_base) st.period_seconds = 5;
                        const std::int64_t per = st.period_seconds;
                        st.failure_threshold = static_cast<std::int32_t>((budget.whole_seconds() + per - 1) / per);
                        pv.startup = std::optional<ProbeSpec>{st};
                    } else {
                        pv.startup = std::optional<ProbeSpec>{};  // no startup probe
                    }
                    if (liveness) pv.liveness = liveness;
                    if (!names.insert("p/" + pv.name).second) g.fail(fmt::format("the grid repeats {}", pv.name));
                    out.push_back(std::move(pv));
                }
            }
        }
    }
}

/// The cluster: node pools, imported nodes, priority classes, the registry, latencies.
void read_cluster(const YamlNode& spec, const std::string& path, std::string& hashed, ScenarioSpec& s) {
    const YamlNode cluster = spec.require("cluster");
    cluster.allow_keys({"nodePools", "nodesFile", "podsFile", "priorityClassesFile", "registry", "latencies"});
    if (!cluster.get("nodePools") && !cluster.get("nodesFile")) {
        cluster.fail("describe the nodes with nodePools, nodesFile (kubectl get nodes -o yaml), or both");
    }
    std::set<std::string> pool_names;
    std::int64_t total_nodes = 0;
    std::vector<YamlNode> pools;
    if (auto np = cluster.get("nodePools"); np && !np->is_null()) pools = np->items();
    for (const auto& p : pools) {
        p.allow_keys({"name", "count", "labels", "taints", "allocatable", "reserved", "pods"});
        NodePoolSpec pool;
        pool.name = p.require("name").str();
        if (!pool_names.insert(pool.name).second) p.require("name").fail("duplicate pool name");
        if (auto c = p.get("count")) {
            const std::int64_t count = c->integer();
            if (count < 0) c->fail("must not be negative");
            total_nodes += count;
            if (total_nodes > kMaxNodes) c->fail(fmt::format("the cluster may have at most {} nodes", kMaxNodes));
            pool.count = static_cast<std::int32_t>(count);
        }
        if (auto l = p.get("labels")) pool.labels = labels(*l);
        if (auto t = p.get("taints")) pool.taints = taints(*t);
        if (auto a = p.get("allocatable")) pool.allocatable = resources(*a, pool.allocatable);
        if (auto r = p.get("reserved")) pool.reserved = resources(*r, Resources{});
        if (auto o = p.get("pods"); o && !o->is_null()) pool.pods = input::read_pool_pods(*o);
        s.node_pools.push_back(pool);
        for (std::int32_t i = 0; i < pool.count; ++i) s.nodes.push_back(input::pool_node(pool, i));
    }
    if (auto nf = cluster.get("nodesFile")) {
        std::set<std::string> names;
        for (const auto& n : s.nodes) names.insert(n.name);
        for (auto& n : input::read_nodes_file(named_file(*nf, path, hashed))) {
            if (!names.insert(n.name).second) nf->fail(fmt::format("node {} is also a node of a pool", n.name));
            s.nodes.push_back(std::move(n));
        }
        if (static_cast<std::int64_t>(s.nodes.size()) > kMaxNodes) {
            nf->fail(fmt::format("the cluster may have at most {} nodes", kMaxNodes));
        }
    }
    s.priority_classes = input::builtin_priority_classes();
    if (auto pc = cluster.get("priorityClassesFile")) {
        for (auto& c : input::read_priority_classes_file(named_file(*pc, path, hashed))) {
            const bool taken = std::any_of(s.priority_classes.begin(), s.priority_classes.end(),
                                           [&](const PriorityClassSpec& o) { return o.name == c.name; });
            if (taken) pc->fail(fmt::format("PriorityClass {} is defined twice", c.name));
            if (c.global_default && std::any_of(s.priority_classes.begin(), s.priority_classes.end(),
                                                [](const PriorityClassSpec& o) { return o.global_default; })) {
                pc->fail(fmt::format("PriorityClass {}: only one class may be globalDefault", c.name));
            }
            s.priority_classes.push_back(std::move(c));
        }
    }
    if (auto r = cluster.get("registry")) s.registry = input::read_registry(*r);
    if (auto lat = cluster.get("latencies")) {
        lat->allow_keys({"watch", "schedule", "sandbox", "statusUpdate", "pleg"});
        if (auto v = lat->get("watch")) s.latencies.watch = v->duration();
        if (auto v = lat->get("schedule")) s.latencies.schedule = v->duration();
        if (auto v = lat->get("sandbox")) s.latencies.sandbox = v->duration();
        if (auto v = lat->get("statusUpdate")) s.latencies.status_update = v->duration();
        if (auto v = lat->get("pleg")) s.latencies.pleg = v->duration();
    }
}

/// The live and proposed DaemonSets, the pods on the nodes, and the cluster events.
void read_daemonsets(const YamlNode& spec, const std::string& path, std::string& hashed, ScenarioSpec& s) {
    const YamlNode dsn = spec.require("daemonSet");
    dsn.allow_keys({"current", "proposed", "change", "startingPods"});
    s.current = daemonset(dsn.require("current"), path, hashed);
    if (dsn.get("proposed") && dsn.get("change")) dsn.require("change").fail("give proposed or change, not both");
    if (auto ch = dsn.get("change")) {
        std::string container;
        if (auto w = spec.get("workload"); w && w->is_map() && w->get("container")) container = w->require("container").str();
        s.proposed = changed(s.current, *ch, container);
    } else {
        s.proposed = daemonset(dsn.require("proposed"), path, hashed);
    }
    std::size_t own_pods = 0;
    if (auto pf = spec.require("cluster").get("podsFile")) {
        const std::string file = named_file(*pf, path, hashed);
        const std::string text = input::read_input_file(file);
        input::add_pods_text(text, file, s.current.namespace_, s.current.name, s.nodes);
        std::string container;
        if (auto w = spec.get("workload"); w && w->is_map() && w->get("container")) container = w->require("container").str();
        own_pods = input::read_starting_pods_from_list(text, file, container, s);
    }
    input::resolve_priorities(s, dsn);
    if (auto sp = dsn.get("startingPods"); sp && !sp->is_null()) {
        if (own_pods > 0) {
            sp->fail(fmt::format("cluster.podsFile holds {} of the DaemonSet's own pods, which give the starting state: "
                                 "leave startingPods out, or the DaemonSet's pods out of the list",
                                 own_pods));
        }
        input::read_starting_pods(*sp, s);
    }
    if (auto ev = spec.get("events"); ev && !ev->is_null()) {
        input::read_cluster_events(*ev, s);
        for (const auto& e : ev->items()) {
            const auto a = e.get("action");
            if (!a || !a->is_scalar() || a->str() != "Apply") continue;
            e.allow_keys({"at", "action", "change"});
            if (s.second_change) e.fail("one Apply per scenario: a third revision is not modelled yet");
            std::string container;
            if (auto w = spec.get("workload"); w && w->is_map() && w->get("container")) container = w->require("container").str();
            const SimTime at = e.require("at").duration();
            if (at <= SimTime::zero()) e.require("at").fail("must be after the first change (t = 0)");
            s.second_change = ScenarioSpec::SecondChange{at, changed(s.proposed, e.require("change"), container),
                                                         SourceRef{e.file(), e.line()}, e.path()};
        }
    }
    if (s.proposed.name != s.current.name || s.proposed.namespace_ != s.current.namespace_) {
        dsn.require("proposed").fail(fmt::format(
            "must update the same DaemonSet as current ({}/{}), not {}/{}", s.current.namespace_,
            s.current.name, s.proposed.namespace_, s.proposed.name));
    }
    if (s.proposed.selector != s.current.selector) {
        dsn.require("proposed").fail("spec.selector: Invalid value: field is immutable");
    }
}

/// What clients or agents feel: the traffic mode and the load balancer's health check.
void read_traffic(const YamlNode& spec, ScenarioSpec& s) {
    if (auto t = spec.get("traffic")) {
        t->allow_keys({"mode", "healthCheck", "endpointPropagation"});
        if (auto m = t->get("mode")) {
            const std::string mode = m->str();
            if (mode == "hostPort") s.traffic.mode = TrafficMode::HostPort;
            else if (mode == "service") s.traffic.mode = TrafficMode::Service;
            else if (mode == "coverage") s.traffic.mode = TrafficMode::Coverage;
            else m->fail(fmt::format("must be hostPort, service or coverage, not \"{}\"", mode));
        }
        if (auto hc = t->get("healthCheck")) {
            if (hc->is_scalar() && hc->str() == "none") {
                s.traffic.health_check.enabled = false;
            } else {
                hc->allow_keys({"interval", "unhealthyThreshold", "healthyThreshold", "surface"});
                HealthCheckSpec& h = s.traffic.health_check;
                h.enabled = true;
                if (auto v = hc->get("interval")) h.interval = v->duration();
                if (h.interval <= SimTime::zero()) hc->require("interval").fail("must be longer than 0");
                if (auto v = hc->get("unhealthyThreshold")) h.unhealthy_threshold = v->int32();
                if (auto v = hc->get("healthyThreshold")) h.healthy_threshold = v->int32();
                if (h.unhealthy_threshold < 1) hc->require("unhealthyThreshold").fail("must be at least 1");
                if (h.healthy_threshold < 1) hc->require("healthyThreshold").fail("must be at least 1");
                if (auto v = hc->get("surface")) h.surface = input::read_surface(*v);
            }
        }
        if (auto v = t->get("endpointPropagation")) s.traffic.endpoint_propagation = v->duration();
        if (s.traffic.mode == TrafficMode::HostPort && !s.current.pod_template.has_host_port() && !s.proposed.pod_template.has_host_port()) {
            t->require("mode").fail(
                "hostPort mode, but neither DaemonSet declares a hostPort (nor hostNetwork with ports)");
        }
    } else if (!s.current.pod_template.has_host_port() && !s.proposed.pod_template.has_host_port()) {
        s.traffic.mode = TrafficMode::Coverage;
    }
}

/// The strategies and probe configurations to compare.
void read_variants(const YamlNode& spec, ScenarioSpec& s) {
    std::set<std::string> names;
    if (auto v = spec.get("variants")) {
        v->allow_keys({"strategies", "probes", "probeGrid"});
        if (auto list = v->get("strategies"); list && !list->is_null()) {
            for (const auto& item : list->items()) {
                item.allow_keys({"name", "updateStrategy", "minReadySeconds", "operator", "canary",
                                 "testThenPromote"});
                StrategyVariant sv;
                sv.name = item.require("name").str();
                sv.source = SourceRef{item.file(), item.line()};
                if (!names.insert("s/" + sv.name).second) item.require("name").fail("duplicate strategy name");
                if (auto us = item.get("updateStrategy")) {
                    sv.update_strategy = update_strategy(*us);
                    sv.strategy_source = SourceRef{us->file(), us->line()};
                    sv.strategy_path = us->path();
                } else {
                    sv.as_proposed = true;
                }
                if (auto m = item.get("minReadySeconds")) {
                    sv.min_ready_seconds = m->int32();
                    if (*sv.min_ready_seconds < 0) m->fail("must be greater than or equal to 0");
                }
                if ((item.get("operator") ? 1 : 0) + (item.get("canary") ? 1 : 0) +
                        (item.get("testThenPromote") ? 1 : 0) > 1) {
                    item.fail("a strategy has at most one of operator, canary and testThenPromote");
                }
                if (auto t = item.get("testThenPromote")) {
                    t->allow_keys({"portOffset", "nodes", "selector", "timeout", "poll", "then"});
                    if (item.get("updateStrategy")) {
                        item.require("updateStrategy").fail(
                            "test-then-promote applies testThenPromote.then when the test passes: give the strategy there");
                    }
                    OperatorSpec& o = sv.operator_plan;
                    o.kind = OperatorSpec::Kind::TestThenPromote;
                    o.canary_count = 0;  // every eligible node, unless told otherwise
                    if (auto x = t->get("portOffset")) {
                        o.port_offset = x->int32();
                        if (o.port_offset == 0) x->fail("must not be 0: the test ports must differ from the live ones");
                    }
                    if (auto x = t->get("nodes")) {
                        o.canary_count = x->int32();
                        if (o.canary_count < 1) x->fail("must be at least 1");
                    }
                    if (auto x = t->get("selector")) o.canary_selector = labels(*x);
                    if (auto x = t->get("timeout")) o.timeout = x->duration();
                    if (auto x = t->get("poll")) {
                        o.poll = x->duration();
                        if (o.poll <= SimTime::zero()) x->fail("must be longer than 0");
                    }
                    o.then = update_strategy(t->require("then"));
                    sv.strategy_source = SourceRef{t->file(), t->require("then").line()};
                    sv.strategy_path = t->require("then").path();
                    sv.as_proposed = false;
                    sv.update_strategy = o.then;
                }
                if (auto op = item.get("operator")) {
                    op->allow_keys({"batchSize", "soak", "timeout"});
                    OperatorSpec& o = sv.operator_plan;
                    o.kind = OperatorSpec::Kind::Batches;
                    if (auto x = op->get("batchSize")) o.batch_size = x->int_or_string();
                    if (auto x = op->get("soak")) o.soak = x->duration();
                    if (auto x = op->get("timeout")) o.timeout = x->duration();
                    // The operator replaces pods by deleting them: the DaemonSet must be OnDelete.
                    if (sv.as_proposed) {
                        sv.as_proposed = false;
                        sv.update_strategy = UpdateStrategySpec{"OnDelete", false, {}, {}};
                    } else if (sv.update_strategy.type != "OnDelete") {
                        item.require("updateStrategy").fail("an operator plan needs updateStrategy type OnDelete");
                    }
                }
                if (auto c = item.get("canary")) {
                    c->allow_keys({"nodes", "selector", "soak", "timeout", "then"});
                    if (item.get("updateStrategy")) {
                        item.require("updateStrategy").fail(
                            "a canary starts OnDelete and patches in canary.then: give the strategy there");
                    }
                    OperatorSpec& o = sv.operator_plan;
                    o.kind = OperatorSpec::Kind::Canary;
                    if (auto x = c->get("nodes")) {
                        o.canary_count = x->int32();
                        if (o.canary_count < 1) x->fail("must be at least 1");
                    }
                    if (auto x = c->get("selector")) o.canary_selector = labels(*x);
                    if (auto x = c->get("soak")) o.soak = x->duration();
                    if (auto x = c->get("timeout")) o.timeout = x->duration();
                    o.then = update_strategy(c->require("then"));
                    sv.strategy_source = SourceRef{c->file(), c->require("then").line()};
                    sv.strategy_path = c->require("then").path();
                    sv.as_proposed = false;
                    sv.update_strategy = UpdateStrategySpec{"OnDelete", false, {}, {}};
                }
                s.strategies.push_back(std::move(sv));
            }
        }
        if (auto list = v->get("probes"); list && !list->is_null()) {
            for (const auto& item : list->items()) {
                item.allow_keys({"name", "startupProbe", "readinessProbe", "livenessProbe", "sized"});
                ProbeVariant pv;
                pv.name = item.require("name").str();
                pv.source = SourceRef{item.file(), item.line()};
                if (!names.insert("p/" + pv.name).second) item.require("name").fail("duplicate probe variant name");
                pv.startup = probe_override(item, "startupProbe", "startup");
                pv.readiness = probe_override(item, "readinessProbe", "readiness");
                pv.liveness = probe_override(item, "livenessProbe", "liveness");
                if (auto sz = item.get("sized")) {
                    if (pv.startup || pv.readiness) sz->fail("a sized variant sizes its startup and readiness probes itself");
                    sz->allow_keys({"margin", "periodSeconds"});
                    pv.sized_margin = sz->get("margin") ? sz->get("margin")->number() : 1.25;
                    if (*pv.sized_margin < 1.0) sz->require("margin").fail("must be at least 1");
                    if (auto x = sz->get("periodSeconds")) {
                        pv.sized_period_seconds = x->int32();
                        if (pv.sized_period_seconds < 1) x->fail("must be at least 1");
                    }
                }
                pv.as_proposed = !pv.startup && !pv.readiness && !pv.liveness && !pv.sized_margin;
                s.probes.push_back(std::move(pv));
            }
        }
    }
    for (const auto& sv : s.strategies) {
        if (sv.operator_plan.kind != OperatorSpec::Kind::TestThenPromote) continue;
        for (const auto& c : s.proposed.pod_template.containers) {
            for (const auto& p : c.ports) {
                const std::int64_t moved = std::int64_t{p.host_port} + sv.operator_plan.port_offset;
                if (p.host_port > 0 && (moved < 1 || moved > 65535)) {
                    throw InputError(sv.source.file, sv.source.line, "testThenPromote.portOffset",
                                     fmt::format("moves hostPort {} to {}, outside 1-65535", p.host_port, moved));
                }
            }
        }
    }
    if (auto v = spec.get("variants"); v && v->get("probeGrid")) probe_grid(*v->get("probeGrid"), s.probes, names);
    if (s.strategies.empty()) {
        StrategyVariant sv;
        sv.name = "as-proposed";
        sv.as_proposed = true;
        s.strategies.push_back(sv);
    }
    if (s.probes.empty()) {
        ProbeVariant pv;
        pv.name = "as-proposed";
        pv.as_proposed = true;
        s.probes.push_back(pv);
    }
}

}  // namespace

ScenarioSpec load_scenario(const std::string& path) { return load_scenario_text(input::read_input_file(path), path); }

DaemonSetSpec read_daemonset_manifest(const std::string& path) { return input::read_daemonset_file(path); }

DaemonSetSpec read_daemonset_manifest_text(const std::string& text, const std::string& path) {
    return input::read_daemonset_text(text, path);
}

std::string read_input_text(const std::string& path) { return input::read_input_file(path); }

ScenarioSpec load_scenario_text(const std::string& text, const std::string& path) {
    std::string hashed = text;
    const YamlNode root = YamlNode::parse(text, path);
    if (!root.is_map()) root.fail("a scenario must be a mapping with apiVersion, kind, metadata and spec");
    if (const auto kind = root.get("kind"); kind && kind->is_scalar() && kind->str() == "DaemonSet") {
        kind->fail("this is a DaemonSet manifest, not a rollsim scenario: name it in a scenario's "
                   "spec.daemonSet.proposed, or run rollsim review --current LIVE.yaml --proposed THIS.yaml");
    }
    root.allow_keys({"apiVersion", "kind", "metadata", "spec"});
    ScenarioSpec s;
    s.file = path;
    if (const auto api = root.require("apiVersion"); api.str() != "rollsim.io/v1alpha1") {
        api.fail(fmt::format("must be rollsim.io/v1alpha1, not \"{}\"", api.str()));
    }
    if (const auto kind = root.require("kind"); kind.str() != "Scenario") {
        kind.fail(fmt::format("must be Scenario, not \"{}\"", kind.str()));
    }
    const YamlNode meta = root.require("metadata");
    meta.allow_keys({"name", "labels", "annotations"});
    s.name = meta.require("name").str();

    const YamlNode spec = root.require("spec");
    spec.allow_keys({"kubernetesVersion", "seed", "trials", "horizon", "cluster", "daemonSet",
                     "workload", "traffic", "events", "variants", "limits"});
    if (auto v = spec.get("kubernetesVersion")) {
        s.kubernetes_version = v->str();
        const auto kv = model::KubeVersion::parse(s.kubernetes_version);
        if (!kv) v->fail(fmt::format("\"{}\" is not a version rollsim models (1.28 to 1.35)", s.kubernetes_version));
        s.kubernetes_version = kv->text();
    }
    if (auto v = spec.get("seed")) {
        const std::int64_t seed = v->integer();
        if (seed < 0) v->fail("must not be negative");
        s.seed = static_cast<std::uint64_t>(seed);
    }
    if (auto v = spec.get("trials")) {
        const std::int64_t t = v->integer();
        if (t < 1 || t > kMaxTrials) v->fail(fmt::format("must be between 1 and {}", kMaxTrials));
        s.trials = static_cast<std::int32_t>(t);
    }
    if (auto v = spec.get("horizon")) {
        s.horizon = v->duration();
        if (s.horizon <= SimTime::zero()) v->fail("must be longer than 0");
    }

    read_cluster(spec, path, hashed, s);
    read_daemonsets(spec, path, hashed, s);
    read_traffic(spec, s);
    input::read_workload(spec, s);
    read_variants(spec, s);

    if (auto l = spec.get("limits")) {
        l->allow_keys({"maxErrorSeconds", "maxRolloutDuration", "maxUncoveredNodes", "noAlerts", "maxAlertFraction"});
        if (auto v = l->get("noAlerts")) {
            for (const auto& name : v->items()) s.limits.no_alerts.push_back(name.str());
            if (s.limits.no_alerts.empty()) v->fail("must list at least one alert name");
        }
        if (auto v = l->get("maxAlertFraction")) {
            s.limits.max_alert_fraction = v->number();
            if (*s.limits.max_alert_fraction < 0 || *s.limits.max_alert_fraction > 1) v->fail("must be a fraction from 0 to 1");
        }
        if (auto v = l->get("maxErrorSeconds")) s.limits.max_error_seconds = v->number();
        if (auto v = l->get("maxRolloutDuration")) s.limits.max_rollout_duration = v->duration();
        if (auto v = l->get("maxUncoveredNodes")) s.limits.max_uncovered_nodes = v->int32();
        for (const char* key : {"maxErrorSeconds", "maxRolloutDuration", "maxUncoveredNodes", "noAlerts", "maxAlertFraction"}) {
            if (const int line = l->key_line(key); line > 0) s.limits.lines[key] = line;
        }
    }
    s.limits.lines["completion"] = spec.key_line("variants") > 0 ? spec.key_line("variants") : 1;
    s.sha256 = input::sha256_hex(hashed);
    model::workload_profile(s);  // a stated kind the DaemonSet cannot be is refused here
    return s;
}

}  // namespace rollsim
