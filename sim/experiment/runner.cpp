// rollsim::run: every accepted variant over every trial, on a pool of threads, each thread
// reusing one World. Outcomes are stored by (variant, trial) and summarised in trial order, so
// the report is the same on any number of threads.

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "alerts/trial_alerts.hpp"
#include "experiment/memory.hpp"
#include "experiment/precision.hpp"
#include "experiment/status_sink.hpp"
#include "experiment/stall_words.hpp"
#include "experiment/summary.hpp"
#include "experiment/trace_target.hpp"
#include "experiment/trial_records.hpp"
#include "experiment/variants.hpp"
#include "experiment/words.hpp"
#include "kernel/fingerprint.hpp"
#include "rollsim/error.hpp"
#include "rollsim/run.hpp"

namespace rollsim {

const char* version() { return ROLLSIM_VERSION; }

namespace {

/// A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line end.
std::string csv_field(const std::string& t) {
    if (t.find_first_of(",\"\r\n") == std::string::npos) return t;
    std::string out = "\"";
    for (char c : t) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

/// Every accepted variant's trials, one row each (docs/report.md, "Every trial").
std::string per_trial_rows(const experiment::Plan& variants, const std::vector<experiment::TrialRecords>& records) {
    using R = experiment::TrialRecords;
    std::string out =
        "strategy,probes,trial,completed,stalled,durationSeconds,errorSeconds,outageNodeSeconds,falseReadyNodeSeconds,"
        "gapNodeSeconds,maxConcurrentUncovered,restarts,rolledBack,stall\r\n";
    for (std::size_t i = 0; i < variants.size(); ++i) {
        const auto& v = *variants[i];
        const R& r = records[i];
        for (std::size_t t = 0; t < r.trials(); ++t) {
            const bool completed = r.has(t, R::Completed);
            out += fmt::format("{},{},{},{},{},{},{:.3f},{:.3f},{:.3f},{:.3f},{},{},{},{}\r\n", csv_field(v.strategy_name),
                               csv_field(v.probes_name), t, completed ? 1 : 0, r.has(t, R::Stalled) ? 1 : 0,
                               completed ? fmt::format("{:.3f}", r.value(R::Duration, t)) : std::string(),
                               r.value(R::ErrorSeconds, t), r.value(R::OutageNodeSeconds, t),
                               r.value(R::FalseReadySeconds, t), r.value(R::GapNodeSeconds, t),
                               static_cast<std::int32_t>(r.value(R::MaxUncovered, t)),
                               static_cast<std::int64_t>(r.value(R::Restarts, t)), r.has(t, R::RolledBack) ? 1 : 0,
                               csv_field(r.stall_key(t)));
        }
    }
    return out;
}

}  // namespace

std::string VariantReport::refusal() const {
    if (accepted) return "";
    std::string out = not_applicable ? "NOT APPLICABLE: " + *not_applicable : "REJECTED by the API: " + rejection.value_or("");
    std::replace(out.begin(), out.end(), '\n', ' ');
    return out;
}

std::string Report::trials_words() const {
    if (!precision) return fmt::format("{} trials", trials);
    std::int32_t fewest = trials;
    for (const auto& v : variants) {
        if (v.accepted && v.trials > 0) fewest = std::min(fewest, v.trials);
    }
    const std::string pct = fmt::format("{:g}%", *precision * 100);
    if (fewest == trials) return fmt::format("{} trials (to {} precision)", experiment::thousands(static_cast<std::uint64_t>(trials)), pct);
    return fmt::format("{} to {} trials (to {} precision)", experiment::thousands(static_cast<std::uint64_t>(fewest)),
                       experiment::thousands(static_cast<std::uint64_t>(trials)), pct);
}

namespace {

/// Each rule over the trials: the share that fired, and when and how long over those that did.
std::vector<AlertSummary> summarise_alerts(const std::vector<alerts::AlertRule>& rules,
                                           const std::vector<std::vector<alerts::TrialAlert>>& trials) {
    std::vector<AlertSummary> out;
    for (std::size_t r = 0; r < rules.size(); ++r) {
        std::vector<double> starts, seconds;
        for (const auto& t : trials) {
            if (!t[r].fired) continue;
            starts.push_back(t[r].start_seconds);
            seconds.push_back(t[r].firing_seconds);
        }
        const auto fired = static_cast<std::int64_t>(starts.size());
        AlertSummary a;
        a.alert = rules[r].name;
        a.firing_fraction = trials.empty() ? 0 : static_cast<double>(fired) / static_cast<double>(trials.size());
        a.firing_ci95 = experiment::fraction_interval(fired, static_cast<std::int64_t>(trials.size()));
        a.start_seconds = experiment::summarize(starts);
        a.firing_seconds = experiment::summarize(seconds);
        out.push_back(std::move(a));
    }
    return out;
}

VariantReport summarise(const experiment::PlannedVariant& v, const experiment::TrialRecords& records) {
    using R = experiment::TrialRecords;
    VariantReport r;
    r.strategy = v.strategy_name;
    r.probes = v.probes_name;
    r.strategy_text = v.strategy_text;
    r.min_ready_seconds = v.min_ready_seconds;
    r.template_changed = v.template_changed;
    r.accepted = v.accepted;
    r.rejection = v.rejection;
    r.not_applicable = v.not_applicable;
    r.certain_failure = v.certain_failure;
    if (!v.accepted || records.trials() == 0) return r;
    const auto trials = static_cast<std::int64_t>(records.trials());
    const auto n = static_cast<double>(trials);
    const std::int64_t completed = records.count(R::Completed), stalled = records.count(R::Stalled),
                       caught = records.count(R::Caught);
    for (const auto& [key, c] : records.stalls()) {
        r.stall_reasons[key] = c.trials;
        r.stall_examples[key] = c.reason;
    }
    r.events_processed = records.events();
    r.completed_fraction = static_cast<double>(completed) / n;
    r.stalled_fraction = static_cast<double>(stalled) / n;
    r.horizon_fraction = static_cast<double>(records.count(R::HitHorizon)) / n;
    r.caught_fraction = static_cast<double>(caught) / n;
    r.completed_ci95 = experiment::fraction_interval(completed, trials);
    r.stalled_ci95 = experiment::fraction_interval(stalled, trials);
    r.caught_ci95 = experiment::fraction_interval(caught, trials);
    r.promoted_fraction = static_cast<double>(records.count(R::Promoted)) / n;
    r.fault_reached_public_fraction = static_cast<double>(records.count(R::FaultReachedPublic)) / n;
    r.rolled_back_fraction = static_cast<double>(records.count(R::RolledBack)) / n;
    const auto summary = [&](R::Measure m, std::uint16_t only = 0) {
        std::vector<double> values = records.values(m, only);
        return experiment::summarize(values);
    };
    r.test_phase_seconds = summary(R::TestPhase, R::HasTestPhase);
    r.recovery_seconds = summary(R::Recovery, R::HasRecovery);
    r.duration_seconds = summary(R::Duration, R::Completed);
    r.desired_nodes = summary(R::Desired);
    r.updated_nodes = summary(R::Updated);
    r.unavailable_nodes = summary(R::Unavailable);
    r.error_seconds = summary(R::ErrorSeconds);
    r.outage_node_seconds = summary(R::OutageNodeSeconds);
    r.total_outage_seconds = summary(R::TotalOutageSeconds);
    r.false_ready_node_seconds = summary(R::FalseReadySeconds);
    r.min_serving_fraction = summary(R::MinServingFraction);
    r.outage_windows = summary(R::OutageWindows);
    r.longest_outage_seconds = summary(R::LongestOutage);
    r.gap_node_seconds = summary(R::GapNodeSeconds);
    r.max_concurrent_uncovered = summary(R::MaxUncovered);
    r.longest_gap_seconds = summary(R::LongestGap);
    r.restarts = summary(R::Restarts);
    r.pull_seconds = summary(R::PullMean);
    r.pull_seconds_max = summary(R::PullMax);
    r.preemptions = summary(R::Preemptions);
    r.evictions = summary(R::Evictions);
    r.admission_rejections = summary(R::AdmissionRejections);
    r.image_pull_backoff_nodes = summary(R::ImagePullBackoffNodes);
    r.fingerprint = kernel::Fingerprint::hex(records.fingerprint());
    return r;
}

/// What the run will start: worker threads (every core by default, no more than work items)
/// and what it traces.
experiment::RunShape run_shape(std::size_t accepted, std::int32_t trials, const RunOptions& options,
                               const std::vector<experiment::TraceTarget*>& targets) {
    const std::int64_t total = static_cast<std::int64_t>(accepted) * trials;
    unsigned threads = options.threads != 0 ? options.threads : std::thread::hardware_concurrency();
    threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(std::max<std::int64_t>(total, 1))));
    return {accepted, trials, threads, {targets.begin(), targets.end()}};
}


}  // namespace

std::string memory_estimate_text(const ScenarioSpec& s, const experiment::Plan& plan, const RunOptions& options) {
    const std::int32_t trials = std::max(0, options.trials.value_or(s.trials));
    const auto shape = run_shape(plan.accepted(), trials, options, {});
    const auto estimate = experiment::estimate_memory(s, shape);
    const std::uint64_t available = experiment::available_memory();
    return fmt::format("memory: about {} for {} trials on {} threads{}{}", experiment::bytes_words(estimate.total()),
                       experiment::thousands(static_cast<std::uint64_t>(trials)), shape.threads,
                       available != 0 ? fmt::format(", of {} available", experiment::bytes_words(available)) : "",
                       experiment::parts_text(estimate));
}

namespace {

/// One run's trials: which to run next, on how many threads, and what each keeps.
class TrialRunner {
public:
    TrialRunner(const ScenarioSpec& s, const experiment::Plan& variants, const RunOptions& options,
                std::vector<experiment::TraceTarget*> targets, unsigned threads)
        : s_(s), variants_(variants), options_(options), targets_(std::move(targets)), threads_(threads),
          seed_(options.seed.value_or(s.seed)), records_(variants.size()), alert_results_(variants.size()) {
        alerting_ = options.alerts ? options.alerts
                    : s.limits.no_alerts.empty() ? std::nullopt
                                                 : std::optional<ScrapeOptions>(ScrapeOptions{});
        if (alerting_) rules_ = alerts::rules_for(*alerting_);
        check_no_alerts();
        steady_ = experiment::steady_before(s);
    }

    /// Trials [from, to) of each of `vs`; the traced trial first, on this thread.
    void run_round(const std::vector<std::size_t>& vs, std::int32_t from, std::int32_t to);
    /// Variant `vi` summarised over the trials it has run.
    VariantReport summary(std::size_t vi) const {
        VariantReport r = summarise(*variants_[vi], records_[vi]);
        r.trials = static_cast<std::int32_t>(records_[vi].trials());
        r.record_bytes_per_trial = records_[vi].bytes_per_trial();
        if (alerting_ && variants_[vi]->accepted) r.alerts = summarise_alerts(rules_, alert_results_[vi]);
        return r;
    }
    const std::vector<experiment::TrialRecords>& records() const { return records_; }
    /// Whether variant `v`'s trials are simulated: it is accepted and not the same simulation as
    /// an earlier one (a traced run simulates every variant, since the trace may be of either).
    bool simulates(const experiment::PlannedVariant& v) const { return v.accepted && (!v.same_as || !targets_.empty()); }
    /// Variant `to` is the same simulation as `from`: it gets the trials `from` ran.
    void share(std::size_t from, std::size_t to) {
        records_[to].copy_from(records_[from]);
        alert_results_[to] = alert_results_[from];
    }

private:
    void check_no_alerts() const;
    void one_trial(model::World& world, std::size_t vi, std::int32_t trial, model::TraceSink* sink,
                   experiment::StatusSink& status);

    const ScenarioSpec& s_;
    const experiment::Plan& variants_;
    const RunOptions& options_;
    const std::vector<experiment::TraceTarget*> targets_;
    const unsigned threads_;
    const std::uint64_t seed_;
    std::optional<ScrapeOptions> alerting_;
    std::vector<alerts::AlertRule> rules_;
    bool steady_ = true;
    std::vector<experiment::TrialRecords> records_;
    std::vector<std::vector<std::vector<alerts::TrialAlert>>> alert_results_;
    std::int64_t done_before_ = 0;  ///< trials of earlier rounds, for the progress callback
};

void TrialRunner::check_no_alerts() const {
    for (const auto& name : s_.limits.no_alerts) {
        if (std::none_of(rules_.begin(), rules_.end(), [&](const alerts::AlertRule& r) { return r.name == name; })) {
            std::string names;
            for (const auto& r : rules_) names += (names.empty() ? "" : ", ") + r.name;
            const auto line = s_.limits.lines.find("noAlerts");
            throw InputError(s_.file, line == s_.limits.lines.end() ? 0 : line->second, "spec.limits.noAlerts",
                             fmt::format("no alerting rule is named {}; the rules are: {}", name, names));
        }
    }
}

void TrialRunner::one_trial(model::World& world, std::size_t vi, std::int32_t trial, model::TraceSink* sink,
                            experiment::StatusSink& status) {
    // With alerts (asked for, or named by limits.noAlerts), every trial's status writes go
    // through the rules as the trial ends.
    status.series.writes.clear();
    const auto o = world.run_trial(variants_[vi]->model, seed_, static_cast<std::uint64_t>(trial), sink);
    if (alerting_) {
        status.series.end = o.end;
        status.series.steady_before = steady_;
        alert_results_[vi][static_cast<std::size_t>(trial)] = alerts::evaluate_trial(rules_, s_, status.series, *alerting_);
    }
    for (auto* target : targets_) {
        if (trial == options_.trace_trial) target->end(o);
    }
    std::optional<experiment::StallWords> words;
    if (o.stalled) words = experiment::stall_words(o, variants_[vi]->model);
    records_[vi].store(static_cast<std::size_t>(trial), o, words ? &*words : nullptr);
}

void TrialRunner::run_round(const std::vector<std::size_t>& vs, std::int32_t from, std::int32_t to) {
    for (std::size_t vi : vs) {
        records_[vi].resize(static_cast<std::size_t>(to));
        if (alerting_) alert_results_[vi].resize(static_cast<std::size_t>(to));
    }
    // The traced trial runs first, on this thread; tracing observes and changes nothing.
    const bool tracing = !targets_.empty() && options_.trace_trial >= from && options_.trace_trial < to;
    if (tracing) {
        model::World world;
        experiment::TeeSink tee;
        experiment::StatusSink status;
        for (std::size_t vi : vs) {
            tee.sinks.clear();
            for (auto* target : targets_) tee.sinks.push_back(&target->begin(*variants_[vi], options_.trace_trial));
            if (alerting_) tee.sinks.push_back(&status);
            one_trial(world, vi, options_.trace_trial, &tee, status);
        }
    }
    const std::int32_t per_variant = to - from;
    const std::int64_t total = static_cast<std::int64_t>(vs.size()) * per_variant;
    std::atomic<std::int64_t> next{0};
    std::atomic<std::int64_t> done{0};
    constexpr std::int64_t kChunk = 8;
    const auto worker = [&] {
        model::World world;  // one per thread, its memory reused by every trial
        experiment::StatusSink status;
        for (;;) {
            const std::int64_t first = next.fetch_add(kChunk);
            if (first >= total) return;
            const std::int64_t last = std::min(total, first + kChunk);
            for (std::int64_t item = first; item < last; ++item) {
                const std::size_t vi = vs[static_cast<std::size_t>(item / per_variant)];
                const auto trial = from + static_cast<std::int32_t>(item % per_variant);
                if (tracing && trial == options_.trace_trial) continue;
                one_trial(world, vi, trial, alerting_ ? &status : nullptr, status);
            }
            done.fetch_add(last - first);
        }
    };
    // With a progress callback every worker is a thread of its own and this thread reports;
    // otherwise this thread works too.
    const bool monitor = static_cast<bool>(options_.progress);
    const auto all = static_cast<std::int64_t>(std::count_if(variants_.begin(), variants_.end(),
                                                               [&](const auto& v) { return simulates(*v); })) *
                     std::max(0, options_.trials.value_or(s_.trials));
    std::vector<std::thread> pool;
    const auto threads = static_cast<unsigned>(std::max<std::int64_t>(1, std::min<std::int64_t>(threads_, total)));
    for (unsigned t = monitor ? 0 : 1; t < threads; ++t) pool.emplace_back(worker);
    if (monitor) {
        while (done.load() < total) {
            options_.progress(done_before_ + done.load(), all);
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
    } else {
        worker();
    }
    for (auto& t : pool) t.join();
    done_before_ += total;
}

}  // namespace

Report run(const ScenarioSpec& s, const experiment::Plan& variants, const RunOptions& options) {
    const std::int32_t trials = std::max(0, options.trials.value_or(s.trials));
    std::vector<std::size_t> accepted;
    for (std::size_t i = 0; i < variants.size(); ++i) {
        if (variants[i]->accepted) accepted.push_back(i);
    }
    std::vector<experiment::TraceTarget*> targets;
    for (Tracer* t : options.tracers) {
        if (auto* target = dynamic_cast<experiment::TraceTarget*>(t)) targets.push_back(target);
    }
    const experiment::RunShape shape = run_shape(accepted.size(), trials, options, targets);
    experiment::require_memory(s, experiment::estimate_memory(s, shape), options.max_memory);
    TrialRunner runner(s, variants, options, targets, shape.threads);
    // A variant that is the same simulation as an earlier one takes its trials after the rounds.
    std::vector<std::size_t> originals;
    for (std::size_t vi : accepted) {
        if (runner.simulates(*variants[vi])) originals.push_back(vi);
    }

    // Without a precision, one round of every trial. With one, rounds of 40, 80, 160, ...
    // trials per variant still going: after each, a variant whose measures are precise enough
    // (or whose limits are settled) stops. Rounds, not a race: the same on any thread count.
    constexpr std::int32_t kFirstRound = 40;
    std::vector<std::string> stopped_by(variants.size());
    std::vector<std::size_t> going = originals;
    std::int32_t from = 0;
    std::int32_t to = options.precision ? std::min(trials, kFirstRound) : trials;
    while (!going.empty() && to > from) {
        runner.run_round(going, from, to);
        if (!options.precision) break;
        std::vector<std::size_t> still;
        for (std::size_t vi : going) {
            const std::string why = experiment::enough_trials(s, runner.summary(vi), *options.precision);
            // The traced trial is run whatever the precision.
            if (!why.empty() && (targets.empty() || to > options.trace_trial)) {
                stopped_by[vi] = why;
            } else if (to >= trials) {
                stopped_by[vi] = "cap";
            } else {
                still.push_back(vi);
            }
        }
        going = std::move(still);
        from = to;
        to = static_cast<std::int32_t>(std::min<std::int64_t>(trials, std::int64_t{to} * 2));
    }
    if (options.progress) {
        const auto all = static_cast<std::int64_t>(originals.size()) * trials;
        options.progress(all, all);
    }
    for (std::size_t vi : accepted) {
        if (runner.simulates(*variants[vi])) continue;
        runner.share(*variants[vi]->same_as, vi);
        stopped_by[vi] = stopped_by[*variants[vi]->same_as];
    }

    Report report;
    report.tool_version = version();
    report.scenario_name = s.name;
    report.scenario_sha256 = s.sha256;
    report.seed = options.seed.value_or(s.seed);
    report.precision = options.precision;
    report.trials_cap = trials;
    report.kubernetes_version = s.kubernetes_version;
    report.traffic_mode = to_string(s.traffic.mode);
    report.rollbacks = !s.rollbacks.empty();
    report.busy_cluster = s.registry.bandwidth > 0 || !s.events.empty() || s.workload.config_backend.concurrency > 0 ||
                          std::any_of(s.nodes.begin(), s.nodes.end(), [](const NodeSpec& n) { return !n.pods.empty(); });
    // With a precision, the most trials any variant ran; else every variant's.
    report.trials = options.precision ? 0 : trials;
    for (std::size_t i = 0; i < variants.size(); ++i) {
        report.variants.push_back(runner.summary(i));
        report.variants.back().stopped_by = stopped_by[i];
        if (options.precision) report.trials = std::max(report.trials, report.variants.back().trials);
    }
    if (options.per_trial_csv != nullptr) *options.per_trial_csv = per_trial_rows(variants, runner.records());
    return report;
}

std::shared_ptr<const experiment::Plan> plan_scenario(const ScenarioSpec& s) {
    return std::make_shared<const experiment::Plan>(experiment::plan_variants(s));
}

Report run(const ScenarioSpec& s, const RunOptions& options) { return run(s, experiment::plan_variants(s), options); }

}  // namespace rollsim
