#pragma once
/// @file rules.hpp
/// Alerting rules over kube-state-metrics (docs/alerts.md): the kubernetes-mixin's DaemonSet
/// alerts built in, the user's rule files read, and each rule evaluated with its `for:` over the
/// series of a trial as Prometheus's rule manager evaluates it.

#include <optional>
#include <string>
#include <vector>

#include "alerts/promql.hpp"

namespace rollsim::alerts {

struct AlertRule {
    std::string name;  ///< `alert:`
    std::string expr;  ///< as written
    Query query;
    SimTime hold;      ///< `for:`
    Labels labels;     ///< the rule's own labels (severity, …)
};

/// The kubernetes-mixin's DaemonSet alerts (alerts/apps_alerts.libsonnet, with its default
/// selector job="kube-state-metrics"): KubeDaemonSetRolloutStuck (15m), KubeDaemonSetNotScheduled
/// (10m), KubeDaemonSetMisScheduled (15m).
const std::vector<AlertRule>& mixin_daemonset_rules();

/// The alerting rules of a Prometheus rule file (`groups:`) or of PrometheusRule manifests
/// (`spec.groups`). Throws InputError naming the file, line and key, and for an expression
/// rollsim cannot evaluate, the rule and the construct. Recording rules are refused: they would
/// make series rollsim does not have.
std::vector<AlertRule> read_rule_file(const std::string& path);

/// One alert's firing windows over a trial, for one label set.
struct AlertFiring {
    std::string alert;
    Labels labels;  ///< the alert's labels: the result's without __name__, then the rule's
    /// [start, end): the first evaluation it fired at, and the first it no longer did
    /// (nullopt: still firing at the last evaluation).
    std::vector<std::pair<SimTime, std::optional<SimTime>>> windows;
};

/// Every rule evaluated at every `interval` from the data's first sample to `last`: an alert is pending from
/// the first evaluation its expression returns its label set, firing once it has been pending
/// for `for:`, and resolved at the first evaluation that does not return it.
std::vector<AlertFiring> evaluate_rules(const std::vector<AlertRule>& rules, const SeriesSet& data, SimTime interval, SimTime last);

/// The alert's labels at one evaluation that fire then (empty when none does).
std::vector<Labels> firing_at(const std::vector<AlertFiring>& alerts, const std::string& alert, SimTime t);

}  // namespace rollsim::alerts
