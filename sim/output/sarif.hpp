#pragma once
/// @file sarif.hpp
/// The SARIF 2.1.0 log that review's findings and recommend's gate are written in: one run of
/// the rollsim driver with its rules and results.

#include <string>

#include <nlohmann/json.hpp>

#include "rollsim/run.hpp"

namespace rollsim::output {

inline std::string sarif_log(const std::string& tool_version, nlohmann::ordered_json rules, nlohmann::ordered_json results) {
    nlohmann::ordered_json run;
    run["tool"]["driver"] = {{"name", "rollsim"}, {"version", tool_version.empty() ? version() : tool_version}, {"rules", std::move(rules)}};
    run["results"] = std::move(results);
    nlohmann::ordered_json o;
    o["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
    o["version"] = "2.1.0";
    o["runs"] = nlohmann::ordered_json::array({run});
    return o.dump(2) + "\n";
}

}  // namespace rollsim::output
