// The comparison of variants, shared by every report format (docs/report.md, "The table").

#include "output/comparison_table.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "experiment/words.hpp"

namespace rollsim::output {

namespace {

std::string number(double x) { return fmt::format("{:.1f}", x); }
std::string percent(double fraction) { return fmt::format("{:.0f}%", 100 * fraction); }

/// Every unfinished trial was caught by the test phase: the plan stopped a bad change.
bool caught(const VariantReport& v) {
    return v.caught_fraction > 0 && v.completed_fraction + v.caught_fraction >= 1 - 1e-12;
}

std::vector<std::string> cells(const VariantReport& v, bool coverage) {
    const bool any = v.duration_seconds.n > 0;
    std::vector<std::string> c = {percent(v.completed_fraction), any ? duration_cell(v.duration_seconds.p50) : "-",
                                  any ? duration_cell(v.duration_seconds.p90) : "-"};
    if (coverage) {
        for (std::string x : {number(v.gap_node_seconds.mean), fmt::format("{:.0f}", v.max_concurrent_uncovered.p90),
                              fmt::format("{:.0f}", v.max_concurrent_uncovered.max), duration_cell(v.longest_gap_seconds.max),
                              number(v.restarts.mean)}) {
            c.push_back(std::move(x));
        }
    } else {
        for (std::string x : {number(v.error_seconds.mean), number(v.error_seconds.p90), number(v.outage_node_seconds.mean),
                              number(v.outage_windows.mean), duration_cell(v.longest_outage_seconds.max),
                              percent(v.min_serving_fraction.min), number(v.false_ready_node_seconds.mean)}) {
            c.push_back(std::move(x));
        }
    }
    return c;
}

}  // namespace

std::string duration_cell(double seconds) { return experiment::duration_words(seconds, /*tenths=*/true); }

std::string trials_note(const Report& r) {
    // Variants by (trials, why they stopped), in report order of first appearance.
    std::vector<std::pair<std::pair<std::int32_t, std::string>, std::vector<std::string>>> groups;
    for (const auto& v : r.variants) {
        if (!v.accepted || v.stopped_by.empty()) continue;
        const std::pair<std::int32_t, std::string> key{v.trials, v.stopped_by};
        auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == key; });
        if (it == groups.end()) it = groups.insert(groups.end(), {key, {}});
        it->second.push_back(v.strategy + " × " + v.probes);
    }
    const std::string pct = fmt::format("{:g}%", *r.precision * 100);
    std::vector<std::string> parts;
    for (const auto& [key, names] : groups) {
        const std::string why = key.second == "precision" ? "every measure known within " + pct
                                : key.second == "limits"  ? "its limits settled with 95% confidence"
                                                          : "the cap; not yet within " + pct;
        parts.push_back(fmt::format("{} trials for {} ({})", experiment::thousands(static_cast<std::uint64_t>(key.first)),
                                    names.size() > 3 ? experiment::count_words(static_cast<std::int64_t>(names.size()), "variant") : experiment::joined(names),
                                    why));
    }
    return "Trials: " + experiment::joined(parts) + ".";
}

ComparisonTable comparison_table(const Report& r) {
    ComparisonTable t;
    const bool coverage = r.traffic_mode == "coverage";
    t.columns = {{"done", ""}, {"p50 duration", ""}, {"p90 duration", ""}};
    if (coverage) {
        t.columns.insert(t.columns.end(), {{"mean gap", "node-s"}, {"p90 uncovered", "nodes"}, {"max uncovered", "nodes"},
                                           {"max gap", ""}, {"mean restarts", ""}});
        t.footnote = "done: share of trials that finished; durations over finished trials; gap: node-seconds "
                     "without a working agent; uncovered: nodes without one at once; max over all trials.";
    } else {
        t.columns.insert(t.columns.end(), {{"mean errors", "node-s"}, {"p90 errors", "node-s"}, {"mean outage", "node-s"},
                                           {"mean outage", "windows"}, {"max outage", ""}, {"min serving", ""},
                                           {"mean false-ready", "node-s"}});
        t.footnote = "done: share of trials that finished; durations over finished trials; errors: node-seconds of "
                     "client-visible errors; max outage: the longest window, and min serving: the lowest share of "
                     "nodes serving, over all trials.";
    }
    if (r.precision) t.footnote += " " + trials_note(r);
    ComparisonTable::Group finished{"finished in every trial", "", {}};
    ComparisonTable::Group caught_group{
        "caught by the test phase",
        "the test pods never served, so the public DaemonSet was not changed: the plan did its job, and "
        "the numbers are the test's, not a rollout's",
        {}};
    ComparisonTable::Group unfinished{
        "not finished in every trial",
        "stalled, rolled back or still changing at the horizon; their harm counts only until they stopped, "
        "so they are not better than the plans that finish",
        {}};
    ComparisonTable::Group refused{"not simulated", "", {}};
    for (const auto& v : r.variants) {
        ComparisonTable::Row row;
        row.variant = v.strategy + " × " + v.probes;
        row.strategy = v.strategy;
        row.probes = v.probes;
        row.recommended = r.recommendation && r.recommendation->strategy == v.strategy && r.recommendation->probes == v.probes;
        if (!v.accepted) {
            row.refusal = v.refusal();
            refused.rows.push_back(std::move(row));
            continue;
        }
        row.cells = cells(v, coverage);
        auto& group = v.completed_fraction >= 1 ? finished : caught(v) ? caught_group : unfinished;
        group.rows.push_back(std::move(row));
    }
    for (auto* g : {&finished, &caught_group, &unfinished, &refused}) {
        if (!g->rows.empty()) t.groups.push_back(std::move(*g));
    }
    return t;
}

std::vector<std::pair<std::string, std::string>> pages(const Report& r) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& v : r.variants) {
        if (v.alerts.empty()) continue;
        std::string line;
        for (const auto& a : v.alerts) {
            if (a.firing_fraction <= 0) continue;
            line += fmt::format("{}{} in {:.0f}% of trials, after {} at p50 (firing {} at p50)", line.empty() ? "" : "; ", a.alert,
                                100 * a.firing_fraction, duration_cell(a.start_seconds.p50), duration_cell(a.firing_seconds.p50));
        }
        out.emplace_back(v.strategy + " × " + v.probes, line.empty() ? "no alert fires" : line);
    }
    return out;
}

std::string comparison_markdown(const ComparisonTable& t) {
    const auto cell = [](std::string s) {
        for (char& c : s) {
            if (c == '|' || c == '\n') c = ' ';
        }
        return s;
    };
    std::string out;
    for (const auto& g : t.groups) {
        out += fmt::format("**{}**{}\n\n", g.title, g.meaning.empty() ? "" : ": " + g.meaning);
        out += "| variant |";
        std::string rule = "|---|";
        for (const auto& c : t.columns) {
            out += fmt::format(" {}{} |", c.statistic, c.unit.empty() ? "" : " (" + c.unit + ")");
            rule += "--:|";
        }
        out += "\n" + rule + "\n";
        for (const auto& row : g.rows) {
            const std::string name = fmt::format("`{}` × `{}`{}", row.strategy, row.probes, row.recommended ? " (recommended)" : "");
            if (row.cells.empty()) {
                out += fmt::format("| {} | {} |\n", name, cell(row.refusal));
                continue;
            }
            out += "| " + name + " |";
            for (const auto& c : row.cells) out += " " + cell(c) + " |";
            out += "\n";
        }
        out += "\n";
    }
    if (!t.footnote.empty()) out += t.footnote + "\n\n";
    return out;
}

}  // namespace rollsim::output
