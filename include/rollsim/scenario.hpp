#pragma once
/// @file scenario.hpp
/// A scenario: the cluster, the current and proposed DaemonSets, how the workload behaves, how
/// traffic reaches it, and the variants to compare. Plain structs with defaults; the loader
/// (rollsim/io.hpp) fills and validates them, resolving units (durations in milliseconds,
/// quantities in millicores and bytes). Keys are documented in docs/scenario.md.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rollsim/daemonset.hpp"
#include "rollsim/distribution.hpp"
#include "rollsim/sim_time.hpp"

namespace rollsim {

/// A host port held on a node by a pod that is not the DaemonSet's.
struct HeldHostPort {
    std::int32_t port = 0;
    std::string protocol = "TCP";
    std::string ip = "0.0.0.0";
};

/// pkg/apis/core/v1/helper/qos GetPodQOS.
enum class QosClass : std::uint8_t { BestEffort, Burstable, Guaranteed };
const char* to_string(QosClass q);

/// pkg/apis/scheduling: the built-in classes' values, and IsCriticalPod's threshold.
inline constexpr std::int32_t kSystemClusterCritical = 2'000'000'000;
inline constexpr std::int32_t kSystemNodeCritical = 2'000'001'000;

/// A pod on a node that is not the DaemonSet's (a pool's `pods`, or imported from a pod list).
/// It can be preempted, evicted or drained; it is never recreated in the simulation.
struct OtherPod {
    std::string name;       ///< namespace/name
    Resources requests;     ///< what the scheduler counts (pods = 1)
    std::int32_t priority = 0;
    bool preempt_never = false;  ///< preemptionPolicy: Never
    QosClass qos = QosClass::Burstable;
    std::int64_t memory_usage = 0;  ///< working set, for the kubelet's eviction ranking
    std::int64_t disk_usage = 0;    ///< ephemeral storage in use, ditto
    std::int64_t disk_request = 0;  ///< ephemeral-storage request
    SimTime grace = SimTime::seconds(30);  ///< terminationGracePeriodSeconds
    SimTime shutdown = SimTime::seconds(1);  ///< SIGTERM -> exit
    std::vector<HeldHostPort> host_ports;
    std::string priority_class_name;  ///< resolved into `priority` by the loader
    bool critical() const { return priority >= kSystemClusterCritical; }
};

/// A concrete node (pools are expanded into nodes by the loader).
struct NodeSpec {
    std::string name;
    std::string pool;
    std::map<std::string, std::string> labels;
    std::vector<Taint> taints;
    Resources allocatable{4000, 8LL << 30, 110};
    /// Requests set aside on the node that no pod frees (system daemons the scenario lumps).
    Resources reserved;
    std::vector<OtherPod> pods;  ///< the other pods on the node
    bool present = true;         ///< false: the node joins during the rollout (a Join event)
    bool from_node_list = false; ///< a real node (kubectl get nodes), not a pool's made-up one
    /// reserved plus every other pod's requests.
    Resources requested_by_others() const {
        Resources r = reserved;
        for (const auto& p : pods) r += p.requests;
        return r;
    }
};

struct NodePoolSpec {
    std::string name;
    std::int32_t count = 1;
    std::map<std::string, std::string> labels;
    std::vector<Taint> taints;
    Resources allocatable{4000, 8LL << 30, 110};
    Resources reserved;
    std::vector<OtherPod> pods;  ///< on every node of the pool (names get the node's suffix)
};

/// A PriorityClass (scheduling.k8s.io/v1): the built-in two, and those of cluster.priorityClassesFile.
struct PriorityClassSpec {
    std::string name;
    std::int32_t value = 0;
    bool global_default = false;
    bool preempt_never = false;  ///< preemptionPolicy: Never
};

/// How some of the live DaemonSet's pods stand when the change is applied
/// (spec.daemonSet.startingPods; docs/scenario.md, "Starting pods"). The nodes not named by any
/// entry start with a Ready pod.
struct StartingPods {
    enum class State : std::uint8_t {
        Ready,
        NotReady,          ///< running, its readiness failing: the process does not serve
        CrashLoopBackOff,  ///< the container exited and waits out its restart back-off
        Missing,           ///< no pod on an eligible node
        Pending,           ///< not bound yet: the scheduler tries again at the change
        Terminating,       ///< deleted, its process killed: `grace_left` of its grace remains
        Misscheduled,      ///< running, Ready, on a node the live template no longer selects
    };
    State state = State::Ready;
    std::int32_t count = 0;          ///< this many nodes, or
    std::optional<double> percent;   ///< this percent of the candidates, rounded up
    std::string pool;                ///< candidates: the pool's nodes (empty: every node)
    std::vector<std::uint32_t> nodes;  ///< or exactly these nodes (then no draw)
    std::int32_t restarts = 5;       ///< CrashLoopBackOff: the restarts so far
    std::optional<SimTime> grace_left;  ///< Terminating: the grace still to run (default: all of it)
    SourceRef source;                ///< the entry
    std::string path;                ///< its key path: spec.daemonSet.startingPods[i]
    bool imported = false;           ///< read from cluster.podsFile (one pod, or a node with none)
    bool older = false;              ///< revision: older, a pod of an earlier template
};
const char* to_string(StartingPods::State s);

/// A rollback during the rollout (spec.events, action Rollback): `kubectl rollout undo` by
/// hand at a time, or by a pipeline when a condition holds (docs/scenario.md, "Rollback").
struct RollbackAction {
    std::optional<SimTime> at;                           ///< at this time, or when
    std::optional<SimTime> not_complete_after;           ///< ... the rollout is not complete by then
    std::optional<double> error_seconds_over;            ///< ... client errors pass this many node-seconds
    std::optional<std::int32_t> unavailable_nodes_over;  ///< ... numberUnavailable stays above this
    SimTime for_;                                        ///< ... for this long
    SourceRef source;
    std::string path;  ///< its key path: spec.events[i]
};

/// Something that happens to nodes during the rollout (docs/scenario.md, "Cluster events").
struct ClusterEvent {
    enum class Kind : std::uint8_t {
        Unreachable,     ///< the node stops: kubelet and processes; Ready=Unknown after the grace period
        NotReady,        ///< the kubelet reports Ready=False; processes keep running
        Ready,           ///< back to Ready (a stopped node reboots its pods)
        Cordon,
        Uncordon,
        Drain,           ///< cordon, then evict every pod that is not a DaemonSet's
        Join,            ///< the node (a pool's extra node) is added
        Leave,           ///< the Node object is deleted; PodGC deletes its pods
        Labels,          ///< labels set or removed
        MemoryPressure,
        DiskPressure,
        PIDPressure,
    };
    Kind kind = Kind::Ready;
    SimTime at;                       ///< when (with `ratePerHour`: unused)
    std::optional<double> rate_per_hour;  ///< per node: Poisson arrivals instead of one `at`
    std::optional<SimTime> duration;  ///< `for`: undone after this long (pressure ends, node Ready, ...)
    std::vector<std::uint32_t> nodes; ///< indices into ScenarioSpec::nodes
    std::map<std::string, std::optional<std::string>> labels;  ///< Labels: set, or remove (nullopt)
    std::int64_t reclaim = 0;  ///< pressure: bytes of usage whose eviction relieves it (0: only `for`)
    SourceRef source;
};
const char* to_string(ClusterEvent::Kind k);

/// An image registry whose bandwidth every concurrent pull shares (docs/scenario.md).
struct RegistrySpec {
    std::int64_t bandwidth = 0;       ///< bytes per second, shared; 0: no registry model
    std::int64_t node_bandwidth = 0;  ///< bytes per second one node can take; 0: no cap
};

/// The backend the service generates its configuration from, with limited concurrency.
struct ConfigBackendSpec {
    std::int32_t concurrency = 0;  ///< 0: no backend model
    DistributionSpec time = DistributionSpec::constant(10);  ///< one start's config generation, seconds
};

/// Control-plane and kubelet delays. All zero gives the idealised timeline.
struct Latencies {
    SimTime watch = SimTime::millis(100);          ///< an object change reaching a watcher
    SimTime schedule = SimTime::millis(50);        ///< scheduler: fit found -> binding written
    SimTime sandbox = SimTime::seconds(1);         ///< pod sandbox and network before containers
    SimTime status_update = SimTime::millis(500);  ///< kubelet status change -> API
    SimTime pleg = SimTime::millis(500);           ///< container state change -> kubelet sees it
};

/// How the process behaves, per revision. Durations in seconds.
struct Behaviour {
    DistributionSpec image_pull = DistributionSpec::constant(5);
    DistributionSpec image_check = DistributionSpec::constant(0.3);  ///< imagePullPolicy Always, cached
    DistributionSpec listen = DistributionSpec::constant(1);   ///< container start -> accepts connections
    DistributionSpec serve = DistributionSpec::constant(5);    ///< container start -> request path works
    DistributionSpec shutdown = DistributionSpec::constant(1); ///< SIGTERM -> exit
    DistributionSpec pre_stop = DistributionSpec::constant(0); ///< an exec/httpGet preStop hook's run time
    /// The preStop hook drains: from its start the process fails the load balancer's health
    /// check while it still serves requests (an exec or httpGet hook to the daemon's own drain
    /// endpoint; the sleep action cannot do this).
    bool pre_stop_drains = false;
    Surface readiness_surface = Surface::Serving;
    Surface liveness_surface = Surface::Listening;
    Surface startup_surface = Surface::Listening;
    double crash_on_start = 0;  ///< probability that a container start crashes before listening
    double never_serves = 0;    ///< probability that a container start never reaches serving
    double crash_after_serving = 0;  ///< probability that a start crashes after it began serving
    DistributionSpec crash_after = DistributionSpec::constant(30);  ///< serving -> that crash
    /// container start -> a crashOnStart crash; absent: when it would have started listening
    std::optional<DistributionSpec> crash_on_start_after;
    std::int64_t image_size = 0;  ///< bytes; with a registry, pulls move this much
    /// The platforms the image's manifest list has (`kubernetes.io/arch` values); empty: all.
    std::vector<std::string> image_architectures;
    /// How a restarted container behaves, when that differs from a cold start (afterRestart).
    std::shared_ptr<const Behaviour> after_restart;
};

struct WorkloadSpec {
    std::string container;  ///< the container rollsim models; empty: the first container
    /// What the DaemonSet is, when the user says so (spec.workload.kind, review --workload);
    /// otherwise the rollsim.io/workload annotation, or what rollsim infers.
    std::optional<WorkloadKind> kind;
    SourceRef kind_source;  ///< spec.workload.kind's line, or {"--workload", 0} for review's flag
    Behaviour current;      ///< the live revision
    Behaviour proposed;     ///< the new revision (current with workload.proposed overrides)
    /// workload.containers: the pod's other containers (and sidecars) by name, where they
    /// behave unlike `current` / `proposed` (every container not named behaves as those).
    std::map<std::string, Behaviour> current_containers;
    std::map<std::string, Behaviour> proposed_containers;
    SourceRef containers_source;  ///< where workload.containers was written
    ConfigBackendSpec config_backend;
};


struct HealthCheckSpec {
    bool enabled = false;  ///< false: `healthCheck: none`, every broken moment is an error
    SimTime interval = SimTime::seconds(10);
    std::int32_t unhealthy_threshold = 3;
    std::int32_t healthy_threshold = 2;
    Surface surface = Surface::Serving;
};

struct TrafficSpec {
    TrafficMode mode = TrafficMode::HostPort;
    HealthCheckSpec health_check;
    /// service mode: EndpointSlice change -> proxies on every node apply it
    SimTime endpoint_propagation = SimTime::seconds(1);
};

/// An operator who drives a rollout by hand (docs/scenario.md, "Operator plans").
struct OperatorSpec {
    enum class Kind : std::uint8_t {
        None,     ///< the DaemonSet controller alone
        Batches,  ///< OnDelete: delete the old pods of k nodes, wait until Ready, soak, repeat
        Canary,   ///< OnDelete on a first set of nodes, soak, then patch to a rolling strategy
        TestThenPromote,  ///< a test DaemonSet on alternate ports first, then the public rollout
    };
    Kind kind = Kind::None;
    IntOrString batch_size = IntOrString::of(1);  ///< Batches: nodes per batch, or a percentage
    SimTime soak;                                 ///< after a batch (or the canary) is Ready
    SimTime timeout = SimTime::minutes(30);       ///< give up when a batch is not Ready by then
    std::int32_t canary_count = 1;                ///< Canary: the first N eligible nodes by name ...
    std::map<std::string, std::string> canary_selector;  ///< ... or the nodes with these labels
    UpdateStrategySpec then;                      ///< Canary, TestThenPromote: the strategy after
    std::int32_t port_offset = 10000;             ///< TestThenPromote: test hostPort = port + offset
    SimTime poll = SimTime::seconds(10);          ///< TestThenPromote: how often the test is checked
};

/// One strategy to try.
struct StrategyVariant {
    std::string name;
    bool as_proposed = false;  ///< use the proposed manifest's own strategy
    UpdateStrategySpec update_strategy;
    std::optional<std::int32_t> min_ready_seconds;
    OperatorSpec operator_plan;
    SourceRef source;
    /// Where the strategy the API server validates was written (updateStrategy, or the
    /// canary's or test's `then`), and its key path; empty for as-proposed.
    SourceRef strategy_source;
    std::string strategy_path;
};

/// One probe configuration to try on the modelled container of the proposed revision.
struct ProbeVariant {
    std::string name;
    bool as_proposed = false;
    /// For each probe type: absent = keep the proposed manifest's; present with no value = remove.
    std::optional<std::optional<ProbeSpec>> startup;
    std::optional<std::optional<ProbeSpec>> readiness;
    std::optional<std::optional<ProbeSpec>> liveness;
    /// rollsim sizes the startup and readiness probes from the new revision's `serve`
    /// distribution: startup budget = p99.9 x margin, both probes every `period` on the serving
    /// path (docs/scenario.md, "Probe variants").
    std::optional<double> sized_margin;
    std::int32_t sized_period_seconds = 5;
    SourceRef source;
};

struct Limits {
    std::optional<double> max_error_seconds;
    std::optional<SimTime> max_rollout_duration;
    std::optional<std::int32_t> max_uncovered_nodes;
    /// Alerts that must not page (docs/alerts.md): each may fire in at most 10% of trials, the
    /// limits' p90; naming one makes every run evaluate the alerting rules.
    std::vector<std::string> no_alerts;
    /// review: an alert firing in more than this share of trials is a blocking finding (else a
    /// warning above 10%).
    std::optional<double> max_alert_fraction;
    /// Where each limit is written in the scenario file (its key's line), and "completion" at
    /// the `variants` key (else line 1): the places recommend's SARIF points at.
    std::map<std::string, std::int32_t, std::less<>> lines;
};

struct ScenarioSpec {
    std::string name;
    std::string file;       ///< path the scenario was read from
    std::string sha256;     ///< of the scenario file and every manifest it names, in order
    std::string kubernetes_version = "1.31";
    std::uint64_t seed = 1;
    std::int32_t trials = 100;
    SimTime horizon = SimTime::hours(24);
    std::vector<NodePoolSpec> node_pools;
    std::vector<NodeSpec> nodes;  ///< every node, pools expanded, in a stable order
    std::vector<PriorityClassSpec> priority_classes;  ///< the built-in ones first
    std::vector<ClusterEvent> events;
    std::vector<RollbackAction> rollbacks;  ///< spec.events with action Rollback
    /// spec.events' `{at, action: Apply, change}`: a second change landing mid-rollout, the
    /// proposed DaemonSet with the overrides of `change` (as daemonSet.change takes them).
    struct SecondChange {
        SimTime at;
        DaemonSetSpec daemonset;
        SourceRef source;
        std::string path;
    };
    std::optional<SecondChange> second_change;
    RegistrySpec registry;
    Latencies latencies;
    DaemonSetSpec current;
    DaemonSetSpec proposed;
    std::vector<StartingPods> starting_pods;  ///< in order: earlier entries choose first
    WorkloadSpec workload;
    TrafficSpec traffic;
    std::vector<StrategyVariant> strategies;  ///< never empty after loading
    std::vector<ProbeVariant> probes;         ///< never empty after loading
    Limits limits;
};

}  // namespace rollsim
