// A review as a pull-request comment and as JSON (docs/review.md).

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "output/comparison_table.hpp"
#include "output/report_json.hpp"
#include "output/sarif.hpp"
#include "output/xml.hpp"
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
    for (const auto& f : r.findings) n += f.severity == s && f.suppressed.empty() ? 1 : 0;
    return n;
}

/// `file:line` of a finding's key, or "".
std::string where(const Finding& f) {
    if (f.location.file.empty()) return "";
    return f.location.line > 0 ? fmt::format("{}:{}", f.location.file, f.location.line) : f.location.file;
}

std::string verdict(const Review& r) {
    if (r.blocking()) return "blocked";
    return count(r, Finding::Severity::Warning) > 0 ? "warnings" : "ok";
}

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
        m += fmt::format(" The change as proposed ({}) was simulated over {} (seed {}, Kubernetes {}, {} traffic)",
                         v.strategy_text, r.report.trials_words(), r.report.seed, r.report.kubernetes_version, r.report.traffic_mode);
        if (!v.accepted) {
            m += ": the API server rejects it.";
        } else if (v.completed_fraction < 1) {
            m += fmt::format(": it does not finish in {:.0f}% of trials.", 100 * (1 - v.completed_fraction));
        } else {
            m += fmt::format(": it finishes in {} at p90.", output::duration_cell(v.duration_seconds.p90));
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
            const std::string status = f.suppressed.empty() ? fmt::format("**{}**", severity_name(f.severity))
                                                            : fmt::format("~~{}~~ suppressed", severity_name(f.severity));
            m += fmt::format("{}. {} `{}`: {}\n", i + 1, status, f.id, f.title);
            if (!f.suppressed.empty()) m += fmt::format("   - Suppressed: {}\n", f.suppressed);
            if (!f.field.empty()) m += fmt::format("   - At: `{}` ({})\n", f.field, where(f));
            m += fmt::format("   - Evidence: {}\n   - Fix: {}\n", f.evidence, f.fix);
        }
        m += "\n";
    }
    if (r.simulated) {
        m += "### Simulated rollouts\n\n";
        m += output::comparison_markdown(output::comparison_table(r.report));
        if (const auto paged = output::pages(r.report); !paged.empty()) {
            m += "**Pages** (the alerting rules over every trial):\n\n";
            for (const auto& [variant, text] : paged) m += fmt::format("- {}: {}\n", variant, text);
            m += "\n";
        }
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
                                 {"evidence", f.evidence}, {"fix", f.fix}, {"field", f.field},
                                 {"file", f.location.file}, {"line", f.location.line},
                                 {"suppressed", f.suppressed.empty() ? nlohmann::ordered_json(nullptr)
                                                                     : nlohmann::ordered_json(f.suppressed)}});
    }
    o["simulated"] = r.simulated;
    if (r.simulated) o["report"] = output::report_object(r.report);
    return o.dump(2) + "\n";
}

std::string review_sarif(const Review& r) {
    using ojson = nlohmann::ordered_json;
    // The rules: every finding id review reports, in a stable order; a result names its rule by
    // id and index.
    const std::vector<std::string>& ids = finding_ids();
    ojson rules = ojson::array();
    for (const auto& id : ids) {
        ojson rule;
        rule["id"] = id;
        rule["name"] = id;
        rule["shortDescription"] = {{"text", id}};
        rule["help"] = {{"text", "rollsim review's finding " + id + ": docs/review.md, \"Findings\", says what it checks and how it is fixed."}};
        rules.push_back(rule);
    }
    ojson results = ojson::array();
    for (const auto& f : r.findings) {
        const auto rule = std::find(ids.begin(), ids.end(), f.id);
        ojson res;
        res["ruleId"] = f.id;
        if (rule != ids.end()) res["ruleIndex"] = rule - ids.begin();
        res["level"] = f.severity == Finding::Severity::Blocking  ? "error"
                       : f.severity == Finding::Severity::Warning ? "warning"
                                                                  : "note";
        res["message"] = {{"text", f.title + ". " + f.evidence + " Fix: " + f.fix}};
        ojson loc;
        if (!f.location.file.empty()) {
            loc["physicalLocation"]["artifactLocation"] = {{"uri", f.location.file}};
            if (f.location.line > 0) loc["physicalLocation"]["region"] = {{"startLine", f.location.line}};
        }
        loc["logicalLocations"] = ojson::array({{{"fullyQualifiedName", r.target + ":" + f.field}, {"kind", "member"}}});
        res["locations"] = ojson::array({loc});
        if (!f.suppressed.empty()) {
            res["suppressions"] = ojson::array({{{"kind", "external"}, {"justification", f.suppressed}}});
        }
        res["properties"] = {{"field", f.field}, {"target", r.target}};
        results.push_back(res);
    }
    return output::sarif_log(r.report.tool_version, std::move(rules), std::move(results));
}

std::string review_junit(const Review& r) {
    const auto esc = [](const std::string& t) { return output::xml_escape(t); };
    // One test case per finding id: failed by its unsuppressed blocking or warning findings,
    // skipped when suppressed, passed otherwise.
    std::string cases;
    std::size_t failures = 0, skipped = 0;
    for (const auto& id : finding_ids()) {
        std::string body;
        for (const auto& f : r.findings) {
            if (f.id != id) continue;
            const std::string text = f.title + " (" + where(f) + ")";
            if (!f.suppressed.empty()) {
                body += fmt::format("      <skipped message=\"suppressed: {}\"/>\n", esc(f.suppressed));
            } else if (f.severity != Finding::Severity::Info) {
                body += fmt::format("      <failure type=\"{}\" message=\"{}\">{}\n\nFix: {}</failure>\n",
                                    severity_name(f.severity), esc(text), esc(f.evidence), esc(f.fix));
            }
        }
        failures += body.find("<failure") != std::string::npos ? 1 : 0;
        skipped += body.find("<skipped") != std::string::npos && body.find("<failure") == std::string::npos ? 1 : 0;
        cases += fmt::format("    <testcase classname=\"rollsim.review.{}\" name=\"{}\"{}>\n", esc(r.target), id,
                             body.empty() ? "/" : "");
        if (!body.empty()) cases += body + "    </testcase>\n";
    }
    const std::size_t tests = finding_ids().size();
    return fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                       "<testsuites name=\"rollsim review\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">\n"
                       "  <testsuite name=\"rollsim review of {}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">\n{}"
                       "  </testsuite>\n</testsuites>\n",
                       tests, failures, skipped, esc(r.target), tests, failures, skipped, cases);
}

}  // namespace rollsim
