#include "input/manifest_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "input/source.hpp"
#include "input/units.hpp"

namespace rollsim::input {

namespace {

constexpr int kMaxDepth = 64;

/// A plain scalar as the API server receives it: YAML 1.1 types (go-yaml v2) in the Kubernetes
/// dialect, YAML 1.2 core types otherwise.
template <class json>
json typed_scalar(const YamlNode& at, const std::string& s) {
    if (at.dialect() == Dialect::Kubernetes) {
        const Yaml11Scalar r = resolve_yaml11(s);
        switch (r.type) {
            case Yaml11Scalar::Type::Null: return nullptr;
            case Yaml11Scalar::Type::Bool: return r.boolean;
            case Yaml11Scalar::Type::Int:
            case Yaml11Scalar::Type::Float:
                if (const auto w = r.whole()) return *w;
                return r.real;
            case Yaml11Scalar::Type::String: return s;
        }
    }
    if (s == "null" || s == "Null" || s == "NULL" || s == "~") return nullptr;
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
    std::int64_t i = 0;
    {
        const char* b = s.data() + (!s.empty() && s[0] == '+' ? 1 : 0);
        const auto [ptr, ec] = std::from_chars(b, s.data() + s.size(), i);
        if (!s.empty() && ec == std::errc{} && ptr == s.data() + s.size()) return i;
    }
    double d = 0;
    {
        const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
        if (!s.empty() && ec == std::errc{} && ptr == s.data() + s.size() &&
            s.find_first_of(".eE") != std::string::npos) {
            return d;
        }
    }
    return s;
}

/// `json` sorts keys (for comparing templates); `ordered_json` keeps the user's order. A
/// repeated key keeps its last value (Kubernetes dialect) in the place of the first.
template <class json>
json to_json(const YAML::Node& n, bool typed, int depth, const YamlNode& at) {
    if (depth > kMaxDepth) at.fail(fmt::format("is nested more than {} levels deep", kMaxDepth));
    if (!n || n.IsNull()) return nullptr;
    if (n.IsSequence()) {
        json a = json::array();
        for (const auto& item : n) a.push_back(to_json<json>(item, typed, depth + 1, at));
        return a;
    }
    if (n.IsMap()) {
        json o = json::object();
        for (auto it = n.begin(); it != n.end(); ++it) {
            std::string key = it->first.Scalar();
            // sigs.k8s.io/yaml turns a key YAML types as a boolean or number into its text.
            if (typed && it->first.Tag() != "!" && at.dialect() == Dialect::Kubernetes) {
                const Yaml11Scalar r = resolve_yaml11(key);
                if (r.type == Yaml11Scalar::Type::Bool) key = r.boolean ? "true" : "false";
                if (r.type == Yaml11Scalar::Type::Int) key = std::to_string(r.integer);
            }
            o[key] = to_json<json>(it->second, typed, depth + 1, at);
        }
        return o;
    }
    const std::string& s = n.Scalar();
    if (!typed || n.Tag() == "!") return s;
    return typed_scalar<json>(at, s);
}

std::map<std::string, std::string> string_map(const YamlNode& n) {
    std::map<std::string, std::string> out;
    if (n.is_null()) return out;
    for (const auto& [k, v] : n.entries()) out[k] = v.is_null() ? std::string() : v.k8s_string();
    return out;
}

/// Fields the API types as strings that YAML often types otherwise (`value: 8080`,
/// `- --verbose=yes` is fine but `- yes` is not): checked so that the mistake is reported here,
/// with its line, rather than by the API server at apply time.
void check_strings(const YamlNode& c) {
    for (const char* list : {"args", "command"}) {
        if (auto v = c.get(list); v && !v->is_null()) {
            for (const auto& item : v->items()) item.k8s_string();
        }
    }
    if (auto env = c.get("env"); env && !env->is_null()) {
        for (const auto& e : env->items()) {
            e.require("name").k8s_string();
            if (auto v = e.get("value"); v && !v->is_null()) v->k8s_string();
        }
    }
}

std::vector<NodeSelectorRequirement> requirements(const YamlNode& list, bool label_selector) {
    std::vector<NodeSelectorRequirement> out;
    if (list.is_null()) return out;
    for (const auto& item : list.items()) {
        NodeSelectorRequirement r;
        r.key = item.require("key").str();
        r.op = item.require("operator").str();
        static const std::set<std::string> kNodeOps = {"In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"};
        static const std::set<std::string> kLabelOps = {"In", "NotIn", "Exists", "DoesNotExist"};
        if ((label_selector ? kLabelOps : kNodeOps).count(r.op) == 0) {
            item.require("operator").fail(fmt::format("Unsupported value: \"{}\"", r.op));
        }
        if (auto v = item.get("values"); v && !v->is_null()) {
            for (const auto& x : v->items()) r.values.push_back(x.str());
        }
        const bool wants_values = r.op == "In" || r.op == "NotIn";
        if (wants_values && r.values.empty()) {
            item.fail(fmt::format("values: Required value: must be specified when `operator` is '{}'", r.op));
        }
        if (!wants_values && (r.op == "Exists" || r.op == "DoesNotExist") && !r.values.empty()) {
            item.fail(fmt::format("values: Forbidden: may not be specified when `operator` is '{}'", r.op));
        }
        if ((r.op == "Gt" || r.op == "Lt") && r.values.size() != 1) {
            item.fail("values: Required value: must be specified single value when `operator` is 'Lt' or 'Gt'");
        }
        out.push_back(std::move(r));
    }
    return out;
}

std::int32_t non_negative(const YamlNode& n) {
    const std::int32_t v = n.int32();
    if (v < 0) n.fail("Invalid value: must be greater than or equal to 0");
    return v;
}

void read_handler(const YamlNode& n, const std::string& what, ProbeSpec* probe) {
    int handlers = 0;
    for (const char* h : {"httpGet", "tcpSocket", "exec", "grpc", "sleep"}) {
        if (auto v = n.get(h); v && !v->is_null()) {
            ++handlers;
            if (probe == nullptr) continue;
            const std::string name = h;
            if (name == "sleep") n.fail(fmt::format("{}: sleep is not a probe handler", what));
            probe->handler = name == "httpGet"   ? ProbeSpec::Handler::HttpGet
                             : name == "tcpSocket" ? ProbeSpec::Handler::TcpSocket
                             : name == "exec"      ? ProbeSpec::Handler::Exec
                                                   : ProbeSpec::Handler::Grpc;
            if (name == "httpGet") {
                if (auto p = v->get("path")) probe->path = p->str();
            }
            if (name != "exec") probe->port = v->require("port").str();
            if (name == "exec") {
                if (auto cmd = v->get("command"); cmd && !cmd->is_null()) {
                    for (const auto& part : cmd->items()) probe->command.push_back(part.k8s_string());
                }
            }
        }
    }
    if (handlers == 0) n.fail("Required value: must specify a handler type");
    if (handlers > 1) n.fail("Forbidden: may not specify more than 1 handler type");
}

}  // namespace

std::optional<WorkloadKind> parse_workload_kind(const std::string& text) {
    for (const auto k : {WorkloadKind::HostPortService, WorkloadKind::HostNetworkService, WorkloadKind::NodeAgent,
                         WorkloadKind::HostAgent}) {
        if (text == to_string(k)) return k;
    }
    return std::nullopt;
}

namespace {

WorkloadHints read_workload_hints(const YamlNode& annotations) {
    WorkloadHints h;
    if (annotations.is_null()) return h;
    static const std::vector<std::string> kHints = {"rollsim.io/workload", "rollsim.io/traffic", "rollsim.io/serve",
                                                    "rollsim.io/listen", "rollsim.io/shutdown", "rollsim.io/ignore"};
    for (const auto& [key, value] : annotations.entries()) {
        // rollsim.io/test-of is what rollsim writes on a test DaemonSet: read back, it says nothing.
        if (key.rfind("rollsim.io/", 0) != 0 || key == "rollsim.io/test-of") continue;
        if (std::find(kHints.begin(), kHints.end(), key) == kHints.end()) {
            value.fail(fmt::format("unknown rollsim annotation (rollsim reads {})", fmt::join(kHints, ", ")));
        }
        const std::string text = value.is_null() ? std::string() : value.k8s_string();
        if (key == "rollsim.io/workload") {
            h.kind = parse_workload_kind(text);
            if (!h.kind) {
                value.fail(fmt::format("\"{}\": must be {}", text, kWorkloadKinds));
            }
            h.kind_source = SourceRef{value.file(), value.line()};
        } else if (key == "rollsim.io/ignore") {
            // FINDING: reason, one per line or separated by ';'. A reason is required: a
            // suppression says why.
            h.ignore_source = SourceRef{value.file(), value.line()};
            std::string all = text;
            std::replace(all.begin(), all.end(), '\n', ';');
            const auto trim = [](std::string t) {
                t.erase(0, t.find_first_not_of(" \t"));
                t.erase(t.find_last_not_of(" \t") + 1);
                return t;
            };
            std::istringstream entries(all);
            for (std::string part; std::getline(entries, part, ';');) {
                part = trim(part);
                if (part.empty()) continue;
                const auto colon = part.find(':');
                const std::string reason = colon == std::string::npos ? "" : trim(part.substr(colon + 1));
                if (reason.empty()) value.fail(fmt::format("\"{}\": give the finding and why, as FINDING: reason", part));
                h.ignore.emplace_back(trim(part.substr(0, colon)), reason);
            }
        } else if (key == "rollsim.io/traffic") {
            if (text == "hostPort") h.traffic = TrafficMode::HostPort;
            else if (text == "service") h.traffic = TrafficMode::Service;
            else if (text == "coverage") h.traffic = TrafficMode::Coverage;
            else value.fail(fmt::format("\"{}\": must be hostPort, service or coverage", text));
        } else {
            std::string error;
            auto d = parse_duration_range(text, error);
            if (!d) value.fail(error + " (a duration such as 120s, or a range such as 90s..180s)");
            (key == "rollsim.io/serve" ? h.serve : key == "rollsim.io/listen" ? h.listen : h.shutdown) = d;
        }
    }
    return h;
}

ContainerSpec read_container(const YamlNode& c, bool init) {
    ContainerSpec out;
    if (auto rp = c.get("restartPolicy"); rp && !rp->is_null()) {
        // validation.go validateInitContainerRestartPolicy / validateContainers: only an init
        // container may set it, and then only to Always (a sidecar).
        if (!init) rp->fail("Forbidden: may not be set for non-init containers");
        out.restart_policy = rp->str();
        if (out.restart_policy != "Always") {
            rp->fail(fmt::format("Unsupported value: \"{}\": supported values: \"Always\"", out.restart_policy));
        }
    }
    out.name = c.require("name").k8s_string();
    out.image = c.require("image").k8s_string();
    check_strings(c);
    if (out.image.empty()) c.require("image").fail("Required value");
    if (auto p = c.get("imagePullPolicy")) {
        out.image_pull_policy = p->str();
        if (out.image_pull_policy != "Always" && out.image_pull_policy != "IfNotPresent" &&
            out.image_pull_policy != "Never") {
            p->fail(fmt::format("Unsupported value: \"{}\": supported values: \"Always\", "
                                "\"IfNotPresent\", \"Never\"", out.image_pull_policy));
        }
    } else {
        // SetDefaults_Container: Always for :latest or no tag (digests pin the image).
        const auto slash = out.image.rfind('/');
        const std::string last = out.image.substr(slash == std::string::npos ? 0 : slash + 1);
        const auto colon = last.rfind(':');
        const bool digest = out.image.find('@') != std::string::npos;
        const bool latest = colon == std::string::npos || last.substr(colon + 1) == "latest";
        out.image_pull_policy = !digest && latest ? "Always" : "IfNotPresent";
    }
    if (auto ports = c.get("ports"); ports && !ports->is_null()) {
        for (const auto& p : ports->items()) {
            ContainerPort port;
            port.container_port = p.require("containerPort").int32();
            if (port.container_port < 1 || port.container_port > 65535) {
                p.require("containerPort").fail("Invalid value: must be between 1 and 65535, inclusive");
            }
            if (auto h = p.get("hostPort")) {
                port.host_port = h->int32();
                if (port.host_port < 0 || port.host_port > 65535) {
                    h->fail("Invalid value: must be between 1 and 65535, inclusive");
                }
            }
            if (auto pr = p.get("protocol")) {
                port.protocol = pr->str();
                if (port.protocol != "TCP" && port.protocol != "UDP" && port.protocol != "SCTP") {
                    pr->fail(fmt::format("Unsupported value: \"{}\": supported values: \"SCTP\", "
                                         "\"TCP\", \"UDP\"", port.protocol));
                }
            }
            if (auto ip = p.get("hostIP")) port.host_ip = ip->str();
            if (auto name = p.get("name")) port.name = name->str();
            out.ports.push_back(port);
        }
    }
    for (const auto& [key, list] : {std::pair{"command", &out.command}, std::pair{"args", &out.args}}) {
        if (auto v = c.get(key); v && !v->is_null()) {
            for (const auto& item : v->items()) list->push_back(item.k8s_string());
        }
    }
    if (auto env = c.get("env"); env && !env->is_null()) {
        for (const auto& e : env->items()) {
            const auto v = e.get("value");
            out.env.emplace_back(e.require("name").k8s_string(), v && !v->is_null() ? v->k8s_string() : std::string());
        }
    }
    if (auto mounts = c.get("volumeMounts"); mounts && !mounts->is_null()) {
        for (const auto& m : mounts->items()) {
            VolumeMount vm;
            vm.name = m.require("name").str();
            vm.mount_path = m.require("mountPath").str();
            if (auto ro = m.get("readOnly"); ro && !ro->is_null()) vm.read_only = ro->boolean();
            if (auto mp = m.get("mountPropagation"); mp && !mp->is_null()) vm.mount_propagation = mp->str();
            out.volume_mounts.push_back(std::move(vm));
        }
    }
    if (auto sc = c.get("securityContext"); sc && !sc->is_null()) {
        if (auto pr = sc->get("privileged"); pr && !pr->is_null()) out.privileged = pr->boolean();
        if (auto caps = sc->get("capabilities"); caps && !caps->is_null()) {
            if (auto add = caps->get("add"); add && !add->is_null()) {
                for (const auto& cap : add->items()) out.capabilities.push_back(cap.str());
            }
        }
    }
    out.requests = container_requests(c);
    if (auto p = c.get("startupProbe"); p && !p->is_null()) out.startup_probe = read_probe(*p, "startup", false);
    if (auto p = c.get("readinessProbe"); p && !p->is_null()) out.readiness_probe = read_probe(*p, "readiness", false);
    if (auto p = c.get("livenessProbe"); p && !p->is_null()) out.liveness_probe = read_probe(*p, "liveness", false);
    if (auto lc = c.get("lifecycle"); lc && !lc->is_null()) {
        if (auto ps = lc->get("preStop"); ps && !ps->is_null()) {
            out.has_pre_stop = true;
            read_handler(*ps, "preStop", nullptr);
            if (auto sleep = ps->get("sleep"); sleep && !sleep->is_null()) {
                out.pre_stop_sleep_seconds = non_negative(sleep->require("seconds"));
            }
        }
    }
    return out;
}

std::vector<ContainerSpec> read_containers(const YamlNode& list, std::set<std::string>& names, bool init) {
    std::vector<ContainerSpec> out;
    for (const auto& c : list.items()) {
        out.push_back(read_container(c, init));
        if (!names.insert(out.back().name).second) {
            c.require("name").fail(fmt::format("Duplicate value: \"{}\"", out.back().name));
        }
    }
    return out;
}

}  // namespace

Resources read_resources(const YamlNode& n) {
    Resources r;
    if (n.is_null()) return r;
    for (const auto& [name, value] : n.entries()) {
        // CPU in millicores, everything else in whole units (MilliValue, Value).
        if (name == "cpu") r.cpu_milli = value.quantity(3);
        else if (name == "memory") r.memory_bytes = value.quantity(0);
        else if (name == "pods") r.pods = value.quantity(0);
        else value.quantity(0);  // other resources are checked, not modelled
    }
    return r;
}

Resources container_requests(const YamlNode& c) {
    const auto res = c.get("resources");
    if (!res || res->is_null()) return Resources{};
    const auto requests = res->get("requests");
    const auto limits = res->get("limits");
    Resources out = requests ? read_resources(*requests) : Resources{};
    const Resources lim = limits ? read_resources(*limits) : Resources{};
    // SetDefaults_ResourceList: a limit with no request makes the request equal the limit.
    const auto has_request = [&](const char* name) {
        return requests && !requests->is_null() && requests->get(name).has_value();
    };
    if (!has_request("cpu")) out.cpu_milli = lim.cpu_milli;
    if (!has_request("memory")) out.memory_bytes = lim.memory_bytes;
    return out;
}

std::string yaml_to_json(const YamlNode& node, bool typed) {
    if (typed) return to_json<nlohmann::ordered_json>(node.raw(), true, 0, node).dump();
    return to_json<nlohmann::json>(node.raw(), false, 0, node).dump();
}

ProbeSpec read_probe(const YamlNode& n, const std::string& kind, bool allow_surface) {
    if (!n.is_map()) n.fail("must be a probe (a mapping)");
    ProbeSpec p;
    read_handler(n, kind + "Probe", &p);
    if (auto v = n.get("initialDelaySeconds")) p.initial_delay_seconds = non_negative(*v);
    // SetDefaults_Probe: 0 (or unset) period, timeout, success and failure thresholds take
    // their defaults (10, 1, 1, 3).
    if (auto v = n.get("periodSeconds")) p.period_seconds = non_negative(*v);
    if (auto v = n.get("timeoutSeconds")) p.timeout_seconds = non_negative(*v);
    if (auto v = n.get("successThreshold")) p.success_threshold = non_negative(*v);
    if (auto v = n.get("failureThreshold")) p.failure_threshold = non_negative(*v);
    if (p.period_seconds == 0) p.period_seconds = 10;
    if (p.timeout_seconds == 0) p.timeout_seconds = 1;
    if (p.success_threshold == 0) p.success_threshold = 1;
    if (p.failure_threshold == 0) p.failure_threshold = 3;
    if (kind != "readiness" && p.success_threshold != 1) {
        n.require("successThreshold").fail("Invalid value: must be 1");
    }
    if (auto v = n.get("terminationGracePeriodSeconds"); v && !v->is_null()) {
        if (kind == "readiness") v->fail("Invalid value: must not be set for readinessProbes");
        const std::int64_t g = v->integer();
        if (g <= 0) v->fail("Invalid value: must be greater than 0");
        p.termination_grace_period_seconds = g;
    }
    if (auto v = n.get("surface")) {
        if (!allow_surface) v->fail("unknown field (surface is a rollsim key, for scenario probe variants only)");
        const std::string s = v->str();
        if (s == "serving") p.surface = Surface::Serving;
        else if (s == "listening") p.surface = Surface::Listening;
        else v->fail(fmt::format("must be serving or listening, not \"{}\"", s));
    }
    return p;
}

DaemonSetSpec read_daemonset(const YamlNode& node) {
    const YamlNode doc = node.as_kubernetes();
    DaemonSetSpec ds;
    ds.source = SourceRef{doc.file(), doc.line()};
    const std::string api = doc.require("apiVersion").str();
    const std::string kind = doc.require("kind").str();
    if (kind != "DaemonSet") doc.require("kind").fail(fmt::format("expected a DaemonSet, not a {}", kind));
    if (api != "apps/v1") {
        doc.require("apiVersion").fail(fmt::format("DaemonSets are apps/v1, not {}", api));
    }
    const YamlNode meta = doc.require("metadata");
    ds.name = meta.require("name").k8s_string();
    if (auto ns = meta.get("namespace"); ns && !ns->is_null()) {
        ds.namespace_ = ns->k8s_string();
        ds.namespace_written = true;
    }
    if (auto v = meta.get("labels")) string_map(*v);
    if (auto v = meta.get("annotations")) ds.hints = read_workload_hints(*v);
    const YamlNode spec = doc.require("spec");
    const YamlNode sel = spec.require("selector");
    if (auto ml = sel.get("matchLabels")) ds.selector.match_labels = string_map(*ml);
    if (auto me = sel.get("matchExpressions")) ds.selector.match_expressions = requirements(*me, true);
    if (ds.selector.match_labels.empty() && ds.selector.match_expressions.empty()) {
        sel.fail("Invalid value: empty selector is invalid for daemonset");
    }
    const YamlNode tmpl = spec.require("template");
    PodTemplate& t = ds.pod_template;
    if (auto tm = tmpl.get("metadata"); tm && !tm->is_null()) {
        if (auto labels = tm->get("labels")) t.labels = string_map(*labels);
        if (auto annotations = tm->get("annotations")) string_map(*annotations);
    }
    if (!ds.selector.matches(t.labels)) {
        tmpl.fail("metadata.labels: Invalid value: `selector` does not match template `labels`");
    }
    const YamlNode ps = tmpl.require("spec");
    std::set<std::string> names;
    t.containers = read_containers(ps.require("containers"), names, false);
    if (t.containers.empty()) ps.require("containers").fail("Required value");
    if (auto ic = ps.get("initContainers"); ic && !ic->is_null()) t.init_containers = read_containers(*ic, names, true);
    if (auto hn = ps.get("hostNetwork")) t.host_network = hn->boolean();
    if (auto hp = ps.get("hostPID"); hp && !hp->is_null()) t.host_pid = hp->boolean();
    if (auto vols = ps.get("volumes"); vols && !vols->is_null()) {
        for (const auto& v : vols->items()) {
            const auto hp = v.get("hostPath");
            if (!hp || hp->is_null()) continue;
            HostPathVolume h;
            h.name = v.require("name").str();
            h.path = hp->require("path").str();
            if (auto type = hp->get("type"); type && !type->is_null()) h.type = type->str();
            t.host_path_volumes.push_back(std::move(h));
        }
    }
    if (t.host_network) {
        // defaultHostNetworkPorts: with the host network a declared port is a host port.
        for (auto& c : t.containers) {
            for (auto& p : c.ports) {
                if (p.host_port == 0) p.host_port = p.container_port;
            }
        }
    }
    if (auto ns = ps.get("nodeSelector")) t.node_selector = string_map(*ns);
    if (auto aff = ps.get("affinity"); aff && !aff->is_null()) {
        if (auto na = aff->get("nodeAffinity"); na && !na->is_null()) {
            if (auto req = na->get("requiredDuringSchedulingIgnoredDuringExecution"); req && !req->is_null()) {
                const YamlNode terms = req->require("nodeSelectorTerms");
                for (const auto& term : terms.items()) {
                    NodeSelectorTerm st;
                    if (auto me = term.get("matchExpressions")) st.match_expressions = requirements(*me, false);
                    if (auto mf = term.get("matchFields")) st.match_fields = requirements(*mf, false);
                    t.required_node_affinity.push_back(std::move(st));
                }
                if (t.required_node_affinity.empty()) {
                    terms.fail("Required value: must have at least one node selector term");
                }
            }
        }
    }
    if (auto tols = ps.get("tolerations"); tols && !tols->is_null()) {
        for (const auto& item : tols->items()) {
            Toleration tol;
            if (auto k = item.get("key")) tol.key = k->str();
            if (auto o = item.get("operator")) tol.op = o->str();
            if (auto v = item.get("value")) tol.value = v->str();
            if (auto e = item.get("effect")) tol.effect = e->str();
            if (auto s = item.get("tolerationSeconds"); s && !s->is_null()) tol.toleration_seconds = s->integer();
            if (tol.op != "Equal" && tol.op != "Exists") {
                item.require("operator").fail(fmt::format("Unsupported value: \"{}\": supported values: \"Equal\", \"Exists\"", tol.op));
            }
            if (tol.op == "Exists" && !tol.value.empty()) {
                item.require("value").fail("Invalid value: value must be empty when `operator` is 'Exists'");
            }
            if (tol.key.empty() && tol.op != "Exists") {
                item.fail("operator: Invalid value: operator must be Exists when `key` is empty");
            }
            t.tolerations.push_back(std::move(tol));
        }
    }
    if (auto g = ps.get("terminationGracePeriodSeconds"); g && !g->is_null()) {
        t.termination_grace_period_seconds = std::max<std::int64_t>(g->integer(), 0);
    }
    if (auto p = ps.get("priorityClassName")) t.priority_class_name = p->str();
    if (auto n = ps.get("nodeName")) t.node_name = n->str();
    if (auto rp = ps.get("restartPolicy")) {
        t.restart_policy = rp->str();
        if (t.restart_policy != "Always") {
            rp->fail(fmt::format("Unsupported value: \"{}\": supported values: \"Always\"", t.restart_policy));
        }
    }
    if (auto ad = ps.get("activeDeadlineSeconds"); ad && !ad->is_null()) {
        ad->fail("Forbidden: activeDeadlineSeconds in DaemonSet is not Supported");
    }
    t.canonical = yaml_to_json(tmpl, /*typed=*/false);

    if (auto us = spec.get("updateStrategy"); us && !us->is_null()) {
        ds.update_strategy_source = SourceRef{us->file(), us->line()};
        if (auto type = us->get("type")) ds.update_strategy.type = type->str();
        if (auto ru = us->get("rollingUpdate"); ru && !ru->is_null()) {
            ds.update_strategy.has_rolling_update = true;
            if (auto v = ru->get("maxUnavailable"); v && !v->is_null()) {
                ds.update_strategy.max_unavailable = v->int_or_string();
            }
            if (auto v = ru->get("maxSurge"); v && !v->is_null()) ds.update_strategy.max_surge = v->int_or_string();
        }
    }
    if (auto m = spec.get("minReadySeconds")) ds.min_ready_seconds = non_negative(*m);
    if (auto r = spec.get("revisionHistoryLimit")) ds.revision_history_limit = non_negative(*r);
    ds.original_json = yaml_to_json(doc, /*typed=*/true);
    return ds;
}

std::vector<YamlNode> read_objects(const std::string& file, std::string_view kind) {
    return read_objects_text(read_input_file(file), file, kind);
}

std::vector<YamlNode> read_objects_text(const std::string& text, const std::string& file, std::string_view kind) {
    const auto docs = YamlNode::parse_all(text, file, Dialect::Kubernetes);
    std::vector<YamlNode> found;
    const auto is = [](const YamlNode& n, std::string_view k) {
        if (!n.is_map()) return false;
        const auto v = n.get("kind");
        return v && v->is_scalar() && v->str() == k;
    };
    for (const auto& doc : docs) {
        if (!doc.is_map()) doc.fail("expected a Kubernetes object (a mapping)");
        // `kubectl get … -o yaml` prints a List (kind: List, or NodeList, PodList, …).
        const auto k = doc.get("kind");
        const bool list = k && k->is_scalar() && (k->str() == "List" || k->str() == std::string(kind) + "List");
        if (list) {
            if (auto items = doc.get("items"); items && !items->is_null()) {
                for (const auto& item : items->items()) {
                    if (is(item, kind) || (k->str() != "List" && item.is_map() && !item.get("kind"))) found.push_back(item);
                }
            }
        } else if (is(doc, kind)) {
            found.push_back(doc);
        }
    }
    return found;
}

std::vector<YamlNode> require_objects_text(const std::string& text, const std::string& file, std::string_view kind) {
    auto found = read_objects_text(text, file, kind);
    if (!found.empty()) return found;
    for (const auto& doc : YamlNode::parse_all(text, file, Dialect::Kubernetes)) {
        std::vector<YamlNode> objects{doc};
        if (const auto items = doc.get("items"); items && items->is_seq()) objects = items->items();
        for (const auto& o : objects) {
            const auto k = o.is_map() ? o.get("kind") : std::nullopt;
            if (k && k->is_scalar()) k->fail(fmt::format("\"{}\": expected a {} (kind: {})", k->str(), kind, kind));
        }
    }
    throw InputError(file, 0, "", fmt::format("holds no {} (kind: {})", kind, kind));
}

DaemonSetSpec read_daemonset_file(const std::string& file, const std::string& name) {
    return read_daemonset_text(read_input_file(file), file, name);
}

namespace {

/// The DaemonSets of a stream that `name` and `namespace_` pick (either may be empty: any);
/// `matching` points into `found`, which must outlive it.
struct Pick {
    std::vector<const YamlNode*> matching;
    std::vector<std::string> names;      ///< every DaemonSet's name, in order
    std::vector<std::string> qualified;  ///< ... as namespace/name
};

Pick pick(const std::vector<YamlNode>& found, const std::string& name, const std::string& namespace_) {
    const auto field = [](const YamlNode& n, const char* key, const char* fallback) {
        const auto m = n.get("metadata");
        const auto v = m && m->is_map() ? m->get(key) : std::nullopt;
        return v && v->is_scalar() ? v->str() : std::string(fallback);
    };
    Pick p;
    for (const auto& n : found) {
        const std::string ns = field(n, "namespace", "default");
        p.names.push_back(field(n, "name", ""));
        p.qualified.push_back(ns + "/" + p.names.back());
        if ((name.empty() || p.names.back() == name) && (namespace_.empty() || ns == namespace_)) {
            p.matching.push_back(&n);
        }
    }
    return p;
}

}  // namespace

DaemonSetSpec pick_daemonset_text(const std::string& text, const std::string& file, const std::string& name,
                                  const std::string& namespace_) {
    const auto found = require_objects_text(text, file, "DaemonSet");  // `p` points into it
    const Pick p = pick(found, name, namespace_);
    const std::string holds = fmt::format("it holds {}", fmt::join(p.qualified, ", "));
    if (p.matching.empty()) {
        throw InputError(file, 0, "", fmt::format("holds no DaemonSet {}{}{} ({})",
                                                  name.empty() ? "" : fmt::format("named \"{}\" (--name)", name),
                                                  !name.empty() && !namespace_.empty() ? " " : "",
                                                  namespace_.empty() ? "" : fmt::format("in namespace \"{}\" (--namespace)", namespace_),
                                                  holds));
    }
    if (p.matching.size() > 1) {
        p.matching[1]->fail(fmt::format("a second DaemonSet{}: {}; pick one with --name NAME{}", name.empty() ? "" : " of that name",
                                        holds, name.empty() ? "" : " and --namespace NAMESPACE"));
    }
    return read_daemonset(*p.matching.front());
}

DaemonSetSpec read_daemonset_text(const std::string& text, const std::string& file, const std::string& name) {
    const auto found = require_objects_text(text, file, "DaemonSet");
    const Pick p = pick(found, name, "");
    const std::string names = fmt::format("{}", fmt::join(p.names, ", "));
    if (name.empty() && found.size() > 1) {
        found[1].fail(fmt::format("a second DaemonSet: this file holds {} ({}); name the one to read "
                                  "({{file: {}, name: {}}})",
                                  found.size(), names, file, p.names.front()));
    }
    if (p.matching.empty()) throw InputError(file, 0, "", fmt::format("holds no DaemonSet named \"{}\" (it holds {})", name, names));
    return read_daemonset(*p.matching.front());
}

}  // namespace rollsim::input
