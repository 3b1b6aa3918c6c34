#pragma once
/// @file alerts.hpp
/// What a rollout shows the monitoring (docs/alerts.md): the DaemonSet's kube-state-metrics
/// gauges over one trial, as the status the controller writes at its syncs, scraped at an
/// interval, and the files that let Prometheus's own promtool check them.
///
/// Example:
/// @code
///   auto recorder = rollsim::make_status_recorder(scenario);
///   rollsim::RunOptions opt;
///   opt.tracers.push_back(recorder.get());
///   rollsim::Report r = rollsim::run(scenario, opt);
///   for (const auto& [name, text] : rollsim::promtool_files(scenario, rollsim::recorded_status(*recorder)[0], {}))
///       rollsim::write_file_atomic("promtool/" + name, text);
/// @endcode

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "rollsim/io.hpp"
#include "rollsim/run.hpp"
#include "rollsim/scenario.hpp"

namespace rollsim {

/// One status write of the public DaemonSet, as `kubectl get ds -o yaml` would show it after.
struct StatusWrite {
    SimTime time;
    std::int64_t generation = 0;  ///< metadata.generation
    std::int64_t observed_generation = 0;
    std::int32_t desired = 0, current = 0, ready = 0, available = 0, unavailable = 0, updated = 0, misscheduled = 0;
};

/// The status writes of one traced trial of one variant.
struct StatusSeries {
    std::string strategy, probes;
    std::int32_t trial = 0;
    SimTime end;                      ///< when the trial stopped
    std::vector<StatusWrite> writes;  ///< in time order; the first at the first sync
    /// Before the change the DaemonSet was steady: every pod on the live template, so the
    /// status the controller last wrote is the first write's counts with all of them updated
    /// and the previous generation observed. False when starting pods of an earlier template
    /// make that unknown; the series then start at the first write.
    bool steady_before = true;
};

/// A Tracer that keeps the status writes of the traced trial of every variant.
std::unique_ptr<Tracer> make_status_recorder(const ScenarioSpec& s);
/// What `recorder` (from make_status_recorder) kept, in variant order.
const std::vector<StatusSeries>& recorded_status(const Tracer& recorder);


/// One gauge at each scrape: its name and the value of every sample, scrape k at
/// k × interval − before (k = 0, 1, …, the change at 0); before the first status write the
/// steady pre-change status, or no sample when it is unknown.
struct ScrapedGauge {
    std::string name;
    std::vector<std::optional<std::int64_t>> samples;
};
std::vector<ScrapedGauge> scrape(const StatusSeries& s, const ScrapeOptions& o);

/// `run --promtool-test DIR`'s files: series.om (OpenMetrics, for promtool tsdb
/// create-blocks-from openmetrics), rules.yaml (the alerting rules evaluated), alerts.json
/// (rollsim's verdict: when each alert fires), and series-test.yaml (a promtool test rules file
/// whose input_series are the scraped gauges, whose promql_expr_test asserts rollsim's values
/// and their changes(), and whose alert_rule_test asserts rollsim's firing verdicts, at chosen
/// evaluation times). Throws InputError for a rule file rollsim cannot evaluate.
/// What the alerting rules make of one trial, in words, for explain: when each alert would
/// start firing and stop, at the trial's clock.
std::string alerts_text(const ScenarioSpec& s, const StatusSeries& series, const ScrapeOptions& o);

/// Throws InputError when ScrapeOptions::rules_file is one rollsim cannot evaluate, so that a
/// command can refuse it before any trial runs.
void check_alert_rules(const std::string& rules_file);

std::vector<std::pair<std::string, std::string>> promtool_files(const ScenarioSpec& s, const StatusSeries& series,
                                                                const ScrapeOptions& o);

}  // namespace rollsim
