#pragma once
/// @file cluster.hpp
/// The API server's objects as the simulation keeps them: pods (with the status fields the
/// controllers read) and the DaemonSet with its status. Everything that watches the API reads
/// this state when a change reaches it; see docs/model.md, "Watch latency".

#include <cstdint>
#include <optional>
#include <vector>

#include "model/eligibility.hpp"
#include "model/update_strategy.hpp"
#include "rollsim/sim_time.hpp"

namespace rollsim::model {

using NodeId = std::uint32_t;
using PodId = std::uint32_t;
inline constexpr PodId kNoPod = 0xffffffffu;
inline constexpr NodeId kNoNode = 0xffffffffu;

enum class PodPhase : std::uint8_t { Pending, Running, Succeeded, Failed };
const char* to_string(PodPhase p);

/// A DaemonSet pod as the API stores it.
struct Pod {
    std::uint32_t uid = 0;  ///< 0 marks a free slot; unique within a trial otherwise
    NodeId node = 0;        ///< the target node (spec.nodeName, or the controller's node affinity)
    std::uint16_t revision = 0;
    std::uint8_t owner = 0;  ///< which DaemonSet owns it (0: the public one, 1: a test one)
    PodPhase phase = PodPhase::Pending;
    bool scheduled = false;  ///< spec.nodeName is set (bound)
    bool ready = false;      ///< the Ready condition
    SimTime ready_since;     ///< Ready's lastTransitionTime; whole seconds, as metav1.Time keeps it
    SimTime created;         ///< creationTimestamp; whole seconds
    std::uint64_t name_key = 0;  ///< orders pods created in the same second, as their random names do
    std::optional<SimTime> deletion;  ///< deletionTimestamp

    bool live() const { return uid != 0; }
    bool terminating() const { return deletion.has_value(); }
    bool terminal() const { return phase == PodPhase::Succeeded || phase == PodPhase::Failed; }
    /// daemon_controller.go getNodesToDaemonPods: pods that are terminal *and* being deleted are
    /// left out; a terminating pod that is still Running or Pending stays in.
    bool counted_by_controller() const { return !(terminal() && terminating()); }
};

/// pod/util.go IsPodAvailable: Ready, and Ready for strictly longer than minReadySeconds.
inline bool is_pod_available(const Pod& p, std::int32_t min_ready_seconds, SimTime now) {
    if (!p.ready) return false;
    if (min_ready_seconds == 0) return true;
    return p.ready_since + SimTime::seconds(min_ready_seconds) < now;
}

/// daemon_controller.go podByCreationTimestampAndPhase: scheduled pods first, then older
/// creationTimestamp, then name.
inline bool oldest_first(const Pod& a, const Pod& b) {
    if (a.scheduled != b.scheduled) return a.scheduled;
    if (a.created != b.created) return a.created < b.created;
    return a.name_key < b.name_key;
}

/// DaemonSetStatus (apps/v1), as storeDaemonSetStatus computes it.
struct DaemonSetStatus {
    std::int32_t desired_number_scheduled = 0;
    std::int32_t current_number_scheduled = 0;
    std::int32_t number_ready = 0;
    std::int32_t number_available = 0;
    std::int32_t updated_number_scheduled = 0;
    std::int32_t number_misscheduled = 0;
    std::int32_t number_unavailable = 0;
    std::int64_t observed_generation = 0;
    bool operator==(const DaemonSetStatus&) const = default;
};

/// The DaemonSet object: its current revision, strategy and status.
struct DaemonSetState {
    std::uint16_t current_revision = 0;
    UpdateStrategy strategy;
    std::int32_t min_ready_seconds = 0;
    std::int64_t generation = 1;
    DaemonSetStatus status;
    /// NodeShouldRunDaemonPod for the current template, per node.
    std::vector<Eligibility> eligibility;
};

/// Pods and the DaemonSets (the public one, and a test one for test-then-promote). Pod slots are
/// reused through a LIFO free list, so ids are deterministic; `uid` tells a reused slot from its
/// previous occupant.
class Cluster {
public:
    /// Empties the cluster for a new trial with `node_count` nodes; keeps memory.
    void reset(std::size_t node_count);
    /// Room for `n` pod slots, so that the slots never move while they grow to it.
    void reserve_pods(std::size_t n) { pods_.reserve(n); }

    PodId add_pod(NodeId node, std::uint16_t revision, SimTime now, std::uint64_t name_key,
                  std::uint8_t owner = 0);
    /// Removes the pod object from the API (and from its node's list).
    void remove_pod(PodId id);

    Pod& pod(PodId id) { return pods_[id]; }
    const Pod& pod(PodId id) const { return pods_[id]; }
    /// Every pod object that targets `node`, in creation order, whatever its owner.
    const std::vector<PodId>& pods_on(NodeId node) const { return node_pods_[node]; }
    std::size_t node_count() const { return node_pods_.size(); }
    /// Number of pod slots (live or free); pod ids are below this.
    std::size_t pod_slots() const { return pods_.size(); }

    static constexpr std::uint8_t kMaxDaemonSets = 2;
    DaemonSetState& daemonset(std::uint8_t owner = 0) { return ds_[owner]; }
    const DaemonSetState& daemonset(std::uint8_t owner = 0) const { return ds_[owner]; }

    /// Records that something a DaemonSet controller reads about `node` changed: a pod on it
    /// (added, removed, its phase, readiness, deletion, binding) or its eligibility. add_pod and
    /// remove_pod call it themselves; whoever writes a Pod field or an eligibility calls it. An
    /// incremental controller re-examines only these nodes (DaemonSetController, "node classes").
    void touch(NodeId node) {
        for (std::uint8_t o = 0; o < kMaxDaemonSets; ++o) {
            if (touched_flag_[o][node]) continue;
            touched_flag_[o][node] = true;
            touched_[o].push_back(node);
        }
    }
    /// The nodes touched since the last call for `owner` (in touch order), then forgets them.
    template <class F>
    void drain_touched(std::uint8_t owner, F each) {
        for (NodeId n : touched_[owner]) {
            touched_flag_[owner][n] = false;
            each(n);
        }
        touched_[owner].clear();
    }

private:
    std::vector<Pod> pods_;
    std::vector<PodId> free_;
    std::vector<std::vector<PodId>> node_pods_;
    DaemonSetState ds_[kMaxDaemonSets];
    std::uint32_t next_uid_ = 1;
    std::vector<NodeId> touched_[kMaxDaemonSets];
    std::vector<bool> touched_flag_[kMaxDaemonSets];
};

}  // namespace rollsim::model
