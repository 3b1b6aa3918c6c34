// Choosing a plan: acceptability against spec.limits, ranking, ties within noise, the Pareto
// frontier, and the single-node edge proxy of issue #3's acceptance.

#include <doctest/doctest.h>

#include "rollsim/io.hpp"
#include "rollsim/run.hpp"

namespace rollsim::test {

namespace {

Summary exact(double v) {
    Summary s;
    s.n = 100;
    s.mean = s.p50 = s.p90 = s.p99 = s.max = s.min = s.ci95_low = s.ci95_high = s.p90_ci95_low = s.p90_ci95_high = v;
    return s;
}

VariantReport variant(const char* name, double errors, double p90_duration, double false_ready = 0,
                      double completed = 1.0) {
    VariantReport v;
    v.strategy = name;
    v.probes = "p";
    v.strategy_text = "RollingUpdate(maxUnavailable=1, maxSurge=0)";
    v.completed_fraction = completed;
    v.stalled_fraction = 1 - completed;
    v.error_seconds = exact(errors);
    v.duration_seconds = exact(p90_duration);
    v.false_ready_node_seconds = exact(false_ready);
    v.outage_node_seconds = exact(100);
    v.total_outage_seconds = exact(0);
    v.desired_nodes = exact(5);
    v.min_serving_fraction = exact(0.8);
    if (completed < 1.0) {
        v.stall_reasons["stuck"] = 100;
        v.stall_examples["stuck"] = "stuck on node-1";
    }
    return v;
}

Report report(std::vector<VariantReport> variants) {
    Report r;
    r.trials = 100;
    r.traffic_mode = "hostPort";
    r.variants = std::move(variants);
    return r;
}

}  // namespace

TEST_SUITE("experiment.recommend") {

TEST_CASE("fewest errors wins, at equal errors the probe that tells the truth, then p90 duration") {
    ScenarioSpec s;
    s.limits.max_error_seconds = 10;
    Report r = report({variant("fast-liar", 5, 50, 300), variant("honest", 5, 100, 0),
                       variant("errors", 8, 40, 0), variant("slow", 5, 200, 0),
                       variant("stalls", 0, 0, 0, 0.0)});
    r.recommendation = recommend(s, r);
    REQUIRE(r.recommendation);
    CHECK(r.recommendation->acceptable);
    CHECK(r.recommendation->strategy == "honest");
    CHECK(r.recommendation->why.find("Roll out with honest") == 0);
    CHECK(r.recommendation->why.find("fast-liar") == std::string::npos);  // other strategy name
}

TEST_CASE("differences within the 95% confidence interval do not decide") {
    ScenarioSpec s;
    VariantReport a = variant("a", 10.2, 200);
    VariantReport b = variant("b", 10.0, 100);
    a.error_seconds.ci95_low = 9.7, a.error_seconds.ci95_high = 10.7;
    b.error_seconds.ci95_low = 9.5, b.error_seconds.ci95_high = 10.5;
    Report r = report({a, b});
    r.recommendation = recommend(s, r);
    CHECK(r.recommendation->strategy == "b");  // tied on errors; b is faster
    b.error_seconds.mean = 11.0;  // now beyond both half-widths (0.5)
    Report r2 = report({a, b});
    r2.recommendation = recommend(s, r2);
    CHECK(r2.recommendation->strategy == "a");
}

TEST_CASE("no acceptable plan: the least harmful one, with each failed limit and by how much") {
    ScenarioSpec s;
    s.limits.max_error_seconds = 0;
    s.limits.max_rollout_duration = SimTime::minutes(1);
    VariantReport down = variant("down", 5, 100);
    down.total_outage_seconds = exact(30);
    Report r = report({down, variant("up", 20, 100), variant("stalls", 0, 0, 0, 0.0)});
    r.recommendation = recommend(s, r);
    const Recommendation& rec = *r.recommendation;
    CHECK_FALSE(rec.acceptable);
    CHECK(rec.strategy == "up");  // no time with the whole service down beats fewer errors
    REQUIRE(rec.failures.size() == 2);
    CHECK(rec.failures[0].limit == "maxErrorSeconds");
    CHECK(rec.failures[0].text == "p90 client-visible errors of 20 node-seconds exceed maxErrorSeconds 0 node-seconds by 20 node-seconds");
    CHECK(rec.failures[1].limit == "maxRolloutDuration");
    CHECK(rec.failures[1].text == "a p90 duration of 100.0 s exceeds maxRolloutDuration 60.0 s by 40.0 s");
    CHECK(rec.why.find("No plan meets the limits") == 0);
    CHECK(rec.why.find("stalls never finishes: stuck on node-1") != std::string::npos);
}

TEST_CASE("the Pareto frontier of p90 duration against errors") {
    ScenarioSpec s;
    Report r = report({variant("a", 10, 100), variant("b", 20, 50), variant("c", 5, 120),
                       variant("d", 15, 130), variant("e", 0, 0, 0, 0.5)});
    r.recommendation = recommend(s, r);
    const auto& f = r.recommendation->frontier;
    REQUIRE(f.size() == 3);
    CHECK(f[0].strategy == "b");
    CHECK(f[1].strategy == "a");
    CHECK(f[2].strategy == "c");  // d is dominated by a; e does not finish
}

TEST_CASE("the frontier treats differences inside the 95% intervals as ties, leaves out false-ready plans and shows the recommended one") {
    ScenarioSpec s;
    // fast: 2 s quicker than steady (inside both p90 intervals) with 0.2 more errors (inside the
    // means' intervals): a tie on both, so neither dominates the other.
    VariantReport fast = variant("fast", 10.2, 100);
    VariantReport steady = variant("steady", 10, 102);
    for (Summary* d : {&fast.duration_seconds, &steady.duration_seconds}) d->p90_ci95_low = d->p90 - 5, d->p90_ci95_high = d->p90 + 5;
    for (Summary* e : {&fast.error_seconds, &steady.error_seconds}) e->ci95_low = e->mean - 1, e->ci95_high = e->mean + 1;
    // shallow: far faster, but its pods say Ready 300 node-s before they serve.
    VariantReport shallow = variant("shallow", 10, 20, 300);
    // slow: dominated by both on duration, tied on errors.
    VariantReport slow = variant("slow", 10, 400);
    Report r = report({fast, steady, shallow, slow});
    r.recommendation = recommend(s, r);
    const Recommendation& rec = *r.recommendation;
    CHECK(rec.frontier_harm == "errorSeconds");
    REQUIRE(rec.frontier.size() == 2);
    CHECK(rec.frontier[0].strategy == "fast");
    CHECK(rec.frontier[1].strategy == "steady");
    CHECK(rec.frontier_false_ready == std::vector<std::string>{"shallow × p"});
    // The ranking: errors tied, false-ready tied (shallow loses here), then the shorter p90.
    CHECK(rec.strategy == "fast");
    CHECK(rec.frontier[0].recommended);
}

TEST_CASE("the recommended plan is shown on the frontier even when it is dominated, and agents' frontier weighs uncovered node-seconds") {
    ScenarioSpec s;
    s.limits.max_error_seconds = 5;
    VariantReport quick = variant("quick", 50, 100);
    VariantReport honest = variant("honest", 1, 300);
    Report r = report({quick, honest});
    r.traffic_mode = "coverage";
    r.variants[0].gap_node_seconds = exact(10);
    r.variants[1].gap_node_seconds = exact(20);
    r.recommendation = recommend(s, r);
    const Recommendation& rec = *r.recommendation;
    CHECK(rec.frontier_harm == "gapNodeSeconds");
    CHECK(rec.strategy == "honest");  // the only plan within maxErrorSeconds 5
    // quick is faster with a smaller gap: honest is dominated, and shown anyway.
    REQUIRE(rec.frontier.size() == 2);
    CHECK(rec.frontier[0].strategy == "quick");
    CHECK(rec.frontier[0].harm_mean == 10);
    CHECK(rec.frontier[0].on_frontier);
    CHECK(rec.frontier[1].strategy == "honest");
    CHECK_FALSE(rec.frontier[1].on_frontier);
    CHECK(rec.frontier[1].recommended);
}

TEST_CASE("limits.noAlerts: a listed alert may fire in at most 10% of trials (the limits' p90)") {
    ScenarioSpec s;
    s.limits.no_alerts = {"KubeDaemonSetRolloutStuck"};
    VariantReport v = variant("pages", 0, 100);
    AlertSummary a;
    a.alert = "KubeDaemonSetRolloutStuck";
    a.firing_fraction = 0.5;
    a.start_seconds = exact(930);
    v.alerts = {a};
    const auto f = limit_failures(s, v);
    REQUIRE(f.size() == 1);
    CHECK(f[0].limit == "noAlerts");
    CHECK(f[0].value == 0.5);
    CHECK(f[0].allowed == doctest::Approx(0.1));
    CHECK(f[0].text == "KubeDaemonSetRolloutStuck fires in 50% of trials (after 15.5 min at p50), more than the 10% noAlerts allows");
    v.alerts[0].firing_fraction = 0.1;  // exactly the share allowed
    CHECK(limit_failures(s, v).empty());
}

TEST_CASE("acceptance: the single-node edge proxy cannot avoid errors, the honest plan is chosen") {
    ScenarioSpec s =
        load_scenario(std::string(ROLLSIM_SOURCE_DIR) + "/scenarios/edge-proxy-single-node/scenario.yaml");
    RunOptions opt;
    opt.trials = 200;
    Report r = run(s, opt);
    r.recommendation = recommend(s, r);
    REQUIRE(r.recommendation);
    const Recommendation& rec = *r.recommendation;
    // maxErrorSeconds 0 is impossible here: a hostPort on one node cannot surge. The least
    // harmful plan is test-then-promote: its test pods pull the image beforehand, so the public
    // outage is shorter.
    CHECK_FALSE(rec.acceptable);
    CHECK(rec.strategy == "test-then-promote");
    CHECK(rec.probes == "ready-when-serving");
    CHECK(rec.why.find("binds hostPort 8080/TCP on a single eligible node") != std::string::npos);
    CHECK(rec.why.find("surge never finishes: surge pod Pending on edge-0") != std::string::npos);
    CHECK(rec.why.find("The as-proposed probes would finish sooner on paper") != std::string::npos);
    // With room for the load balancer's detection time, plans are acceptable: at equal errors and
    // equally honest probes the shorter p90 duration wins.
    s.limits.max_error_seconds = 60;
    Report r2 = run(s, opt);
    r2.recommendation = recommend(s, r2);
    CHECK(r2.recommendation->acceptable);
    CHECK(r2.recommendation->strategy == "one-at-a-time");
    CHECK(r2.recommendation->probes == "ready-when-serving");
}

}  // TEST_SUITE

}  // namespace rollsim::test
