// The report as Markdown for a pull request: the recommendation, the comparison table, the
// stall reasons, and one trial as a Mermaid gantt chart with its headline.

#include <algorithm>

#include <fmt/format.h>

#include "experiment/words.hpp"
#include "output/comparison_table.hpp"
#include "output/timeline_words.hpp"
#include "rollsim/timeline.hpp"

namespace rollsim {

namespace {

/// Table cells and gantt labels: no pipes, no line breaks; Mermaid also dislikes : ; #.
std::string cell(std::string s) {
    for (char& c : s) {
        if (c == '|' || c == '\n') c = ' ';
    }
    return s;
}
std::string label(std::string s) {
    for (char& c : s) {
        if (c == ':' || c == ';' || c == '#' || c == '\n') c = ' ';
    }
    return s;
}

constexpr std::size_t kGanttNodes = 8;

std::string gantt(const Timeline& t) {
    // The nodes that were out longest (errors first), then scenario order: at most kGanttNodes.
    std::vector<std::size_t> order(t.nodes.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    const auto total = [](const std::vector<Window>& ws) {
        SimTime s;
        for (const Window& w : ws) s += w.end - w.start;
        return s;
    };
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const auto ka = std::pair(total(t.nodes[a].errors), total(t.nodes[a].outages));
        const auto kb = std::pair(total(t.nodes[b].errors), total(t.nodes[b].outages));
        return ka > kb;
    });
    if (order.size() > kGanttNodes) order.resize(kGanttNodes);
    std::sort(order.begin(), order.end());
    std::string out = "```mermaid\ngantt\n";
    out += fmt::format("    title {}\n", label(fmt::format("{} × {}, trial {}", t.strategy, t.probes, t.trial)));
    out += "    dateFormat X\n    axisFormat %H:%M:%S\n";
    const auto task = [&](const std::string& what, const char* tag, SimTime start, SimTime end) {
        const std::int64_t s0 = start.ms() / 1000;
        const std::int64_t len = std::max<std::int64_t>(1, (end.ms() + 500) / 1000 - s0);
        out += fmt::format("    {} :{}{}, {}s\n", label(what), tag, s0, len);
    };
    for (std::size_t i : order) {
        const TimelineNode& n = t.nodes[i];
        out += fmt::format("    section {}\n", label(n.name));
        const auto lane = [&](const std::vector<PodSpan>& spans, bool old) {
            for (const PodSpan& s : spans) {
                if (s.end - s.start < SimTime::millis(500)) continue;
                std::string what = state_words(s.state, old);
                if (s.state == PodState::Pending && !s.detail.empty()) what += " - " + s.detail;
                const char* tag = s.state == PodState::FalseReady || s.state == PodState::CrashLoopBackOff ||
                                          s.state == PodState::PullBackOff
                                      ? "crit, "
                                  : s.state == PodState::Available ? "done, "
                                  : s.state == PodState::Initialising || s.state == PodState::Pending ? "active, "
                                                                                                        : "";
                task(what, tag, s.start, s.end);
            }
        };
        lane(n.old_pod, true);
        lane(n.new_pod, false);
        for (const Window& w : n.errors) task("clients get errors", "crit, ", w.start, w.end);
    }
    out += "```\n";
    if (t.nodes.size() > order.size()) {
        out += fmt::format("\n*{} of {} nodes shown: those with the most errors, then the longest outage.*\n", order.size(),
                           t.nodes.size());
    }
    return out;
}

}  // namespace

std::string report_markdown(const Report& r, const Timeline* shown) {
    std::string out = fmt::format("## rollsim: {}\n\n", r.scenario_name);
    out += fmt::format("{} per variant, seed {}, Kubernetes {}, {} traffic; rollsim {}.\n\n", r.trials_words(), r.seed,
                       r.kubernetes_version, r.traffic_mode, r.tool_version);
    if (r.recommendation) {
        const Recommendation& rec = *r.recommendation;
        if (rec.strategy.empty()) {
            out += "### Recommendation: none\n\nNo variant completes the rollout in any trial.\n\n";
        } else {
            out += fmt::format("### Recommendation: `{}` × `{}`{}\n\n{}\n\n", rec.strategy, rec.probes,
                               rec.acceptable ? "" : " (does not meet every limit)", rec.why);
            for (const LimitFailure& f : rec.failures) out += fmt::format("- :x: {}\n", f.text);
            if (!rec.failures.empty()) out += "\n";
        }
    }
    out += "### Variants\n\n" + output::comparison_markdown(output::comparison_table(r));
    if (const auto paged = output::pages(r); !paged.empty()) {
        out += "### Pages\n\nThe alerting rules over every trial's kube-state-metrics series (docs/alerts.md):\n\n";
        for (const auto& [variant, text] : paged) out += fmt::format("- {}: {}\n", cell(variant), cell(text));
        out += "\n";
    }
    bool stalls = false;
    for (const VariantReport& v : r.variants) {
        for (const auto& [key, count] : v.stall_reasons) {
            if (!stalls) out += "### Why rollouts stalled\n\n";
            stalls = true;
            const auto example = v.stall_examples.find(key);
            out += fmt::format("- `{}` × `{}`, {} of {} trials: {}\n", v.strategy, v.probes, count, v.trials,
                               cell(example != v.stall_examples.end() ? example->second : key));
        }
    }
    if (stalls) out += "\n";
    if (shown != nullptr) {
        const TimelineWords w = timeline_words(*shown);
        out += fmt::format("### One trial: `{}` × `{}`, trial {}\n\n", shown->strategy, shown->probes, shown->trial);
        out += fmt::format("{}\n\n{}{}\n\n", w.headline, w.why, w.why2.empty() ? "" : " " + w.why2);
        out += gantt(*shown);
    }
    return out;
}

}  // namespace rollsim
