// The generated DaemonSets (docs/recommend.md, "Generated manifests").

#include "output/manifest_writer.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "rollsim/error.hpp"

namespace rollsim::output {

namespace {

using ojson = nlohmann::ordered_json;

constexpr std::string_view kTestSuffix = "-rollsim-test";

/// Fields the API server sets: kept, they would make `kubectl apply` fail or fight the server.
void strip_server_fields(ojson& d) {
    d.erase("status");
    if (auto m = d.find("metadata"); m != d.end() && m->is_object()) {
        for (const char* k : {"uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink",
                              "deletionTimestamp", "deletionGracePeriodSeconds"}) {
            m->erase(k);
        }
        if (auto a = m->find("annotations"); a != m->end() && a->is_object()) {
            a->erase("deprecated.daemonset.template.generation");
            a->erase("kubectl.kubernetes.io/last-applied-configuration");
            if (a->empty()) m->erase("annotations");
        }
    }
    if (d.contains("spec") && d["spec"].contains("template") && d["spec"]["template"].contains("metadata") &&
        d["spec"]["template"]["metadata"].is_object()) {
        d["spec"]["template"]["metadata"].erase("creationTimestamp");
    }
}

ojson int_or_string(const IntOrString& v) {
    if (v.is_string) return v.str_value;
    return v.int_value;
}

}  // namespace

ojson strategy_json(const UpdateStrategySpec& u) {
    ojson o = ojson::object();
    o["type"] = u.type.empty() ? "RollingUpdate" : u.type;
    if (o["type"] == "RollingUpdate" && (u.max_unavailable || u.max_surge)) {
        ojson ru = ojson::object();
        if (u.max_unavailable) ru["maxUnavailable"] = int_or_string(*u.max_unavailable);
        if (u.max_surge) ru["maxSurge"] = int_or_string(*u.max_surge);
        o["rollingUpdate"] = ru;
    }
    return o;
}

namespace {

ojson port_json(const std::string& port) {
    const bool digits = !port.empty() && std::all_of(port.begin(), port.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    if (digits && port.size() < 6) return std::stoi(port);
    return port;
}

constexpr const char* kHandlers[] = {"httpGet", "tcpSocket", "exec", "grpc"};

/// The probe's handler as a manifest names it.
const char* handler_key(const ProbeSpec& p) { return kHandlers[static_cast<int>(p.handler)]; }

/// A probe as JSON, keeping the fields of `original` that rollsim does not model (httpGet's
/// host, scheme and headers, a grpc service) when the handler is the same.
ojson probe_json(const ProbeSpec& p, const ojson* original) {
    const char* handler = handler_key(p);
    ojson o = original != nullptr && original->is_object() && original->contains(handler) ? *original : ojson::object();
    for (const char* h : kHandlers) {
        if (std::string_view(h) != handler) o.erase(h);
    }
    ojson& hj = o[handler];
    if (!hj.is_object()) hj = ojson::object();
    switch (p.handler) {
        case ProbeSpec::Handler::HttpGet:
            if (!p.path.empty()) hj["path"] = p.path;
            hj["port"] = port_json(p.port);
            break;
        case ProbeSpec::Handler::TcpSocket: hj["port"] = port_json(p.port); break;
        case ProbeSpec::Handler::Grpc: hj["port"] = port_json(p.port); break;
        case ProbeSpec::Handler::Exec: hj["command"] = p.command; break;
    }
    const auto field = [&](const char* key, std::int64_t value, std::int64_t k8s_default) {
        if (value != k8s_default || o.contains(key)) o[key] = value;
    };
    field("initialDelaySeconds", p.initial_delay_seconds, 0);
    field("periodSeconds", p.period_seconds, 10);
    field("timeoutSeconds", p.timeout_seconds, 1);
    field("successThreshold", p.success_threshold, 1);
    field("failureThreshold", p.failure_threshold, 3);
    if (p.termination_grace_period_seconds) o["terminationGracePeriodSeconds"] = *p.termination_grace_period_seconds;
    else o.erase("terminationGracePeriodSeconds");
    return o;
}

ojson& pod_spec(ojson& d) { return d["spec"]["template"]["spec"]; }

/// `value` changed so that it is a valid label value that differs from it.
std::string test_label_value(const std::string& value) {
    if (value.empty()) return "rollsim-test";
    std::string base = value.substr(0, 63 - kTestSuffix.size());
    while (!base.empty() && !std::isalnum(static_cast<unsigned char>(base.back()))) base.pop_back();
    return base + std::string(kTestSuffix);
}

/// A JSON object's string values, as labels.
std::map<std::string, std::string> string_map(const ojson& o) {
    std::map<std::string, std::string> out;
    for (const auto& [k, v] : o.items()) {
        if (v.is_string()) out[k] = v.get<std::string>();
    }
    return out;
}

/// `text` with every occurrence of the port number `from` (not part of a longer number)
/// replaced by `to`.
std::string replace_port(const std::string& text, std::int32_t from, std::int32_t to) {
    const std::string f = std::to_string(from);
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t at = text.find(f, i);
        if (at == std::string::npos) break;
        const bool left = at == 0 || !std::isdigit(static_cast<unsigned char>(text[at - 1]));
        const bool right = at + f.size() >= text.size() || !std::isdigit(static_cast<unsigned char>(text[at + f.size()]));
        out.append(text, i, at - i);
        out += left && right ? std::to_string(to) : f;
        i = at + f.size();
    }
    out.append(text, i, std::string::npos);
    return out;
}

}  // namespace

PlanChoice choose_plan(const ScenarioSpec& s, const experiment::Plan& plan,
                       const std::string& strategy, const std::string& probes) {
    PlanChoice c;
    for (const auto& sv : s.strategies) {
        if (sv.name == strategy) c.strategy = &sv;
    }
    for (const auto& pv : s.probes) {
        if (pv.name == probes) c.probes = &pv;
    }
    c.variant = plan.find(strategy, probes);
    if (c.strategy == nullptr || c.probes == nullptr || c.variant == nullptr || !c.variant->accepted) {
        throw OutputError(fmt::format("no accepted variant {} x {} to write", strategy, probes));
    }
    const OperatorSpec& op = c.strategy->operator_plan;
    switch (op.kind) {
        case OperatorSpec::Kind::None:
            c.public_strategy = c.strategy->as_proposed ? s.proposed.update_strategy : c.strategy->update_strategy;
            break;
        // An operator replaces pods by hand: OnDelete, and for a canary the runbook's last step
        // patches in the strategy it ends with.
        case OperatorSpec::Kind::Batches:
        case OperatorSpec::Kind::Canary: c.public_strategy = UpdateStrategySpec{"OnDelete", false, {}, {}}; break;
        case OperatorSpec::Kind::TestThenPromote: c.public_strategy = op.then; break;
    }
    if (op.kind == OperatorSpec::Kind::TestThenPromote) {
        c.port_offset = op.port_offset;
        c.test_node_labels = op.canary_selector;
        std::size_t eligible = 0;
        for (const auto& e : c.variant->model.new_eligibility) eligible += e.should_run ? 1 : 0;
        if (op.canary_selector.empty() && c.variant->model.plan.canary_nodes.size() < eligible) {
            // Real nodes are named; nodes the scenario made up exist in no cluster, so the test
            // DaemonSet targets a label the runbook has the operator put on nodes of their choice.
            bool real = true;
            for (auto n : c.variant->model.plan.canary_nodes) real = real && s.nodes[n].from_node_list;
            if (real) {
                for (auto n : c.variant->model.plan.canary_nodes) c.test_nodes.push_back(s.nodes[n].name);
            } else {
                c.nodes_to_label = c.variant->model.plan.canary_nodes.size();
                c.test_node_labels[std::string(kTestNodeLabel)] = "true";
            }
        }
    }
    return c;
}

ojson promotion_daemonset(const ScenarioSpec& s, const PlanChoice& c) {
    ojson d = ojson::parse(s.proposed.original_json);
    strip_server_fields(d);
    ojson& spec = d["spec"];
    spec["updateStrategy"] = strategy_json(c.public_strategy);
    if (c.variant->min_ready_seconds > 0 || spec.contains("minReadySeconds")) {
        spec["minReadySeconds"] = c.variant->min_ready_seconds;
    }
    if (!c.probes->as_proposed) {
        const ContainerSpec* chosen = c.variant->new_template.find_container(s.workload.container);
        const std::string name = chosen != nullptr ? chosen->name : "";
        for (auto& cj : pod_spec(d)["containers"]) {
            if (!cj.is_object() || cj.value("name", "") != name || chosen == nullptr) continue;
            const std::pair<const char*, const std::optional<ProbeSpec>*> probes[] = {
                {"startupProbe", &chosen->startup_probe},
                {"readinessProbe", &chosen->readiness_probe},
                {"livenessProbe", &chosen->liveness_probe}};
            for (const auto& [key, probe] : probes) {
                if (!*probe) {
                    cj.erase(key);
                    continue;
                }
                // A probe rollsim adds (a startupProbe) takes its handler as the user wrote it in
                // another probe of the container: host, scheme and headers included.
                ojson original = cj.contains(key) ? cj[key] : ojson();
                for (const char* other : {"readinessProbe", "startupProbe", "livenessProbe"}) {
                    if (!original.is_null()) break;
                    if (cj.contains(other) && cj[other].is_object() && cj[other].contains(handler_key(**probe))) {
                        original = cj[other];
                    }
                }
                cj[key] = probe_json(**probe, original.is_null() ? nullptr : &original);
            }
        }
    }
    if (c.termination_fix != nullptr && c.termination_fix->written) {
        // Only where the container has no preStop hook of its own (termination_fix): the sleep
        // action, and a grace period that covers it and the shutdown.
        const ContainerSpec* main = s.proposed.pod_template.find_container(s.workload.container);
        for (auto& cj : pod_spec(d)["containers"]) {
            if (!cj.is_object() || main == nullptr || cj.value("name", "") != main->name) continue;
            cj["lifecycle"]["preStop"] = ojson{{"sleep", ojson{{"seconds", c.termination_fix->pre_stop_seconds}}}};
        }
        pod_spec(d)["terminationGracePeriodSeconds"] = c.termination_fix->grace_seconds;
    }
    return d;
}

TestDaemonSet test_daemonset(const ScenarioSpec& s, const PlanChoice& c, const ojson& promotion) {
    TestDaemonSet t;
    t.manifest = promotion;
    ojson& d = t.manifest;
    const std::string live = s.proposed.name;
    t.name = live.substr(0, 63 - kTestSuffix.size()) + std::string(kTestSuffix);
    ojson& meta = d["metadata"];
    meta["name"] = t.name;
    meta.erase("ownerReferences");
    meta.erase("finalizers");
    if (!meta.contains("labels") || !meta["labels"].is_object()) meta["labels"] = ojson::object();
    meta["labels"]["rollsim.io/role"] = "test";
    if (!meta.contains("annotations") || !meta["annotations"].is_object()) meta["annotations"] = ojson::object();
    meta["annotations"]["rollsim.io/test-of"] = live;

    // Labels and selector: the live selector must not match the test pods (or the live
    // controller and every Service selecting them would count them), and the test selector
    // must not match the live pods. Selectors are immutable, so the test DaemonSet has its own.
    ojson& tmeta = d["spec"]["template"]["metadata"];
    if (!tmeta.is_object()) tmeta = ojson::object();
    if (!tmeta.contains("labels") || !tmeta["labels"].is_object()) tmeta["labels"] = ojson::object();
    ojson& labels = tmeta["labels"];
    const LabelSelector& sel = s.proposed.selector;
    for (const auto& [k, v] : sel.match_labels) labels[k] = test_label_value(v);
    if (sel.match_labels.empty()) {
        // Break one requirement of the expressions; any one is enough.
        const NodeSelectorRequirement& r = sel.match_expressions.front();
        if (r.op == "In") {
            std::string value = test_label_value(r.values.front());
            labels[r.key] = value;
        } else if (r.op == "Exists") {
            labels.erase(r.key);
        } else if (r.op == "NotIn") {
            labels[r.key] = r.values.front();
        } else {
            labels[r.key] = "rollsim-test";
        }
    }
    const std::string role_value = test_label_value(live);
    labels["rollsim.io/test-of"] = role_value;
    d["spec"]["selector"] = ojson{{"matchLabels", ojson{{"rollsim.io/test-of", role_value}}}};
    t.selector = "rollsim.io/test-of=" + role_value;
    if (sel.matches(string_map(labels))) {
        throw InputError(s.proposed.source.file, s.proposed.source.line, "spec.selector",
                         "rollsim cannot give the test DaemonSet labels that the live selector does not match");
    }
    if (s.proposed.pod_template.labels.count("rollsim.io/test-of") != 0) {
        throw InputError(s.proposed.source.file, s.proposed.source.line, "spec.template.metadata.labels",
                         "already carries rollsim.io/test-of, the label rollsim gives test pods");
    }

    // Host ports: every one moved by the offset; with the host network the process itself must
    // listen on the new port, so container ports, numeric probe ports, env and args move too.
    ojson& ps = pod_spec(d);
    const bool host_network = ps.value("hostNetwork", false);
    t.container_ports_moved = host_network;
    std::set<std::int32_t> live_ports;
    for (const DaemonSetSpec* ds : {&s.current, &s.proposed}) {
        for (const auto& ct : ds->pod_template.containers) {
            for (const auto& p : ct.ports) {
                if (p.host_port > 0) live_ports.insert(p.host_port);
            }
        }
    }
    const SourceRef where = c.strategy->source;
    for (const char* list : {"initContainers", "containers"}) {
        if (!ps.contains(list) || !ps[list].is_array()) continue;
        for (auto& cj : ps[list]) {
            if (!cj.contains("ports") || !cj["ports"].is_array()) continue;
            for (auto& pj : cj["ports"]) {
                const std::int64_t host = pj.contains("hostPort") && pj["hostPort"].is_number_integer() ? pj["hostPort"].get<std::int64_t>()
                                          : host_network && pj.contains("containerPort") ? pj["containerPort"].get<std::int64_t>()
                                                                                         : 0;
                if (host <= 0) continue;
                const std::int64_t moved = host + c.port_offset;
                if (moved < 1 || moved > 65535 || live_ports.count(static_cast<std::int32_t>(moved)) != 0) {
                    throw InputError(where.file, where.line, "testThenPromote.portOffset",
                                     fmt::format("moves hostPort {} to {}, {}", host, moved,
                                                 moved < 1 || moved > 65535 ? "outside 1-65535"
                                                                            : "which the live pods hold"));
                }
                pj["hostPort"] = moved;
                if (host_network) pj["containerPort"] = moved;
                t.moved_ports[static_cast<std::int32_t>(host)] = static_cast<std::int32_t>(moved);
            }
        }
    }
    if (host_network) {
        for (const char* list : {"initContainers", "containers"}) {
            if (!ps.contains(list) || !ps[list].is_array()) continue;
            for (auto& cj : ps[list]) {
                for (const char* probe : {"startupProbe", "readinessProbe", "livenessProbe"}) {
                    if (!cj.contains(probe)) continue;
                    for (const char* h : {"httpGet", "tcpSocket", "grpc"}) {
                        if (!cj[probe].contains(h) || !cj[probe][h].contains("port")) continue;
                        ojson& port = cj[probe][h]["port"];
                        if (!port.is_number_integer()) continue;
                        const auto it = t.moved_ports.find(port.get<std::int32_t>());
                        if (it != t.moved_ports.end()) port = it->second;
                    }
                }
                const auto rewrite = [&](ojson& str) {
                    if (!str.is_string()) return;
                    std::string v = str.get<std::string>();
                    for (const auto& [from, to] : t.moved_ports) v = replace_port(v, from, to);
                    str = v;
                };
                for (const char* key : {"args", "command"}) {
                    if (cj.contains(key) && cj[key].is_array()) {
                        for (auto& a : cj[key]) rewrite(a);
                    }
                }
                if (cj.contains("env") && cj["env"].is_array()) {
                    for (auto& e : cj["env"]) {
                        if (e.is_object() && e.contains("value")) rewrite(e["value"]);
                    }
                }
            }
        }
    }
    // What else a copy could share with the live pod (host paths it writes, ports it does not
    // declare, kubelet registrations) makes test-then-promote not applicable: plan_variants
    // never lets such a plan reach here.

    // Node targeting: the template's own, narrowed to the test nodes.
    if (!c.test_node_labels.empty()) {
        if (!ps.contains("nodeSelector") || !ps["nodeSelector"].is_object()) ps["nodeSelector"] = ojson::object();
        for (const auto& [k, v] : c.test_node_labels) ps["nodeSelector"][k] = v;
    }
    if (!c.test_nodes.empty()) {
        const ojson field = {{"key", "metadata.name"}, {"operator", "In"}, {"values", c.test_nodes}};
        ojson& req = ps["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"];
        if (!req.is_object()) req = ojson::object();
        ojson& terms = req["nodeSelectorTerms"];
        if (!terms.is_array() || terms.empty()) terms = ojson::array({ojson::object()});
        for (auto& term : terms) {
            if (!term.contains("matchFields") || !term["matchFields"].is_array()) term["matchFields"] = ojson::array();
            term["matchFields"].push_back(field);
        }
    }
    return t;
}

}  // namespace rollsim::output
