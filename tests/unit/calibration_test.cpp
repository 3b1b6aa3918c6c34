// What rollsim calibrate reads and fits: Go durations and RFC 3339 times as the API prints
// them, sample quantiles, the Kolmogorov-Smirnov distance, and the choice of fit.

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "calibration/fit.hpp"
#include "input/units.hpp"

namespace rollsim::test {

TEST_SUITE("calibration") {

TEST_CASE("Go durations as time.Duration.String prints them (the kubelet's Pulled message)") {
    using input::parse_go_duration;
    CHECK(*parse_go_duration("6.248s") == doctest::Approx(6.248));
    CHECK(*parse_go_duration("6.248126532s") == doctest::Approx(6.248126532));
    CHECK(*parse_go_duration("1m2.5s") == doctest::Approx(62.5));
    CHECK(*parse_go_duration("850ms") == doctest::Approx(0.85));
    CHECK(*parse_go_duration("1.5\u00b5s") == doctest::Approx(1.5e-6));
    CHECK(*parse_go_duration("2h0m0s") == doctest::Approx(7200));
    CHECK(*parse_go_duration("0s") == 0);
    CHECK_FALSE(parse_go_duration(""));
    CHECK_FALSE(parse_go_duration("6.2"));   // no unit
    CHECK_FALSE(parse_go_duration("-1s"));   // a pull never takes negative time
    CHECK_FALSE(parse_go_duration("six"));
}

TEST_CASE("RFC 3339 times as the API writes them, in milliseconds since the epoch") {
    using input::parse_rfc3339_ms;
    CHECK(*parse_rfc3339_ms("1970-01-01T00:00:00Z") == 0);
    CHECK(*parse_rfc3339_ms("2026-11-30T10:00:05Z") == 1796032805000);
    CHECK(*parse_rfc3339_ms("2024-02-29T23:59:59Z") == 1709251199000);  // a leap day
    CHECK(*parse_rfc3339_ms("2026-11-30T11:00:05+01:00") == 1796032805000);
    CHECK(*parse_rfc3339_ms("2026-11-30T10:00:05.250000Z") == 1796032805250);  // MicroTime
    CHECK_FALSE(parse_rfc3339_ms("2026-11-30 10:00:05"));
    CHECK_FALSE(parse_rfc3339_ms("2026-13-30T10:00:05Z"));
    CHECK_FALSE(parse_rfc3339_ms("2026-11-30T10:00:05"));  // no zone
    // The inverse, to whole seconds: a round trip.
    for (const char* t : {"1970-01-01T00:00:00Z", "2024-02-29T23:59:59Z", "2026-11-30T10:00:05Z", "2100-03-01T00:00:00Z"}) {
        CHECK(input::format_rfc3339_ms(*parse_rfc3339_ms(t)) == t);
    }
}

TEST_CASE("quantiles interpolate between order statistics, and the KS distance of a grid is half a step") {
    const std::vector<double> s = {1, 2, 3, 4, 5};
    CHECK(calibration::quantile(s, 0.5) == 3);
    CHECK(calibration::quantile(s, 0.95) == doctest::Approx(4.8));
    CHECK(calibration::quantile(s, 0.0) == 1);
    CHECK(calibration::quantile(s, 1.0) == 5);
    std::vector<double> grid;
    for (int i = 0; i < 100; ++i) grid.push_back((i + 0.5) / 100);
    CHECK(calibration::ks_distance(grid, [](double x) { return x; }) == doctest::Approx(0.005));
}

TEST_CASE("fit_samples picks the lognormal for lognormal data, the uniform for uniform data, neither for a bimodal one") {
    // Stratified samples of a lognormal (median 6 s, p95 20 s) and of uniform(90 s, 180 s).
    const double sigma = std::log(20.0 / 6.0) / 1.6448536269514722;
    std::vector<double> pulls, ready, bimodal;
    for (int i = 0; i < 200; ++i) {
        const double p = (i + 0.5) / 200;
        // The normal quantile by bisection on erfc (the test needs no library).
        double lo = -10, hi = 10;
        for (int k = 0; k < 100; ++k) {
            const double mid = (lo + hi) / 2;
            (0.5 * std::erfc(-mid / std::sqrt(2.0)) < p ? lo : hi) = mid;
        }
        pulls.push_back(6 * std::exp(sigma * lo));
        ready.push_back(90 + 90 * p);
        bimodal.push_back(i % 2 == 0 ? 2 + p : 60 + p);
    }
    const FittedQuantity a = calibration::fit_samples(pulls);
    CHECK(a.fit_name == "lognormal");
    CHECK(std::exp(a.fit->mu) == doctest::Approx(6).epsilon(0.01));
    CHECK(a.p50 == doctest::Approx(6).epsilon(0.01));
    CHECK(a.ks < a.ks_critical);
    const FittedQuantity b = calibration::fit_samples(ready);
    CHECK(b.fit_name == "uniform");
    CHECK(b.fit->low == doctest::Approx(90.225));
    CHECK(b.fit->high == doctest::Approx(179.775));
    const FittedQuantity c = calibration::fit_samples(bimodal);
    CHECK(c.fit_name == "empirical");
    CHECK_FALSE(c.fit);
    CHECK(c.ks >= c.ks_critical);
    CHECK(c.empirical.quantiles.size() == 14);
}

}  // TEST_SUITE

}  // namespace rollsim::test
