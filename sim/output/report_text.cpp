// The report as a table for a terminal: one row per variant, then the stall reasons.

#include <algorithm>

#include <fmt/format.h>

#include "rollsim/io.hpp"

namespace rollsim {

namespace {

std::string seconds(double s) {
    if (s >= 3600) return fmt::format("{:.1f}h", s / 3600);
    if (s >= 600) return fmt::format("{:.1f}m", s / 60);
    return fmt::format("{:.1f}s", s);
}

}  // namespace

std::string report_table(const Report& r) {
    std::string out = fmt::format("rollsim {} — {} — {} trials, seed {}, Kubernetes {}, {} traffic\n\n",
                                  r.tool_version, r.scenario_name, r.trials, r.seed,
                                  r.kubernetes_version, r.traffic_mode);
    const bool coverage = r.traffic_mode == "coverage";
    std::size_t width = 8;
    for (const auto& v : r.variants) width = std::max(width, v.strategy.size() + v.probes.size() + 3);
    out += fmt::format("{:<{}}  {:>7}  {:>8}  {:>8}  ", "variant", width, "done", "p50", "p90");
    out += coverage ? fmt::format("{:>10}  {:>9}  {:>8}\n", "gap node·s", "max uncov", "longest")
                    : fmt::format("{:>9}  {:>9}  {:>7}  {:>8}  {:>8}  {:>11}\n", "errors s", "outage", "windows",
                                  "longest", "min serv", "false-ready");
    for (const auto& v : r.variants) {
        const std::string name = v.strategy + " × " + v.probes;
        if (!v.accepted) {
            out += fmt::format("{:<{}}  {}\n", name, width, v.refusal());
            continue;
        }
        const bool any = v.duration_seconds.n > 0;
        out += fmt::format("{:<{}}  {:>6.0f}%  {:>8}  {:>8}  ", name, width, 100 * v.completed_fraction,
                           any ? seconds(v.duration_seconds.p50) : "-",
                           any ? seconds(v.duration_seconds.p90) : "-");
        if (coverage) {
            out += fmt::format("{:>10.1f}  {:>9.0f}  {:>8}\n", v.gap_node_seconds.mean,
                               v.max_concurrent_uncovered.max, seconds(v.longest_gap_seconds.max));
        } else {
            out += fmt::format("{:>9.1f}  {:>8.1f}s  {:>7.1f}  {:>8}  {:>7.0f}%  {:>10.1f}s\n", v.error_seconds.mean,
                               v.outage_node_seconds.mean, v.outage_windows.mean,
                               seconds(v.longest_outage_seconds.max), 100 * v.min_serving_fraction.min,
                               v.false_ready_node_seconds.mean);
        }
    }
    out += coverage ? "\n(means over trials; gap in node-seconds; durations over completed trials)\n"
                    : "\n(means over trials; errors and outage in node-seconds; longest outage and min serving over all\n"
                      " trials; durations over completed trials)\n";
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
            line += fmt::format(", {:.1f} node(s) left in ImagePullBackOff", v.image_pull_backoff_nodes.mean);
        }
        out += line + "\n";
    }
    bool header = false;
    for (const auto& v : r.variants) {
        for (const auto& [key, count] : v.stall_reasons) {
            if (!header) {
                out += "\nstalled:\n";
                header = true;
            }
            out += fmt::format("  {} × {}: {:.0f}% of trials — {}\n", v.strategy, v.probes,
                               100.0 * static_cast<double>(count) / r.trials, v.stall_examples.at(key));
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
    // Wrap the paragraph at 96 columns.
    std::string line;
    std::size_t start = 0;
    const std::string& why = rec.why;
    while (start < why.size()) {
        std::size_t end = why.find(' ', start);
        if (end == std::string::npos) end = why.size();
        const std::string word = why.substr(start, end - start);
        if (!line.empty() && line.size() + 1 + word.size() > 96) {
            out += "  " + line + "\n";
            line.clear();
        }
        line += (line.empty() ? "" : " ") + word;
        start = end + 1;
    }
    if (!line.empty()) out += "  " + line + "\n";
    if (!rec.frontier.empty()) {
        out += "\nPareto frontier (p90 duration against mean client-visible errors):\n";
        for (const auto& p : rec.frontier) {
            out += fmt::format("  {:>9}  {:>8.1f} s errors   {} × {}\n", seconds(p.duration_p90), p.errors_mean,
                               p.strategy, p.probes);
        }
    }
    return out;
}

}  // namespace rollsim
