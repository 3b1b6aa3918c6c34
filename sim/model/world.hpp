#pragma once
/// @file world.hpp
/// One simulated cluster during one trial: the API objects (Cluster), the DaemonSet controller,
/// the scheduler, one kubelet per node, the workload's processes and the traffic that reaches
/// them. The World is the event handler of a kernel::Simulation.
///
/// The rules live by component, one file each, with the upstream source they come from:
///   world.cpp      trial set-up, event dispatch, the API server's writes and watches,
///                  the controller's workqueue, completion and stall detection
///   scheduler.cpp  NodePorts and NodeResourcesFit filters, binding, retries
///   kubelet.cpp    pod start (sandbox, serialised image pulls), probes, restarts with
///                  CrashLoopBackOff, graceful termination, status writes
///   traffic.cpp    serving state, external health checks, endpoints, the measures
///   node_lifecycle.cpp  cluster events: node health and the node lifecycle controller's
///                  taints and NotReady marks, cordon and drain, labels, joins and PodGC
///   eviction.cpp   node pressure: kubelet admission, the eviction manager and its ranking
///   registry.cpp   shared bottlenecks: registry bandwidth and the configuration backend
///
/// Example:
/// @code
///   World world;
///   TrialOutcome o = world.run_trial(variant, seed, trial, /*trace=*/nullptr);
/// @endcode

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "kernel/simulation.hpp"
#include "model/backoff.hpp"
#include "model/cluster.hpp"
#include "model/daemonset_controller.hpp"
#include "model/kube_version.hpp"
#include "model/probe_worker.hpp"
#include "model/revision.hpp"
#include "model/trace.hpp"
#include "model/trial_outcome.hpp"

namespace rollsim::model {

/// What the operator does, resolved against the cluster (operator.cpp).
struct OperatorPlan {
    OperatorSpec::Kind kind = OperatorSpec::Kind::None;
    IntOrPercent batch{1, false};  ///< Batches: nodes per batch (percent of desired, rounded up)
    SimTime soak;
    SimTime timeout = SimTime::minutes(30);
    std::vector<NodeId> canary_nodes;  ///< Canary: the nodes rolled first
    UpdateStrategy then;               ///< Canary, TestThenPromote: the strategy afterwards
    SimTime poll = SimTime::seconds(10);  ///< TestThenPromote: the verification's poll period
};

/// Everything a trial of one variant needs, resolved once and shared read-only by all threads.
struct VariantModel {
    KubeVersion version;
    Latencies latencies;
    TrafficSpec traffic;
    const std::vector<NodeSpec>* nodes = nullptr;
    Revision old_revision;  ///< id 0: the live DaemonSet
    Revision new_revision;  ///< id 1, or id 0 when the template did not change
    UpdateStrategy strategy;
    std::int32_t min_ready_seconds = 0;
    std::vector<Eligibility> old_eligibility;  ///< NodeShouldRunDaemonPod for the live template
    std::vector<Eligibility> new_eligibility;  ///< ... and for the proposed one
    Revision test_revision;                    ///< TestThenPromote: id 2, alternate host ports
    std::vector<Eligibility> test_eligibility;  ///< ... on the chosen nodes
    SimTime horizon = SimTime::hours(24);
    OperatorPlan plan;
    // A changing cluster (cluster events): the templates, to judge eligibility again when a node
    // changes, and the shared bottlenecks.
    const std::vector<ClusterEvent>* events = nullptr;  ///< empty or null: a static cluster
    PodTemplate old_template;
    PodTemplate new_template;
    std::vector<Toleration> old_tolerations;
    std::vector<Toleration> new_tolerations;
    RegistrySpec registry;
    ConfigBackendSpec config_backend;
    bool dynamic() const { return events != nullptr && !events->empty(); }
};

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

/// The closed set of event kinds. Their values feed the event fingerprint (kernel/fingerprint.hpp)
/// and so the golden fingerprints: append new kinds at the end, never renumber.
enum class Ev : std::uint16_t {
    TemplateUpdated,
    CtlObserveCreate,
    CtlObserveDelete,
    CtlObserveUpdate,
    CtlObserveReady,
    CtlSync,
    CtlWake,
    SchedAttempt,
    SchedBind,
    KlPodAdded,
    KlSandboxReady,
    KlPullDone,
    KlContainerSeen,
    KlContainerDiedSeen,
    KlRestartRetry,
    KlProcListen,
    KlProcServe,
    KlProcExit,
    KlSigterm,
    KlKillDeadline,
    KlProbe,
    KlResync,
    KlSeeDeletion,
    ApiStatusWrite,
    ApiObjectDelete,
    SchedObservePodGone,
    LbCheck,
    EndpointSync,
    OpCheck,
    OpSoakDone,
    OpTimeout,
    OpVerify,
    ClusterEventStart,  ///< target = event index, payload = node
    ClusterEventEnd,    ///< ditto: the event is undone (`for`)
    NodeMonitor,        ///< the node lifecycle controller acts on a node's health (target = node)
    PodGcOrphans,       ///< PodGC force-deletes the pods of a deleted node
    OtherPodExit,       ///< target = node, payload = index of its other pod: it has exited
    OtherPodGone,       ///< ... its terminal status or deletion reached the scheduler
    EvictionTick,       ///< a kubelet's eviction manager synchronises (target = node)
    PressureEnd,        ///< a pressure condition clears (target = node, payload = condition)
    RegistryProgress,   ///< the next shared pull completes
    KlPullRetry,        ///< the pod worker retries a pull in ImagePullBackOff
    KlInitDone,         ///< the process's own init is done: it asks the config backend
    BackendDone,        ///< the config backend finished this start's configuration
    KlDetachedKill,     ///< a kubelet sees a force-deleted pod gone (target = detached index)
    KlDetachedExit,     ///< ... its process exits or is killed
    DetachedEndpointGone,  ///< ... its endpoint is removed (service mode)
};

/// A node's health as its kubelet and the node lifecycle controller see it.
enum class NodeHealth : std::uint8_t { Ready, NotReady, Unreachable };

/// Pressure conditions, as bits.
enum Pressure : std::uint8_t { kMemoryPressure = 1, kDiskPressure = 2, kPidPressure = 4 };

/// A pod that is not the DaemonSet's, during a trial.
enum class OtherState : std::uint8_t { Running, Terminating, Gone };

/// Why the scheduler could not place a pod (the first failing filter).
enum class Unschedulable : std::uint8_t { None, HostPort, Cpu, Memory, Pods, Taint, NodeGone };

/// Where a pod's kubelet is in its life.
enum class Stage : std::uint8_t {
    None,          ///< not bound, or the kubelet has not seen it yet
    Sandbox,       ///< creating the sandbox and network
    Pulling,       ///< waiting for / pulling the image
    ImageError,    ///< imagePullPolicy Never and the image is absent
    ImagePullBackOff,  ///< the pull failed (no image for this node's platform); retried with back-off
    Running,       ///< the container is running
    BackOff,       ///< the container exited; waiting to restart (CrashLoopBackOff)
    Terminating,   ///< being killed for deletion
    Terminated,    ///< every container has exited for good
};

/// The kubelet's and the process's view of one pod (parallel to the Cluster's pod slots).
struct PodRuntime {
    std::uint32_t uid = 0;
    std::uint32_t serial = 0;  ///< pods created on this node so far (keys random streams)
    Stage stage = Stage::None;
    bool assumed = false;  ///< the scheduler has reserved room; the binding is in flight
    // Scheduler
    std::int32_t sched_attempts = 0;
    SimTime sched_last;
    Unschedulable unschedulable = Unschedulable::None;  ///< the last failed fit
    std::uint16_t conflict_port = 0;   ///< index into the revision's host ports
    bool conflict_holder_old = false;  ///< the port is held by an old-revision pod
    bool conflict_holder_terminating = false;
    std::uint16_t conflict_held = 0;   ///< 1 + index into the node's other pods, or 0
    bool nominated = false;  ///< preemption victims are terminating for this pod
    // Container
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
    SimTime started_at;
    SimTime ready_at;
    SimTime finished_at;
    bool last_exit_ok = true;
    BackoffEntry crash_backoff;
    // Image pulls and the config backend
    SimTime pull_asked;             ///< when the kubelet asked for the image
    BackoffEntry image_backoff;
    bool backend_waiting = false;   ///< queued at the config backend
    bool backend_busy = false;      ///< being served by it
    // Termination
    bool evicted = false;           ///< killed by the eviction manager: phase Failed, not deleted
    std::optional<SimTime> crash_after_serving;  ///< a crashAfterServing fault, armed when it serves
    bool kill_for_restart = false;  ///< a liveness/startup kill, not a deletion
    SimTime kill_grace;  ///< what is left of the grace period once preStop is done
    // Probes
    ProbeWorker probes[3];
    // Traffic: the endpoint (service mode), and what this pod currently adds to its node's and
    // the world's counters (so that every change is applied as a difference, once).
    bool endpoint_ready = false;
    bool c_serving = false;
    bool c_listening = false;
    bool c_covered = false;
    bool c_draining = false;
    bool c_false_ready = false;
    bool c_good = false;
    bool c_broken = false;
    kernel::Rng jitter{0};
};

/// The entity of a container start's random streams: its node, the pod's serial on that node
/// and the start number, so no other node's history moves its draws.
inline std::uint64_t container_entity(const Pod& p, const PodRuntime& r) {
    return (std::uint64_t{p.node} << 32) | (std::uint64_t{r.serial} << 8) |
           static_cast<std::uint64_t>(r.starts & 0xff);
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
    ProbeResult lb_last = ProbeResult::Success;
    std::int32_t lb_run = 0;
    SimTime lb_anchor;
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

/// What the operator (operator.cpp) has done so far in a trial, and when the change went public.
struct OperatorState {
    bool queued = false;   ///< a check is scheduled
    bool soaking = false;
    bool done = false;
    bool patched = false;  ///< Canary: the rolling strategy is in
    std::optional<std::string> failure;
    std::vector<NodeId> batch;
    std::size_t next = 0;  ///< Batches: the next node to consider, in cluster order
    bool test_active = false;  ///< TestThenPromote: the test DaemonSet exists
    std::optional<SimTime> promoted_at;  ///< when the public DaemonSet got the new template
    std::optional<SimTime> test_ended_at;
    std::int32_t public_new_crashes = 0;  ///< new-revision public containers that exited uncleanly

    /// A new trial; the batch keeps its memory.
    void reset() {
        auto keep = std::move(batch);
        keep.clear();
        *this = OperatorState{};
        batch = std::move(keep);
    }
};

/// The traffic and coverage measures of one trial: piecewise-constant integrals over the
/// counters, advanced whenever one changes, and the windows' extremes (traffic.cpp). One value,
/// so a trial's reset is `meters_ = TrafficMeters{}`.
struct TrafficMeters {
    SimTime last_advance;
    std::int64_t error_ms = 0;  ///< milliseconds of node-time, like the four below
    std::int64_t outage_node_ms = 0;
    std::int64_t total_outage_ms = 0;
    std::int64_t false_ready_ms = 0;
    std::int64_t gap_node_ms = 0;
    std::int32_t tracked_nodes = 0;
    std::int32_t serving_nodes = 0;
    std::int32_t good_backends = 0;    ///< in rotation and serving
    std::int32_t broken_backends = 0;  ///< in rotation and not serving
    std::int32_t false_ready = 0;      ///< pods Ready in the API but not serving
    std::int32_t uncovered = 0;
    std::int32_t max_uncovered = 0;
    double min_serving_fraction = 1.0;
    std::int32_t outage_windows = 0;
    SimTime longest_outage;
    SimTime longest_gap;

    /// Integrates every measure up to `t`; the service is out altogether while no backend is
    /// good (not in coverage mode, where nothing is served).
    void advance_to(SimTime t, bool served);
    /// The measures into `o` (its end already set).
    void finish(TrialOutcome& o) const;
};

/// One image transfer from the shared registry.
struct Transfer {
    PodId pod = 0;
    std::uint32_t uid = 0;
    NodeId node = 0;
    double remaining = 0;  ///< bytes
};

/// The shared bottlenecks' state in a trial (registry.cpp): the image registry's pulls under
/// way and the configuration backend's queue, with the pull measures.
struct SharedBackends {
    std::vector<Transfer> transfers;  ///< registry pulls under way
    SimTime registry_last;            ///< when the transfers were last advanced
    std::int32_t config_busy = 0;     ///< configuration requests being served
    std::deque<std::pair<PodId, std::uint32_t>> config_queue;  ///< FIFO of (pod, uid); stale entries skipped
    std::int64_t pull_ms_sum = 0;
    std::int64_t pull_ms_max = 0;
    std::int32_t pulls = 0;

    /// A new trial; the containers keep their memory.
    void reset() {
        transfers.clear();
        registry_last = SimTime::zero();
        config_busy = 0;
        config_queue.clear();
        pull_ms_sum = pull_ms_max = 0;
        pulls = 0;
    }
};

class World final : private PodControl {
public:
    World() = default;
    World(const World&) = delete;
    World& operator=(const World&) = delete;

    /// Runs one trial of `v` and summarises it. Reuses this World's memory across trials.
    TrialOutcome run_trial(const VariantModel& v, std::uint64_t seed, std::uint64_t trial,
                           TraceSink* trace);
    /// run_trial in two halves, for the benchmark: the set-up (the live pods, the first events),
    /// then the event loop and the summary.
    void prepare(const VariantModel& v, std::uint64_t seed, std::uint64_t trial, TraceSink* trace) {
        setup(v, seed, trial, trace);
    }
    TrialOutcome finish();

    /// The kernel's handler entry point.
    bool handle(const kernel::Event& e);

private:
    // ---- world.cpp: set-up, API, controller glue, outcome
    void setup(const VariantModel& v, std::uint64_t seed, std::uint64_t trial, TraceSink* trace);
    void place_old_pod(NodeId node);
    const Revision& revision_of(const Pod& p) const {
        if (p.owner != 0) return v_->test_revision;
        return p.revision == v_->new_revision.id ? v_->new_revision : v_->old_revision;
    }
    void create_pod(NodeId node) override;
    void delete_pod(PodId pod) override;
    void enqueue_after(SimTime delay) override;
    void record_event(ControllerEventKind kind, PodId pod) override;
    void enqueue_sync(std::uint8_t owner);
    void wait_after(std::uint8_t owner, SimTime delay);  ///< workqueue AddAfter for `owner`
    void controller_sync(std::uint8_t owner);
    void notify_controller(Ev kind, std::uint8_t owner);
    void apply_template(std::uint8_t owner);  ///< the public DaemonSet's template change
    void write_status(PodId pod);
    void apply_status(PodId pod);
    void remove_pod_object(PodId pod);
    TrialOutcome outcome(kernel::RunEnd end);
    /// Why an incomplete rollout is stuck: {key without node names, reason naming a node}.
    std::pair<std::string, std::string> stall_reason() const;
    std::string unschedulable_text(PodId pod) const;
    std::string image_pull_text(PodId pod) const;  ///< why a pod is in ImagePullBackOff

    // ---- scheduler.cpp
    void schedule_attempt(PodId pod);
    /// NodePorts and NodeResourcesFit for `pod` on its node. With a `preemptor` priority,
    /// running other pods of lower priority are left out unless reprieved (preemption's
    /// what-if).
    Unschedulable fit(PodId pod, std::optional<std::int32_t> preemptor);
    void preempt(PodId pod);
    void bind(PodId pod);
    void retry_pending_on(NodeId node);

    // ---- kubelet.cpp
    void kubelet_event(const kernel::Event& e);  ///< the Kl* events, the processes' and the backend's
    void kubelet_pod_added(PodId pod);
    void sandbox_ready(PodId pod);
    void ensure_image_then_start(PodId pod);
    void pull_done(PodId pod);
    void start_container(PodId pod);
    void container_seen(PodId pod);
    void process_listen(PodId pod);
    void process_serve(PodId pod);
    void process_exit(PodId pod, bool ok);
    void container_died_seen(PodId pod);
    void restart_retry(PodId pod);
    void pull_retry(PodId pod);
    void kill_container(PodId pod, SimTime grace, bool for_restart);
    void sigterm(PodId pod);
    void see_deletion(PodId pod);
    /// A force deletion: the process outlives its pod object until its kubelet kills it.
    void detach_container(PodId pod);
    void detached_kill(std::uint32_t index);
    void detached_exit(std::uint32_t index, bool with_machine = false);
    void detached_endpoint_gone(std::uint32_t index);
    /// SyncTerminatingPod: stops liveness and startup, kills the containers with `grace`.
    void kill_pod(PodId pod, SimTime grace);
    void pod_sync(PodId pod);
    void probe_tick(PodId pod, ProbeKind kind);
    void probe_attempt(PodId pod, ProbeKind kind);
    void probe_reschedule(PodId pod, ProbeKind kind);
    void probe_published(PodId pod, ProbeKind kind, ProbeResult r);
    void set_ready(PodId pod, bool ready);
    bool surface_up(const PodRuntime& rt, Surface s) const;
    void reschedule_probes(PodId pod);

    // ---- node_lifecycle.cpp
    const NodeSpec& node_spec(NodeId n) const { return live_nodes_.empty() ? (*v_->nodes)[n] : live_nodes_[n]; }
    void dynamics_setup();
    void cluster_event(std::uint32_t index, NodeId node, bool start);
    void schedule_next_occurrence(std::uint32_t index, NodeId node);
    void node_monitor(NodeId node);
    void set_taint(NodeId node, const char* key, const char* effect, bool on);
    void node_changed_eligibility(NodeId node);
    Eligibility judge(std::uint8_t owner, NodeId node) const;
    void mark_pods_not_ready(NodeId node);
    void kubelet_stop(NodeId node);
    void kubelet_start(NodeId node);
    void pod_gc_orphans(NodeId node);
    /// The node's k-th other pod is preempted, evicted or drained: it terminates, then is gone.
    void other_pod_terminate(NodeId node, std::uint32_t k, SimTime grace, const char* why);
    void other_pod_exit(NodeId node, std::uint32_t k);
    void other_pod_gone(NodeId node, std::uint32_t k);
    bool kubelet_can_act(PodId pod) const { return !nodes_[cluster_.pod(pod).node].kubelet_down; }

    // ---- eviction.cpp
    bool admit(PodId pod);  ///< kubelet admission under pressure; false: rejected (Failed)
    void pressure_start(NodeId node, std::uint8_t bit, std::int64_t reclaim);
    void pressure_signal_end(NodeId node, std::uint8_t bit);
    void pressure_end(NodeId node, std::uint8_t bit);
    void eviction_tick(NodeId node);

    // ---- registry.cpp
    bool registry_modelled(const Revision& rev) const {
        return v_->registry.bandwidth > 0 && rev.behaviour->image_size > 0;
    }
    void registry_pull(PodId pod);
    void registry_abort(PodId pod);
    void registry_progress();
    void registry_advance();
    void registry_rebalance();
    void registry_next_on(NodeId node);
    void pull_finished(PodId pod);  ///< records the pull time
    void config_ask(PodId pod);
    void config_done(PodId pod);
    void config_release(PodId pod);

    // ---- operator.cpp
    void operator_poke();
    void operator_check();
    void operator_next_batch();
    bool operator_batch_ready() const;
    void operator_timeout();
    void test_start();
    void test_check();
    void test_verify();
    bool test_all_serving() const;
    void test_remove();  ///< deletes the test DaemonSet: its pods go

    // ---- traffic.cpp
    void traffic_reset();
    void traffic_start();  ///< after set-up: opens the windows of nodes that start uncovered
    void traffic_advance();  ///< integrates the measures up to now()
    void traffic_advance_to(SimTime t);
    void node_changed(NodeId node);
    void backend_update(NodeId node);
    void lb_reschedule(NodeId node);
    void lb_check(NodeId node);
    static bool lb_sees_up(const NodeRuntime& n, const HealthCheckSpec& hc);
    void endpoint_sync(PodId pod);
    void pod_traffic_changed(PodId pod);
    void traffic_finish(TrialOutcome& o);

    void trace_baseline();
    void trace(TraceKind kind, NodeId node, PodId pod, std::int64_t a = 0, std::int64_t b = 0,
               std::string_view text = {});
    void trace(TraceKind kind, const DetachedContainer& d, std::int64_t a = 0, std::int64_t b = 0);

    // Timer slots: [controller wake, operator][node slots][pod slots].
    static constexpr std::uint32_t kTimerOperator = 1;
    static constexpr std::uint32_t kTimerTestWake = 2;  ///< the test DaemonSet's workqueue wait
    static constexpr std::uint32_t kTimerVerify = 3;
    static constexpr std::uint32_t kGlobalTimers = 5;
    static std::uint32_t wake_timer(std::uint8_t owner) { return owner == 0 ? 0 : kTimerTestWake; }
    static constexpr std::uint32_t kPodSlots = 10;  // the PodSlot values below
    enum PodSlot : std::uint32_t {
        kSlotLifecycle, kSlotListen, kSlotServe, kSlotExit, kSlotKill, kSlotProbe0,
        kSlotProbe1, kSlotProbe2, kSlotResync, kSlotSched,
    };
    std::uint32_t node_timer(NodeId n) const { return kGlobalTimers + n; }
    std::uint32_t pod_timer(PodId p, std::uint32_t slot) const {
        return kGlobalTimers + static_cast<std::uint32_t>(nodes_.size()) + p * kPodSlots + slot;
    }
    /// pod_timer, with the timer slots grown to hold the pod's.
    std::uint32_t sized_pod_timer(PodId p, std::uint32_t slot) {
        sim_.resize_timers(pod_timer(p, kPodSlots));
        return pod_timer(p, slot);
    }
    void arm_pod(PodId p, std::uint32_t slot, SimTime at, std::uint8_t phase, Ev kind) {
        sim_.arm(sized_pod_timer(p, slot), at, phase, static_cast<std::uint16_t>(kind), p);
    }
    void cancel_pod(PodId p, std::uint32_t slot) { sim_.cancel(pod_timer(p, slot)); }
    void at(SimTime t, std::uint8_t phase, Ev kind, std::uint32_t target, std::uint32_t payload = 0) {
        sim_.schedule_at(t, phase, static_cast<std::uint16_t>(kind), target, payload);
    }
    PodRuntime& rt(PodId p) { return runtime_[p]; }
    static constexpr std::uint32_t kTimerRegistry = 4;

    kernel::Simulation sim_;
    const VariantModel* v_ = nullptr;
    // A changing cluster
    std::vector<NodeSpec> live_nodes_;  ///< the nodes as they are now; empty: as in the scenario
    std::vector<OtherState> others_;    ///< every node's other pods, node by node
    std::vector<bool> victim_kept_;     ///< preemption scratch: candidates reprieved
    std::vector<DetachedContainer> detached_;  ///< processes of force-deleted pods, this trial
    SharedBackends backends_;  ///< the registry and the configuration backend (registry.cpp)
    std::int32_t preemptions_ = 0;
    std::int32_t evictions_ = 0;
    std::int32_t rejections_ = 0;
    TraceSink* trace_ = nullptr;
    Cluster cluster_;
    DaemonSetController dsc_[Cluster::kMaxDaemonSets];
    std::uint8_t syncing_ = 0;  ///< the DaemonSet whose controller is syncing (for PodControl)
    std::vector<PodRuntime> runtime_;
    std::vector<NodeRuntime> nodes_;
    bool sync_queued_[Cluster::kMaxDaemonSets] = {};
    OperatorState op_;  ///< the operator's progress (operator.cpp)
    bool setting_up_ = false;  ///< placing the live pods at t = 0: no windows open or close
    std::optional<SimTime> completed_at_;
    std::int64_t restarts_total_ = 0;
    TrafficMeters meters_;  ///< the traffic and coverage measures (traffic.cpp)
};

}  // namespace rollsim::model
