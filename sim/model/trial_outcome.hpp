#pragma once
/// @file trial_outcome.hpp
/// What one trial of one variant measured. Seconds are node-seconds where the measure sums
/// over nodes (docs/measures.md defines each).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/stall.hpp"
#include "rollsim/sim_time.hpp"

namespace rollsim::model {

struct OutageWindow {
    std::uint32_t node = 0;
    SimTime start;
    SimTime end;
};

struct TrialOutcome {
    bool completed = false;     ///< kubectl rollout status would say done
    bool stalled = false;       ///< ended incomplete: no pending event could make progress
    bool hit_horizon = false;   ///< still changing at the horizon
    bool promoted = true;             ///< the public DaemonSet got the new template
    bool fault_reached_public = false;///< a public pod of the new revision crashed or never served
    bool rolled_back = false;         ///< a Rollback action undid the change
    SimTime duration;           ///< template applied -> complete (valid when completed)
    std::shared_ptr<const Stall> stall;  ///< why, when stalled (experiment/stall_words.hpp says it)
    SimTime end;                ///< when the trial stopped (quiescent, or the horizon)
    std::int32_t desired = 0;   ///< status.desiredNumberScheduled at the end
    std::int32_t updated = 0;   ///< status.updatedNumberScheduled
    std::int32_t unavailable = 0;  ///< status.numberUnavailable
    double error_seconds = 0;       ///< in rotation but not serving
    double outage_node_seconds = 0; ///< not serving
    double total_outage_seconds = 0;///< no backend both in rotation and serving
    double false_ready_seconds = 0; ///< Ready in the API but not serving
    double min_serving_fraction = 1;
    double gap_node_seconds = 0;    ///< coverage: no running, started agent
    std::int32_t max_concurrent_uncovered = 0;
    double longest_gap_seconds = 0;
    std::int32_t outage_windows = 0;
    double longest_outage_seconds = 0;
    std::int64_t restarts = 0;
    std::optional<SimTime> test_phase;///< TestThenPromote: t = 0 until promotion or abort
    std::optional<double> recovery_seconds;  ///< the rollback -> every node serving again
    // A busy, changing cluster
    std::int32_t pulls = 0;             ///< image pulls that completed (cache misses)
    double pull_seconds_mean = 0;       ///< per pull: the kubelet asking -> image present
    double pull_seconds_max = 0;
    std::int32_t preemptions = 0;       ///< pods the scheduler preempted for DaemonSet pods
    std::int32_t evictions = 0;         ///< pods the kubelets' eviction managers evicted
    std::int32_t admission_rejections = 0;  ///< DaemonSet pods kubelets rejected under pressure
    std::int32_t image_pull_backoff_nodes = 0;  ///< public pods in ImagePullBackOff at the end
    std::uint64_t events = 0;
    std::uint64_t fingerprint = 0;
};

}  // namespace rollsim::model
