// The PromQL rollsim evaluates (alerts/promql.hpp), against values worked out by hand with
// Prometheus 2's rules; the CLI test (tests/cli/promtool_test.sh) checks the same evaluator
// against Debian's real promtool.

#include <doctest/doctest.h>

#include "alerts/promql.hpp"
#include "alerts/rules.hpp"

namespace rollsim::test {

using alerts::Labels;

namespace {

/// Two gauges of one DaemonSet, scraped every 30 s: sample i at (i + 1) × 30 s.
alerts::SeriesSet data() {
    const Labels base = {{"job", "kube-state-metrics"}, {"namespace", "edge"}, {"daemonset", "proxy"}};
    const auto series = [&](const char* name, std::vector<std::optional<double>> v) {
        Labels l = base;
        l["__name__"] = name;
        return alerts::Series{l, std::move(v)};
    };
    return {SimTime::seconds(30),
            {series("desired", {5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5}), series("updated", {0, 1, 2, 2, 2, 3, 4, 5, 5, 5, 5, 5}),
             series("counter", {10, 20, 30, 5, 15, 25, std::nullopt, std::nullopt, 35, 45, 55, 65})},
            SimTime::seconds(30)};
}

double one(const std::string& expr, SimTime t) {
    const auto v = alerts::evaluate(alerts::parse_promql(expr), data(), t);
    REQUIRE(v.size() == 1);
    return v[0].value;
}

}  // namespace

TEST_SUITE("alerts.promql") {

TEST_CASE("selectors: the latest sample within the 5-minute lookback, ranges closed at both ends (Prometheus 2)") {
    CHECK(one("updated", SimTime::seconds(90)) == 2);
    CHECK(one("updated{job=\"kube-state-metrics\",daemonset=~\"pro.*\"}", SimTime::seconds(100)) == 2);
    CHECK(alerts::evaluate(alerts::parse_promql("updated{daemonset!~\"pro.*\"}"), data(), SimTime::seconds(90)).empty());
    CHECK(alerts::evaluate(alerts::parse_promql("updated"), data(), SimTime::seconds(29)).empty());  // before the first scrape
    CHECK(one("updated offset 1m", SimTime::seconds(120)) == 1);  // the value at 60 s
    // changes over [t - 5m, t]: at 360 s the samples at 60 s ... 360 s are 1 2 2 2 3 4 5 5 5 5 5
    // (4 changes); at 330 s the window starts at 30 s, whose sample (0) is included: 0 -> 1 adds one.
    CHECK(one("changes(updated[5m])", SimTime::seconds(360)) == 4);
    CHECK(one("changes(updated[5m])", SimTime::seconds(330)) == 5);
}

TEST_CASE("operators: arithmetic drops the name, comparisons filter or with bool give 0 and 1, and/or/unless match label sets") {
    CHECK(one("desired - updated", SimTime::seconds(90)) == 3);
    CHECK(one("(desired - updated) * 2 + 1", SimTime::seconds(90)) == 7);
    CHECK(one("2 ^ 3 ^ 2", SimTime::seconds(30)) == 512);  // right-associative
    CHECK(one("1 + 2 * 3", SimTime::seconds(30)) == 7);
    CHECK(alerts::evaluate(alerts::parse_promql("updated > 3"), data(), SimTime::seconds(90)).empty());
    CHECK(one("updated > bool 3", SimTime::seconds(90)) == 0);
    // At 30 s updated (0) differs from desired and has one sample, so no change: the left side's sample.
    CHECK(one("updated != desired and changes(updated[5m]) == 0", SimTime::seconds(30)) == 0);
    CHECK(alerts::evaluate(alerts::parse_promql("updated != desired and changes(updated[5m]) == 0"), data(), SimTime::seconds(90)).empty());
    CHECK(alerts::evaluate(alerts::parse_promql("updated unless desired"), data(), SimTime::seconds(90)).empty());
    CHECK(alerts::evaluate(alerts::parse_promql("updated or desired"), data(), SimTime::seconds(90)).size() == 1);
    CHECK(one("updated / on(namespace, daemonset) desired", SimTime::seconds(240)) == 1);
    CHECK(one("sum by (namespace) (desired - updated)", SimTime::seconds(60)) == 4);
    CHECK(one("count without (job) (desired)", SimTime::seconds(60)) == 1);
    CHECK(alerts::evaluate(alerts::parse_promql("sum by (namespace) (desired)"), data(), SimTime::seconds(60))[0].labels ==
          Labels{{"namespace", "edge"}});
    CHECK(one("absent(nothing{job=\"kube-state-metrics\"})", SimTime::seconds(60)) == 1);
    CHECK(alerts::evaluate(alerts::parse_promql("absent(updated)"), data(), SimTime::seconds(60)).empty());
}

TEST_CASE("increase, rate and delta extrapolate as Prometheus 2's extrapolatedRate, with counter resets") {
    // counter over [0 s, 180 s] at 180 s: 10 20 30 5 15 25 (a reset after 30): increase 15 + 30 = 45
    // over the 150 s sampled; the first sample is 30 s from the window's start (< 1.1 × 30 s), but
    // the counter would reach zero 150 × 10 / 45 = 33.3 s before it, so 30 s is kept; the end
    // needs nothing: 45 × 180 / 150 = 54.
    CHECK(one("increase(counter[3m])", SimTime::seconds(180)) == doctest::Approx(54));
    CHECK(one("rate(counter[3m])", SimTime::seconds(180)) == doctest::Approx(54.0 / 180));
    // delta: no reset handling; 25 - 10 = 15 over 150 s, extrapolated by 30 s at the start: 18.
    CHECK(one("delta(counter[3m])", SimTime::seconds(180)) == doctest::Approx(18));
}

TEST_CASE("what rollsim cannot evaluate is refused, naming the construct") {
    const auto refused = [](const std::string& expr) {
        try {
            (void)alerts::parse_promql(expr);
        } catch (const alerts::PromqlError& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    CHECK(refused("a / on(x) group_left b") == "group_left (many-to-one matching) is not supported");
    CHECK(refused("topk(3, a)") == "the aggregation topk is not supported");
    CHECK(refused("histogram_quantile(0.9, a)") == "the function histogram_quantile() is not supported");
    CHECK(refused("max_over_time(a[5m:1m])") == "the function max_over_time() is not supported");
    CHECK(refused("rate(a[5m:1m])") == "a subquery is not supported");
    CHECK(refused("a @ 100") == "the @ modifier is not supported");
    CHECK(refused("a{b=\"c\"") == "expected ',' or '}' in a selector");
}

TEST_CASE("an alert is pending from the first evaluation that returns it and fires once it has been for its for: (rules/alerting.go)") {
    const auto rule = [](const char* expr, SimTime hold) {
        alerts::AlertRule r;
        r.name = "Stuck";
        r.expr = expr;
        r.query = alerts::parse_promql(expr);
        r.hold = hold;
        r.labels = {{"severity", "warning"}};
        return r;
    };
    // updated != desired from 30 s to 210 s (the sample at 240 s is 5): active at 30 s, firing
    // from 90 s with for: 1m, resolved at 240 s.
    const auto f = alerts::evaluate_rules({rule("updated != desired", SimTime::minutes(1))}, data(), SimTime::seconds(30),
                                          SimTime::seconds(360));
    REQUIRE(f.size() == 1);
    CHECK(f[0].labels.at("severity") == "warning");
    CHECK(f[0].labels.count("__name__") == 0);
    REQUIRE(f[0].windows.size() == 1);
    CHECK(f[0].windows[0].first == SimTime::seconds(90));
    CHECK(f[0].windows[0].second == SimTime::seconds(240));
    CHECK(alerts::firing_at(f, "Stuck", SimTime::seconds(60)).empty());
    CHECK(alerts::firing_at(f, "Stuck", SimTime::seconds(90)).size() == 1);
    // for: 4m never fires: the condition lasts 3 minutes.
    CHECK(alerts::evaluate_rules({rule("updated != desired", SimTime::minutes(4))}, data(), SimTime::seconds(30), SimTime::seconds(360))
              .empty());
}

TEST_CASE("a rule reads only the series its selectors match: changes in the others leave its result as it was") {
    const auto q = alerts::parse_promql("updated != desired");
    CHECK(alerts::series_read(q, data()) == std::vector<bool>{true, true, false});
    CHECK(alerts::series_read(alerts::parse_promql("absent(nothing) or vector_less"), data()) == std::vector<bool>{false, false, false});
    // desired is 5 from the first scrape (30 s) on, while updated and counter change: pending
    // at 30 s, firing from 90 s with for: 1m, and still firing at the last evaluation.
    alerts::AlertRule r;
    r.name = "Desired";
    r.expr = "desired > 4";
    r.query = alerts::parse_promql(r.expr);
    r.hold = SimTime::minutes(1);
    const auto f = alerts::evaluate_rules({r}, data(), SimTime::seconds(30), SimTime::seconds(360));
    REQUIRE(f.size() == 1);
    REQUIRE(f[0].windows.size() == 1);
    CHECK(f[0].windows[0].first == SimTime::seconds(90));
    CHECK_FALSE(f[0].windows[0].second.has_value());
}

}  // TEST_SUITE

}  // namespace rollsim::test
