// The report as JSON (docs/report.md). Keys in a fixed order; numbers as nlohmann writes them
// (shortest round-trip form), so the same report gives the same bytes.

#include "output/report_json.hpp"

#include "rollsim/io.hpp"

namespace rollsim {

namespace {

using ojson = nlohmann::ordered_json;

ojson summary(const Summary& s) {
    ojson o;
    o["n"] = s.n;
    o["mean"] = s.mean;
    o["p50"] = s.p50;
    o["p90"] = s.p90;
    o["p99"] = s.p99;
    o["max"] = s.max;
    o["min"] = s.min;
    o["ci95"] = ojson::array({s.ci95_low, s.ci95_high});
    o["p90Ci95"] = ojson::array({s.p90_ci95_low, s.p90_ci95_high});
    if (!s.quantiles.empty()) {
        o["quantiles"] = s.quantiles;
        o["histogram"] = {{"edges", s.histogram_edges}, {"counts", s.histogram_counts}};
    }
    return o;
}

ojson variant(const VariantReport& v, bool rollbacks) {
    ojson o;
    o["strategy"] = v.strategy;
    o["probes"] = v.probes;
    o["updateStrategy"] = v.strategy_text;
    o["minReadySeconds"] = v.min_ready_seconds;
    o["templateChanged"] = v.template_changed;
    o["accepted"] = v.accepted;
    o["rejection"] = v.rejection ? ojson(*v.rejection) : ojson(nullptr);
    if (v.not_applicable) o["notApplicable"] = *v.not_applicable;
    if (v.certain_failure) o["certainFailure"] = *v.certain_failure;
    if (!v.accepted) return o;
    ojson rollout;
    rollout["completedFraction"] = v.completed_fraction;
    rollout["stalledFraction"] = v.stalled_fraction;
    rollout["horizonFraction"] = v.horizon_fraction;
    rollout["caughtFraction"] = v.caught_fraction;
    rollout["completedFractionCi95"] = ojson::array({v.completed_ci95.low, v.completed_ci95.high});
    rollout["stalledFractionCi95"] = ojson::array({v.stalled_ci95.low, v.stalled_ci95.high});
    rollout["caughtFractionCi95"] = ojson::array({v.caught_ci95.low, v.caught_ci95.high});
    ojson reasons = ojson::object();
    for (const auto& [k, n] : v.stall_reasons) reasons[k] = n;
    rollout["stallReasons"] = reasons;
    ojson examples = ojson::object();
    for (const auto& [k, e] : v.stall_examples) examples[k] = e;
    rollout["stallExamples"] = examples;
    rollout["durationSeconds"] = summary(v.duration_seconds);
    rollout["desiredNodes"] = summary(v.desired_nodes);
    rollout["updatedNodes"] = summary(v.updated_nodes);
    rollout["unavailableNodes"] = summary(v.unavailable_nodes);
    rollout["restarts"] = summary(v.restarts);
    rollout["promotedFraction"] = v.promoted_fraction;
    rollout["faultReachedPublicFraction"] = v.fault_reached_public_fraction;
    rollout["testPhaseSeconds"] = summary(v.test_phase_seconds);
    if (rollbacks) {  // only for scenarios with Rollback actions, so other reports keep their bytes
        rollout["rolledBackFraction"] = v.rolled_back_fraction;
        rollout["recoverySeconds"] = summary(v.recovery_seconds);
    }
    o["rollout"] = rollout;
    ojson traffic;
    traffic["errorSeconds"] = summary(v.error_seconds);
    traffic["outageNodeSeconds"] = summary(v.outage_node_seconds);
    traffic["totalOutageSeconds"] = summary(v.total_outage_seconds);
    traffic["falseReadyNodeSeconds"] = summary(v.false_ready_node_seconds);
    traffic["minServingFraction"] = summary(v.min_serving_fraction);
    traffic["outageWindows"] = summary(v.outage_windows);
    traffic["longestOutageSeconds"] = summary(v.longest_outage_seconds);
    o["traffic"] = traffic;
    ojson coverage;
    coverage["gapNodeSeconds"] = summary(v.gap_node_seconds);
    coverage["maxConcurrentUncovered"] = summary(v.max_concurrent_uncovered);
    coverage["longestGapSeconds"] = summary(v.longest_gap_seconds);
    o["coverage"] = coverage;
    ojson cluster;
    cluster["pullSeconds"] = summary(v.pull_seconds);
    cluster["pullSecondsMax"] = summary(v.pull_seconds_max);
    cluster["preemptions"] = summary(v.preemptions);
    cluster["evictions"] = summary(v.evictions);
    cluster["admissionRejections"] = summary(v.admission_rejections);
    cluster["imagePullBackOffNodes"] = summary(v.image_pull_backoff_nodes);
    o["cluster"] = cluster;
    if (!v.alerts.empty()) {  // only with alerts evaluated, so other reports keep their bytes
        ojson alerts = ojson::array();
        for (const auto& a : v.alerts) {
            alerts.push_back({{"alert", a.alert}, {"firingFraction", a.firing_fraction},
                              {"firingFractionCi95", ojson::array({a.firing_ci95.low, a.firing_ci95.high})},
                              {"startSeconds", summary(a.start_seconds)}, {"firingSeconds", summary(a.firing_seconds)}});
        }
        o["alerts"] = alerts;
    }
    if (!v.stopped_by.empty()) {  // adaptive trial counts (docs/report.md, "How many trials")
        o["trials"] = v.trials;
        o["stoppedBy"] = v.stopped_by;
    }
    o["eventsProcessed"] = v.events_processed;
    o["fingerprint"] = v.fingerprint;
    return o;
}

}  // namespace

namespace output {

nlohmann::ordered_json report_object(const Report& r) {
    ojson o;
    o["tool"] = {{"name", "rollsim"}, {"version", r.tool_version}};
    o["scenario"] = {{"name", r.scenario_name}, {"sha256", r.scenario_sha256}};
    o["seed"] = r.seed;
    o["trials"] = r.trials;
    if (r.precision) {
        o["precision"] = *r.precision;
        o["trialsCap"] = r.trials_cap;
    }
    o["kubernetesVersion"] = r.kubernetes_version;
    o["trafficMode"] = r.traffic_mode;
    ojson variants = ojson::array();
    for (const auto& v : r.variants) variants.push_back(variant(v, r.rollbacks));
    o["variants"] = variants;
    if (r.recommendation) {
        const Recommendation& rec = *r.recommendation;
        ojson j;
        j["strategy"] = rec.strategy.empty() ? ojson(nullptr) : ojson(rec.strategy);
        j["probes"] = rec.probes.empty() ? ojson(nullptr) : ojson(rec.probes);
        j["acceptable"] = rec.acceptable;
        j["why"] = rec.why;
        ojson fails = ojson::array();
        for (const auto& f : rec.failures) {
            fails.push_back({{"limit", f.limit}, {"value", f.value}, {"allowed", f.allowed}, {"text", f.text}});
        }
        j["failedLimits"] = fails;
        ojson frontier = ojson::array();
        for (const auto& p : rec.frontier) {
            frontier.push_back({{"strategy", p.strategy},
                                {"probes", p.probes},
                                {"durationSecondsP90", p.duration_p90},
                                {"errorSecondsMean", p.errors_mean},
                                {"harmMean", p.harm_mean},
                                {"onFrontier", p.on_frontier},
                                {"recommended", p.recommended}});
        }
        j["paretoFrontier"] = frontier;
        j["frontierHarm"] = rec.frontier_harm;
        j["frontierLeftOutFalseReady"] = rec.frontier_false_ready;
        if (rec.termination_fix) {
            const TerminationFix& f = *rec.termination_fix;
            ojson t;
            t["preStopSeconds"] = f.pre_stop_seconds;
            t["drains"] = f.drains;
            t["terminationGracePeriodSeconds"] = f.grace_seconds;
            t["written"] = f.written;
            t["notWritten"] = f.written ? ojson(nullptr) : ojson(f.not_written);
            t["errorSecondsNow"] = summary(f.errors_without);
            t["errorSecondsWithFixLive"] = summary(f.errors_with_fix_live);
            j["terminationFix"] = t;
        } else {
            j["terminationFix"] = nullptr;
        }
        o["recommendation"] = j;
    } else {
        o["recommendation"] = nullptr;
    }
    return o;
}

}  // namespace output

std::string report_json(const Report& r) { return output::report_object(r).dump(2) + "\n"; }

}  // namespace rollsim
