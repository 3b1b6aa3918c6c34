// Alerting rules (alerts/rules.hpp): the mixin's DaemonSet alerts, the user's rule files, and
// the rule manager's pending-then-firing evaluation (rules/alerting.go in Prometheus: an alert
// is active from the first evaluation that returns it and fires once ts - activeAt >= for).

#include "alerts/rules.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "input/source.hpp"
#include "input/yaml_reader.hpp"
#include "rollsim/error.hpp"

namespace rollsim::alerts {

namespace {

AlertRule rule(std::string name, std::string expr, SimTime hold, Labels labels) {
    Query q = parse_promql(expr);
    return {std::move(name), std::move(expr), std::move(q), hold, std::move(labels)};
}

/// One `rules:` item of a group.
std::optional<AlertRule> read_rule(const input::YamlNode& r) {
    if (r.get("record")) r.require("record").fail("a recording rule makes series rollsim does not have; give alerting rules only");
    r.allow_keys({"alert", "expr", "for", "labels", "annotations", "keep_firing_for"});
    if (r.get("keep_firing_for")) r.require("keep_firing_for").fail("keep_firing_for is not supported");
    const std::string name = r.require("alert").str();
    const input::YamlNode e = r.require("expr");
    AlertRule out;
    out.name = name;
    out.expr = e.str();
    try {
        out.query = parse_promql(out.expr);
    } catch (const PromqlError& err) {
        e.fail(fmt::format("alert {}: {}", name, err.what()));
    }
    if (auto f = r.get("for")) out.hold = f->duration();
    if (auto l = r.get("labels")) {
        for (const auto& [k, v] : l->entries()) out.labels[k] = v.str();
    }
    return out;
}

}  // namespace

const std::vector<AlertRule>& mixin_daemonset_rules() {
    static const std::vector<AlertRule> kRules = [] {
        const std::string ksm = "{job=\"kube-state-metrics\"}";
        const auto m = [&](const char* name) { return std::string(name) + ksm; };
        return std::vector<AlertRule>{
            rule("KubeDaemonSetRolloutStuck",
                 fmt::format("(\n  (\n    {} != {}\n  ) or (\n    {} != 0\n  ) or (\n    {} != {}\n  ) or (\n    {} != {}\n  )\n) and (\n"
                             "  changes({}[5m]) == 0\n)",
                             m("kube_daemonset_status_current_number_scheduled"), m("kube_daemonset_status_desired_number_scheduled"),
                             m("kube_daemonset_status_number_misscheduled"), m("kube_daemonset_status_updated_number_scheduled"),
                             m("kube_daemonset_status_desired_number_scheduled"), m("kube_daemonset_status_number_available"),
                             m("kube_daemonset_status_desired_number_scheduled"), m("kube_daemonset_status_updated_number_scheduled")),
                 SimTime::minutes(15), {{"severity", "warning"}}),
            rule("KubeDaemonSetNotScheduled",
                 fmt::format("{} - {} > 0", m("kube_daemonset_status_desired_number_scheduled"),
                             m("kube_daemonset_status_current_number_scheduled")),
                 SimTime::minutes(10), {{"severity", "warning"}}),
            rule("KubeDaemonSetMisScheduled", fmt::format("{} > 0", m("kube_daemonset_status_number_misscheduled")), SimTime::minutes(15),
                 {{"severity", "warning"}}),
        };
    }();
    return kRules;
}

std::vector<AlertRule> read_rule_file(const std::string& path) {
    const std::string text = input::read_input_file(path);
    std::vector<AlertRule> out;
    for (const input::YamlNode& doc : input::YamlNode::parse_all(text, path, input::Dialect::Kubernetes)) {
        // A PrometheusRule manifest holds the groups under spec.
        const bool manifest = doc.get("kind").has_value();
        if (manifest && doc.require("kind").str() != "PrometheusRule") doc.require("kind").fail("expected a PrometheusRule or a rule file");
        const input::YamlNode groups = manifest ? doc.require("spec").require("groups") : doc.require("groups");
        for (const input::YamlNode& g : groups.items()) {
            for (const input::YamlNode& r : g.require("rules").items()) {
                if (auto a = read_rule(r)) out.push_back(std::move(*a));
            }
        }
    }
    if (out.empty()) throw InputError(path, 0, "", "no alerting rule in the file");
    return out;
}

namespace {

/// changed[i]: some series the expression reads has a sample i that differs from its sample
/// i - 1 (in value, or in being there); a sample outside a series is not there.
std::vector<bool> sample_changes(const SeriesSet& data, const std::vector<bool>& read, std::size_t n) {
    std::vector<bool> changed(n + 1, false);
    for (std::size_t k = 0; k < data.series.size(); ++k) {
        if (!read[k]) continue;
        const Series& s = data.series[k];
        const auto at = [&](std::size_t i) { return i < s.samples.size() ? s.samples[i] : std::nullopt; };
        for (std::size_t i = 0; i <= n; ++i) changed[i] = changed[i] || (i == 0 ? at(0).has_value() : at(i) != at(i - 1));
    }
    return changed;
}

}  // namespace

std::vector<AlertFiring> evaluate_rules(const std::vector<AlertRule>& rules, const SeriesSet& data, SimTime interval, SimTime last) {
    std::vector<AlertFiring> out;
    // Between changes the series are constant: an evaluation whose window holds no change
    // since the previous one's (evaluations and samples one step apart) reads the same samples
    // at the same relative times, so it returns the previous result. Only the `for` clocks move.
    // Only the series the rule's selectors match count: a change in another does not reach it.
    std::size_t samples = 0;
    for (const Series& s : data.series) samples = std::max(samples, s.samples.size());
    const std::int64_t step = data.step.ms();
    const auto index = [&](SimTime t) {  // the sample at or before t, clamped to [-1, samples + 1]
        const std::int64_t d = (t - data.origin).ms();
        const std::int64_t i = d >= 0 ? d / step : -((-d + step - 1) / step);
        return std::clamp<std::int64_t>(i, -1, static_cast<std::int64_t>(samples) + 1);
    };
    const auto window_changed = [&](const std::vector<bool>& changed, SimTime t, const QueryWindow& w) {
        // A change between samples i - 1 and i for any i the window now covers or just left.
        for (std::int64_t i = std::max<std::int64_t>(0, index(t - w.back - interval)); i <= index(t - w.ahead); ++i) {
            if (changed[static_cast<std::size_t>(i)]) return true;
        }
        return false;
    };
    Evaluation evaluation(data);
    for (const AlertRule& r : rules) {
        const QueryWindow w = query_window(r.query);
        const bool reusable = interval == data.step && step > 0;
        const std::vector<bool> changed = sample_changes(data, series_read(r.query, data), samples + 1);
        struct Active {
            SimTime since;
            bool firing = false;
            std::size_t index = 0;  ///< into `out` once it has fired
        };
        // The alerts by number: each result label set (by the evaluation's number) maps once to
        // its alert's labels (the name dropped, the rule's labels and alertname added).
        std::vector<Labels> alert_labels;
        std::map<Labels, std::uint32_t> alert_index;
        std::vector<std::uint32_t> alert_of;  ///< by result label set; kNone: not yet mapped
        constexpr std::uint32_t kNone = 0xffffffffu;
        const auto alert_for = [&](std::uint32_t id) {
            if (id < alert_of.size() && alert_of[id] != kNone) return alert_of[id];
            Labels l = evaluation.labels(id);
            l.erase("__name__");
            for (const auto& [k, v] : r.labels) l[k] = v;
            l["alertname"] = r.name;
            const auto [it, added] = alert_index.try_emplace(std::move(l), static_cast<std::uint32_t>(alert_labels.size()));
            if (added) alert_labels.push_back(it->first);
            if (alert_of.size() <= id) alert_of.resize(id + 1, kNone);
            alert_of[id] = it->second;
            return it->second;
        };
        // The active alerts in the order of their labels, as the rule manager's map keeps them.
        using Entry = std::pair<std::uint32_t, Active>;
        std::vector<Entry> active, now;
        const auto by_labels = [&](const Entry& x, const Entry& y) { return alert_labels[x.first] < alert_labels[y.first]; };
        const auto find = [](std::vector<Entry>& v, std::uint32_t alert) {
            return std::find_if(v.begin(), v.end(), [&](const Entry& e) { return e.first == alert; });
        };
        const std::size_t first = out.size();
        // An alert pending for its `for:` fires; a series that fired before keeps its entry.
        const auto fire_if_due = [&](std::uint32_t alert, Active& a, SimTime t) {
            if (a.firing || t - a.since < r.hold) return;
            a.firing = true;
            const Labels& l = alert_labels[alert];
            const auto known = std::find_if(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
                                            [&](const AlertFiring& f) { return f.labels == l; });
            a.index = static_cast<std::size_t>(known - out.begin());
            if (known == out.end()) out.push_back({r.name, l, {}});
            out[a.index].windows.emplace_back(t, std::nullopt);
        };
        bool evaluated = false;
        for (SimTime t = data.origin; t <= last; t += interval) {
            if (reusable && evaluated && !window_changed(changed, t, w)) {
                // The same result: the alerts active stay active, and a pending one may fire.
                for (auto& [alert, a] : active) fire_if_due(alert, a, t);
                continue;
            }
            evaluated = true;
            now.clear();
            for (const auto& [id, value] : evaluation.at_ids(r.query, t)) {
                const std::uint32_t alert = alert_for(id);
                if (find(now, alert) != now.end()) continue;  // the first sample of a label set counts
                const auto was = find(active, alert);
                Active a = was == active.end() ? Active{t, false, 0} : was->second;
                fire_if_due(alert, a, t);
                now.emplace_back(alert, a);
            }
            std::sort(now.begin(), now.end(), by_labels);
            for (const auto& [alert, a] : active) {
                if (a.firing && find(now, alert) == now.end()) out[a.index].windows.back().second = t;  // resolved
            }
            std::swap(active, now);
        }
    }
    for (auto& f : out) f.labels.erase("alertname");
    return out;
}

std::vector<Labels> firing_at(const std::vector<AlertFiring>& alerts, const std::string& alert, SimTime t) {
    std::vector<Labels> out;
    for (const auto& f : alerts) {
        if (f.alert != alert) continue;
        for (const auto& [start, end] : f.windows) {
            if (start <= t && (!end || t < *end)) out.push_back(f.labels);
        }
    }
    return out;
}

}  // namespace rollsim::alerts
