#pragma once
/// @file calibration.hpp
/// `rollsim calibrate`: the workload a cluster's own records imply (docs/calibration.md). It
/// reads `kubectl get pods -o json` and `kubectl get events -o json`, measures what they show
/// (image pulls, container start to Ready, restarts, failed probes), fits each measured
/// duration, and writes the `workload:` block of a scenario with what could not be observed
/// listed beside it.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "rollsim/distribution.hpp"

namespace rollsim {

struct CalibrateInput {
    std::string pods_file;    ///< kubectl get pods -o json|yaml (a List, or a stream of Pods)
    std::string events_file;  ///< kubectl get events -o json|yaml; empty: none
    std::string daemonset;    ///< NAME or NS/NAME of the owning DaemonSet; empty: the only one
    std::string container;    ///< the container measured; empty: the pods' first
};

/// One fitted duration, in seconds.
struct FittedQuantity {
    std::string name;     ///< imagePull, startToReady
    std::string image;    ///< the measured container's image (its revision)
    std::size_t n = 0;    ///< the sample size
    std::vector<double> samples;  ///< sorted
    double p50 = 0;       ///< empirical (linear interpolation between order statistics)
    double p95 = 0;
    DistributionSpec empirical;   ///< quantiles at 0, 5, 10, 20, ..., 90, 95, 99 and 100%
    /// The best of lognormal and uniform whose Kolmogorov-Smirnov distance is below the 5%
    /// critical value; nothing when neither fits.
    std::optional<DistributionSpec> fit;
    std::string fit_name;  ///< lognormal | uniform | empirical
    double ks = 0;         ///< the chosen fit's KS distance (the best candidate's when none fits)
    double ks_critical = 0;  ///< 1.358 / sqrt(n), the 5% critical value
    std::string meaning;   ///< what it says about the workload's keys
};

/// Counts that are rates, not durations.
struct ObservedCounts {
    std::size_t pods = 0;          ///< the DaemonSet's pods read
    std::size_t events = 0;        ///< events about them
    std::size_t pulls = 0;         ///< Pulled events with a pull time
    std::size_t cache_hits = 0;    ///< "already present on machine"
    std::int64_t restarts = 0;     ///< restartCount of the measured container, summed
    std::map<std::string, std::int64_t> unhealthy;  ///< failed probes by kind (readiness, liveness, startup)
    std::int64_t back_offs = 0;    ///< BackOff events ("Back-off restarting failed container")
};

struct Calibration {
    std::string pods_file;
    std::string events_file;
    std::string daemonset;  ///< NS/NAME
    std::string container;
    ObservedCounts counts;
    std::vector<FittedQuantity> quantities;  ///< per quantity and image, in that order
    std::vector<std::string> not_observed;   ///< what the records cannot show
    std::vector<std::string> warnings;       ///< too few samples, with their counts
};

/// `rollsim backtest` (docs/calibration.md, "Backtest"): a rollout that happened, against
/// rollsim's prediction of it.
struct BacktestInput {
    std::string events_file;    ///< kubectl get events -o json of the DaemonSet's namespace
    std::string pods_file;      ///< kubectl get pods -o json, after the rollout
    std::string current_file;   ///< the DaemonSet before the change
    std::string proposed_file;  ///< ... and after
    std::string scenario_file;  ///< optional: the workload (e.g. calibrated), traffic, limits
    std::string nodes_file;     ///< optional: kubectl get nodes -o json
    std::optional<std::int32_t> trials;
    std::optional<std::uint64_t> seed;
};

/// One node of the recorded rollout; times in seconds from the rollout's start (-1: unknown).
struct NodeWindow {
    std::string node;
    double deleted = -1;    ///< its old pod deleted (SuccessfulDelete)
    double ready = -1;      ///< its new pod Ready (the Ready condition's time)
    double window = -1;     ///< deleted -> Ready
    double percentile = -1; ///< where `window` falls among the predicted per-node windows (0..1)
};

/// A distribution of predicted seconds.
struct PredictedSeconds {
    std::vector<double> values;  ///< sorted
    double quantile(double p) const;
    double mean() const;
};

struct Backtest {
    std::string daemonset;  ///< NS/NAME
    std::string start;      ///< RFC 3339: the first pod the controller deleted or created
    std::string end;        ///< the last node's new pod available
    double duration = 0;    ///< end - start, seconds
    bool complete = false;  ///< every node that lost its old pod has an available new one
    std::vector<NodeWindow> nodes;  ///< in the order the rollout reached them
    std::int32_t trials = 0;
    double completed_fraction = 0;  ///< of the predicted trials
    PredictedSeconds predicted_duration;  ///< the completed trials'
    PredictedSeconds predicted_window;    ///< every node's delete -> Ready, every trial
    /// Per trial, the times its nodes' new pods became Ready, sorted (for the picture).
    std::vector<std::vector<double>> predicted_ready;
    double percentile = 0;  ///< the share of trials that completed no later than the actual
    std::string assumptions;
    std::vector<std::string> notes;
};

/// Reconstructs the recorded rollout and predicts it. Throws InputError on malformed input or a
/// record that holds no rollout of the DaemonSet.
Backtest backtest(const BacktestInput& in);
std::string backtest_text(const Backtest& b);
std::string backtest_json(const Backtest& b);
/// The actual rollout (nodes done over time) over the predicted band (p10-p90, and p50).
std::string backtest_svg(const Backtest& b);

/// Reads and fits. Throws InputError (file, line, key) on malformed input, on events none of
/// which are about the DaemonSet's pods, and on a Ready condition earlier than its container's
/// start (clock skew).
Calibration calibrate(const CalibrateInput& in);

/// The `workload:` block the records imply, with comments saying where each value comes from.
std::string calibration_yaml(const Calibration& c);
/// Every fitted quantity (n, p50, p95, the distribution, the KS distance) and the counts.
std::string calibration_json(const Calibration& c);

}  // namespace rollsim
