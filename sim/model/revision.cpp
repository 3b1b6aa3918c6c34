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
    Resources sum;
    for (const auto& c : t.containers) sum += c.requests;
    for (const auto& c : t.init_containers) {
        sum.cpu_milli = std::max(sum.cpu_milli, c.requests.cpu_milli);
        sum.memory_bytes = std::max(sum.memory_bytes, c.requests.memory_bytes);
    }
    sum.pods = 1;
    return sum;
}

Revision make_revision(std::uint16_t id, const PodTemplate& t, const std::string& container,
                       const Behaviour& behaviour) {
    Revision r;
    r.id = id;
    r.behaviour = &behaviour;
    const ContainerSpec* main = nullptr;
    for (const auto& c : t.containers) {
        if (container.empty() ? main == nullptr : c.name == container) main = &c;
    }
    if (main == nullptr) {
        throw std::invalid_argument(container.empty() ? "the pod template has no containers"
                                                      : "no container named " + container);
    }
    r.image = main->image;
    // The reader accepts only the three values; an empty one (a template built in code) is the
    // API's default for a tagged image.
    r.pull_policy = main->image_pull_policy == "Always" ? PullPolicy::Always
                    : main->image_pull_policy == "Never" ? PullPolicy::Never
                                                         : PullPolicy::IfNotPresent;
    for (const auto& c : t.containers) {
        for (const auto& port : c.ports) {
            if (port.host_port <= 0) continue;
            r.host_ports.push_back(HostPort{port.protocol.empty() ? "TCP" : port.protocol,
                                            port.host_ip.empty() ? "0.0.0.0" : port.host_ip,
                                            port.host_port});
        }
    }
    r.requests = pod_requests(t);
    r.probes[static_cast<int>(ProbeKind::Startup)] =
        params(main->startup_probe, behaviour.startup_surface);
    r.probes[static_cast<int>(ProbeKind::Readiness)] =
        params(main->readiness_probe, behaviour.readiness_surface);
    r.probes[static_cast<int>(ProbeKind::Liveness)] =
        params(main->liveness_probe, behaviour.liveness_surface);
    r.grace = SimTime::seconds(t.termination_grace_period_seconds);
    r.priority = t.priority;
    r.preempt_never = t.preempt_never;
    r.has_pre_stop = main->has_pre_stop;
    if (main->pre_stop_sleep_seconds) r.pre_stop_sleep = SimTime::seconds(*main->pre_stop_sleep_seconds);
    return r;
}

}  // namespace rollsim::model
