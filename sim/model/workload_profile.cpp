// What a DaemonSet is, from its pod template alone (docs/review.md, "What the DaemonSet is").
// The signals are the ones the kubelet and the node act on: hostPath volumes mounted
// writable (the kubelet's plugin-registration and device-plugin directories, the CNI
// directories the container runtime reads, the iptables lock), mount propagation back to
// the host, privileged init containers that write to the host, the host network and the ports
// the process names in its arguments.

#include "model/workload_profile.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rollsim/error.hpp"

namespace rollsim {

const char* to_string(TrafficMode m) {
    switch (m) {
        case TrafficMode::HostPort: return "hostPort";
        case TrafficMode::Service: return "service";
        case TrafficMode::Coverage: return "coverage";
    }
    return "?";
}

const char* to_string(WorkloadKind k) {
    switch (k) {
        case WorkloadKind::HostPortService: return "host-port-service";
        case WorkloadKind::HostNetworkService: return "host-network-service";
        case WorkloadKind::NodeAgent: return "node-agent";
        case WorkloadKind::HostAgent: return "host-agent";
    }
    return "?";
}

}  // namespace rollsim

namespace rollsim::model {

namespace {

/// Host paths whose contents change what the node does, and what writing them means. The
/// kubelet watches plugins_registry for CSI and device-plugin sockets
/// (pkg/kubelet/pluginmanager) and device-plugins for kubelet.sock registrations
/// (pkg/kubelet/cm/devicemanager); the container runtime loads CNI plugins from /opt/cni/bin
/// with the config in /etc/cni/net.d; iptables writers take /run/xtables.lock.
struct HostStatePath {
    const char* prefix;
    const char* what;
};
constexpr HostStatePath kHostState[] = {
    {"/var/lib/kubelet/plugins_registry", "registers a plugin with the kubelet"},
    {"/var/lib/kubelet/plugins", "serves a kubelet plugin socket (CSI)"},
    {"/var/lib/kubelet/device-plugins", "registers a device plugin with the kubelet"},
    {"/var/lib/kubelet/pods", "mounts volumes into other pods (CSI)"},
    {"/opt/cni", "installs CNI plugins"},
    {"/etc/cni", "writes the CNI configuration"},
    {"/var/lib/cni", "keeps CNI state"},
    {"/run/xtables.lock", "programs iptables"},
    {"/var/run/xtables.lock", "programs iptables"},
    {"/sys/fs/bpf", "pins eBPF programs"},
    {"/var/run/netns", "manages network namespaces"},
    {"/run/netns", "manages network namespaces"},
    {"/lib/modules", "loads kernel modules"},
};

/// `path` is `prefix` or below it (a trailing slash on either is ignored).
bool under(std::string path, std::string prefix) {
    for (std::string* s : {&path, &prefix}) {
        while (s->size() > 1 && s->back() == '/') s->pop_back();
    }
    if (prefix == "/") return true;
    return path.rfind(prefix, 0) == 0 && (path.size() == prefix.size() || path[prefix.size()] == '/');
}

/// Port names that carry no client traffic: metrics, health and debugging endpoints.
bool auxiliary_port_name(const std::string& name) {
    for (const char* word : {"metric", "prom", "health", "probe", "monitor", "debug", "pprof", "status", "admin"}) {
        if (name.find(word) != std::string::npos) return true;
    }
    return false;
}

/// A host-network port a service's clients use: DNS, HTTP(S) and their usual alternates, or a
/// port named so, outside 9100-9999 (the range Prometheus exporters take by convention).
bool client_port(const ContainerPort& p) {
    if (p.container_port == 53 || p.container_port == 80 || p.container_port == 443 || p.container_port == 8080 ||
        p.container_port == 8443) {
        return true;
    }
    if (p.container_port >= 9100 && p.container_port <= 9999) return false;
    for (const char* word : {"http", "proxy", "dns", "web"}) {
        if (p.name.find(word) != std::string::npos) return true;
    }
    return false;
}

bool digits(const std::string& s) {
    return !s.empty() && s.size() <= 5 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// Port numbers a command-line word names: `host:PORT`, `:PORT`, `http://127.0.0.1:PORT/`,
/// `--something-port=PORT`.
std::vector<std::int32_t> ports_named_in(const std::string& word) {
    std::vector<std::int32_t> out;
    const auto add = [&](const std::string& n) {
        if (!digits(n)) return;
        const int v = std::stoi(n);
        if (v >= 1 && v <= 65535) out.push_back(v);
    };
    for (std::size_t i = word.find(':'); i != std::string::npos; i = word.find(':', i + 1)) {
        std::size_t j = i + 1;
        while (j < word.size() && std::isdigit(static_cast<unsigned char>(word[j]))) ++j;
        const bool ends = j == word.size() || word[j] == '/' || word[j] == ',' || word[j] == ' ' || word[j] == '"';
        const bool time_like = i > 0 && std::isdigit(static_cast<unsigned char>(word[i - 1])) && j - i - 1 == 2 &&
                               word.find('.') == std::string::npos;
        if (j > i + 1 && ends && !time_like) add(word.substr(i + 1, j - i - 1));
    }
    const auto eq = word.find('=');
    if (eq != std::string::npos) {
        std::string key = word.substr(0, eq);
        std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
        if (key.find("port") != std::string::npos) add(word.substr(eq + 1));
    }
    return out;
}

struct NamedPort {
    std::int32_t port;
    std::string where;  ///< e.g. "node-exporter args `--web.listen-address=127.0.0.1:9101`"
};

/// Every port a container names in its command, args, env and numeric probe ports.
std::vector<NamedPort> named_ports(const ContainerSpec& c, bool with_probes) {
    std::vector<NamedPort> out;
    const auto words = [&](const std::vector<std::string>& list, const char* field) {
        for (const auto& w : list) {
            for (auto p : ports_named_in(w)) out.push_back({p, fmt::format("{} {} `{}`", c.name, field, w)});
        }
    };
    words(c.command, "command");
    words(c.args, "args");
    for (const auto& [name, value] : c.env) {
        std::string upper = name;
        std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char ch) { return std::toupper(ch); });
        std::vector<std::int32_t> ports = ports_named_in(value);
        if (upper.find("PORT") != std::string::npos && digits(value)) ports.push_back(std::stoi(value));
        for (auto p : ports) {
            if (p >= 1 && p <= 65535) out.push_back({p, fmt::format("{} env {}={}", c.name, name, value)});
        }
    }
    if (with_probes) {
        for (const auto* probe : {&c.startup_probe, &c.readiness_probe, &c.liveness_probe}) {
            if (*probe && (*probe)->handler != ProbeSpec::Handler::Exec && digits((*probe)->port)) {
                out.push_back({std::stoi((*probe)->port), fmt::format("{} probe port {}", c.name, (*probe)->port)});
            }
        }
    }
    return out;
}

}  // namespace

WorkloadProfile profile_workload(const PodTemplate& t) {
    WorkloadProfile pr;
    std::vector<std::string> host_agent;
    const auto volume = [&](const std::string& name) -> const HostPathVolume* {
        for (const auto& v : t.host_path_volumes) {
            if (v.name == name) return &v;
        }
        return nullptr;
    };
    std::set<std::string> shared;
    for (const auto* list : {&t.init_containers, &t.containers}) {
        const bool init = list == &t.init_containers;
        for (const auto& c : *list) {
            const std::string who = fmt::format("{}container {}", init ? "init " : "", c.name);
            for (const auto& m : c.volume_mounts) {
                const HostPathVolume* v = volume(m.name);
                if (v == nullptr) continue;
                if (m.mount_propagation == "Bidirectional") {
                    host_agent.push_back(fmt::format("{} mounts host path {} with Bidirectional propagation: its "
                                                     "mounts appear on the host",
                                                     who, v->path));
                }
                if (m.read_only) continue;
                if (shared.insert(v->path).second) pr.shared_host_paths.push_back(v->path);
                for (const auto& hs : kHostState) {
                    if (under(v->path, hs.prefix) || under(hs.prefix, v->path)) {
                        host_agent.push_back(fmt::format("{} writes host path {} (volume {}): it {}", who, v->path,
                                                         v->name, hs.what));
                        break;
                    }
                }
                if (init && c.privileged) {
                    host_agent.push_back(fmt::format("{} is privileged and writes host path {}: it installs on the host",
                                                     who, v->path));
                }
            }
        }
    }
    // A privileged or NET_ADMIN container on the host network programs the node's network
    // itself (iptables, routes, interfaces), as kube-proxy, CNI agents and masquerade agents do.
    if (t.host_network) {
        for (const auto& c : t.containers) {
            const bool net_admin = std::find(c.capabilities.begin(), c.capabilities.end(), "NET_ADMIN") != c.capabilities.end();
            if (c.privileged || net_admin) {
                host_agent.push_back(fmt::format("container {} is {} on the host network: it changes the node's networking",
                                                 c.name, c.privileged ? "privileged" : "given NET_ADMIN"));
                break;
            }
        }
    }
    // Ports the process binds that the scheduler cannot see.
    std::set<std::int32_t> declared;
    for (const auto& c : t.containers) {
        for (const auto& p : c.ports) declared.insert(p.container_port);
    }
    std::vector<std::string> port_problems;
    if (t.host_network) {
        if (declared.empty()) {
            port_problems.push_back("it uses the host network and declares no ports, so nothing tells which ports "
                                    "it binds");
        }
        std::set<std::int32_t> named, reported;
        for (const auto& c : t.containers) {
            for (const auto& np : named_ports(c, true)) {
                named.insert(np.port);
                if (declared.count(np.port) == 0 && reported.insert(np.port).second) {
                    pr.undeclared_ports.push_back(np.port);
                    port_problems.push_back(fmt::format("it uses port {} ({}), which no container declares", np.port,
                                                        np.where));
                }
            }
        }
        // A declared port that nothing in the pod sets cannot be moved: a copy binds it again.
        std::set<std::int32_t> settable;
        for (const auto& c : t.containers) {
            for (const auto& np : named_ports(c, false)) settable.insert(np.port);
        }
        for (const auto p : declared) {
            if (settable.count(p) == 0) {
                port_problems.push_back(fmt::format("it declares port {} but no command, arg or env sets it, so a copy "
                                                    "on moved ports would still bind {}",
                                                    p, p));
            }
        }
    }

    // The kind.
    if (!host_agent.empty()) {
        pr.kind = WorkloadKind::HostAgent;
        pr.reasons = host_agent;
    } else {
        const ContainerPort* service_port = nullptr;
        for (const auto& c : t.containers) {
            for (const auto& p : c.ports) {
                if (service_port != nullptr || p.host_port == 0) continue;
                if (t.host_network ? client_port(p) : !auxiliary_port_name(p.name)) service_port = &p;
            }
        }
        if (service_port != nullptr && !t.host_network) {
            pr.kind = WorkloadKind::HostPortService;
            pr.reasons.push_back(fmt::format("it declares hostPort {}/{}{}", service_port->host_port,
                                             service_port->protocol,
                                             service_port->name.empty() ? "" : " (" + service_port->name + ")"));
        } else if (service_port != nullptr) {
            pr.kind = WorkloadKind::HostNetworkService;
            pr.reasons.push_back(fmt::format("it uses the host network and declares port {}{}, a port clients use",
                                             service_port->container_port,
                                             service_port->name.empty() ? "" : " (" + service_port->name + ")"));
        } else {
            pr.kind = WorkloadKind::NodeAgent;
            pr.reasons.push_back(
                t.has_host_port()
                    ? "its host ports are metrics or health endpoints, not client traffic"
                    : t.host_network ? "it uses the host network but declares no port that clients use"
                                     : "it declares no host port and changes nothing on its host");
        }
    }

    // What a copy would share with the live pod.
    pr.not_isolated = host_agent;
    for (const auto& p : pr.shared_host_paths) {
        pr.not_isolated.push_back(fmt::format("it writes host path {}, which the live pod writes too", p));
    }
    pr.not_isolated.insert(pr.not_isolated.end(), port_problems.begin(), port_problems.end());
    return pr;
}

WorkloadProfile profile_workload(const PodTemplate& t, WorkloadKind stated, std::string stated_by) {
    WorkloadProfile pr = profile_workload(t);
    if (pr.kind != stated) {
        pr.reasons.insert(pr.reasons.begin(),
                          fmt::format("stated by {} (rollsim would have inferred {})", stated_by, to_string(pr.kind)));
    } else {
        pr.reasons.insert(pr.reasons.begin(), "stated by " + stated_by);
    }
    pr.kind = stated;
    pr.stated_by = std::move(stated_by);
    if (stated == WorkloadKind::HostAgent && pr.isolated()) {
        pr.not_isolated.push_back("it is stated to change its host, so a second copy would change it too");
    }
    return pr;
}

std::optional<std::string> impossible_kind(WorkloadKind k, const PodTemplate& t) {
    if (k == WorkloadKind::HostPortService && !t.has_host_port()) {
        return std::string("no container declares a hostPort (and without the host network nothing else reaches "
                           "the node's ports)");
    }
    if (k == WorkloadKind::HostNetworkService && !t.host_network) {
        return std::string("the pod template does not set hostNetwork: true");
    }
    return std::nullopt;
}

TrafficMode traffic_of(WorkloadKind k) {
    return k == WorkloadKind::HostPortService || k == WorkloadKind::HostNetworkService ? TrafficMode::HostPort
                                                                                        : TrafficMode::Coverage;
}

WorkloadProfile workload_profile(const ScenarioSpec& s) {
    const PodTemplate& t = s.proposed.pod_template;
    std::optional<WorkloadKind> kind = s.workload.kind;
    SourceRef at = s.workload.kind_source;
    // A flag has no line: its "file" names it, and there is no key path.
    const bool flag = at.line == 0;
    std::string key = flag ? "" : "spec.workload.kind";
    std::string by = flag ? at.file : "the scenario's spec.workload.kind";
    if (!kind && s.proposed.hints.kind) {
        kind = s.proposed.hints.kind;
        at = s.proposed.hints.kind_source;
        key = "metadata.annotations.rollsim.io/workload";
        by = "the rollsim.io/workload annotation";
    }
    if (!kind) return profile_workload(t);
    if (auto why = impossible_kind(*kind, t)) {
        throw InputError(at.file, at.line, key, fmt::format("\"{}\" cannot be this DaemonSet: {}", to_string(*kind), *why));
    }
    return profile_workload(t, *kind, by);
}

}  // namespace rollsim::model
