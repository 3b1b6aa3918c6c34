#pragma once
/// @file revision.hpp
/// A DaemonSet revision as the simulation uses it: the modelled container's probes, ports,
/// requests, termination settings and the workload's behaviour, resolved once per variant from
/// the pod template and the scenario.

#include <cstdint>
#include <map>
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

/// One container of a revision: its image, probes, preStop and behaviour.
struct ContainerModel {
    std::string name;
    bool sidecar = false;  ///< a restartable init container (restartPolicy: Always)
    std::string image;
    std::uint32_t image_bit = 1;  ///< this image's bit in a node's image cache
    PullPolicy pull_policy = PullPolicy::IfNotPresent;
    ProbeParams probes[3];        ///< indexed by ProbeKind
    bool has_pre_stop = false;
    std::optional<SimTime> pre_stop_sleep;  ///< the sleep action's length
    const Behaviour* behaviour = nullptr;   ///< owned by the scenario

    const ProbeParams& probe(ProbeKind k) const { return probes[static_cast<int>(k)]; }
};

struct Revision {
    std::uint16_t id = 0;
    /// containers[0] is the one rollsim's measures follow (the one that owns the traffic port);
    /// the others follow in start order.
    std::vector<ContainerModel> containers;
    /// The order the kubelet starts them in, as indices into `containers`: the sidecars
    /// (restartable init containers) in their order, then the regular containers in theirs.
    std::vector<std::uint8_t> start_order;
    /// Pod requests: max(sum of containers, largest init container), per resource; pods = 1.
    Resources requests;
    std::vector<HostPort> host_ports;  ///< of every regular container
    SimTime grace = SimTime::seconds(30);  ///< terminationGracePeriodSeconds
    std::int32_t priority = 0;    ///< from priorityClassName (Priority admission)
    bool preempt_never = false;   ///< preemptionPolicy: Never
    bool critical() const { return priority >= kSystemClusterCritical; }  ///< kubelet IsCriticalPod

    const ContainerModel& main() const { return containers.front(); }
    ContainerModel& main() { return containers.front(); }
    const ContainerModel& container(std::size_t i) const { return containers[i]; }
    /// The modelled container's probe (the one whose readiness decides what clients feel).
    const ProbeParams& probe(ProbeKind k) const { return main().probe(k); }
    const Behaviour& behaviour() const { return *main().behaviour; }
    /// Every container's image bit.
    std::uint32_t image_bits() const {
        std::uint32_t bits = 0;
        for (const auto& c : containers) bits |= c.image_bit;
        return bits;
    }
};

/// Each container's behaviour, by name, where it differs from the revision's default
/// (workload.containers).
using ContainerBehaviours = std::map<std::string, Behaviour>;

/// What the scheduler counts for a pod of template `t`: the containers' requests summed, or
/// the largest init container's where that is more (resource helpers PodRequests), and 1 pod.
Resources pod_requests(const PodTemplate& t);

/// Builds a revision from a template: `container` names the modelled container (empty: the
/// first); every container behaves as `behaviour` unless `per_container` names it; probe
/// surfaces default from each container's behaviour. Every regular container and every sidecar
/// is modelled; init containers that run to completion count only in the requests. Throws
/// std::invalid_argument when the template has no such container.
Revision make_revision(std::uint16_t id, const PodTemplate& t, const std::string& container,
                       const Behaviour& behaviour, const ContainerBehaviours* per_container = nullptr);

}  // namespace rollsim::model
