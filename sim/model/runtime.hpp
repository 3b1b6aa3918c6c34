#pragma once
/// @file runtime.hpp
/// What a trial knows beyond the API objects: each pod's kubelet, container and process state,
/// each node's, and the processes of force-deleted pods.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "kernel/random.hpp"
#include "model/backoff.hpp"
#include "model/cluster.hpp"
#include "model/probe_worker.hpp"

namespace rollsim::model {

/// A node's health as its kubelet and the node lifecycle controller see it.
enum class NodeHealth : std::uint8_t { Ready, NotReady, Unreachable };

/// A pod that is not the DaemonSet's, during a trial.
enum class OtherState : std::uint8_t { Running, Terminating, Gone };

/// Why the scheduler could not place a pod (the first failing filter).
enum class Unschedulable : std::uint8_t { None, HostPort, Cpu, Memory, Pods, Taint, NodeGone };

/// Where a pod's kubelet is in its life.
enum class Stage : std::uint8_t {
    None,          ///< not bound, or the kubelet has not seen it yet
    Sandbox,       ///< creating the sandbox and network
    Running,       ///< the sandbox is up: the kubelet starts and runs the containers
    Terminating,   ///< being killed for deletion
    Terminated,    ///< every container has exited for good
};

/// Where one container is in its life.
enum class ContainerStage : std::uint8_t {
    Waiting,       ///< not created yet (its turn in the start sequence has not come)
    Pulling,       ///< waiting for / pulling the image
    ImageError,    ///< imagePullPolicy Never and the image is absent
    ImagePullBackOff,  ///< the pull failed (no image for this node's platform); retried with back-off
    Running,       ///< created: the process runs, or has exited and the kubelet has yet to see it
    BackOff,       ///< the container exited; waiting to restart (CrashLoopBackOff)
    Exited,        ///< exited for good (its pod is terminating)
};

/// The kubelet's and the process's view of one container (kuberuntime's container status and
/// the probe workers, and the process behind them).
struct ContainerRuntime {
    ContainerStage stage = ContainerStage::Waiting;
    std::int32_t starts = 0;
    std::int32_t restarts = 0;
    bool running = false;
    bool visible = false;  ///< the kubelet has seen the container running (PLEG)
    bool listening = false;
    bool serving = false;
    bool served = false;   ///< the process has served since this container started (coverage)
    bool sigterm = false;
    bool draining = false;  ///< in a draining preStop: serves, but fails the load balancer's check
    bool started = false;  ///< the Started flag: startup probe passed, or none configured
    bool ready = false;    ///< the kubelet's container readiness
    bool last_exit_ok = true;
    bool kill_for_restart = false;  ///< a liveness/startup kill, not a deletion
    bool killing = false;  ///< killContainer has begun (preStop, then SIGTERM)
    SimTime started_at;
    SimTime ready_at;
    SimTime finished_at;
    BackoffEntry crash_backoff;
    std::optional<SimTime> crash_after_serving;  ///< a crashAfterServing fault, armed when it serves
    SimTime kill_grace;  ///< what is left of the grace period once preStop is done
    ProbeWorker probes[3];
};

/// The kubelet's and the process's view of one pod (parallel to the Cluster's pod slots), with
/// the scheduler's, the config backend's and traffic's own parts grouped by who writes them.
struct PodRuntime {
    std::uint32_t uid = 0;
    std::uint32_t serial = 0;  ///< pods created on this node so far (keys random streams)
    Stage stage = Stage::None;
    bool assumed = false;  ///< the scheduler has reserved room; the binding is in flight
    /// The scheduler's view of the pod (scheduler.cpp).
    struct SchedulerView {
        std::int32_t attempts = 0;
        SimTime last;                     ///< the last failed attempt
        Unschedulable why = Unschedulable::None;  ///< the last failed fit
        std::uint16_t conflict_port = 0;  ///< index into the revision's host ports
        bool conflict_holder_old = false;  ///< the port is held by an old-revision pod
        bool conflict_holder_terminating = false;
        std::uint16_t conflict_held = 0;  ///< 1 + index into the node's other pods, or 0
        bool nominated = false;           ///< preemption victims are terminating for this pod
    } sched;
    /// The container rollsim's measures follow: the one that owns the traffic port (workload.container).
    ContainerRuntime main;
    /// The pod's other containers, as the revision's containers[1..] (model/revision.hpp).
    std::vector<ContainerRuntime> more;
    /// Where the start sequence is: an index into the revision's start_order (all started: its size).
    std::uint8_t starting = 0;
    /// The container whose image the kubelet is pulling (a pod's pulls are one after another).
    std::uint8_t pulling = 0;
    // Image pulls
    SimTime pull_asked;             ///< when the kubelet asked for the image
    BackoffEntry image_backoff;
    /// The config backend's view (config_backend.cpp).
    struct BackendView {
        bool waiting = false;  ///< queued
        bool busy = false;     ///< being served
    } backend;
    bool evicted = false;           ///< killed by the eviction manager: phase Failed, not deleted
    SimTime kill_deadline;          ///< a terminating pod's grace runs out then (its sidecars share it)
    SimTime ready_changed;          ///< when the pod's readiness last changed (the condition's time)
    /// Traffic's view (traffic.cpp): the endpoint (service mode), and what this pod currently
    /// adds to its node's and the world's counters (so that every change is applied as a
    /// difference, once).
    struct TrafficShare {
        bool endpoint_ready = false;
        bool serving = false;
        bool listening = false;
        bool covered = false;
        bool draining = false;
        bool false_ready = false;
        bool good = false;
        bool broken = false;
    } share;
    kernel::Rng jitter{0};

    std::size_t containers() const { return 1 + more.size(); }
    ContainerRuntime& container(std::size_t i) { return i == 0 ? main : more[i - 1]; }
    const ContainerRuntime& container(std::size_t i) const { return i == 0 ? main : more[i - 1]; }
    /// The pod's Ready condition: every container is ready (status.GeneratePodReadyCondition).
    bool ready() const {
        return main.ready && std::all_of(more.begin(), more.end(), [](const ContainerRuntime& c) { return c.ready; });
    }
    /// Some container is at `s`.
    bool any(ContainerStage s) const {
        return main.stage == s || std::any_of(more.begin(), more.end(), [s](const ContainerRuntime& c) { return c.stage == s; });
    }
    /// Some container is running.
    bool any_running() const {
        return main.running || std::any_of(more.begin(), more.end(), [](const ContainerRuntime& c) { return c.running; });
    }
    /// The restarts of every container (kubectl's RESTARTS).
    std::int32_t restarts() const {
        std::int32_t n = main.restarts;
        for (const auto& c : more) n += c.restarts;
        return n;
    }
    /// Some container has started (the pod's phase is Running once one has).
    bool ever_started() const {
        return main.starts > 0 || std::any_of(more.begin(), more.end(), [](const ContainerRuntime& c) { return c.starts > 0; });
    }
};

/// The entity of a container start's random streams: its node, the pod's serial on that node
/// and the start number, so no other node's history moves its draws.
inline std::uint64_t container_entity(const Pod& p, const PodRuntime& r, std::size_t container = 0) {
    const ContainerRuntime& c = r.container(container);
    return (std::uint64_t{p.node} << 32) | (std::uint64_t{r.serial} << 8) | static_cast<std::uint64_t>(c.starts & 0xff) |
           (std::uint64_t{container} << 24);
}

/// wait.Jitter(d, 0.5): d plus up to half of d (the pod worker's retries and resyncs).
inline SimTime jitter(SimTime d, kernel::Rng& rng) {
    return d + SimTime::millis(static_cast<std::int64_t>(rng.uniform01() * 0.5 * static_cast<double>(d.ms())));
}

/// Per-node state outside the API.
struct NodeRuntime {
    std::uint32_t pod_serial = 0;
    std::uint32_t images = 0;      ///< bit set of cached images
    SimTime pulls_free_at;         ///< serialised image pulls: the puller is busy until then
    std::int32_t serving = 0;      ///< processes serving on this node
    std::int32_t listening = 0;    ///< processes accepting connections
    std::int32_t covered = 0;      ///< agents at work (coverage mode)
    std::int32_t draining = 0;     ///< processes in a draining preStop hook
    bool tracked = false;          ///< counts in the measures
    // External health check (hostPort mode)
    bool in_rotation = true;
    ProbeResult lb_last = ProbeResult::Success;  ///< the last check counted, and how many in a row
    std::int32_t lb_run = 0;
    SimTime lb_anchor;             ///< the checker's schedule: lb_anchor + k * interval
    SimTime lb_counted;            ///< checks at or before this are in lb_last and lb_run
    bool lb_counting = false;      ///< checks since lb_counted see lb_up (else they change nothing)
    bool lb_up = false;            ///< what a check sees since the node's last change
    // What this node currently adds to the world's counters
    bool c_serving = false;
    bool c_covered = false;
    bool c_good = false;
    bool c_broken = false;
    // Open windows
    std::optional<SimTime> outage_since;
    std::optional<SimTime> gap_since;
    // A changing cluster
    bool present = true;            ///< the Node object exists
    NodeHealth health = NodeHealth::Ready;
    bool kubelet_down = false;      ///< the machine is stopped: nothing on it acts or writes
    std::uint8_t pressure = 0;      ///< Pressure bits the kubelet reports
    std::uint8_t evicting = 0;      ///< Pressure bits whose signal is still over the threshold
    std::int64_t reclaimed[3] = {}; ///< bytes evicted per pressure since it began
    std::int64_t reclaim[3] = {};   ///< bytes that relieve it (0: only its end time)
    SimTime pressure_seen[3];       ///< when each signal was last over its threshold
    std::uint32_t first_other = 0;  ///< index of this node's first other pod in World::others_
    std::vector<PodId> pull_waiting;  ///< pods waiting for this node's (serialised) puller
    bool pulling = false;           ///< a registry transfer for this node is under way
    bool eviction_armed = false;    ///< an eviction-manager tick is scheduled
};

/// A container whose pod object was force-deleted (terminationGracePeriodSeconds 0): the API
/// has forgotten the pod, and its kubelet has not yet killed the process (kubelet.cpp).
struct DetachedContainer {
    NodeId node = 0;
    std::uint32_t uid = 0;  ///< the pod's, for the trace
    std::uint16_t revision = 0;
    // What it still adds to the traffic counters
    bool serving = false;
    bool listening = false;
    bool covered = false;
    bool draining = false;
    bool endpoint = false;  ///< service mode: still in the EndpointSlice
    bool good = false;      ///< ... and serving
    bool sigterm = false;
    bool exited = false;
    SimTime shutdown;  ///< how long the process takes to exit after SIGTERM
};

}  // namespace rollsim::model
