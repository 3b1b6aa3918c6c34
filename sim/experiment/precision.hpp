#pragma once
/// @file precision.hpp
/// When a variant has run enough trials (RunOptions::precision; docs/report.md, "How many
/// trials"). The measures are those the limits and the ranking use: the share of trials that
/// finish, the mean client errors, false-ready time, total outage and node-seconds out (the
/// ranking), the mean uncovered node-seconds and nodes uncovered at once in coverage mode (the
/// frontier's harm, the least harmful plan), the p90 duration of a plan that finishes, and each
/// limit's own measure.
///
/// A measure is precise when its 95% interval's half-width is within `precision` of its value,
/// or under one second (one node for a count; for a share of trials, `precision` itself). A
/// limited measure is settled when the whole interval lies on one side of the limit; a plan
/// that failed to finish in some trial has settled its completion.

#include <string>

#include "rollsim/report.hpp"
#include "rollsim/scenario.hpp"

namespace rollsim::experiment {

/// "precision" when every measure is precise, "limits" when every one is precise or settled,
/// "" when more trials are needed.
std::string enough_trials(const ScenarioSpec& s, const VariantReport& v, double precision);

}  // namespace rollsim::experiment
