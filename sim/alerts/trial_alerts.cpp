// A trial as the monitoring sees it (alerts/trial_alerts.hpp).

#include "alerts/trial_alerts.hpp"

#include <array>

#include <fmt/format.h>

#include "experiment/words.hpp"
#include "output/timeline_words.hpp"

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
    // Before the first write: the status the controller last wrote before the change, when the
    // DaemonSet was steady (every pod on the live template, the previous generation observed).
    std::optional<StatusWrite> before;
    if (s.steady_before && !s.writes.empty()) {
        before = s.writes.front();
        before->generation -= 1;
        before->observed_generation = before->generation;
        before->updated = before->current;
    }
    std::size_t w = 0;
    for (std::int64_t t = -o.before.ms(); t <= last; t += step) {
        // The last write at or before the scrape.
        while (w < s.writes.size() && s.writes[w].time.ms() <= t) ++w;
        const StatusWrite* at = w > 0 ? &s.writes[w - 1] : before ? &*before : nullptr;
        for (std::size_t i = 0; i < kGauges.size(); ++i) {
            out[i].samples.push_back(at == nullptr ? std::nullopt : std::optional<std::int64_t>(kGauges[i].of(*at)));
        }
    }
    return out;
}

namespace alerts {

SimTime last_scrape(const std::vector<ScrapedGauge>& gauges, const ScrapeOptions& o) {
    return SimTime::zero() - o.before + o.interval * static_cast<std::int64_t>(gauges.front().samples.size() - 1);
}

/// The gauges as the evaluator's series, with the labels Prometheus would store.
SeriesSet series_set(const ScenarioSpec& s, const std::vector<ScrapedGauge>& gauges, const ScrapeOptions& o) {
    SeriesSet set{o.interval, {}, SimTime::zero() - o.before};
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
    const SimTime last = last_scrape(gauges, o);
    const auto firing = evaluate_rules(rules, series_set(s, gauges, o), o.interval, last);
    std::vector<TrialAlert> out(rules.size());
    for (std::size_t r = 0; r < rules.size(); ++r) {
        for (const auto& f : firing) {
            if (f.alert != rules[r].name) continue;
            for (const auto& [start, end] : f.windows) {
                // An alert already firing before the change is not the rollout's page.
                if (start < SimTime::zero()) continue;
                TrialAlert& a = out[r];
                a.start_seconds = a.fired ? std::min(a.start_seconds, start.to_seconds()) : start.to_seconds();
                a.fired = true;
                a.firing_seconds += (end.value_or(last) - start).to_seconds();
            }
        }
    }
    return out;
}

std::string story(const ScenarioSpec& s, const StatusSeries& series, const ScrapeOptions& o) {
    const std::vector<AlertRule> rules = rules_for(o);
    const auto gauges = scrape(series, o);
    const SimTime last = last_scrape(gauges, o);
    const auto firing = evaluate_rules(rules, series_set(s, gauges, o), o.interval, last);
    std::string out = fmt::format("\nAlerts ({} over this trial's kube-state-metrics series, scraped and evaluated every {} s):\n",
                                  o.rules_file.empty() ? "the kubernetes-mixin's DaemonSet alerts" : "the rules of " + o.rules_file,
                                  o.interval.whole_seconds());
    for (const AlertRule& r : rules) {
        std::vector<std::string> windows;
        for (const auto& f : firing) {
            if (f.alert != r.name) continue;
            for (const auto& [start, end] : f.windows) {
                windows.push_back(end ? fmt::format("from {} to {}", clock(start), clock(*end))
                                      : fmt::format("from {} on, still firing {} after the trial ends", clock(start), span(last - series.end)));
            }
        }
        out += windows.empty() ? fmt::format("  {} (for {}): does not fire.\n", r.name, span(r.hold))
                               : fmt::format("  {} (for {}): fires {}.\n", r.name, span(r.hold), experiment::joined(windows));
    }
    return out;
}

std::vector<AlertRule> rules_for(const ScrapeOptions& o) {
    return o.rules_file.empty() ? mixin_daemonset_rules() : read_rule_file(o.rules_file);
}

}  // namespace alerts

std::string alerts_text(const ScenarioSpec& s, const StatusSeries& series, const ScrapeOptions& o) { return alerts::story(s, series, o); }

}  // namespace rollsim
