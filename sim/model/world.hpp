#pragma once
/// @file world.hpp
/// One simulated cluster during one trial. The World owns the shared state (Trial) and one of
/// each component, routes every event to the component that handles its kind, and builds the
/// trial's outcome. The rules live in the components, one file each, with the upstream source
/// they come from (docs/architecture.md lists them):
///   controller_loop  the DaemonSet controller's informer and workqueue (PodControl)
///   api_server       pod objects, status writes, deletions, watch notifications
///   scheduler        NodePorts and NodeResourcesFit, preemption, binding, retries
///   kubelet          pod start, image pulls, restarts, termination, machine stop and start
///   prober           probe workers and container readiness
///   traffic          serving state, load-balancer checks, endpoints, the measures
///   node_lifecycle   cluster events, taints, NotReady marks, PodGC, the nodes' other pods
///   eviction         node pressure: admission, the eviction manager
///   registry         the shared image registry's bandwidth
///   config_backend   the configuration backend's queue
///   operator         batches, canaries, and the test DaemonSet before the public change
///
/// Example:
/// @code
///   World world;
///   TrialOutcome o = world.run_trial(variant, seed, trial, /*trace=*/nullptr);
/// @endcode

#include <cstdint>
#include <string>
#include <utility>

#include "model/api_server.hpp"
#include "model/config_backend.hpp"
#include "model/controller_loop.hpp"
#include "model/eviction.hpp"
#include "model/kubelet.hpp"
#include "model/node_lifecycle.hpp"
#include "model/operator.hpp"
#include "model/prober.hpp"
#include "model/registry.hpp"
#include "model/scheduler.hpp"
#include "model/traffic.hpp"
#include "model/trial.hpp"
#include "model/trial_outcome.hpp"

namespace rollsim::model {

class World final {
public:
    World() = default;
    World(const World&) = delete;
    World& operator=(const World&) = delete;

    /// Runs one trial of `v` and summarises it. Reuses this World's memory across trials.
    TrialOutcome run_trial(const VariantModel& v, std::uint64_t seed, std::uint64_t trial,
                           TraceSink* trace);
    /// run_trial in two halves, for the benchmark: the set-up (the live pods, the first events),
    /// then the event loop and the summary.
    void prepare(const VariantModel& v, std::uint64_t seed, std::uint64_t trial, TraceSink* trace);
    TrialOutcome finish();

    /// The last trial's simulation: its event counts by kind, for the benchmark.
    const kernel::Simulation& simulation() const { return t_.sim; }

    /// The kernel's handler entry point: each event to its component.
    bool handle(const kernel::Event& e);

private:
    /// Which entry of the scenario's startingPods each node's live pod follows (-1: Ready).
    void draw_starting_pods();
    /// A live pod of the current revision, Ready for an hour, or as `as` says.
    void place_old_pod(NodeId node, const StartingPods* as = nullptr);
    void start_as(PodId id, const StartingPods& as, std::uint64_t entity);
    void trace_baseline();
    TrialOutcome outcome(kernel::RunEnd end);
    /// Why an incomplete rollout is stuck.
    Stall stall() const;

    Trial t_;
    std::vector<std::int32_t> starting_;  ///< per node: draw_starting_pods' entry, or -1
    // The components; each holds references to those it calls.
    ControllerLoop controller_{t_, api_, lifecycle_, operator_};
    ApiServer api_{t_, kubelet_, traffic_, registry_, config_};
    Scheduler scheduler_{t_, api_, lifecycle_};
    Kubelet kubelet_{t_, api_, prober_, traffic_, registry_, config_, eviction_, lifecycle_};
    Prober prober_{t_, kubelet_, api_, traffic_};
    Traffic traffic_{t_, operator_};
    NodeLifecycle lifecycle_{t_, api_, kubelet_, eviction_, traffic_, operator_, controller_};
    Eviction eviction_{t_, lifecycle_, kubelet_, api_};
    Registry registry_{t_, kubelet_};
    ConfigBackend config_{t_, kubelet_};
    Operator operator_{t_, api_, controller_, lifecycle_, traffic_};
};

}  // namespace rollsim::model
