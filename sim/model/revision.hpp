#pragma once
/// @file revision.hpp
/// A DaemonSet revision as the simulation uses it: the modelled container's probes, ports,
/// requests, termination settings and the workload's behaviour, resolved once per variant from
/// the pod template and the scenario.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rollsim/daemonset.hpp"
#include "rollsim/scenario.hpp"

namespace rollsim::model {

/// One probe of the modelled container, in simulation units.
struct ProbeParams {
    bool configured = false;
    SimTime period = SimTime::seconds(10);
    SimTime initial_delay;  ///< whole seconds
    std::int32_t success_threshold = 1;
    std::int32_t failure_threshold = 3;
    std::optional<SimTime> kill_grace;  ///< probe-level terminationGracePeriodSeconds
    Surface surface = Surface::Listening;
};

enum class ProbeKind : std::uint8_t { Startup = 0, Readiness = 1, Liveness = 2 };
const char* to_string(ProbeKind k);

/// A host port as the scheduler's NodePorts filter sees it.
struct HostPort {
    std::string protocol = "TCP";
    std::string ip;  ///< "0.0.0.0" when unset
    std::int32_t port = 0;
    std::string text() const;  ///< "8080/TCP", or "10.0.0.1:8080/TCP"
};

/// imagePullPolicy (the manifest's text is kept in ContainerSpec; the model uses this).
enum class PullPolicy : std::uint8_t { IfNotPresent, Always, Never };

struct Revision {
    std::uint16_t id = 0;
    std::string image;
    std::uint32_t image_bit = 1;  ///< this image's bit in a node's image cache
    PullPolicy pull_policy = PullPolicy::IfNotPresent;
    /// Pod requests: max(sum of containers, largest init container), per resource; pods = 1.
    Resources requests;
    std::vector<HostPort> host_ports;  ///< of every regular container
    ProbeParams probes[3];             ///< indexed by ProbeKind
    SimTime grace = SimTime::seconds(30);  ///< terminationGracePeriodSeconds
    bool has_pre_stop = false;
    std::optional<SimTime> pre_stop_sleep;  ///< the sleep action's length
    const Behaviour* behaviour = nullptr;   ///< owned by the scenario
    std::int32_t priority = 0;    ///< from priorityClassName (Priority admission)
    bool preempt_never = false;   ///< preemptionPolicy: Never
    bool critical() const { return priority >= kSystemClusterCritical; }  ///< kubelet IsCriticalPod

    const ProbeParams& probe(ProbeKind k) const { return probes[static_cast<int>(k)]; }
};

/// Builds a revision from a template: `container` names the modelled container (empty: the
/// first); probe surfaces default from `behaviour`. Throws std::invalid_argument when the
/// template has no such container.
/// What the scheduler counts for a pod of template `t`: the containers' requests summed, or
/// the largest init container's where that is more (resource helpers PodRequests), and 1 pod.
Resources pod_requests(const PodTemplate& t);

Revision make_revision(std::uint16_t id, const PodTemplate& t, const std::string& container,
                       const Behaviour& behaviour);

}  // namespace rollsim::model
