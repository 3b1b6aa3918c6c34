// recommend's gate in the formats CI reads (docs/recommend.md, "In CI"): SARIF 2.1.0 with one
// rule per limit and a result at the scenario line of each limit the chosen plan fails, and
// JUnit XML with one test case per limit.

#include <algorithm>
#include <array>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "output/sarif.hpp"
#include "output/xml.hpp"
#include "rollsim/io.hpp"
#include "rollsim/run.hpp"

namespace rollsim {

namespace {

/// The limits in the order the rules list them; "completion" is every plan's first limit.
constexpr std::array<const char*, 5> kLimits = {"completion", "maxErrorSeconds", "maxRolloutDuration", "maxUncoveredNodes", "noAlerts"};

const char* limit_help(std::string_view limit) {
    if (limit == "completion") return "The chosen plan finishes in every trial: it is not stalled and reaches every node.";
    if (limit == "maxErrorSeconds") return "limits.maxErrorSeconds: the plan's p90 client-visible error node-seconds stay within it.";
    if (limit == "maxRolloutDuration") return "limits.maxRolloutDuration: the plan's p90 rollout duration stays within it.";
    if (limit == "maxUncoveredNodes") return "limits.maxUncoveredNodes: the plan's p90 of the most nodes uncovered at once stays within it.";
    return "limits.noAlerts: none of the listed alerts fires in more than 10% of the plan's trials (docs/alerts.md).";
}

bool limit_set(const Limits& l, std::string_view limit) {
    if (limit == "completion") return true;
    if (limit == "maxErrorSeconds") return l.max_error_seconds.has_value();
    if (limit == "maxRolloutDuration") return l.max_rollout_duration.has_value();
    if (limit == "maxUncoveredNodes") return l.max_uncovered_nodes.has_value();
    return !l.no_alerts.empty();
}

/// What fails the gate: the chosen plan's failed limits, or "completion" when no plan finishes.
std::vector<LimitFailure> gate_failures(const Recommendation& rec) {
    if (rec.acceptable) return {};
    if (rec.strategy.empty()) return {{"completion", 0, 1, rec.why}};
    return rec.failures;
}

std::string plan_name(const Recommendation& rec) {
    return rec.strategy.empty() ? std::string("no plan") : rec.strategy + " × " + rec.probes;
}

std::int32_t line_of(const ScenarioSpec& s, std::string_view limit) {
    const auto it = s.limits.lines.find(limit);
    return it == s.limits.lines.end() ? 1 : it->second;
}

}  // namespace

std::string recommend_sarif(const ScenarioSpec& s, const Report& r) {
    using ojson = nlohmann::ordered_json;
    ojson rules = ojson::array();
    for (const char* limit : kLimits) {
        rules.push_back({{"id", limit}, {"name", limit}, {"shortDescription", {{"text", limit}}},
                         {"help", {{"text", limit_help(limit)}}}});
    }
    ojson results = ojson::array();
    if (r.recommendation) {
        const Recommendation& rec = *r.recommendation;
        for (const auto& f : gate_failures(rec)) {
            const auto rule = std::find_if(kLimits.begin(), kLimits.end(), [&](const char* l) { return f.limit == l; });
            ojson res;
            res["ruleId"] = f.limit;
            if (rule != kLimits.end()) res["ruleIndex"] = rule - kLimits.begin();
            res["level"] = "error";
            res["message"] = {{"text", fmt::format("{}: {}", plan_name(rec), f.text)}};
            ojson loc;
            loc["physicalLocation"]["artifactLocation"] = {{"uri", s.file}};
            loc["physicalLocation"]["region"] = {{"startLine", line_of(s, f.limit)}};
            const std::string field = f.limit == "completion" ? "spec.variants" : "spec.limits." + f.limit;
            loc["logicalLocations"] = ojson::array({{{"fullyQualifiedName", r.scenario_name + ":" + field}, {"kind", "member"}}});
            res["locations"] = ojson::array({loc});
            res["properties"] = {{"plan", plan_name(rec)}, {"value", f.value}, {"allowed", f.allowed}};
            results.push_back(res);
        }
    }
    return output::sarif_log(r.tool_version, std::move(rules), std::move(results));
}

std::string recommend_junit(const ScenarioSpec& s, const Report& r) {
    const auto esc = [](const std::string& t) { return output::xml_escape(t); };
    const std::vector<LimitFailure> fails = r.recommendation ? gate_failures(*r.recommendation) : std::vector<LimitFailure>{};
    const std::string plan = r.recommendation ? plan_name(*r.recommendation) : "no plan";
    // One test case per limit for the chosen plan: failed by the gate, skipped when the
    // scenario sets no such limit, passed otherwise.
    std::string cases;
    std::size_t failures = 0, skipped = 0;
    for (const char* limit : kLimits) {
        const auto f = std::find_if(fails.begin(), fails.end(), [&](const LimitFailure& x) { return x.limit == limit; });
        std::string body;
        if (f != fails.end()) {
            body = fmt::format("      <failure type=\"limit\" message=\"{}\">{}</failure>\n", esc(plan + ": " + f->text),
                               esc(fmt::format("{}:{}: {}", s.file, line_of(s, limit), r.recommendation->why)));
            ++failures;
        } else if (!limit_set(s.limits, limit)) {
            body = "      <skipped message=\"the scenario sets no such limit\"/>\n";
            ++skipped;
        }
        cases += fmt::format("    <testcase classname=\"rollsim.recommend.{}\" name=\"{}\"{}>\n", esc(r.scenario_name), limit,
                             body.empty() ? "/" : "");
        if (!body.empty()) cases += body + "    </testcase>\n";
    }
    return fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                       "<testsuites name=\"rollsim recommend\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">\n"
                       "  <testsuite name=\"rollsim recommend: {}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">\n"
                       "    <properties><property name=\"plan\" value=\"{}\"/></properties>\n{}"
                       "  </testsuite>\n</testsuites>\n",
                       kLimits.size(), failures, skipped, esc(r.scenario_name), kLimits.size(), failures, skipped,
                       esc(plan), cases);
}

}  // namespace rollsim
