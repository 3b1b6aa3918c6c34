// A trial as the monitoring sees it (alerts/trial_alerts.hpp).

#include "alerts/trial_alerts.hpp"

#include <array>

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

namespace alerts {

/// The gauges as the evaluator's series, with the labels Prometheus would store.
SeriesSet series_set(const ScenarioSpec& s, const std::vector<ScrapedGauge>& gauges, SimTime step) {
    SeriesSet set{step, {}};
    for (const auto& g : gauges) {
        Series x{{{"__name__", g.name}, {"job", "kube-state-metrics"}, {"namespace", s.current.namespace_}, {"daemonset", s.current.name}},
                         {}};
        for (const auto& v : g.samples) x.samples.push_back(v ? std::optional<double>(static_cast<double>(*v)) : std::nullopt);
        set.series.push_back(std::move(x));
    }
    return set;
}

std::vector<TrialAlert> evaluate_trial(const std::vector<AlertRule>& rules, const ScenarioSpec& s, const StatusSeries& series,
                                       const ScrapeOptions& o) {
    const auto gauges = scrape(series, o);
    const SimTime last = o.interval * static_cast<std::int64_t>(gauges.front().samples.size());
    const auto firing = evaluate_rules(rules, series_set(s, gauges, o.interval), o.interval, last);
    std::vector<TrialAlert> out(rules.size());
    for (std::size_t r = 0; r < rules.size(); ++r) {
        for (const auto& f : firing) {
            if (f.alert != rules[r].name) continue;
            for (const auto& [start, end] : f.windows) {
                TrialAlert& a = out[r];
                a.start_seconds = a.fired ? std::min(a.start_seconds, start.to_seconds()) : start.to_seconds();
                a.fired = true;
                a.firing_seconds += (end.value_or(last) - start).to_seconds();
            }
        }
    }
    return out;
}

std::vector<AlertRule> rules_for(const ScrapeOptions& o) {
    return o.rules_file.empty() ? mixin_daemonset_rules() : read_rule_file(o.rules_file);
}

}  // namespace alerts

}  // namespace rollsim
