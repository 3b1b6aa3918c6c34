#pragma once
/// @file trial.hpp
/// The state every component of one trial shares, and the few services they all use: the
/// clock, the event queue and its timers, the random streams, the API objects (Cluster), each
/// pod's and node's runtime, and the trace. Each component (controller_loop, api_server,
/// scheduler, kubelet, prober, traffic, node_lifecycle, eviction, registry, config_backend,
/// operator) keeps its own state and holds a reference to this.

#include <cstdint>
#include <string_view>
#include <vector>

#include "kernel/simulation.hpp"
#include "model/cluster.hpp"
#include "model/events.hpp"
#include "model/runtime.hpp"
#include "model/trace.hpp"
#include "model/variant_model.hpp"

namespace rollsim::model {

// Timer slots: [the global timers][one per node][kPodSlots per pod].
constexpr std::uint32_t kTimerControllerWake = 0;  ///< the public DaemonSet's workqueue wait
constexpr std::uint32_t kTimerOperator = 1;
constexpr std::uint32_t kTimerTestWake = 2;  ///< the test DaemonSet's workqueue wait
constexpr std::uint32_t kTimerVerify = 3;
constexpr std::uint32_t kTimerRegistry = 4;
constexpr std::uint32_t kGlobalTimers = 5;

/// A pod's timer slots. The first kContainerSlots are its first container's; each further
/// container has its own kContainerSlots after kPodSlots (Trial::slot_of).
enum PodSlot : std::uint32_t {
    kSlotLifecycle, kSlotListen, kSlotServe, kSlotExit, kSlotKill, kSlotProbe0,
    kSlotProbe1, kSlotProbe2, kSlotResync, kSlotSched,
};
constexpr std::uint32_t kContainerSlots = 8;  ///< kSlotLifecycle .. kSlotProbe2
constexpr std::uint32_t kPodSlots = 10;

/// A pod timer's container and its slot among the container's (or the pod's own slot).
struct SlotRef {
    std::uint32_t container = 0;
    std::uint32_t slot = 0;
};

struct Trial {
    kernel::Simulation sim;
    const VariantModel* v = nullptr;
    Cluster cluster;
    std::vector<PodRuntime> pods;    ///< parallel to the Cluster's pod slots
    std::vector<NodeRuntime> nodes;
    std::vector<NodeSpec> live_nodes;  ///< the nodes as they are now; empty: as in the scenario
    std::vector<OtherState> others;    ///< every node's other pods, node by node
    std::vector<DetachedContainer> detached;  ///< processes of force-deleted pods
    TraceSink* sink = nullptr;
    std::uint64_t trace_kinds = 0;  ///< sink's kinds(), 0 without a sink
    bool setting_up = false;  ///< placing the live pods at t = 0: no windows open or close, no trace

    SimTime now() const { return sim.now(); }
    void at(SimTime t, std::uint8_t phase, Ev kind, std::uint32_t target, std::uint32_t payload = 0) {
        sim.schedule_at(t, phase, static_cast<std::uint16_t>(kind), target, payload);
    }
    kernel::Rng rng(std::uint64_t stream, std::uint64_t entity) const { return sim.rng(stream, entity); }

    /// Timer slots per pod: kPodSlots, and kContainerSlots for each container beyond the first
    /// of the variant's largest pod.
    std::uint32_t pod_slots = kPodSlots;

    std::uint32_t node_timer(NodeId n) const { return kGlobalTimers + n; }
    std::uint32_t pod_timer(PodId p, std::uint32_t slot) const {
        return kGlobalTimers + static_cast<std::uint32_t>(nodes.size()) + p * pod_slots + slot;
    }
    /// Container `c`'s timer slot `slot` (below kContainerSlots) among its pod's.
    static std::uint32_t slot_of(std::size_t c, std::uint32_t slot) {
        return c == 0 ? slot : kPodSlots + kContainerSlots * static_cast<std::uint32_t>(c - 1) + slot;
    }
    /// pod_timer, with the timer slots grown to hold the pod's.
    std::uint32_t sized_pod_timer(PodId p, std::uint32_t slot) {
        sim.resize_timers(pod_timer(p, pod_slots));
        return pod_timer(p, slot);
    }
    /// The slot of a pod timer's event.
    std::uint32_t pod_slot(const kernel::Event& e) const {
        const std::uint32_t i = e.timer - pod_timer(0, 0);
        return pod_slots == kPodSlots ? i % kPodSlots : i % pod_slots;  // one container: a constant divisor
    }
    /// The container and container slot of a pod timer's event (container 0 for the pod's own).
    SlotRef container_slot(const kernel::Event& e) const {
        const std::uint32_t s = pod_slot(e);
        if (s < kPodSlots) return SlotRef{0, s};
        return SlotRef{1 + (s - kPodSlots) / kContainerSlots, (s - kPodSlots) % kContainerSlots};
    }
    void arm_pod(PodId p, std::uint32_t slot, SimTime t, std::uint8_t phase, Ev kind) {
        sim.arm(sized_pod_timer(p, slot), t, phase, static_cast<std::uint16_t>(kind), p);
    }
    void cancel_pod(PodId p, std::uint32_t slot) { sim.cancel(pod_timer(p, slot)); }
    /// Every timer of the pod (its own and its containers').
    void cancel_pod_timers(PodId p) {
        for (std::uint32_t slot = 0; slot < pod_slots; ++slot) sim.cancel(pod_timer(p, slot));
    }

    PodRuntime& rt(PodId p) { return pods[p]; }
    const PodRuntime& rt(PodId p) const { return pods[p]; }
    /// The event's target is a pod slot that still holds the pod of uid `payload`.
    bool pod_ok(const kernel::Event& e) const { return holds(e.target, e.payload); }
    /// Slot `pod` still holds the pod with this uid (kNoPod never does).
    bool holds(PodId pod, std::uint32_t uid) const { return pod < cluster.pod_slots() && cluster.pod(pod).uid == uid; }
    const Revision& revision_of(const Pod& p) const {
        if (p.owner != 0) return v->test_revision;
        if (p.revision == v->new_revision.id) return v->new_revision;
        if (p.revision == kSecondRevision) return v->second->revision;
        return p.revision == kOlderRevision ? v->older_revision : v->old_revision;
    }
    const NodeSpec& node_spec(NodeId n) const { return live_nodes.empty() ? (*v->nodes)[n] : live_nodes[n]; }
    bool kubelet_can_act(PodId pod) const { return !nodes[cluster.pod(pod).node].kubelet_down; }

    /// The sink wants records of `kind` (TraceSink::kinds).
    bool tracing(TraceKind kind) const { return (trace_kinds >> static_cast<unsigned>(kind) & 1) != 0; }
    void trace(TraceKind kind, NodeId node, PodId pod, std::int64_t a = 0, std::int64_t b = 0,
               std::string_view text = {});
    void trace(TraceKind kind, const DetachedContainer& d, std::int64_t a = 0, std::int64_t b = 0);
    /// A record about container `c` of `pod`, naming it when the pod has several.
    void trace_container(TraceKind kind, PodId pod, std::size_t c, std::int64_t a = 0, std::int64_t b = 0,
                         std::string_view text = {});

private:
    void record(TraceKind kind, NodeId node, PodId pod, std::int64_t a, std::int64_t b, std::string_view text,
                std::string_view container);
};

}  // namespace rollsim::model
