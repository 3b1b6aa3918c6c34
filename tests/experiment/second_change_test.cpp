// A second change landing mid-rollout (spec.events, action Apply).

#include <doctest/doctest.h>

#include <string>

#include "experiment/variants.hpp"
#include "model/world_fixture.hpp"
#include "rollsim/io.hpp"

namespace rollsim::test {

namespace {

ScenarioSpec scenario() {
    return load_scenario(std::string(ROLLSIM_SOURCE_DIR) + "/tests/scenarios/second-change.yaml");
}

/// One trial of the scenario's only variant, traced.
FixtureOutcome trial(const ScenarioSpec& s, TraceLog& log, std::uint64_t index = 0) {
    return run_only_variant(s, &log, index);
}

}  // namespace

TEST_SUITE("experiment.second_change") {

TEST_CASE("web:3 applied at 60 s over a one-at-a-time web:2 rollout: every node ends on web:3") {
    // One-node waves of 33.55 s (tests/scenarios/five-nodes-25s.yaml): at 60 s the first node
    // runs web:2 and the second one's web:2 pod is starting. The second change makes both old:
    // the controller replaces them as well as the three web:1 pods.
    const ScenarioSpec s = scenario();
    TraceLog log;
    const auto o = trial(s, log);
    int first = 0, second = 0;
    for (const auto& r : log.of(model::TraceKind::PodCreated)) {
        first += r.revision == 1 ? 1 : 0;
        second += r.revision == model::kSecondRevision ? 1 : 0;
    }
    CHECK(first == 2);
    CHECK(second == 5);
    REQUIRE(o.completed);
    // Complete only once every node runs web:3 (the first change alone would have been done at
    // 5 x 33.55 s = 167.75 s plus the first watch), here at 227.85 s.
    CHECK(o.duration.to_seconds() == doctest::Approx(227.85));
    CHECK(o.updated == 5);
    const auto applied = log.of(model::TraceKind::TemplateUpdated);
    REQUIRE(applied.size() == 2);
    CHECK(applied[1].b == 2);
    CHECK(applied[1].time == SimTime::seconds(60));
}

TEST_CASE("a rollback after the second change goes back to the first change, not the live template") {
    // kubectl rollout undo goes to the previous revision: web:2.
    ScenarioSpec s = scenario();
    RollbackAction undo;
    undo.at = SimTime::seconds(90);
    s.rollbacks.push_back(undo);
    TraceLog log;
    const auto o = trial(s, log);
    CHECK(o.rolled_back);
    int live = 0;
    for (const auto& r : log.of(model::TraceKind::PodCreated)) live += r.revision == 0 ? 1 : 0;
    CHECK(live == 0);  // no pod of the live template (web:1) is created again
    CHECK(o.updated == 5);  // every node ends on web:2, the undo's target
}

}  // TEST_SUITE

}  // namespace rollsim::test
