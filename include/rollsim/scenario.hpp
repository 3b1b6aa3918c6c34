#pragma once
/// @file scenario.hpp
/// A scenario: the cluster, the current and proposed DaemonSets, how the workload behaves, how
/// traffic reaches it, and the variants to compare. Plain structs with defaults; the loader
/// (rollsim/io.hpp) fills and validates them, resolving units (durations in milliseconds,
/// quantities in millicores and bytes). Keys are documented in docs/scenario.md.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "rollsim/daemonset.hpp"
#include "rollsim/distribution.hpp"
#include "rollsim/sim_time.hpp"

namespace rollsim {

/// A host port held on a node by a pod that is not the DaemonSet's (imported pods).
struct HeldHostPort {
    std::int32_t port = 0;
    std::string protocol = "TCP";
    std::string ip = "0.0.0.0";
    std::string holder;  ///< namespace/name of the pod
};

/// A concrete node (pools are expanded into nodes by the loader).
struct NodeSpec {
    std::string name;
    std::string pool;
    std::map<std::string, std::string> labels;
    std::vector<Taint> taints;
    Resources allocatable{4000, 8LL << 30, 110};
    /// Requests of the pods already on the node that are not part of the DaemonSet.
    Resources reserved;
    std::vector<HeldHostPort> held_host_ports;  ///< ... and their host ports
};

struct NodePoolSpec {
    std::string name;
    std::int32_t count = 1;
    std::map<std::string, std::string> labels;
    std::vector<Taint> taints;
    Resources allocatable{4000, 8LL << 30, 110};
    Resources reserved;
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
    Surface readiness_surface = Surface::Serving;
    Surface liveness_surface = Surface::Listening;
    Surface startup_surface = Surface::Listening;
    double crash_on_start = 0;  ///< probability that a container start crashes before listening
    double never_serves = 0;    ///< probability that a container start never reaches serving
    double crash_after_serving = 0;  ///< probability that a start crashes after it began serving
    DistributionSpec crash_after = DistributionSpec::constant(30);  ///< serving -> that crash
};

struct WorkloadSpec {
    std::string container;  ///< the container rollsim models; empty: the first container
    Behaviour current;      ///< the live revision
    Behaviour proposed;     ///< the new revision (current with workload.proposed overrides)
};

enum class TrafficMode : std::uint8_t { HostPort, Service, Coverage };

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
    Latencies latencies;
    DaemonSetSpec current;
    DaemonSetSpec proposed;
    WorkloadSpec workload;
    TrafficSpec traffic;
    std::vector<StrategyVariant> strategies;  ///< never empty after loading
    std::vector<ProbeVariant> probes;         ///< never empty after loading
    Limits limits;
};

}  // namespace rollsim
