// The report as a table for a terminal: one row per variant, then the stall reasons.

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "output/comparison_table.hpp"
#include "output/wrap.hpp"
#include "rollsim/io.hpp"

namespace rollsim {

namespace {

std::string seconds(double s) { return output::duration_cell(s); }

/// `text` wrapped at 96 columns, each line after `indent`.
std::string wrapped(const std::string& text, const std::string& indent) {
    std::string out;
    for (const auto& line : output::wrap_words(text, 96 - indent.size())) {
        if (!line.empty()) out += indent + line + "\n";
    }
    return out;
}

}  // namespace

std::string report_table(const Report& r) {
    std::string out = fmt::format("rollsim {} — {} — {}, seed {}, Kubernetes {}, {} traffic\n\n",
                                  r.tool_version, r.scenario_name, r.trials_words(), r.seed,
                                  r.kubernetes_version, r.traffic_mode);
    const output::ComparisonTable t = output::comparison_table(r);
    // Each column as wide as its widest cell or header word; the variant column holds the
    // names indented under their group's title.
    std::size_t name_width = 7;
    for (const auto& g : t.groups) {
        for (const auto& row : g.rows) name_width = std::max(name_width, row.variant.size() + 2);
    }
    std::vector<std::size_t> widths;
    for (const auto& c : t.columns) widths.push_back(std::max(c.statistic.size(), c.unit.size()));
    for (const auto& g : t.groups) {
        for (const auto& row : g.rows) {
            for (std::size_t i = 0; i < row.cells.size(); ++i) widths[i] = std::max(widths[i], row.cells[i].size());
        }
    }
    std::string head = fmt::format("{:<{}}", "variant", name_width), units(name_width, ' ');
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
        head += fmt::format("  {:>{}}", t.columns[i].statistic, widths[i]);
        units += fmt::format("  {:>{}}", t.columns[i].unit, widths[i]);
    }
    while (!units.empty() && units.back() == ' ') units.pop_back();
    out += head + "\n" + (units.empty() ? "" : units + "\n");
    for (const auto& g : t.groups) {
        out += g.title + (g.meaning.empty() ? "\n" : ":\n" + wrapped("(" + g.meaning + ")", "  "));
        for (const auto& row : g.rows) {
            // Cells are UTF-8 (the × in names): pad by characters, not bytes.
            const std::size_t chars = row.variant.size() - (row.variant.find("×") != std::string::npos ? 1 : 0);
            std::string line = "  " + row.variant + std::string(name_width - 2 - std::min(name_width - 2, chars), ' ');
            if (row.cells.empty()) {
                line += "  " + row.refusal;
            } else {
                for (std::size_t i = 0; i < row.cells.size(); ++i) line += fmt::format("  {:>{}}", row.cells[i], widths[i]);
            }
            if (row.recommended) line += "  (recommended)";
            out += line + "\n";
        }
    }
    out += "\n" + wrapped("(" + t.footnote + ")", "");
    bool tested = false;
    for (const auto& v : r.variants) {
        if (!v.accepted || v.test_phase_seconds.n == 0) continue;
        if (!tested) {
            out += "\ntest-then-promote:\n";
            tested = true;
        }
        out += fmt::format("  {} × {}: promoted in {:.0f}% of trials; a faulty change reached public traffic in "
                           "{:.0f}%; the test phase took {} at p50, {} at p90\n",
                           v.strategy, v.probes, 100 * v.promoted_fraction, 100 * v.fault_reached_public_fraction,
                           seconds(v.test_phase_seconds.p50), seconds(v.test_phase_seconds.p90));
    }
    const auto paged = output::pages(r);
    if (!paged.empty()) out += "\npages (the alerting rules over every trial's kube-state-metrics series):\n";
    for (const auto& [variant, text] : paged) out += fmt::format("  {}: {}\n", variant, text);
    if (r.rollbacks) {
        out += "\nrollback:\n";
        for (const auto& v : r.variants) {
            if (!v.accepted) continue;
            out += fmt::format("  {} × {}: rolled back in {:.0f}% of trials", v.strategy, v.probes, 100 * v.rolled_back_fraction);
            if (v.recovery_seconds.n > 0) {
                out += fmt::format("; every node served again {} after the rollback at p50, {} at p90",
                                   seconds(v.recovery_seconds.p50), seconds(v.recovery_seconds.p90));
            } else if (v.rolled_back_fraction > 0) {
                out += "; not every node served again before the trial ended";
            }
            out += "\n";
        }
    }
    bool busy = false;
    for (const auto& v : r.variants) {
        if (!v.accepted) continue;
        const bool any = r.busy_cluster || v.preemptions.max > 0 || v.evictions.max > 0 ||
                         v.admission_rejections.max > 0 || v.image_pull_backoff_nodes.max > 0;
        if (!any) continue;
        if (!busy) {
            out += "\ncluster (means per trial):\n";
            busy = true;
        }
        std::string line = fmt::format("  {} × {}: image pull {} (slowest {})", v.strategy, v.probes,
                                       seconds(v.pull_seconds.mean), seconds(v.pull_seconds_max.mean));
        if (v.preemptions.max > 0) line += fmt::format(", {:.1f} preemptions", v.preemptions.mean);
        if (v.evictions.max > 0) line += fmt::format(", {:.1f} evictions", v.evictions.mean);
        if (v.admission_rejections.max > 0) line += fmt::format(", {:.1f} pods rejected under pressure", v.admission_rejections.mean);
        if (v.image_pull_backoff_nodes.max > 0) {
            line += fmt::format(", {:.1f} nodes left in ImagePullBackOff", v.image_pull_backoff_nodes.mean);
        }
        out += line + "\n";
    }
    bool header = false;
    for (const auto& v : r.variants) {
        for (const auto& [key, count] : v.stall_reasons) {
            if (!header) {
                out += "\nwhy trials did not finish:\n";
                header = true;
            }
            out += fmt::format("  {} × {}: {:.0f}% of trials — {}\n", v.strategy, v.probes,
                               100.0 * static_cast<double>(count) / v.trials, v.stall_examples.at(key));
        }
    }
    return out;
}

std::string recommendation_text(const Report& r) {
    if (!r.recommendation) return "";
    const Recommendation& rec = *r.recommendation;
    std::string out = "\nrecommendation: ";
    out += rec.strategy.empty() ? "none" : fmt::format("{} × {}", rec.strategy, rec.probes);
    out += rec.acceptable ? " (meets every limit)\n" : " (does NOT meet the limits)\n";
    out += wrapped(rec.why, "  ");
    if (!rec.frontier.empty()) {
        const bool coverage = rec.frontier_harm == "gapNodeSeconds";
        out += fmt::format("\nPareto frontier (p90 duration against mean {}; differences inside the 95% intervals are ties):\n",
                           coverage ? "uncovered node-seconds" : "client-visible errors");
        for (const auto& p : rec.frontier) {
            out += fmt::format("  {:>9}  {:>9.1f} node-s {}   {} × {}{}\n", seconds(p.duration_p90), p.harm_mean,
                               coverage ? "uncovered" : "errors", p.strategy, p.probes,
                               !p.on_frontier ? "  (recommended, though off the frontier: chosen by the limits and the ranking above)"
                               : p.recommended ? "  (recommended)"
                                               : "");
        }
        if (!rec.frontier_false_ready.empty()) {
            out += wrapped(fmt::format("Left out, because their pods report Ready before they serve (their durations end "
                                       "before the nodes serve): {}.",
                                       fmt::format("{}", fmt::join(rec.frontier_false_ready, ", "))),
                           "  ");
        }
    }
    return out;
}

}  // namespace rollsim
