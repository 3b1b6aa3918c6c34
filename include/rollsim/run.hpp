#pragma once
/// @file run.hpp
/// The main entry point: simulate every variant of a scenario over its trials.
///
/// Example:
/// @code
///   rollsim::RunOptions opt;
///   opt.threads = 2;
///   rollsim::Report r = rollsim::run(rollsim::load_scenario("scenario.yaml"), opt);
/// @endcode
/// The report does not depend on the thread count: trials are seeded by (seed, trial index)
/// and summarised in trial order.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rollsim/report.hpp"
#include "rollsim/scenario.hpp"

namespace rollsim {

class Tracer;

/// How the monitoring sees a trial (docs/alerts.md): kube-state-metrics scraped every `interval`.
struct ScrapeOptions {
    SimTime interval = SimTime::seconds(30);  ///< the scrape (and rule evaluation) interval
    /// Samples go on this long after the trial ends, so that a `for:` can run out ...
    SimTime after = SimTime::minutes(30);
    /// ... and start this long before the change, with the status the controller last wrote.
    SimTime before = SimTime::minutes(10);
    /// Unix time of the trial's start in the OpenMetrics file (2026-01-01T00:00:00Z).
    std::int64_t start_unix = 1767225600;
    /// Alerting rules to evaluate (a Prometheus rule file or PrometheusRule manifests); empty:
    /// the kubernetes-mixin's DaemonSet alerts.
    std::string rules_file;
};

struct RunOptions {
    std::optional<std::int32_t> trials;  ///< overrides the scenario's; with a precision, the cap
    /// Adaptive trial counts (docs/report.md, "How many trials"): trials run in batches of 40,
    /// 80, 160, ... per variant until every measure the limits and the ranking use has a 95%
    /// interval within this share of its value (or within one second), or its limit is settled
    /// with 95% confidence, or `trials` is reached. The batches do not depend on the threads.
    std::optional<double> precision;
    std::optional<std::uint64_t> seed;   ///< overrides the scenario's
    unsigned threads = 0;                ///< 0: every core
    /// Each traces trial `trace_trial` of every variant (a JSONL trace, a timeline recorder).
    std::vector<Tracer*> tracers;
    std::int32_t trace_trial = 0;
    /// Called now and then from the calling thread with (trials done, trials in all).
    std::function<void(std::int64_t, std::int64_t)> progress;
    /// A run whose memory estimate is above this many bytes is refused up front with an
    /// InputError that gives the estimate part by part; 0: the memory the machine has available.
    std::uint64_t max_memory = 0;
    /// When set, filled with every trial's values as CSV, one row per variant and trial
    /// (docs/report.md, "Every trial"): for those who want more than the distributions.
    std::string* per_trial_csv = nullptr;
    /// When set, every trial's kube-state-metrics series is evaluated against the alerting rules
    /// (ScrapeOptions::rules_file, else the kubernetes-mixin's DaemonSet alerts), and each
    /// variant reports each alert's firing fraction, start and duration (docs/alerts.md).
    std::optional<ScrapeOptions> alerts;
};

namespace experiment {
class Plan;
}

/// The scenario's variants, planned once: what run, the memory estimate, `validate` and the
/// plan's writers read. It refers to `scenario`, which must outlive it.
std::shared_ptr<const experiment::Plan> plan_scenario(const ScenarioSpec& scenario);

/// Throws InputError when the scenario is too large for RunOptions::max_memory (docs/performance.md,
/// "Memory"), before any trial runs.
Report run(const ScenarioSpec& scenario, const experiment::Plan& plan, const RunOptions& options);
/// run() of the scenario's own plan.
Report run(const ScenarioSpec& scenario, const RunOptions& options);

/// What run(scenario, options) would hold in memory, in words: "memory: about 26 MiB for 200
/// trials on 2 threads, of 23 GiB available", then one line per part with how it was counted
/// (`rollsim validate` prints it). Recorded timelines are not counted.
std::string memory_estimate_text(const ScenarioSpec& scenario, const experiment::Plan& plan, const RunOptions& options);

/// Chooses a plan among the report's variants against `scenario.limits` (docs/recommend.md):
/// acceptable variants complete in every trial and meet every limit at p90; among them the
/// fewest client-visible errors (mean) win, then the least false-ready time, then the shortest
/// p90 duration. With none acceptable, the completing variant with the smallest outage is
/// chosen (time with no node serving, or most nodes uncovered at once for agents; then
/// node-seconds out; then as above) and its failures are listed. The caller keeps it where it
/// wants it (report.recommendation for report.json).
Recommendation recommend(const ScenarioSpec& scenario, const Report& report);

/// recommend(), then the termination fix of the chosen plan with its evidence: the same change
/// and plan simulated once more with the fix live (docs/recommend.md, "The termination fix").
/// Sets termination_fix when the fix removes errors the trials can tell apart from noise, and
/// says so in its `why`.
Recommendation recommend(const ScenarioSpec& scenario, const Report& report, const RunOptions& options);

/// The limits of `scenario` (finishing in every trial among them) that variant `v` fails,
/// each with by how much: the one test recommend and review both apply.
std::vector<LimitFailure> limit_failures(const ScenarioSpec& scenario, const VariantReport& v);

/// "0.1.0"
const char* version();

}  // namespace rollsim
