// Test-then-promote: a test DaemonSet on alternate host ports proves the new revision on the
// real serving path before the public DaemonSet is touched (issue #3's acceptance).

#include <doctest/doctest.h>

#include "model/world_fixture.hpp"

namespace rollsim::test {

using model::TraceKind;

namespace {
/// 5 nodes, idealised latencies, serve 25 s; the test on hostPort 18080 on every node, checked
/// every 10 s, then maxUnavailable 1.
WorldFixture test_then_promote(int nodes = 5) {
    WorldFixture f(nodes);
    f.idealised();
    f.plan.kind = OperatorSpec::Kind::TestThenPromote;
    f.plan.poll = SimTime::seconds(10);
    f.plan.timeout = SimTime::minutes(5);
    f.plan.then = model::default_and_validate(f.strategy).strategy;
    return f;
}
model::VariantModel with_test(const WorldFixture& f) {
    model::VariantModel v = f.build();
    PodTemplate t = f.new_template;
    for (auto& c : t.containers) {
        for (auto& p : c.ports) p.host_port += 10000;
    }
    v.test_revision = model::make_revision(2, t, "", f.new_behaviour);
    model::assign_image_bits(v);
    v.test_eligibility = v.new_eligibility;
    for (model::NodeId n = 0; n < f.nodes.size(); ++n) v.plan.canary_nodes.push_back(n);
    return v;
}
FixtureOutcome run(const WorldFixture& f, model::TraceSink* trace = nullptr) {
    return run_trial(with_test(f), 1, 0, trace);
}
}  // namespace

TEST_SUITE("model.test_then_promote") {

TEST_CASE("a good revision: tested beside the live pods, then promoted") {
    auto f = test_then_promote();
    TraceLog log;
    const auto o = run(f, &log);
    REQUIRE(o.completed);
    CHECK(o.promoted);
    CHECK_FALSE(o.fault_reached_public);
    // The test pods start at 0 and serve at 25 s; the check at 30 s passes and promotes; the
    // public rollout then takes 5 x 30 s.
    REQUIRE(o.test_phase);
    CHECK(*o.test_phase == SimTime::seconds(30));
    CHECK(o.duration == SimTime::seconds(30 + 150));
    // No test pod waited for a port: the test ports do not collide with the live ones.
    CHECK(log.of(TraceKind::PodPending).empty());
    // The live pods served throughout the test; the public rollout's outages follow.
    CHECK(log.of(TraceKind::OutageStart).front().time == SimTime::seconds(30));
    CHECK(o.outage_windows == 5);
}

TEST_CASE("acceptance: a change that never serves is caught before public traffic") {
    auto f = test_then_promote();
    f.new_behaviour.never_serves = 1.0;
    const auto o = run(f);
    CHECK_FALSE(o.completed);
    CHECK_FALSE(o.promoted);
    CHECK_FALSE(o.fault_reached_public);
    CHECK_FALSE(o.hit_horizon);
    CHECK(o.outage_node_seconds == doctest::Approx(0.0));  // the public pods were never touched
    CHECK(o.error_seconds == doctest::Approx(0.0));
    REQUIRE(o.test_phase);
    CHECK(*o.test_phase == SimTime::minutes(5));
    CHECK(o.stall_key == "the test caught the change before the public rollout: the test pods did not serve "
                         "within 300s (node-0: running, not serving)");
}

TEST_CASE("acceptance: without the test, maxUnavailable 1 takes down exactly one node and stalls") {
    WorldFixture f(5);
    f.idealised();
    f.new_behaviour.never_serves = 1.0;
    const auto o = f.run();
    CHECK(o.stalled);
    CHECK_FALSE(o.hit_horizon);
    CHECK(o.fault_reached_public);
    CHECK(o.outage_windows == 1);
    CHECK(o.updated == 1);
    CHECK(o.stall_key == "new pod never becomes Ready: readiness probe (serving) keeps failing");
}

TEST_CASE("a crashing change is caught too, and its test pods stop crashing once deleted") {
    auto f = test_then_promote();
    f.new_behaviour.crash_on_start = 1.0;
    const auto o = run(f);
    CHECK_FALSE(o.promoted);
    CHECK_FALSE(o.fault_reached_public);
    CHECK_FALSE(o.hit_horizon);
    CHECK(o.restarts > 0);
    CHECK(o.stall_key.find("(node-0: CrashLoopBackOff (") != std::string::npos);
}

TEST_CASE("the test pods' requests count: a node without room for both stops the test") {
    auto f = test_then_promote(2);
    for (auto& n : f.nodes) {
        n.allocatable.cpu_milli = 1000;
        n.reserved.cpu_milli = 850;  // room for one 100m pod, not two
    }
    const auto o = run(f);
    CHECK_FALSE(o.promoted);
    CHECK(o.stall_key.find("(node-0: Pending: Insufficient cpu)") != std::string::npos);
}

}  // TEST_SUITE

}  // namespace rollsim::test
