// Operator-driven strategies: OnDelete in batches with a soak, and a canary followed by a
// patched-in rolling strategy; a faulty revision stops them at the first batch.

#include <doctest/doctest.h>

#include "model/world_fixture.hpp"

namespace rollsim::test {

using model::TraceKind;

namespace {
WorldFixture batches(int nodes, IntOrPercent batch, SimTime soak) {
    WorldFixture f(nodes);
    f.idealised();
    f.strategy = UpdateStrategySpec{"OnDelete", false, {}, {}};
    f.plan.kind = OperatorSpec::Kind::Batches;
    f.plan.batch = batch;
    f.plan.soak = soak;
    return f;
}
}  // namespace

TEST_SUITE("model.operator") {

TEST_CASE("OnDelete in batches of 2: each batch deleted when the last is Ready") {
    // 5 nodes in batches of 2, 2, 1; each pod is Ready 30 s after its deletion (serve 25 s,
    // readiness every 10 s on the reset ticker), so the rollout takes 3 x 30 s.
    auto f = batches(5, IntOrPercent{2, false}, SimTime::zero());
    TraceLog log;
    const auto o = f.run(1, 0, &log);
    REQUIRE(o.completed);
    CHECK(o.duration == SimTime::seconds(90));
    CHECK(o.min_serving_fraction == doctest::Approx(0.6));  // two nodes out at once
    std::vector<std::int64_t> deletes;
    for (const auto& r : log.of(TraceKind::PodDeleted)) deletes.push_back(r.time.ms());
    CHECK(deletes == std::vector<std::int64_t>{0, 0, 30'000, 30'000, 60'000});
}

TEST_CASE("a soak after each batch, a percentage batch rounds up") {
    auto f = batches(5, IntOrPercent{40, true}, SimTime::minutes(1));  // 40% of 5 -> 2
    const auto o = f.run();
    REQUIRE(o.completed);
    // Soaks after the first two batches delay the next; the last batch completes the rollout.
    CHECK(o.duration == SimTime::seconds(90 + 2 * 60));
}

TEST_CASE("a revision that never serves stops the operator at the first batch") {
    auto f = batches(5, IntOrPercent{2, false}, SimTime::zero());
    f.new_behaviour.never_serves = 1.0;
    f.plan.timeout = SimTime::minutes(10);
    const auto o = f.run();
    CHECK_FALSE(o.completed);
    CHECK(o.stall_key == "operator stopped: batch of 2 not Ready after 600s (node-0, node-1)");
    CHECK(o.outage_windows == 2);  // only the first batch went down
    CHECK(o.updated == 2);
}

TEST_CASE("canary: one node, a soak, then the controller rolls the rest") {
    WorldFixture f(5);
    f.idealised();
    f.strategy = UpdateStrategySpec{"OnDelete", false, {}, {}};
    f.plan.kind = OperatorSpec::Kind::Canary;
    f.plan.soak = SimTime::minutes(1);
    f.plan.canary_nodes = {2};
    f.plan.then = model::default_and_validate(
                      UpdateStrategySpec{"RollingUpdate", true, IntOrString::of(1), IntOrString::of(0)})
                      .strategy;
    TraceLog log;
    const auto o = f.run(1, 0, &log);
    REQUIRE(o.completed);
    // The canary (node-2) is Ready at 30 s and soaks until 90 s; the patch lets the controller
    // roll the other four at 30 s each.
    CHECK(o.duration == SimTime::seconds(90 + 4 * 30));
    const auto deleted = log.of(TraceKind::PodDeleted);
    REQUIRE(deleted.size() == 5);
    CHECK(deleted[0].node == 2);
    CHECK(deleted[0].time == SimTime::zero());
    CHECK(deleted[1].time == SimTime::seconds(90));
    SUBCASE("a faulty revision is stopped on the canary alone") {
        f.new_behaviour.crash_on_start = 1.0;
        f.plan.timeout = SimTime::minutes(5);
        const auto bad = f.run();
        CHECK_FALSE(bad.completed);
        // The crash loop goes on until the horizon, so the reason says so too.
        CHECK(bad.stall_key ==
              "not finished at the horizon: operator stopped: batch of 1 not Ready after 300s (node-2)");
        CHECK(bad.outage_windows == 1);
        CHECK(bad.restarts > 0);
    }
}

}  // TEST_SUITE

}  // namespace rollsim::test
