// Monte Carlo against arithmetic: the mean rollout duration over many trials agrees with the
// value derived from the distribution by hand.

#include <doctest/doctest.h>

#include <cmath>

#include "rollsim/io.hpp"
#include "rollsim/run.hpp"
#include "experiment/summary.hpp"

namespace rollsim::test {

TEST_SUITE("experiment.statistics") {

TEST_CASE("20 nodes, maxUnavailable 1, serve ~ U(90 s, 180 s), readiness every 5 s: mean 2750 s") {
    // Derivation (idealised latencies, shutdown 0, image present). A wave starts when the
    // controller deletes an old pod at T: it exits at T, its terminal phase lets the controller
    // create the replacement at T, and the container starts at T. The kubelet's readiness trigger
    // at T fails and resets the ticker, so probes run at T + 5 s, T + 10 s, ... The process
    // serves at T + S with S ~ U(90, 180), so the pod is Ready at T + 5 * ceil(S / 5), when the
    // next wave starts. With S mod 5 uniform on [0, 5):
    //     E[5 ceil(S/5)] = E[S] + E[5 - (S mod 5)] = 135 + 2.5 = 137.5 s per node,
    // and the rollout of 20 nodes takes 20 waves: E[duration] = 2750 s.
    const ScenarioSpec s =
        load_scenario(std::string(ROLLSIM_SOURCE_DIR) + "/tests/scenarios/twenty-nodes-uniform.yaml");
    RunOptions opt;
    opt.threads = 2;
    const Report r = run(s, opt);
    REQUIRE(r.variants.size() == 1);
    const Summary& d = r.variants[0].duration_seconds;
    REQUIRE(d.n == 2000);
    const double expected = 2750.0;
    CHECK(std::abs(d.mean - expected) / expected < 0.02);
    CHECK(d.ci95_low <= expected);
    CHECK(d.ci95_high >= expected);
    // The spread too: each wave's variance is about 90^2 / 12 (the uniform's), so the standard
    // deviation of the sum is about sqrt(20 * 675) = 116 s, and the 95% half-width about 5.1 s.
    const double half = d.ci95_high - d.mean;
    CHECK(half == doctest::Approx(1.9612 * 116.2 / std::sqrt(2000.0)).epsilon(0.1));
}

TEST_CASE("a change that never serves: test-then-promote catches it in every trial") {
    const ScenarioSpec s = load_scenario(std::string(ROLLSIM_SOURCE_DIR) + "/tests/scenarios/faulty-change.yaml");
    RunOptions opt;
    opt.threads = 2;
    const Report r = run(s, opt);
    REQUIRE(r.variants.size() == 2);
    const VariantReport& rolling = r.variants[0];
    const VariantReport& tested = r.variants[1];
    // maxUnavailable 1: exactly one node goes down, then the rollout stalls, in every trial.
    CHECK(rolling.fault_reached_public_fraction == 1.0);
    CHECK(rolling.stalled_fraction == 1.0);
    CHECK(rolling.outage_windows.min == 1.0);
    CHECK(rolling.outage_windows.max == 1.0);
    CHECK(rolling.updated_nodes.max == 1.0);
    // Test-then-promote: caught before the public rollout in every trial; no outage at all.
    CHECK(tested.fault_reached_public_fraction == 0.0);
    CHECK(tested.promoted_fraction == 0.0);
    CHECK(tested.outage_node_seconds.max == 0.0);
    CHECK(tested.error_seconds.max == 0.0);
    CHECK(tested.test_phase_seconds.min == 600.0);  // the test gives up at its 10 min timeout
    // Caught, not stalled in the rollout's sense: counted apart, with its exact interval.
    CHECK(tested.caught_fraction == 1.0);
    CHECK(rolling.caught_fraction == 0.0);
    const auto n = static_cast<double>(tested.test_phase_seconds.n);
    CHECK(tested.caught_ci95.low == doctest::Approx(std::pow(0.025, 1 / n)));
    CHECK(rolling.caught_ci95.high == doctest::Approx(1 - std::pow(0.025, 1 / n)));
}

}  // TEST_SUITE

}  // namespace rollsim::test

namespace rollsim::test {

TEST_CASE("every percentile and a 20-bin histogram describe the distribution: the CDF without the trials") {
    // 1, 2, ..., 101: the k-th percentile is k + 1, and each of 20 bins of width 5 holds 5 values
    // (the last also the maximum).
    std::vector<double> v;
    for (int i = 101; i >= 1; --i) v.push_back(i);
    const Summary s = experiment::summarize(v);
    REQUIRE(s.quantiles.size() == 101);
    for (int k = 0; k <= 100; ++k) CHECK(s.quantiles[static_cast<std::size_t>(k)] == doctest::Approx(k + 1));
    CHECK(s.quantiles[50] == s.p50);
    CHECK(s.quantiles[90] == s.p90);
    CHECK(s.quantiles[99] == s.p99);
    CHECK(s.quantiles.front() == s.min);
    CHECK(s.quantiles.back() == s.max);
    REQUIRE(s.histogram_edges.size() == 21);
    CHECK(s.histogram_edges.front() == 1);
    CHECK(s.histogram_edges.back() == 101);
    CHECK(s.histogram_edges[1] == doctest::Approx(6));
    REQUIRE(s.histogram_counts.size() == 20);
    std::int64_t total = 0;
    for (std::size_t b = 0; b < 20; ++b) {
        CHECK(s.histogram_counts[b] == (b == 19 ? 6 : 5));
        total += s.histogram_counts[b];
    }
    CHECK(total == s.n);
    // One value: one bin.
    std::vector<double> one = {7, 7, 7};
    const Summary c = experiment::summarize(one);
    CHECK(c.histogram_edges == std::vector<double>{7, 7});
    CHECK(c.histogram_counts == std::vector<std::int64_t>{3});
}

}  // namespace rollsim::test

namespace rollsim::test {

TEST_CASE("confidence intervals: Student-t for the mean, Clopper-Pearson for fractions, order statistics for the p90") {
    // The mean of {0, 2}: 1, standard error 1, t(1 degree of freedom, 0.975) = 12.7062.
    std::vector<double> two = {2, 0};
    const Summary t = experiment::summarize(two);
    CHECK(t.ci95_low == doctest::Approx(1 - 12.7062).epsilon(1e-4));
    CHECK(t.ci95_high == doctest::Approx(1 + 12.7062).epsilon(1e-4));
    // Clopper-Pearson, the textbook values: 0 of 10 is [0, 1 - 0.025^(1/10)] = [0, 0.3085];
    // 5 of 10 is [0.1871, 0.8129]; 10 of 10 is [0.6915, 1].
    const Interval none = experiment::fraction_interval(0, 10);
    CHECK(none.low == 0.0);
    CHECK(none.high == doctest::Approx(1 - std::pow(0.025, 0.1)).epsilon(1e-6));
    const Interval half = experiment::fraction_interval(5, 10);
    CHECK(half.low == doctest::Approx(0.187086).epsilon(1e-5));
    CHECK(half.high == doctest::Approx(0.812914).epsilon(1e-5));
    const Interval all = experiment::fraction_interval(10, 10);
    CHECK(all.low == doctest::Approx(std::pow(0.025, 0.1)).epsilon(1e-6));
    CHECK(all.high == 1.0);
    // The p90 of 1..100: with B ~ Binomial(100, 0.9), P(B < 84) <= 2.5% < P(B < 85) and
    // P(B >= 96) <= 2.5% < P(B >= 95), so the interval is [x(84), x(96)] = [84, 96] (coverage
    // 95.6%).
    std::vector<double> hundred;
    for (int i = 1; i <= 100; ++i) hundred.push_back(i);
    const Summary p = experiment::summarize(hundred);
    CHECK(p.p90_ci95_low == 84);
    CHECK(p.p90_ci95_high == 96);
    // Ten trials cannot leave 2.5% above the p90: the interval reaches the maximum.
    std::vector<double> ten = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    CHECK(experiment::summarize(ten).p90_ci95_high == 10);
}

}  // namespace rollsim::test
