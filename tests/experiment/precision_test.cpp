// Adaptive trial counts (RunOptions::precision, experiment/precision): rounds of 40, 80, 160, ...
// trials per variant until its measures are precise or its limits settled, the same on any
// thread count, and each variant's numbers those of a fixed run of as many trials.

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "experiment/precision.hpp"
#include "rollsim/io.hpp"
#include "rollsim/run.hpp"

namespace rollsim::test {

namespace {

ScenarioSpec bundled(const std::string& name) {
    return load_scenario(std::string(ROLLSIM_SOURCE_DIR) + "/scenarios/" + name + "/scenario.yaml");
}

/// A variant's JSON without the keys only an adaptive run writes.
nlohmann::json numbers(nlohmann::json v) {
    v.erase("trials");
    v.erase("stoppedBy");
    return v;
}

/// A summary whose mean is `mean` ± `half` and whose p90 interval is [lo, hi] over n trials.
Summary summary(double mean, double half, double p90, double lo, double hi, std::int64_t n = 80) {
    Summary s;
    s.n = n;
    s.mean = mean;
    s.ci95_low = mean - half;
    s.ci95_high = mean + half;
    s.p90 = p90;
    s.p90_ci95_low = lo;
    s.p90_ci95_high = hi;
    return s;
}

}  // namespace

TEST_SUITE("experiment.precision") {

TEST_CASE("adaptive trials: each variant stops on its own, with a fixed run's numbers, the same on 1 and 2 threads") {
    const ScenarioSpec s = bundled("edge-proxy-20-nodes");
    RunOptions o;
    o.trials = 400;
    o.precision = 0.05;
    o.threads = 1;
    const std::string one = report_json(run(s, o));
    o.threads = 2;
    const std::string two = report_json(run(s, o));
    CHECK(one == two);
    const auto r = nlohmann::json::parse(two);
    CHECK(r["precision"] == 0.05);
    CHECK(r["trialsCap"] == 400);
    std::map<std::int32_t, nlohmann::json> fixed;  // trials -> the fixed run's report
    int beyond_first_round = 0;
    for (std::size_t i = 0; i < r["variants"].size(); ++i) {
        const auto& v = r["variants"][i];
        if (!v["accepted"].get<bool>()) continue;
        CAPTURE(v["strategy"]);
        CAPTURE(v["probes"]);
        const auto trials = v["trials"].get<std::int32_t>();
        CHECK(v["stoppedBy"] == "precision");
        CHECK((trials == 40 || trials == 80 || trials == 160 || trials == 320));  // the rounds
        beyond_first_round += trials > 40 ? 1 : 0;
        if (!fixed.count(trials)) {
            RunOptions f;
            f.trials = trials;
            fixed[trials] = nlohmann::json::parse(report_json(run(s, f)));
        }
        CHECK(numbers(v) == numbers(fixed[trials]["variants"][i]));
        // The rule it stopped by: the mean errors known within 5% of their value.
        const auto& e = v["traffic"]["errorSeconds"];
        CHECK(e["ci95"][1].get<double>() - e["mean"].get<double>() <= 0.05 * e["mean"].get<double>());
    }
    CHECK(beyond_first_round >= 1);
    CHECK(r["trials"] == 160);
}

TEST_CASE("adaptive trials: a precision out of reach stops at the cap, after rounds of 40 and then the rest") {
    const ScenarioSpec s = bundled("edge-proxy-20-nodes");
    RunOptions o;
    o.trials = 50;
    o.precision = 0.001;
    const Report r = run(s, o);
    for (const auto& v : r.variants) {
        if (!v.accepted) continue;
        CHECK(v.trials == 50);
        CHECK(v.stopped_by == "cap");
    }
    CHECK(r.trials_words() == "50 trials (to 0.1% precision)");
}

TEST_CASE("enough_trials: every measure precise, or its limit settled with 95% confidence, or not yet") {
    ScenarioSpec s;
    s.traffic.mode = TrafficMode::HostPort;
    VariantReport v;
    v.completed_fraction = 1;
    v.completed_ci95 = {0.955, 1.0};
    v.error_seconds = summary(100, 4, 120, 115, 125);  // within 5% of the mean
    v.false_ready_node_seconds = summary(0, 0, 0, 0, 0);
    v.total_outage_seconds = summary(2, 0.8, 3, 2, 4);  // 0.8 s: under one second
    v.outage_node_seconds = summary(3000, 100, 3200, 3100, 3300);
    v.duration_seconds = summary(600, 10, 700, 690, 710);
    CHECK(experiment::enough_trials(s, v, 0.05) == "precision");
    // The p90 duration spans 600 to 800 s: not within 5% of 700 ...
    v.duration_seconds = summary(600, 10, 700, 600, 800);
    CHECK(experiment::enough_trials(s, v, 0.05) == "");
    // ... but wholly under a 2-hour limit: settled.
    s.limits.max_rollout_duration = SimTime::hours(2);
    CHECK(experiment::enough_trials(s, v, 0.05) == "limits");
    // A limit inside the interval is not settled.
    s.limits.max_rollout_duration = SimTime::seconds(750);
    CHECK(experiment::enough_trials(s, v, 0.05) == "");
    // Fewer than 35 trials give no p90 interval that is not clamped to the largest value.
    v.duration_seconds = summary(600, 10, 700, 699, 700, 30);
    CHECK(experiment::enough_trials(s, v, 0.05) == "");
    // A plan that failed to finish in some trial has settled its completion, and its durations
    // are not asked for.
    v.completed_fraction = 0.9;
    v.completed_ci95 = {0.8, 0.96};
    CHECK(experiment::enough_trials(s, v, 0.05) == "limits");
}

}  // TEST_SUITE

}  // namespace rollsim::test
