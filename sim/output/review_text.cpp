// A review as a pull-request comment and as JSON (docs/review.md).

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "output/report_json.hpp"
#include "rollsim/review.hpp"

namespace rollsim {

namespace {

const char* severity_name(Finding::Severity s) {
    switch (s) {
        case Finding::Severity::Blocking: return "blocking";
        case Finding::Severity::Warning: return "warning";
        case Finding::Severity::Info: return "info";
    }
    return "info";
}

std::size_t count(const Review& r, Finding::Severity s) {
    std::size_t n = 0;
    for (const auto& f : r.findings) n += f.severity == s ? 1 : 0;
    return n;
}

std::string verdict(const Review& r) {
    if (r.blocking()) return "blocked";
    return count(r, Finding::Severity::Warning) > 0 ? "warnings" : "ok";
}

std::string cell(double seconds) { return fmt::format("{:.1f}", seconds); }

}  // namespace

std::string review_markdown(const Review& r) {
    std::string m;
    const std::size_t blocking = count(r, Finding::Severity::Blocking);
    const std::size_t warnings = count(r, Finding::Severity::Warning);
    m += fmt::format("## rollsim review of {}: {}\n\n", r.target,
                     blocking > 0 ? "blocked" : warnings > 0 ? "passes, with warnings" : "passes");
    m += fmt::format("**{} blocking, {} warning{}.**", blocking, warnings, warnings == 1 ? "" : "s");
    if (r.simulated && !r.report.variants.empty()) {
        const VariantReport& v = r.report.variants.front();
        m += fmt::format(" The change as proposed ({}) was simulated over {} trials (seed {}, Kubernetes {}, {} traffic)",
                         v.strategy_text, r.report.trials, r.report.seed, r.report.kubernetes_version, r.report.traffic_mode);
        if (!v.accepted) {
            m += ": the API server rejects it.";
        } else if (v.completed_fraction < 1) {
            m += fmt::format(": it does not finish in {:.0f}% of trials.", 100 * (1 - v.completed_fraction));
        } else {
            m += fmt::format(": it finishes in {} s at p90.", cell(v.duration_seconds.p90));
        }
    } else if (!r.simulated && r.findings.size() == 1 && r.findings.front().id == "nothing-to-roll-out") {
        m += " Nothing to roll out: the pod template does not change.";
    } else if (!r.simulated) {
        m += " The change cannot be applied, so it was not simulated.";
    }
    m += "\n\n";
    if (!r.workload_kind.empty()) {
        m += fmt::format("_What it is: **{}**, because {}. A test copy beside the live pod {}._\n\n", r.workload_kind,
                         fmt::join(r.workload_reasons, "; "),
                         r.test_copy_isolated ? "on moved host ports would be isolated from it"
                                              : "would not be isolated from it: " + fmt::format("{}", fmt::join(r.not_isolated, "; ")));
    }
    if (!r.assumptions.empty()) m += "_Assumed: " + r.assumptions + "._\n\n";
    if (!r.findings.empty()) {
        m += "### Findings\n\n";
        for (std::size_t i = 0; i < r.findings.size(); ++i) {
            const Finding& f = r.findings[i];
            m += fmt::format("{}. **{}** `{}`: {}\n   - Evidence: {}\n   - Fix: {}\n", i + 1, severity_name(f.severity), f.id,
                             f.title, f.evidence, f.fix);
        }
        m += "\n";
    }
    if (r.simulated) {
        m += "### Simulated rollouts\n\n";
        const bool coverage = r.report.traffic_mode == "coverage";
        m += coverage ? "| strategy | probes | finishes | p50 s | p90 s | max uncovered | gap node-s (mean) | restarts |\n"
                        "|---|---|---|---|---|---|---|---|\n"
                      : "| strategy | probes | finishes | p50 s | p90 s | client errors s (mean / p90) | outage node-s | "
                        "false-ready node-s |\n|---|---|---|---|---|---|---|---|\n";
        for (const auto& v : r.report.variants) {
            if (!v.accepted) {
                m += fmt::format("| {} | {} | {} | | | | | |\n", v.strategy, v.probes,
                                 v.not_applicable ? "not applicable: " + *v.not_applicable : std::string("rejected"));
                continue;
            }
            const std::string done = fmt::format("{:.0f}%", 100 * v.completed_fraction);
            const bool any = v.duration_seconds.n > 0;
            if (coverage) {
                m += fmt::format("| {} | {} | {} | {} | {} | {:.0f} | {} | {:.1f} |\n", v.strategy, v.probes, done,
                                 any ? cell(v.duration_seconds.p50) : "-", any ? cell(v.duration_seconds.p90) : "-",
                                 v.max_concurrent_uncovered.max, cell(v.gap_node_seconds.mean), v.restarts.mean);
            } else {
                m += fmt::format("| {} | {} | {} | {} | {} | {} / {} | {} | {} |\n", v.strategy, v.probes, done,
                                 any ? cell(v.duration_seconds.p50) : "-", any ? cell(v.duration_seconds.p90) : "-",
                                 cell(v.error_seconds.mean), cell(v.error_seconds.p90), cell(v.outage_node_seconds.mean),
                                 cell(v.false_ready_node_seconds.mean));
            }
        }
        m += "\n";
    }
    m += fmt::format("<sub>rollsim {} · sha256 {} of the manifests{}</sub>\n", r.report.tool_version.empty() ? version() : r.report.tool_version,
                     r.report.scenario_sha256.substr(0, 12), r.simulated ? "" : " (not simulated)");
    return m;
}

std::string review_json(const Review& r) {
    nlohmann::ordered_json o;
    o["target"] = r.target;
    o["verdict"] = verdict(r);
    o["blocking"] = r.blocking();
    o["assumptions"] = r.assumptions;
    o["workload"] = {{"kind", r.workload_kind}, {"why", r.workload_reasons}, {"testCopyIsolated", r.test_copy_isolated},
                     {"notIsolated", r.not_isolated}};
    o["findings"] = nlohmann::ordered_json::array();
    for (const auto& f : r.findings) {
        o["findings"].push_back({{"id", f.id}, {"severity", severity_name(f.severity)}, {"title", f.title},
                                 {"evidence", f.evidence}, {"fix", f.fix}});
    }
    o["simulated"] = r.simulated;
    if (r.simulated) o["report"] = output::report_object(r.report);
    return o.dump(2) + "\n";
}

}  // namespace rollsim
