#pragma once
/// @file events.hpp
/// The closed set of a trial's event kinds, grouped by the component that handles them, and the
/// phases that order same-time events. World::handle sends each kind to its component.

#include <cstdint>

namespace rollsim::model {

/// Same-time events run in this order (the queue's `phase`).
enum Phase : std::uint8_t {
    kPhaseApi = 0,              ///< writes landing in the API server
    kPhaseKubelet = 1,          ///< kubelets and the processes they run
    kPhaseScheduler = 2,
    kPhaseControllerWatch = 3,  ///< the controller's informer handlers
    kPhaseControllerSync = 4,   ///< the controller's sync (after every same-time handler)
    kPhaseOperator = 5,         ///< the operator's next step (after the controller's)
    kPhaseTraffic = 6,          ///< load-balancer checks and endpoint propagation
};

/// Event kinds. Their values feed the event fingerprint (kernel/fingerprint.hpp) and so the
/// golden fingerprints (tests/golden): every value is frozen. A new kind takes the next unused
/// value (50) in its component's group.
enum class Ev : std::uint16_t {
    // The DaemonSet controller's informer and workqueue (controller_loop.cpp)
    TemplateUpdated = 0,   ///< target 0: the public DaemonSet's template changes; 1: the test one is created
    CtlObserveCreate = 1,
    CtlObserveDelete = 2,
    CtlObserveUpdate = 3,
    CtlObserveReady = 4,
    CtlSync = 5,
    CtlWake = 6,
    // The API server (api_server.cpp)
    ApiStatusWrite = 23,
    ApiObjectDelete = 24,
    WatchDelivery = 49,    ///< one write reaches its watchers (target = ApiServer's delivery index)
    // The scheduler (scheduler.cpp)
    SchedAttempt = 7,
    SchedBind = 8,
    SchedObservePodGone = 25,
    // The kubelets and their containers (kubelet.cpp)
    KlPodAdded = 9,
    KlSandboxReady = 10,
    KlPullDone = 11,
    KlContainerSeen = 12,
    KlContainerDiedSeen = 13,
    KlRestartRetry = 14,
    KlProcListen = 15,
    KlProcServe = 16,
    KlProcExit = 17,
    KlSigterm = 18,
    KlKillDeadline = 19,
    KlSeeDeletion = 22,    ///< retired: a WatchDelivery carries the deletion to the kubelet
    KlPullRetry = 41,      ///< the pod worker retries a pull in ImagePullBackOff
    KlDetachedKill = 44,   ///< a kubelet sees a force-deleted pod gone (target = detached index)
    KlDetachedExit = 45,   ///< ... its process exits or is killed
    // The prober (prober.cpp)
    KlProbe = 20,          ///< a probe worker's tick; the kind is the timer's slot
    KlResync = 21,         ///< the pod worker's periodic sync
    // Traffic (traffic.cpp)
    LbCheck = 26,
    EndpointSync = 27,
    DetachedEndpointGone = 46,  ///< a force-deleted pod's endpoint is removed (service mode)
    // The operator (operator.cpp)
    OpCheck = 28,
    OpSoakDone = 29,
    OpTimeout = 30,
    OpVerify = 31,
    OpRollback = 47,       ///< a rollback is due, or its condition is checked (target = action index)
    OpRollbackWatch = 48,  ///< the pipeline polls the metrics of a rollback condition
    // Node lifecycle and the nodes' other pods (node_lifecycle.cpp)
    ClusterEventStart = 32,  ///< target = event index, payload = node
    ClusterEventEnd = 33,    ///< ditto: the event is undone (`for`)
    NodeMonitor = 34,        ///< the node lifecycle controller acts on a node's health (target = node)
    PodGcOrphans = 35,       ///< PodGC force-deletes the pods of a deleted node
    OtherPodExit = 36,       ///< target = node, payload = index of its other pod: it has exited
    OtherPodGone = 37,       ///< ... its terminal status or deletion reached the scheduler
    // Node pressure (eviction.cpp)
    EvictionTick = 38,       ///< a kubelet's eviction manager synchronises (target = node)
    PressureEnd = 39,        ///< a pressure condition clears (target = node, payload = condition)
    // Shared bottlenecks (registry.cpp, config_backend.cpp)
    RegistryProgress = 40,   ///< the next shared pull completes
    KlInitDone = 42,         ///< the process's own init is done: it asks the config backend
    BackendDone = 43,        ///< the config backend finished this start's configuration
};

/// The kind's name as written above (for the benchmark's breakdown and debugging).
constexpr const char* event_name(Ev kind) {
    switch (kind) {
        case Ev::TemplateUpdated: return "TemplateUpdated";
        case Ev::CtlObserveCreate: return "CtlObserveCreate";
        case Ev::CtlObserveDelete: return "CtlObserveDelete";
        case Ev::CtlObserveUpdate: return "CtlObserveUpdate";
        case Ev::CtlObserveReady: return "CtlObserveReady";
        case Ev::CtlSync: return "CtlSync";
        case Ev::CtlWake: return "CtlWake";
        case Ev::ApiStatusWrite: return "ApiStatusWrite";
        case Ev::ApiObjectDelete: return "ApiObjectDelete";
        case Ev::WatchDelivery: return "WatchDelivery";
        case Ev::SchedAttempt: return "SchedAttempt";
        case Ev::SchedBind: return "SchedBind";
        case Ev::SchedObservePodGone: return "SchedObservePodGone";
        case Ev::KlPodAdded: return "KlPodAdded";
        case Ev::KlSandboxReady: return "KlSandboxReady";
        case Ev::KlPullDone: return "KlPullDone";
        case Ev::KlContainerSeen: return "KlContainerSeen";
        case Ev::KlContainerDiedSeen: return "KlContainerDiedSeen";
        case Ev::KlRestartRetry: return "KlRestartRetry";
        case Ev::KlProcListen: return "KlProcListen";
        case Ev::KlProcServe: return "KlProcServe";
        case Ev::KlProcExit: return "KlProcExit";
        case Ev::KlSigterm: return "KlSigterm";
        case Ev::KlKillDeadline: return "KlKillDeadline";
        case Ev::KlSeeDeletion: return "KlSeeDeletion";
        case Ev::KlPullRetry: return "KlPullRetry";
        case Ev::KlDetachedKill: return "KlDetachedKill";
        case Ev::KlDetachedExit: return "KlDetachedExit";
        case Ev::KlProbe: return "KlProbe";
        case Ev::KlResync: return "KlResync";
        case Ev::LbCheck: return "LbCheck";
        case Ev::EndpointSync: return "EndpointSync";
        case Ev::DetachedEndpointGone: return "DetachedEndpointGone";
        case Ev::OpCheck: return "OpCheck";
        case Ev::OpSoakDone: return "OpSoakDone";
        case Ev::OpTimeout: return "OpTimeout";
        case Ev::OpVerify: return "OpVerify";
        case Ev::OpRollback: return "OpRollback";
        case Ev::OpRollbackWatch: return "OpRollbackWatch";
        case Ev::ClusterEventStart: return "ClusterEventStart";
        case Ev::ClusterEventEnd: return "ClusterEventEnd";
        case Ev::NodeMonitor: return "NodeMonitor";
        case Ev::PodGcOrphans: return "PodGcOrphans";
        case Ev::OtherPodExit: return "OtherPodExit";
        case Ev::OtherPodGone: return "OtherPodGone";
        case Ev::EvictionTick: return "EvictionTick";
        case Ev::PressureEnd: return "PressureEnd";
        case Ev::RegistryProgress: return "RegistryProgress";
        case Ev::KlInitDone: return "KlInitDone";
        case Ev::BackendDone: return "BackendDone";
    }
    return "unknown";
}

}  // namespace rollsim::model
