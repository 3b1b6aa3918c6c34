// The bundled scenarios pinned by fingerprint and summary. A model change that moves any event
// changes a fingerprint: re-pin deliberately with
//   ROLLSIM_UPDATE_GOLDEN=1 build/debug/tests/rollsim_tests -ts=golden
// and say why in the commit.

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include <fmt/format.h>

#include "rollsim/io.hpp"
#include "rollsim/run.hpp"

namespace rollsim::test {

namespace {

const char* const kScenarios[] = {
    "scenarios/edge-proxy-single-node/scenario.yaml",
    "scenarios/edge-proxy-20-nodes/scenario.yaml",
    "scenarios/surge-hostport-stall/scenario.yaml",
    "scenarios/node-exporter-100/scenario.yaml",
    "tests/scenarios/five-nodes-25s.yaml",
};
constexpr std::int32_t kTrials = 20;

std::string golden_path() { return std::string(ROLLSIM_SOURCE_DIR) + "/tests/golden/fingerprints.txt"; }

/// One line per accepted variant: scenario, strategy, probes, fingerprint, completed fraction,
/// mean duration (ms), mean outage node-seconds (ms).
std::string line(const std::string& scenario, const VariantReport& v) {
    return fmt::format("{} {} {} {} {:.3f} {:.0f} {:.0f}", scenario, v.strategy, v.probes, v.fingerprint,
                       v.completed_fraction, v.duration_seconds.mean * 1000, v.outage_node_seconds.mean * 1000);
}

}  // namespace

TEST_SUITE("golden") {

TEST_CASE("bundled scenarios: fingerprints and summaries are pinned") {
    std::ostringstream now;
    for (const char* rel : kScenarios) {
        const ScenarioSpec s = load_scenario(std::string(ROLLSIM_SOURCE_DIR) + "/" + rel);
        RunOptions opt;
        opt.trials = kTrials;
        opt.threads = 2;
        const Report r = run(s, opt);
        for (const auto& v : r.variants) {
            if (v.accepted) now << line(s.name, v) << "\n";
        }
    }
    if (std::getenv("ROLLSIM_UPDATE_GOLDEN") != nullptr) {
        std::ofstream(golden_path()) << now.str();
        MESSAGE("golden fingerprints rewritten");
        return;
    }
    std::ifstream in(golden_path());
    REQUIRE_MESSAGE(in.good(), "missing " << golden_path());
    std::stringstream want;
    want << in.rdbuf();
    std::istringstream a(want.str()), b(now.str());
    std::string wl, gl;
    while (std::getline(a, wl)) {
        REQUIRE(std::getline(b, gl));
        CHECK(gl == wl);
    }
    CHECK_FALSE(std::getline(b, gl));
}

TEST_CASE("the report is byte-identical on 1 and 2 threads") {
    const ScenarioSpec s =
        load_scenario(std::string(ROLLSIM_SOURCE_DIR) + "/scenarios/edge-proxy-20-nodes/scenario.yaml");
    RunOptions one;
    one.trials = 24;
    one.threads = 1;
    RunOptions two = one;
    two.threads = 2;
    const std::string a = report_json(run(s, one));
    const std::string b = report_json(run(s, two));
    CHECK(a == b);
    CHECK(a.find("\"fingerprint\"") != std::string::npos);
}

}  // TEST_SUITE

}  // namespace rollsim::test
