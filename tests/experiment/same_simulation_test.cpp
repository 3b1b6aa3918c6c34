// Variants that are the same simulation (same probes, the same strategy once the API server has
// defaulted it, the same minReadySeconds, no operator) run their trials once: the later one
// takes the earlier one's, and reports what its own trials would have given.

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "experiment/variants.hpp"
#include "rollsim/io.hpp"
#include "rollsim/run.hpp"

namespace rollsim::test {

namespace {

/// The single-node edge proxy (the proposed manifest says maxUnavailable 1) with `strategies`.
ScenarioSpec edge_proxy(const std::string& strategies) {
    const std::string dir = std::string(ROLLSIM_SOURCE_DIR) + "/scenarios/edge-proxy-single-node/";
    return load_scenario_text(R"(apiVersion: rollsim.io/v1alpha1
kind: Scenario
metadata: {name: same-simulation}
spec:
  seed: 7
  trials: 30
  horizon: 2h
  cluster:
    nodePools:
      - {name: edge, count: 3, labels: {node-role.example.com/edge: "true", kubernetes.io/arch: amd64},
         taints: [{key: node-role.example.com/edge, effect: NoSchedule}]}
  daemonSet:
    current: manifests/edge-proxy-v1.yaml
    proposed: manifests/edge-proxy-v2.yaml
  workload:
    container: proxy
    proposed: {serve: {distribution: uniform, min: 90s, max: 180s}}
  traffic:
    mode: hostPort
    healthCheck: {interval: 10s, unhealthyThreshold: 3, healthyThreshold: 2, surface: serving}
  variants:
    strategies:
)" + strategies + R"(
    probes:
      - name: as-proposed
      - name: ready-when-serving
        readinessProbe: {httpGet: {path: /ready, port: 8080}, periodSeconds: 5, surface: serving}
)",
                              dir + "scenario.yaml");
}

/// A variant's JSON without its names.
nlohmann::json numbers(nlohmann::json v) {
    v.erase("strategy");
    v.erase("strategyText");
    v.erase("probes");
    return v;
}

}  // namespace

TEST_SUITE("experiment.same-simulation") {

TEST_CASE("one-at-a-time beside an as-proposed maxUnavailable 1 is the same simulation: run once, reported twice, as if run") {
    const ScenarioSpec s = edge_proxy(R"(      - name: as-proposed
      - name: one-at-a-time
        updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 1, maxSurge: 0}}
      - name: soaked
        updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 1}}
        minReadySeconds: 30
      - name: two
        updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 2}})");
    const auto plan = experiment::plan_variants(s);
    REQUIRE(plan.size() == 8);  // 4 strategies x 2 probe variants
    // one-at-a-time x each probe variant is as-proposed x the same probe variant; a different
    // minReadySeconds or maxUnavailable is another simulation.
    CHECK_FALSE(plan[0]->same_as.has_value());
    CHECK_FALSE(plan[1]->same_as.has_value());
    CHECK(plan[2]->same_as == std::optional<std::size_t>(0));
    CHECK(plan[3]->same_as == std::optional<std::size_t>(1));
    for (std::size_t i = 4; i < plan.size(); ++i) CHECK_FALSE(plan[i]->same_as.has_value());

    const auto shared = nlohmann::json::parse(report_json(run(s, RunOptions{})));
    const auto& v = shared["variants"];
    CHECK(v[2]["strategy"] == "one-at-a-time");
    CHECK(numbers(v[2]) == numbers(v[0]));
    CHECK(numbers(v[3]) == numbers(v[1]));
    CHECK(numbers(v[4]) != numbers(v[0]));  // minReadySeconds 30 rolls differently

    // one-at-a-time alone simulates its own trials: the same numbers.
    const ScenarioSpec alone = edge_proxy(R"(      - name: one-at-a-time
        updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 1, maxSurge: 0}})");
    const auto own = nlohmann::json::parse(report_json(run(alone, RunOptions{})));
    CHECK(numbers(own["variants"][0]) == numbers(v[2]));
    CHECK(numbers(own["variants"][1]) == numbers(v[3]));
    CHECK_FALSE(v[2].contains("trials"));  // without a precision no per-variant count is written
}

TEST_CASE("with a precision, the shared variant stops with its original, for the same reason") {
    const ScenarioSpec s = edge_proxy(R"(      - name: as-proposed
      - name: one-at-a-time
        updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 1}})");
    RunOptions o;
    o.trials = 400;
    o.precision = 0.05;
    const auto r = nlohmann::json::parse(report_json(run(s, o)));
    const auto& v = r["variants"];
    for (std::size_t i = 0; i < 2; ++i) {
        CHECK(v[i + 2]["trials"] == v[i]["trials"]);
        CHECK(v[i + 2]["stoppedBy"] == v[i]["stoppedBy"]);
        CHECK(numbers(v[i + 2]) == numbers(v[i]));
    }
}

}  // TEST_SUITE

}  // namespace rollsim::test
