// Choosing a plan (docs/recommend.md): which variant to roll with, and one paragraph saying why
// in the user's terms.

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "experiment/termination_fix.hpp"
#include "experiment/words.hpp"
#include "rollsim/run.hpp"

namespace rollsim {

namespace {

std::string secs(double s) { return experiment::duration_words(s, /*tenths=*/true); }

/// Two means are tied when they differ by no more than either's 95% confidence half-width: a
/// difference the trials cannot tell from noise must not decide a recommendation.
bool tied(const Summary& a, const Summary& b) {
    const double half = std::max(a.ci95_high - a.mean, b.ci95_high - b.mean);
    return std::abs(a.mean - b.mean) <= half;
}

/// A plan rollsim may choose: simulated (the API accepts it, it applies to this DaemonSet) and
/// not certain to fail, so that recommend never chooses what review blocks.
bool offerable(const VariantReport& v) { return v.accepted && !v.certain_failure; }

bool completes(const VariantReport& v) { return offerable(v) && v.completed_fraction >= 1.0; }

}  // namespace

std::vector<LimitFailure> limit_failures(const ScenarioSpec& s, const VariantReport& v) {
    std::vector<LimitFailure> out;
    if (!completes(v)) {
        std::string why;
        if (!v.stall_examples.empty()) why = ": " + v.stall_examples.begin()->second;
        out.push_back({"completion", v.completed_fraction, 1.0,
                       fmt::format("{}{}", experiment::unfinished_words(v.completed_fraction), why)});
    }
    const Limits& l = s.limits;
    if (l.max_error_seconds && v.error_seconds.p90 > *l.max_error_seconds) {
        out.push_back({"maxErrorSeconds", v.error_seconds.p90, *l.max_error_seconds,
                       fmt::format("p90 client-visible errors of {} exceed maxErrorSeconds {} by {}",
                                   experiment::node_seconds_words(v.error_seconds.p90),
                                   experiment::node_seconds_words(*l.max_error_seconds),
                                   experiment::node_seconds_words(v.error_seconds.p90 - *l.max_error_seconds))});
    }
    if (l.max_rollout_duration && completes(v) &&
        v.duration_seconds.p90 > l.max_rollout_duration->to_seconds()) {
        const double allowed = l.max_rollout_duration->to_seconds();
        out.push_back({"maxRolloutDuration", v.duration_seconds.p90, allowed,
                       fmt::format("a p90 duration of {} exceeds maxRolloutDuration {} by {}",
                                   secs(v.duration_seconds.p90), secs(allowed),
                                   secs(v.duration_seconds.p90 - allowed))});
    }
    if (l.max_uncovered_nodes && v.max_concurrent_uncovered.p90 > *l.max_uncovered_nodes) {
        out.push_back({"maxUncoveredNodes", v.max_concurrent_uncovered.p90,
                       static_cast<double>(*l.max_uncovered_nodes),
                       fmt::format("{:.0f} nodes uncovered at once (p90) exceed maxUncoveredNodes {} by {:.0f}",
                                   v.max_concurrent_uncovered.p90, *l.max_uncovered_nodes,
                                   v.max_concurrent_uncovered.p90 - *l.max_uncovered_nodes)});
    }
    // An alert that must not page may fire in at most 10% of trials: the limits' p90.
    constexpr double kAlertShare = 0.1;
    for (const auto& name : l.no_alerts) {
        const auto a = std::find_if(v.alerts.begin(), v.alerts.end(), [&](const AlertSummary& x) { return x.alert == name; });
        if (a == v.alerts.end() || a->firing_fraction <= kAlertShare) continue;
        out.push_back({"noAlerts", a->firing_fraction, kAlertShare,
                       fmt::format("{} fires in {:.0f}% of trials (after {} at p50), more than the 10% noAlerts allows", name,
                                   100 * a->firing_fraction, secs(a->start_seconds.p50))});
    }
    return out;
}

namespace {

std::vector<LimitFailure> failures(const ScenarioSpec& s, const VariantReport& v) { return limit_failures(s, v); }

std::string name(const VariantReport& v) {
    return fmt::format("{} ({}{}) with the {} probes", v.strategy, v.strategy_text,
                       v.min_ready_seconds > 0 ? fmt::format(", minReadySeconds {}", v.min_ready_seconds) : "",
                       v.probes);
}

std::string why(const ScenarioSpec& s, const Report& r, const VariantReport& v, bool acceptable,
                const std::vector<LimitFailure>& fails) {
    std::string text;
    const bool coverage = r.traffic_mode == "coverage";
    if (acceptable) {
        text = fmt::format("Roll out with {}: it meets every limit. ", name(v));
    } else {
        text = fmt::format("No plan meets the limits. The least harmful is {}: ", name(v));
        for (std::size_t i = 0; i < fails.size(); ++i) {
            text += (i == 0 ? "" : i + 1 == fails.size() ? " and " : ", ") + fails[i].text;
        }
        text += ". ";
    }
    text += fmt::format("Over {} trials it finishes in {} at p50 and {} at p90", v.trials,
                        secs(v.duration_seconds.p50), secs(v.duration_seconds.p90));
    if (coverage) {
        text += fmt::format(", with at most {:.0f} nodes uncovered at once and the longest gap {}.",
                            v.max_concurrent_uncovered.max, secs(v.longest_gap_seconds.max));
    } else {
        text += fmt::format(", clients see {} of errors on average ({} at p90), and each node is out for {} on average",
                            experiment::node_seconds_words(v.error_seconds.mean),
                            experiment::node_seconds_words(v.error_seconds.p90),
                            secs(v.outage_node_seconds.mean / std::max(1.0, v.desired_nodes.max)));
        text += v.min_serving_fraction.min <= 0
                    ? fmt::format("; the service is down altogether for {} on average.", secs(v.total_outage_seconds.mean))
                    : fmt::format("; at worst {:.0f}% of the nodes serve.", 100 * v.min_serving_fraction.min);
    }
    // Why nothing better exists, in the situation's own terms.
    const std::string ports = experiment::joined(experiment::host_port_texts(s.proposed.pod_template));
    const bool single = v.desired_nodes.max <= 1;
    if (!ports.empty() && !coverage && v.error_seconds.mean > 0 && single) {
        text += fmt::format(
            " No plan can avoid the outage: the DaemonSet binds hostPort {} on a single eligible "
            "node, so the old pod must stop before the new one can bind the port, and surging "
            "cannot help.",
            ports);
    }
    for (const auto& other : r.variants) {
        if (!other.accepted || completes(other) || other.stall_examples.empty()) continue;
        text += fmt::format(" {} never finishes: {}.", other.strategy, other.stall_examples.begin()->second);
        break;
    }
    for (const auto& other : r.variants) {
        if (other.accepted || !other.rejection) continue;
        text += fmt::format(" The API server rejects {}.", other.strategy);
        break;
    }
    for (const auto& other : r.variants) {
        if (!other.certain_failure) continue;
        text += fmt::format(" {} is certain to fail: {}.", other.strategy, *other.certain_failure);
        break;
    }
    // A probe that says Ready long before the node serves is worth naming.
    for (const auto& other : r.variants) {
        if (&other == &v || other.strategy != v.strategy || !completes(other)) continue;
        if (other.false_ready_node_seconds.mean > 2 * v.false_ready_node_seconds.mean + 10) {
            text += fmt::format(
                " The {} probes would finish sooner on paper, but their pods report Ready for {} (on "
                "average) before they can serve, so the controller moves on while nodes are still "
                "starting.",
                other.probes, experiment::node_seconds_words(other.false_ready_node_seconds.mean));
            break;
        }
    }
    return text;
}

}  // namespace

namespace {

/// Two p90s are tied when their 95% intervals overlap.
bool tied_p90(const Summary& a, const Summary& b) {
    return a.p90_ci95_low <= b.p90_ci95_high && b.p90_ci95_low <= a.p90_ci95_high;
}

bool false_ready(const VariantReport& v) {
    return v.false_ready_node_seconds.mean > 0 && !tied(v.false_ready_node_seconds, Summary{});
}

/// The Pareto frontier of p90 duration against the traffic mode's harm among plans that finish
/// (docs/recommend.md, "The Pareto frontier"): a plan is off it when another is no worse on both
/// and better on one by more than the 95% intervals; false-ready plans are left off when an
/// honest plan finishes; the recommended plan is always shown.
void frontier(const Report& r, Recommendation& rec) {
    const bool coverage = r.traffic_mode == "coverage";
    rec.frontier_harm = coverage ? "gapNodeSeconds" : "errorSeconds";
    const auto harm = [&](const VariantReport& v) -> const Summary& { return coverage ? v.gap_node_seconds : v.error_seconds; };
    std::vector<const VariantReport*> plans;
    for (const auto& v : r.variants) {
        if (completes(v)) plans.push_back(&v);
    }
    const bool honest = std::any_of(plans.begin(), plans.end(), [](const VariantReport* v) { return !false_ready(*v); });
    if (honest) {
        for (const auto* v : plans) {
            if (false_ready(*v)) rec.frontier_false_ready.push_back(v->strategy + " × " + v->probes);
        }
        std::erase_if(plans, [](const VariantReport* v) { return false_ready(*v); });
    }
    const auto point = [&](const VariantReport& v, bool on) {
        return FrontierPoint{v.strategy, v.probes, v.duration_seconds.p90, v.error_seconds.mean, harm(v).mean, on,
                             v.strategy == rec.strategy && v.probes == rec.probes};
    };
    for (const auto* v : plans) {
        const bool dominated = std::any_of(plans.begin(), plans.end(), [&](const VariantReport* o) {
            if (o == v) return false;
            const bool same_time = tied_p90(o->duration_seconds, v->duration_seconds);
            const bool same_harm = tied(harm(*o), harm(*v));
            const bool faster = !same_time && o->duration_seconds.p90 < v->duration_seconds.p90;
            const bool safer = !same_harm && harm(*o).mean < harm(*v).mean;
            return (faster || same_time) && (safer || same_harm) && (faster || safer);
        });
        if (!dominated) rec.frontier.push_back(point(*v, true));
    }
    std::sort(rec.frontier.begin(), rec.frontier.end(), [](const FrontierPoint& a, const FrontierPoint& b) {
        return a.duration_p90 < b.duration_p90 || (a.duration_p90 == b.duration_p90 && a.harm_mean < b.harm_mean);
    });
    const bool shown = std::any_of(rec.frontier.begin(), rec.frontier.end(), [](const FrontierPoint& p) { return p.recommended; });
    if (!shown && !rec.strategy.empty()) {
        if (const VariantReport* v = r.find(rec.strategy, rec.probes)) rec.frontier.push_back(point(*v, false));
    }
}

}  // namespace

Recommendation recommend(const ScenarioSpec& s, const Report& r) {
    Recommendation rec;
    const VariantReport* best = nullptr;
    // Fewest client-visible errors, then the least false-ready time (a plan whose pods say Ready
    // before they serve is not done when it says so), then the shortest p90 duration.
    const auto better = [](const VariantReport* a, const VariantReport* b) {
        if (b == nullptr) return true;
        if (!tied(a->error_seconds, b->error_seconds)) return a->error_seconds.mean < b->error_seconds.mean;
        if (!tied(a->false_ready_node_seconds, b->false_ready_node_seconds)) {
            return a->false_ready_node_seconds.mean < b->false_ready_node_seconds.mean;
        }
        return a->duration_seconds.p90 < b->duration_seconds.p90;
    };
    for (const auto& v : r.variants) {
        if (offerable(v) && failures(s, v).empty() && better(&v, best)) best = &v;
    }
    rec.acceptable = best != nullptr;
    if (best == nullptr) {
        // The smallest outage among plans that finish: first the time with no node serving at
        // all (or the most nodes uncovered at once, for agents), then node-seconds out, then as
        // above.
        const auto harm = [&](const VariantReport& v) -> const Summary& {
            return r.traffic_mode == "coverage" ? v.max_concurrent_uncovered : v.total_outage_seconds;
        };
        const auto less_harmful = [&](const VariantReport& a, const VariantReport& b) {
            if (!tied(harm(a), harm(b))) return harm(a).mean < harm(b).mean;
            if (!tied(a.outage_node_seconds, b.outage_node_seconds)) {
                return a.outage_node_seconds.mean < b.outage_node_seconds.mean;
            }
            return better(&a, &b);
        };
        for (const auto& v : r.variants) {
            if (completes(v) && (best == nullptr || less_harmful(v, *best))) best = &v;
        }
    }
    if (best != nullptr) {
        rec.strategy = best->strategy;
        rec.probes = best->probes;
        if (!rec.acceptable) rec.failures = failures(s, *best);
        rec.why = why(s, r, *best, rec.acceptable, rec.failures);
    } else {
        rec.why = "No plan finishes in every trial, so there is nothing to recommend.";
        for (const auto& v : r.variants) {
            if (!offerable(v)) continue;
            const auto f = failures(s, v);
            if (!f.empty()) rec.why += fmt::format(" {} × {} {}.", v.strategy, v.probes, f.front().text);
        }
    }
    frontier(r, rec);
    return rec;
}

Recommendation recommend(const ScenarioSpec& s, const Report& r, const RunOptions& options) {
    Recommendation rec = recommend(s, r);
    const VariantReport* chosen = r.find(rec.strategy, rec.probes);
    if (chosen == nullptr) return rec;
    rec.termination_fix = experiment::weigh_termination_fix(s, *chosen, options);
    if (!rec.termination_fix) return rec;
    const TerminationFix& f = *rec.termination_fix;
    const std::string hook = f.drains ? fmt::format("A preStop hook that drains for {} s", f.pre_stop_seconds)
                                      : fmt::format("A preStop sleep of {} s", f.pre_stop_seconds);
    rec.why += fmt::format(
        " Each old pod stops serving while clients are still sent to it ({} of errors at p90), and a running "
        "pod's hooks cannot change before it goes. {}, with terminationGracePeriodSeconds {}, cannot help this "
        "rollout but helps every later one: the same change and plan with it live see {} of errors at p90 "
        "(simulated). ",
        experiment::node_seconds_words(f.errors_without.p90), hook, f.grace_seconds,
        experiment::node_seconds_words(f.errors_with_fix_live.p90));
    rec.why += f.written ? "The promotion manifest carries it." : fmt::format("rollsim does not write it: {}.", f.not_written);
    return rec;
}

}  // namespace rollsim
