#pragma once
/// @file trial_alerts.hpp
/// A trial as the monitoring sees it (docs/alerts.md): the status writes scraped into
/// kube-state-metrics series, and what the alerting rules make of them.

#include <vector>

#include "alerts/promql.hpp"
#include "alerts/rules.hpp"
#include "rollsim/alerts.hpp"

namespace rollsim::alerts {

/// The scraped gauges as the evaluator's series, with the labels Prometheus would store
/// (job="kube-state-metrics", namespace, daemonset).
SeriesSet series_set(const ScenarioSpec& s, const std::vector<ScrapedGauge>& gauges, const ScrapeOptions& o);
/// The time of the last scrape (the change at 0).
SimTime last_scrape(const std::vector<ScrapedGauge>& gauges, const ScrapeOptions& o);

/// One rule in one trial: whether it started firing after the change (an alert already firing
/// before it is not the rollout's page), when it first did and for how long in all (until the
/// trial's end plus ScrapeOptions::after).
struct TrialAlert {
    bool fired = false;
    double start_seconds = 0;
    double firing_seconds = 0;
};

/// Every rule over the trial's series, in the rules' order.
std::vector<TrialAlert> evaluate_trial(const std::vector<AlertRule>& rules, const ScenarioSpec& s, const StatusSeries& series,
                                       const ScrapeOptions& o);

/// alerts_text: when each rule's alert starts and stops in the trial.
std::string story(const ScenarioSpec& s, const StatusSeries& series, const ScrapeOptions& o);

/// The rules ScrapeOptions names: its rules_file's, else the kubernetes-mixin's DaemonSet alerts.
std::vector<AlertRule> rules_for(const ScrapeOptions& o);

}  // namespace rollsim::alerts
