// The kube-state-metrics series of one trial (docs/alerts.md): scraped at an interval from the
// status writes, as OpenMetrics for promtool tsdb create-blocks-from openmetrics, and as a
// promtool test rules file whose input_series are the series and whose promql_expr_test cases
// assert rollsim's own reading of them.

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "rollsim/alerts.hpp"

namespace rollsim {

namespace {

/// The gauges kube-state-metrics exports for a DaemonSet (its docs/daemonset-metrics.md), and
/// which field of a status write each is.
struct Gauge {
    const char* name;
    std::int64_t (*of)(const StatusWrite&);
};
constexpr std::array<Gauge, 9> kGauges = {{
    {"kube_daemonset_status_desired_number_scheduled", [](const StatusWrite& w) -> std::int64_t { return w.desired; }},
    {"kube_daemonset_status_current_number_scheduled", [](const StatusWrite& w) -> std::int64_t { return w.current; }},
    {"kube_daemonset_status_number_ready", [](const StatusWrite& w) -> std::int64_t { return w.ready; }},
    {"kube_daemonset_status_number_available", [](const StatusWrite& w) -> std::int64_t { return w.available; }},
    {"kube_daemonset_status_number_unavailable", [](const StatusWrite& w) -> std::int64_t { return w.unavailable; }},
    {"kube_daemonset_status_updated_number_scheduled", [](const StatusWrite& w) -> std::int64_t { return w.updated; }},
    {"kube_daemonset_status_number_misscheduled", [](const StatusWrite& w) -> std::int64_t { return w.misscheduled; }},
    {"kube_daemonset_metadata_generation", [](const StatusWrite& w) { return w.generation; }},
    {"kube_daemonset_status_observed_generation", [](const StatusWrite& w) { return w.observed_generation; }},
}};

std::string labels(const ScenarioSpec& s) {
    return fmt::format("{{job=\"kube-state-metrics\",namespace=\"{}\",daemonset=\"{}\"}}", s.current.namespace_, s.current.name);
}

/// A duration in promtool's notation: "90s", "5m", "2h".
std::string prom_duration(SimTime t) {
    const std::int64_t s = t.whole_seconds();
    if (s % 3600 == 0 && s > 0) return fmt::format("{}h", s / 3600);
    if (s % 60 == 0 && s > 0) return fmt::format("{}m", s / 60);
    return fmt::format("{}s", s);
}

/// promtool's expanding notation: a run of n equal values is "v+0x(n-1)", a missing sample "_".
std::string input_values(const std::vector<std::optional<std::int64_t>>& samples) {
    std::string out = "_";  // t = 0: before the first scrape
    for (std::size_t i = 0; i < samples.size();) {
        std::size_t j = i;
        while (j < samples.size() && samples[j] == samples[i]) ++j;
        const std::size_t n = j - i;
        if (!samples[i]) {
            out += n == 1 ? " _" : fmt::format(" _x{}", n);
        } else {
            out += n == 1 ? fmt::format(" {}", *samples[i]) : fmt::format(" {}+0x{}", *samples[i], n - 1);
        }
        i = j;
    }
    return out;
}

/// changes(g[window]) at scrape k as Prometheus 2 computes it: the number of times consecutive
/// samples in [t - window, t] differ (both ends included; Prometheus 3 leaves out the left end).
std::int64_t changes_at(const std::vector<std::optional<std::int64_t>>& samples, std::size_t k, std::size_t window_scrapes) {
    std::int64_t n = 0;
    std::optional<std::int64_t> prev;
    const std::size_t first = k > window_scrapes ? k - window_scrapes : 0;
    for (std::size_t i = first; i <= k; ++i) {
        if (!samples[i]) continue;
        if (prev && *prev != *samples[i]) ++n;
        prev = samples[i];
    }
    return n;
}

}  // namespace

std::vector<ScrapedGauge> scrape(const StatusSeries& s, const ScrapeOptions& o) {
    const std::int64_t step = o.interval.ms();
    const std::int64_t last = (s.end + o.after).ms();
    std::vector<ScrapedGauge> out;
    for (const Gauge& g : kGauges) out.push_back({g.name, {}});
    std::size_t w = 0;
    for (std::int64_t t = step; t <= last; t += step) {
        // The last write at or before the scrape.
        while (w < s.writes.size() && s.writes[w].time.ms() <= t) ++w;
        for (std::size_t i = 0; i < kGauges.size(); ++i) {
            out[i].samples.push_back(w == 0 ? std::nullopt : std::optional<std::int64_t>(kGauges[i].of(s.writes[w - 1])));
        }
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> promtool_files(const ScenarioSpec& s, const StatusSeries& series,
                                                                const ScrapeOptions& o) {
    const std::vector<ScrapedGauge> gauges = scrape(series, o);
    const std::string l = labels(s);
    const std::int64_t step = o.interval.ms();
    // OpenMetrics: every family with its samples at Unix seconds from the trial's start.
    std::string om;
    for (const auto& g : gauges) {
        om += fmt::format("# HELP {0} {0} of the DaemonSet, as kube-state-metrics exports it (simulated by rollsim).\n# TYPE {0} gauge\n",
                          g.name);
        for (std::size_t k = 0; k < g.samples.size(); ++k) {
            if (!g.samples[k]) continue;
            const std::int64_t ms = static_cast<std::int64_t>(k + 1) * step;
            om += fmt::format("{}{} {} {}.{:03}\n", g.name, l, *g.samples[k], o.start_unix + ms / 1000, ms % 1000);
        }
    }
    om += "# EOF\n";
    // The test: the series as input, and at every fifth scrape and at the last one, rollsim's
    // value of each gauge and of changes() over 5 minutes (the window the mixin's
    // KubeDaemonSetRolloutStuck uses) for updated_number_scheduled.
    std::string t = fmt::format("# rollsim: the kube-state-metrics series of {} × {}, trial {}, of {}, scraped every {}.\n"
                                "# Check with: promtool test rules series-test.yaml\n"
                                "rule_files: []\nevaluation_interval: {}\ntests:\n  - name: \"{} × {} trial {}\"\n    interval: {}\n"
                                "    input_series:\n",
                                series.strategy, series.probes, series.trial, s.name, prom_duration(o.interval), prom_duration(o.interval),
                                series.strategy, series.probes, series.trial, prom_duration(o.interval));
    for (const auto& g : gauges) t += fmt::format("      - series: '{}{}'\n        values: '{}'\n", g.name, l, input_values(g.samples));
    t += "    promql_expr_test:\n";
    const std::size_t n = gauges.front().samples.size();
    const auto window = static_cast<std::size_t>(SimTime::minutes(5).ms() / step);
    std::vector<std::size_t> checks;
    for (std::size_t k = 4; k < n; k += 5) checks.push_back(k);
    if (n > 0 && (checks.empty() || checks.back() != n - 1)) checks.push_back(n - 1);
    const auto& updated = gauges[5].samples;
    for (std::size_t k : checks) {
        const SimTime at = SimTime::millis(static_cast<std::int64_t>(k + 1) * step);
        for (const auto& g : gauges) {
            if (!g.samples[k]) continue;
            t += fmt::format("      - expr: '{}{}'\n        eval_time: {}\n        exp_samples:\n          - labels: '{}{}'\n            value: {}\n",
                             g.name, l, prom_duration(at), g.name, l, *g.samples[k]);
        }
        if (updated[k]) {
            t += fmt::format("      - expr: 'changes({}{}[5m])'\n        eval_time: {}\n        exp_samples:\n          - labels: '{}'\n"
                             "            value: {}\n",
                             gauges[5].name, l, prom_duration(at), l, changes_at(updated, k, window));
        }
    }
    return {{"series.om", om}, {"series-test.yaml", t}};
}

}  // namespace rollsim
