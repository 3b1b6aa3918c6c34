// Rollbacks during the rollout (spec.events, action Rollback): kubectl rollout undo at a time,
// or a pipeline's automated rollback on a condition.

#include <doctest/doctest.h>

#include <string>

#include "experiment/variants.hpp"
#include "model/world_fixture.hpp"
#include "rollsim/io.hpp"
#include "rollsim/run.hpp"

namespace rollsim::test {

namespace {

ScenarioSpec scenario() {
    return load_scenario(std::string(ROLLSIM_SOURCE_DIR) + "/tests/scenarios/rollback-not-complete.yaml");
}

/// One trial of the scenario's only variant, traced.
FixtureOutcome trial(const ScenarioSpec& s, TraceLog& log, std::uint64_t index = 0) {
    return run_only_variant(s, &log, index);
}

}  // namespace

TEST_SUITE("experiment.rollback") {

TEST_CASE("a never-serving change, Rollback when notCompleteAfter 10m, maxUnavailable 1: one node out ~10 min") {
    // The first node's new pod never serves, so maxUnavailable 1 holds the rollout there. At
    // 10 min the previous template is the target again: its pod is deleted (grace 30 s, shutdown
    // 0 s), the live template's pod comes back and serves 25 s after it starts, Ready at the next
    // 10 s tick. Node out: from the first deletion (0.1 s) to that pod serving.
    const ScenarioSpec s = scenario();
    TraceLog log;
    const auto o = trial(s, log);
    CHECK(o.rolled_back);
    REQUIRE(o.recovery_seconds);
    CHECK(*o.recovery_seconds == doctest::Approx(27.55));  // rollback -> the node serves again
    CHECK(o.outage_windows == 1);
    CHECK(o.outage_node_seconds == doctest::Approx(627.35));  // 600 s + 27.35 s, one node
    CHECK(o.min_serving_fraction == doctest::Approx(0.8));
    // The change never completed: the trial counts as stalled, rolled back, so recommend never
    // picks it. The rollback itself completes: every node ends with an available pod of the live
    // template (the status counts them as updated to it).
    CHECK_FALSE(o.completed);
    CHECK(o.stalled);
    CHECK(o.stall_key == "rolled back: not complete after 600s");
    CHECK(o.updated == 5);
    CHECK(o.unavailable == 0);
    CHECK(log.of(model::TraceKind::RolloutComplete).empty());
    // Only one node ever ran the new revision.
    int proposed = 0;
    for (const auto& r : log.of(model::TraceKind::PodCreated)) proposed += r.revision == 1 ? 1 : 0;
    CHECK(proposed == 1);
    const auto undo = log.of(model::TraceKind::TemplateUpdated);
    REQUIRE(undo.size() == 2);
    CHECK(undo[1].b == 1);  // the rollback
    CHECK(undo[1].time == SimTime::minutes(10));
}

TEST_CASE("the same change without a rollback stalls, and a good change is not rolled back by notCompleteAfter") {
    ScenarioSpec s = scenario();
    s.rollbacks.clear();
    TraceLog a;
    CHECK(trial(s, a).stalled);
    s = scenario();
    s.workload.proposed.never_serves = 0;
    TraceLog b;
    const auto o = trial(s, b);
    CHECK_FALSE(o.rolled_back);
    CHECK(o.completed);
    CHECK(o.duration < SimTime::minutes(10));
}

TEST_CASE("Rollback when errorSecondsOver 60: undone as errors pass 60 node-seconds") {
    // One node in rotation and not serving makes 1 error-second per second from 0.2 s (its old
    // pod's SIGTERM). Once nothing else is left to happen (the new pod never serves, so no
    // probe can change anything), the pipeline's 10 s polls would only watch the integral grow:
    // the crossing is computed, 60 s after 0.2 s, and passed 1 ms later.
    ScenarioSpec s = scenario();
    s.rollbacks.front().not_complete_after.reset();
    s.rollbacks.front().error_seconds_over = 60;
    TraceLog log;
    const auto o = trial(s, log);
    CHECK(o.rolled_back);
    const auto undo = log.of(model::TraceKind::TemplateUpdated);
    REQUIRE(undo.size() == 2);
    CHECK(undo[1].time == SimTime::millis(60'201));
}

TEST_CASE("Rollback when unavailableNodesOver 0 for 2m: numberUnavailable above 0 for two minutes") {
    ScenarioSpec s = scenario();
    s.rollbacks.front().not_complete_after.reset();
    s.rollbacks.front().unavailable_nodes_over = 0;
    s.rollbacks.front().for_ = SimTime::minutes(2);
    TraceLog log;
    const auto o = trial(s, log);
    CHECK(o.rolled_back);
    const auto undo = log.of(model::TraceKind::TemplateUpdated);
    REQUIRE(undo.size() == 2);
    // The status says 1 unavailable from the first sync (0.1 s); first seen at the 10 s poll,
    // held for 2 minutes by the 130 s poll.
    CHECK(undo[1].time == SimTime::seconds(130));
}

TEST_CASE("kubectl rollout undo at 5m after a good change completed: completed, then rolled back") {
    ScenarioSpec s = scenario();
    s.workload.proposed.never_serves = 0;
    s.rollbacks.front().not_complete_after.reset();
    s.rollbacks.front().at = SimTime::minutes(5);
    TraceLog log;
    const auto o = trial(s, log);
    CHECK(o.completed);  // five one-node waves of ~33.6 s, before the undo
    CHECK(o.duration < SimTime::minutes(5));
    CHECK(o.rolled_back);
    CHECK_FALSE(o.stalled);
    int live_again = 0;
    for (const auto& r : log.of(model::TraceKind::PodCreated)) live_again += r.revision == 0 ? 1 : 0;
    CHECK(live_again == 5);  // the undo replaced every new pod with one of the live template
    REQUIRE(o.recovery_seconds);
}

TEST_CASE("the report says how often each variant was rolled back and how long recovery took") {
    const ScenarioSpec s = scenario();
    RunOptions opt;
    opt.trials = 5;
    const Report r = run(s, opt);
    REQUIRE(r.variants.size() == 1);
    CHECK(r.rollbacks);
    CHECK(r.variants[0].rolled_back_fraction == 1.0);
    CHECK(r.variants[0].recovery_seconds.p50 == doctest::Approx(27.55));
    const std::string json = report_json(r);
    CHECK(json.find("\"rolledBackFraction\": 1.0") != std::string::npos);
    CHECK(json.find("\"recoverySeconds\"") != std::string::npos);
}

}  // TEST_SUITE

}  // namespace rollsim::test
