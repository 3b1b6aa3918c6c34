// The kube-state-metrics series of one trial (docs/alerts.md): scraped at an interval from the
// status writes, as OpenMetrics for promtool tsdb create-blocks-from openmetrics, and as a
// promtool test rules file whose input_series are the series and whose promql_expr_test cases
// assert rollsim's own reading of them.

#include <algorithm>
#include <array>
#include <set>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "alerts/rules.hpp"
#include "alerts/trial_alerts.hpp"
#include "rollsim/alerts.hpp"

namespace rollsim {

namespace {

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
    std::string out;
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
    return out.empty() ? out : out.substr(1);
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

std::string yaml_quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

std::string labels_yaml(const alerts::Labels& l) {
    std::string out = "{";
    for (const auto& [k, v] : l) out += fmt::format("{}{}: {}", out.size() > 1 ? ", " : "", k, yaml_quoted(v));
    return out + "}";
}

/// rules.yaml: the rules as a Prometheus rule file, expressions as written.
std::string rules_yaml(const std::vector<alerts::AlertRule>& rules) {
    std::string out = "# The alerting rules rollsim evaluated (docs/alerts.md).\ngroups:\n  - name: rollsim\n    rules:\n";
    for (const auto& r : rules) {
        out += fmt::format("      - alert: {}\n        expr: {}\n        for: {}\n", r.name, yaml_quoted(r.expr), prom_duration(r.hold));
        if (!r.labels.empty()) out += fmt::format("        labels: {}\n", labels_yaml(r.labels));
    }
    return out;
}

}  // namespace

void check_alert_rules(const std::string& rules_file) { (void)alerts::read_rule_file(rules_file); }

std::vector<std::pair<std::string, std::string>> promtool_files(const ScenarioSpec& s, const StatusSeries& series,
                                                                const ScrapeOptions& o) {
    const std::vector<ScrapedGauge> gauges = scrape(series, o);
    const std::string l = labels(s);
    const std::int64_t step = o.interval.ms();
    // Sample k is at k × step − before (the change at 0); promtool's clock starts at the first.
    const auto time_of = [&](std::size_t k) { return SimTime::millis(static_cast<std::int64_t>(k) * step) - o.before; };
    const auto promtool_time = [&](SimTime t) { return prom_duration(t + o.before); };
    // OpenMetrics: every family with its samples at Unix seconds, the change at start_unix.
    std::string om;
    for (const auto& g : gauges) {
        om += fmt::format("# HELP {0} {0} of the DaemonSet, as kube-state-metrics exports it (simulated by rollsim).\n# TYPE {0} gauge\n",
                          g.name);
        for (std::size_t k = 0; k < g.samples.size(); ++k) {
            if (!g.samples[k]) continue;
            const std::int64_t ms = o.start_unix * 1000 + time_of(k).ms();
            om += fmt::format("{}{} {} {}.{:03}\n", g.name, l, *g.samples[k], ms / 1000, ms % 1000);
        }
    }
    om += "# EOF\n";
    // The test: the series as input, and at every fifth scrape and at the last one, rollsim's
    // value of each gauge and of changes() over 5 minutes (the window the mixin's
    // KubeDaemonSetRolloutStuck uses) for updated_number_scheduled.
    std::string t = fmt::format("# rollsim: the kube-state-metrics series of {} × {}, trial {}, of {}, scraped every {}.\n"
                                "# promtool's time 0 is {} before the change. Check with: promtool test rules series-test.yaml\n"
                                "rule_files: [rules.yaml]\nevaluation_interval: {}\ntests:\n  - name: \"{} × {} trial {}\"\n    interval: {}\n"
                                "    input_series:\n",
                                series.strategy, series.probes, series.trial, s.name, prom_duration(o.interval), prom_duration(o.before),
                                prom_duration(o.interval), series.strategy, series.probes, series.trial, prom_duration(o.interval));
    for (const auto& g : gauges) t += fmt::format("      - series: '{}{}'\n        values: '{}'\n", g.name, l, input_values(g.samples));
    t += "    promql_expr_test:\n";
    const std::size_t n = gauges.front().samples.size();
    const auto window = static_cast<std::size_t>(SimTime::minutes(5).ms() / step);
    std::vector<std::size_t> checks;
    for (std::size_t k = 4; k < n; k += 5) checks.push_back(k);
    if (n > 0 && (checks.empty() || checks.back() != n - 1)) checks.push_back(n - 1);
    const auto& updated = gauges[5].samples;
    for (std::size_t k : checks) {
        const std::string at = promtool_time(time_of(k));
        for (const auto& g : gauges) {
            if (!g.samples[k]) continue;
            t += fmt::format("      - expr: '{}{}'\n        eval_time: {}\n        exp_samples:\n          - labels: '{}{}'\n            value: {}\n",
                             g.name, l, at, g.name, l, *g.samples[k]);
        }
        if (updated[k]) {
            t += fmt::format("      - expr: 'changes({}{}[5m])'\n        eval_time: {}\n        exp_samples:\n          - labels: '{}'\n"
                             "            value: {}\n",
                             gauges[5].name, l, at, l, changes_at(updated, k, window));
        }
    }
    // The alerts: rollsim's verdict (times from the change), and promtool's check of it at
    // every fifth minute and around each firing window's start and end.
    const std::vector<alerts::AlertRule> rules = alerts::rules_for(o);
    const SimTime first = time_of(0), last = alerts::last_scrape(gauges, o);
    const auto firing = alerts::evaluate_rules(rules, alerts::series_set(s, gauges, o), o.interval, last);
    nlohmann::ordered_json verdict = nlohmann::ordered_json::array();
    std::set<std::int64_t> times;
    for (std::size_t k = 10; k < n; k += 10) times.insert(time_of(k).ms());
    for (const auto& f : firing) {
        nlohmann::ordered_json w = nlohmann::ordered_json::array();
        for (const auto& [start, end] : f.windows) {
            w.push_back({{"firingFromSeconds", start.to_seconds()}, {"firingUntilSeconds", end ? nlohmann::ordered_json(end->to_seconds()) : nullptr}});
            for (SimTime x : {start - o.interval, start}) times.insert(x.ms());
            if (end) times.insert({(*end - o.interval).ms(), end->ms()});
        }
        verdict.push_back({{"alert", f.alert}, {"labels", f.labels}, {"windows", w}});
    }
    t += "    alert_rule_test:\n";
    for (const std::int64_t at : times) {
        if (at <= first.ms() || at > last.ms()) continue;
        for (const auto& r : rules) {
            t += fmt::format("      - eval_time: {}\n        alertname: {}\n", promtool_time(SimTime::millis(at)), r.name);
            const auto now = alerts::firing_at(firing, r.name, SimTime::millis(at));
            if (now.empty()) {
                t += "        exp_alerts: []\n";
                continue;
            }
            t += "        exp_alerts:\n";
            for (const auto& alert : now) t += fmt::format("          - exp_labels: {}\n", labels_yaml(alert));
        }
    }
    return {{"series.om", om}, {"rules.yaml", rules_yaml(rules)}, {"alerts.json", verdict.dump(2) + "\n"}, {"series-test.yaml", t}};
}

}  // namespace rollsim
