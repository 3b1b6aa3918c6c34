#pragma once
/// @file report.hpp
/// What a run reports: per variant, distributions over trials of each measure. The JSON form
/// (docs/report.md) is the contract notebooks and CI scripts read.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rollsim {

/// A 95% confidence interval.
struct Interval {
    double low = 0;
    double high = 0;
};

/// A distribution over trials. Quantiles are linear interpolations between order statistics
/// (numpy's default); ci95 is the Student-t 95% interval of the mean, p90_ci95 the
/// distribution-free (order-statistic) 95% interval of the p90.
struct Summary {
    std::int64_t n = 0;
    double mean = 0;
    double p50 = 0;
    double p90 = 0;
    double p99 = 0;
    double max = 0;
    double min = 0;
    double ci95_low = 0;
    double ci95_high = 0;
    double p90_ci95_low = 0;
    double p90_ci95_high = 0;
    /// Every percentile: quantiles[k] is the k-th, for k = 0 (the minimum) to 100 (the
    /// maximum); empty when n is 0. Enough to draw the CDF without the trials.
    std::vector<double> quantiles;
    /// A histogram of kHistogramBins equal bins from min to max: edges (bins + 1) and counts
    /// (the last bin includes max); one bin when every value is the same.
    std::vector<double> histogram_edges;
    std::vector<std::int64_t> histogram_counts;
    static constexpr int kHistogramBins = 20;
};

/// One alerting rule over a variant's trials (docs/alerts.md).
struct AlertSummary {
    std::string alert;
    double firing_fraction = 0;  ///< trials in which it fired at all
    Interval firing_ci95;        ///< Clopper-Pearson
    Summary start_seconds;       ///< over the trials it fired in: when it first fired
    Summary firing_seconds;      ///< ... and for how long in all (until the last evaluation)
};

struct VariantReport {
    std::string strategy;       ///< the strategy variant's name
    std::string probes;         ///< the probe variant's name
    std::string strategy_text;  ///< e.g. "RollingUpdate(maxUnavailable=1, maxSurge=0)"
    std::int32_t min_ready_seconds = 0;
    bool template_changed = true;  ///< false: nothing to roll (the hash is unchanged)
    bool accepted = true;          ///< false: the API server would reject this DaemonSet
    std::optional<std::string> rejection;  ///< the API server's message
    /// Why rollsim does not offer this plan for this DaemonSet (accepted is false): a test copy
    /// that would not be isolated, sized probes with no handler of the user's to size.
    std::optional<std::string> not_applicable;
    /// "REJECTED by the API: …" or "NOT APPLICABLE: …", on one line; "" when accepted.
    std::string refusal() const;
    /// Why this plan fails whatever the trials show (a surge pod that collides on the host's
    /// ports); such a plan is never recommended, and review blocks it.
    std::optional<std::string> certain_failure;

    std::int32_t trials = 0;  ///< trials run (with a precision, as many as this plan needed)
    /// With a precision (RunOptions::precision): why its trials stopped: "precision" (every
    /// measure the limits and the ranking use is that precise), "limits" (the rest have settled
    /// their limit with 95% confidence) or "cap" (the most trials allowed); empty without one.
    std::string stopped_by;
    /// Bytes its records kept per trial (experiment/trial_records.hpp); not in the JSON.
    std::size_t record_bytes_per_trial = 0;

    double completed_fraction = 0;
    double stalled_fraction = 0;
    double horizon_fraction = 0;  ///< share of trials still changing at the horizon
    /// Trials whose test phase caught the change before the public rollout (test-then-promote):
    /// the plan working, counted among the stalled but not a stall of the rollout.
    double caught_fraction = 0;
    Interval completed_ci95, stalled_ci95, caught_ci95;  ///< Clopper-Pearson
    std::map<std::string, std::int64_t> stall_reasons;  ///< reason -> trials
    std::map<std::string, std::string> stall_examples;  ///< reason -> one instance naming a node
    Summary duration_seconds;  ///< over completed trials
    Summary desired_nodes;
    Summary updated_nodes;
    Summary unavailable_nodes;

    Summary error_seconds;
    Summary outage_node_seconds;
    Summary total_outage_seconds;
    Summary false_ready_node_seconds;
    Summary min_serving_fraction;
    Summary outage_windows;
    Summary longest_outage_seconds;

    Summary gap_node_seconds;
    Summary max_concurrent_uncovered;
    Summary longest_gap_seconds;

    Summary restarts;
    // A busy, changing cluster (issue #5)
    Summary pull_seconds;          ///< per trial: the mean image pull (kubelet asks -> image present)
    Summary pull_seconds_max;      ///< per trial: the slowest pull
    Summary preemptions;
    Summary evictions;
    Summary admission_rejections;
    Summary image_pull_backoff_nodes;
    double promoted_fraction = 1;              ///< trials where the public DaemonSet was changed
    double fault_reached_public_fraction = 0;  ///< trials where a new public pod crashed or never served
    Summary test_phase_seconds;                ///< test-then-promote: until promotion or abort
    double rolled_back_fraction = 0;           ///< trials a Rollback action undid (spec.events)
    Summary recovery_seconds;                  ///< ... from the rollback until every node serves again
    std::vector<AlertSummary> alerts;  ///< with RunOptions::alerts, one per rule in order
    std::uint64_t events_processed = 0;
    std::string fingerprint;
};

/// A limit of spec.limits that a variant breaks.
struct LimitFailure {
    std::string limit;  ///< "maxErrorSeconds", "maxRolloutDuration", "maxUncoveredNodes", "completion"
    double value = 0;   ///< the variant's p90 (or its completed fraction)
    double allowed = 0;
    std::string text;   ///< e.g. "p90 client-visible errors 25.0 s exceed maxErrorSeconds 0 s by 25.0 s"
};

/// One point of the Pareto frontier of rollout duration (p90) against the harm that matters in
/// the traffic mode (mean client-visible errors, or mean uncovered node-seconds for agents).
struct FrontierPoint {
    std::string strategy;
    std::string probes;
    double duration_p90 = 0;
    double errors_mean = 0;
    double harm_mean = 0;      ///< errors_mean, or the mean gap in coverage mode
    bool on_frontier = true;   ///< false: the recommended plan, shown though it is dominated
    bool recommended = false;
};

/// What `rollsim recommend` chose, and why.
/// The termination fix (docs/recommend.md, "The termination fix"): a preStop hook that keeps the
/// process serving until clients have stopped coming, and a grace period that covers it and the
/// shutdown. Behind a load balancer that checks the node's port the hook must also make that
/// check fail (drain); behind Service endpoints a sleep is enough. A running pod's hooks cannot
/// change, so the fix cannot help the rollout that ships it: it helps every later one.
struct TerminationFix {
    std::int32_t pre_stop_seconds = 0;
    bool drains = false;             ///< the hook must fail the load balancer's health check first
    std::int64_t grace_seconds = 0;  ///< terminationGracePeriodSeconds
    /// The promotion manifest carries it (`lifecycle.preStop.sleep`): a sleep is enough, the
    /// container has no preStop hook of its own and the sleep action is on by default
    /// (Kubernetes 1.30 and later, KEP-3960).
    bool written = false;
    std::string not_written;  ///< why not, and what the user should add instead
    /// The plan simulated once the fix is live (both revisions carry it): its errors, against
    /// the plan's errors as it is.
    Summary errors_with_fix_live;
    Summary errors_without;
};

struct Recommendation {
    bool acceptable = false;  ///< the chosen variant meets every limit
    std::string strategy;     ///< empty when no variant completes at all
    std::string probes;
    std::string why;          ///< one paragraph, in the user's terms
    std::vector<LimitFailure> failures;  ///< the chosen variant's, when it is not acceptable
    std::vector<FrontierPoint> frontier;
    std::string frontier_harm;  ///< "errorSeconds" or "gapNodeSeconds": the frontier's harm measure
    /// Plans left off the frontier because their pods report Ready before they serve (their
    /// durations end before the nodes do), when some plan that finishes does not.
    std::vector<std::string> frontier_false_ready;
    std::optional<TerminationFix> termination_fix;  ///< by recommend(scenario, report, options)
};

struct Report {
    std::string tool_version;
    std::string scenario_name;
    std::string scenario_sha256;
    std::uint64_t seed = 0;
    std::int32_t trials = 0;  ///< the most trials any variant ran (every variant's without a precision)
    std::optional<double> precision;  ///< RunOptions::precision, when the trials were adaptive
    std::int32_t trials_cap = 0;      ///< ... and the most allowed
    std::string kubernetes_version;
    std::string traffic_mode;
    /// The scenario has other pods, cluster events or shared bottlenecks: the text report
    /// shows the cluster measures.
    bool busy_cluster = false;
    bool rollbacks = false;  ///< the scenario has Rollback actions: the report says how they went
    std::vector<VariantReport> variants;
    std::optional<Recommendation> recommendation;  ///< what recommend() returned, where the caller wants it shown

    /// "100 trials", or with a precision "40 to 200 trials (to 5% precision)".
    std::string trials_words() const;

    /// The variant named `strategy` × `probes` (a variant's identity in the report), or null.
    const VariantReport* find(std::string_view strategy, std::string_view probes) const {
        for (const auto& v : variants) {
            if (v.strategy == strategy && v.probes == probes) return &v;
        }
        return nullptr;
    }
};

}  // namespace rollsim
