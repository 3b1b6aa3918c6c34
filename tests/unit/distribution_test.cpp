// rollsim's own distributions: golden draws and statistical checks of each kind.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "kernel/distribution.hpp"

namespace rollsim::test {

using kernel::sample;

namespace {
std::vector<double> draws(const DistributionSpec& d, int n, std::uint64_t seed = 11) {
    kernel::Rng r(seed);
    std::vector<double> v;
    v.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) v.push_back(sample(d, r));
    return v;
}
double mean(const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x;
    return s / static_cast<double>(v.size());
}
double quantile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}
}  // namespace

TEST_SUITE("kernel.distribution") {

TEST_CASE("constant and clamps") {
    auto d = DistributionSpec::constant(25);
    CHECK(draws(d, 3) == std::vector<double>{25, 25, 25});
    d.clamp_max = 10;
    CHECK(draws(d, 1)[0] == 10);
}

TEST_CASE("uniform(90, 180): mean 135, bounds respected") {
    const auto v = draws(DistributionSpec::uniform(90, 180), 100000);
    CHECK(mean(v) == doctest::Approx(135).epsilon(0.005));
    CHECK(*std::min_element(v.begin(), v.end()) >= 90);
    CHECK(*std::max_element(v.begin(), v.end()) < 180);
}

TEST_CASE("normal is truncated at 0") {
    DistributionSpec d;
    d.kind = DistributionSpec::Kind::Normal;
    d.mean = 10;
    d.stddev = 2;
    const auto v = draws(d, 100000);
    CHECK(mean(v) == doctest::Approx(10).epsilon(0.01));
    d.mean = 0.5;
    d.stddev = 5;
    const auto t = draws(d, 10000);
    CHECK(*std::min_element(t.begin(), t.end()) >= 0);
}

TEST_CASE("lognormal by median and p95 reproduces both") {
    DistributionSpec d;
    d.kind = DistributionSpec::Kind::LogNormal;
    d.mu = std::log(6.0);
    d.sigma = (std::log(20.0) - std::log(6.0)) / 1.6448536269514722;
    const auto v = draws(d, 200000);
    CHECK(quantile(v, 0.5) == doctest::Approx(6).epsilon(0.02));
    CHECK(quantile(v, 0.95) == doctest::Approx(20).epsilon(0.03));
}

TEST_CASE("exponential mean") {
    DistributionSpec d;
    d.kind = DistributionSpec::Kind::Exponential;
    d.mean = 30;
    CHECK(mean(draws(d, 200000)) == doctest::Approx(30).epsilon(0.01));
}

TEST_CASE("empirical by samples and by quantiles") {
    DistributionSpec s;
    s.kind = DistributionSpec::Kind::Empirical;
    s.samples = {1, 2, 3};
    for (double x : draws(s, 100)) CHECK((x == 1 || x == 2 || x == 3));
    DistributionSpec q;
    q.kind = DistributionSpec::Kind::Empirical;
    q.quantiles = {{0.0, 10}, {0.5, 20}, {1.0, 100}};
    const auto v = draws(q, 100000);
    CHECK(quantile(v, 0.25) == doctest::Approx(15).epsilon(0.02));
    CHECK(quantile(v, 0.75) == doctest::Approx(60).epsilon(0.02));
}

TEST_CASE("mixture honours its weights") {
    DistributionSpec m;
    m.kind = DistributionSpec::Kind::Mixture;
    m.components = {DistributionSpec::constant(1), DistributionSpec::constant(100)};
    m.weights = {0.9, 0.1};
    const auto v = draws(m, 100000);
    const auto slow = std::count(v.begin(), v.end(), 100.0);
    CHECK(static_cast<double>(slow) / 100000.0 == doctest::Approx(0.1).epsilon(0.05));
}

TEST_CASE("golden draws are pinned (stable across standard libraries)") {
    DistributionSpec d;
    d.kind = DistributionSpec::Kind::LogNormal;
    d.mu = std::log(6.0);
    d.sigma = 0.7;
    kernel::Rng r(2026);
    CHECK(kernel::sample_duration(DistributionSpec::uniform(90, 180), r).ms() == 141636);
    CHECK(kernel::sample_duration(d, r).ms() == 9180);
}

TEST_CASE("durations round to milliseconds and never go negative") {
    kernel::Rng r(1);
    CHECK(kernel::sample_duration(DistributionSpec::constant(1.2345), r).ms() == 1235);
    CHECK(kernel::sample_duration(DistributionSpec::constant(-3), r).ms() == 0);
}

}  // TEST_SUITE

}  // namespace rollsim::test
