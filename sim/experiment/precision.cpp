#include "experiment/precision.hpp"

#include <algorithm>
#include <cmath>

namespace rollsim::experiment {

namespace {

/// Trials below this leave the p90's distribution-free interval clamped to the sample's largest
/// value (0.9^35 < 2.5%): no p90 is known before.
constexpr std::int64_t kP90Trials = 35;

struct Verdict {
    bool precise = true;
    bool settled = true;  ///< precise, or its limit decided
    void add(bool is_precise, bool is_settled) {
        precise = precise && is_precise;
        settled = settled && (is_precise || is_settled);
    }
};

bool within(double half_width, double value, double precision, double floor) {
    return half_width <= std::max(precision * std::fabs(value), floor);
}

void mean(Verdict& out, const Summary& m, double precision) {
    if (m.n == 0) return;
    out.add(within(m.ci95_high - m.mean, m.mean, precision, 1.0), false);
}

/// The p90, against a limit `at_most` when there is one.
void p90(Verdict& out, const Summary& m, double precision, double floor, std::optional<double> at_most) {
    if (m.n < kP90Trials) {
        out.add(false, false);
        return;
    }
    const bool precise = within((m.p90_ci95_high - m.p90_ci95_low) / 2, m.p90, precision, floor);
    out.add(precise, at_most && (m.p90_ci95_high <= *at_most || m.p90_ci95_low > *at_most));
}

}  // namespace

std::string enough_trials(const ScenarioSpec& s, const VariantReport& v, double precision) {
    Verdict out;
    const Limits& l = s.limits;
    // Completion: a plan that failed to finish in some trial has failed it, whatever comes.
    const bool finishes = v.completed_fraction >= 1.0;
    out.add((v.completed_ci95.high - v.completed_ci95.low) / 2 <= precision, !finishes);
    mean(out, v.error_seconds, precision);
    mean(out, v.false_ready_node_seconds, precision);
    mean(out, v.total_outage_seconds, precision);
    mean(out, v.outage_node_seconds, precision);
    if (s.traffic.mode == TrafficMode::Coverage) {
        mean(out, v.gap_node_seconds, precision);
        mean(out, v.max_concurrent_uncovered, precision);
    }
    if (finishes) {
        std::optional<double> limit;
        if (l.max_rollout_duration) limit = l.max_rollout_duration->to_seconds();
        p90(out, v.duration_seconds, precision, 1.0, limit);
    }
    if (l.max_error_seconds) p90(out, v.error_seconds, precision, 1.0, *l.max_error_seconds);
    if (l.max_uncovered_nodes) {
        p90(out, v.max_concurrent_uncovered, precision, 0.5, static_cast<double>(*l.max_uncovered_nodes));
    }
    // limits.noAlerts: each listed alert in at most 10% of trials.
    for (const auto& name : l.no_alerts) {
        for (const AlertSummary& a : v.alerts) {
            if (a.alert != name) continue;
            out.add((a.firing_ci95.high - a.firing_ci95.low) / 2 <= precision,
                    a.firing_ci95.high <= 0.1 || a.firing_ci95.low > 0.1);
        }
    }
    if (out.precise) return "precision";
    if (out.settled) return "limits";
    return "";
}

}  // namespace rollsim::experiment
