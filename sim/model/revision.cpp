#include "model/revision.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

namespace rollsim::model {

const char* to_string(ProbeKind k) {
    switch (k) {
        case ProbeKind::Startup: return "startup";
        case ProbeKind::Readiness: return "readiness";
        case ProbeKind::Liveness: return "liveness";
    }
    return "?";
}

std::string HostPort::text() const {
    if (ip.empty() || ip == "0.0.0.0") return fmt::format("{}/{}", port, protocol);
    return fmt::format("{}:{}/{}", ip, port, protocol);
}

namespace {

ProbeParams params(const std::optional<ProbeSpec>& spec, Surface default_surface) {
    ProbeParams p;
    if (!spec) return p;
    p.configured = true;
    p.period = SimTime::seconds(spec->period_seconds > 0 ? spec->period_seconds : 10);
    p.initial_delay = SimTime::seconds(spec->initial_delay_seconds);
    p.success_threshold = spec->success_threshold > 0 ? spec->success_threshold : 1;
    p.failure_threshold = spec->failure_threshold > 0 ? spec->failure_threshold : 3;
    if (spec->termination_grace_period_seconds) {
        p.kill_grace = SimTime::seconds(*spec->termination_grace_period_seconds);
    }
    // A TCP check passes once the port accepts connections, whatever the workload says.
    p.surface = spec->surface.value_or(
        spec->handler == ProbeSpec::Handler::TcpSocket ? Surface::Listening : default_surface);
    return p;
}

}  // namespace

Resources pod_requests(const PodTemplate& t) {
    // resource helpers PodRequests: a sidecar runs beside the regular containers (its requests
    // add to theirs) and beside every init container after it; an init container that runs to
    // completion needs room only while it runs.
    const auto max_of = [](Resources a, const Resources& b) {
        a.cpu_milli = std::max(a.cpu_milli, b.cpu_milli);
        a.memory_bytes = std::max(a.memory_bytes, b.memory_bytes);
        return a;
    };
    Resources sum;
    for (const auto& c : t.containers) sum += c.requests;
    Resources sidecars, init_peak;
    for (const auto& c : t.init_containers) {
        Resources during = c.requests;
        if (c.sidecar()) {
            sum += c.requests;
            sidecars += c.requests;
            during = sidecars;
        } else {
            during += sidecars;
        }
        init_peak = max_of(init_peak, during);
    }
    sum = max_of(sum, init_peak);
    sum.pods = 1;
    return sum;
}

namespace {

ContainerModel container_model(const ContainerSpec& c, const Behaviour& b) {
    ContainerModel m;
    m.name = c.name;
    m.sidecar = c.sidecar();
    m.behaviour = &b;
    m.image = c.image;
    // The reader accepts only the three values; an empty one (a template built in code) is the
    // API's default for a tagged image.
    m.pull_policy = c.image_pull_policy == "Always" ? PullPolicy::Always
                    : c.image_pull_policy == "Never" ? PullPolicy::Never
                                                     : PullPolicy::IfNotPresent;
    m.probes[static_cast<int>(ProbeKind::Startup)] = params(c.startup_probe, b.startup_surface);
    m.probes[static_cast<int>(ProbeKind::Readiness)] = params(c.readiness_probe, b.readiness_surface);
    m.probes[static_cast<int>(ProbeKind::Liveness)] = params(c.liveness_probe, b.liveness_surface);
    m.has_pre_stop = c.has_pre_stop;
    if (c.pre_stop_sleep_seconds) m.pre_stop_sleep = SimTime::seconds(*c.pre_stop_sleep_seconds);
    return m;
}

}  // namespace

Revision make_revision(std::uint16_t id, const PodTemplate& t, const std::string& container,
                       const Behaviour& behaviour, const ContainerBehaviours* per_container) {
    Revision r;
    r.id = id;
    const ContainerSpec* main = t.find_container(container);
    if (main == nullptr) {
        throw std::invalid_argument(container.empty() ? "the pod template has no containers"
                                                      : "no container named " + container);
    }
    const auto behaviour_of = [&](const ContainerSpec& c) -> const Behaviour& {
        if (per_container != nullptr) {
            if (const auto it = per_container->find(c.name); it != per_container->end()) return it->second;
        }
        return behaviour;
    };
    // containers[0] is the modelled one; the rest in the kubelet's start order: the sidecars,
    // then the regular containers (kuberuntime_manager.go computePodActions).
    r.containers.push_back(container_model(*main, behaviour_of(*main)));
    std::vector<const ContainerSpec*> order;
    for (const auto& c : t.init_containers) {
        if (c.sidecar()) order.push_back(&c);
    }
    for (const auto& c : t.containers) order.push_back(&c);
    for (const ContainerSpec* c : order) {
        if (c == main) {
            r.start_order.push_back(0);
            continue;
        }
        r.start_order.push_back(static_cast<std::uint8_t>(r.containers.size()));
        r.containers.push_back(container_model(*c, behaviour_of(*c)));
    }
    for (const auto& c : t.containers) {
        for (const auto& port : c.ports) {
            if (port.host_port <= 0) continue;
            r.host_ports.push_back(HostPort{port.protocol.empty() ? "TCP" : port.protocol,
                                            port.host_ip.empty() ? "0.0.0.0" : port.host_ip,
                                            port.host_port});
        }
    }
    r.requests = pod_requests(t);
    r.grace = SimTime::seconds(t.termination_grace_period_seconds);
    r.priority = t.priority;
    r.preempt_never = t.preempt_never;
    return r;
}

}  // namespace rollsim::model
