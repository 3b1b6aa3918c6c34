// Whole rollouts through the world (controller + scheduler + kubelet + traffic), with the
// numbers they must produce. Timelines are derived in docs/model.md, "Worked timelines".

#include <doctest/doctest.h>

#include <algorithm>

#include "model/world_fixture.hpp"
#include "test_printers.hpp"

namespace rollsim::test {

using model::TraceKind;

TEST_SUITE("model.rollout") {

TEST_CASE("acceptance: 5 nodes, maxUnavailable 1, serve 25 s, readiness every 10 s: 150 s, 5 x 25 s") {
    WorldFixture f(5);
    SUBCASE("idealised latencies: exactly 5 x 30 s") {
        f.idealised();
        const auto o = f.run();
        REQUIRE(o.completed);
        // Per node: delete -> exit at once -> replacement starts; serving 25 s later; the
        // readiness ticker (reset by the trigger at container start) passes at 30 s.
        CHECK(o.duration == SimTime::seconds(150));
        CHECK(o.outage_windows == 5);
        CHECK(o.longest_outage_seconds == doctest::Approx(25.0));
        CHECK(o.outage_node_seconds == doctest::Approx(125.0));
        CHECK(o.error_seconds == doctest::Approx(125.0));  // no health check: every broken second
        CHECK(o.total_outage_seconds == doctest::Approx(0.0));
        CHECK(o.min_serving_fraction == doctest::Approx(0.8));
        CHECK(o.false_ready_seconds == doctest::Approx(0.0));
    }
    SUBCASE("default latencies: 150 s plus 3.55 s per node") {
        const auto o = f.run();
        REQUIRE(o.completed);
        // Per node (docs/model.md): watch 0.1 (kubelet sees the deletion) + pleg 0.5 + status
        // 0.5 + watch 0.1 (terminal reaches the controller) + watch 0.1 + schedule 0.05 +
        // watch 0.1 + sandbox 1.0 + 25 s serve + 5.5 s to the next readiness tick + status 0.5
        // + watch 0.1; the first wave also waits one watch for the template.
        CHECK(o.duration == SimTime::millis(5 * 33'550 + 100));
        CHECK(o.outage_windows == 5);
        // The old process exits when the kubelet sees the deletion; the new one serves
        // 0.5 + 0.5 + 0.1 + 0.1 + 0.05 + 0.1 + 1.0 + 25 s later.
        CHECK(o.longest_outage_seconds == doctest::Approx(27.35));
    }
}

TEST_CASE("acceptance: maxSurge 1 with a hostPort stalls on the port, old pods keep serving") {
    WorldFixture f(5);
    f.strategy = UpdateStrategySpec{"RollingUpdate", true, IntOrString::of(0), IntOrString::of(1)};
    for (std::uint64_t trial = 0; trial < 10; ++trial) {
        TraceLog log;
        const auto o = f.run(1, trial, &log);
        CHECK_FALSE(o.completed);
        CHECK(o.stalled);
        CHECK_FALSE(o.hit_horizon);  // nothing left that could make progress
        CHECK(o.stall_key == "surge pod Pending: hostPort 8080/TCP held by the old pod");
        CHECK(o.stall_reason.find("surge pod Pending on node-") == 0);
        CHECK(o.updated == 0);
        CHECK(o.outage_node_seconds == 0);
        CHECK(o.error_seconds == 0);
        CHECK(o.outage_windows == 0);
        CHECK(log.of(TraceKind::PodCreated).size() == 1);  // one surge slot, held for ever
        CHECK(log.of(TraceKind::PodPending).size() == 1);
    }
}

TEST_CASE("maxSurge without a hostPort: the new pod serves before the old one goes") {
    WorldFixture f(3);
    f.new_container().ports = {ContainerPort{8080, 0, "TCP", "", "http"}};
    f.old_container().ports = f.new_container().ports;
    f.traffic.mode = TrafficMode::Coverage;
    f.strategy = UpdateStrategySpec{"RollingUpdate", true, IntOrString::of(0), IntOrString::of(1)};
    const auto o = f.run();
    REQUIRE(o.completed);
    CHECK(o.outage_node_seconds == 0);
    CHECK(o.gap_node_seconds == 0);
    CHECK(o.max_concurrent_uncovered == 0);
}

TEST_CASE("maxSurge 1 with maxUnavailable 1 is rejected by validation (not simulated)") {
    const auto c = model::default_and_validate(
        UpdateStrategySpec{"RollingUpdate", true, IntOrString::of(1), IntOrString::of(1)});
    CHECK_FALSE(c.ok());
}

TEST_CASE("minReadySeconds 10: the status pass's requeue at +10 s decides when a wave ends") {
    // updatePod asks for a sync at Ready + 11 s, but the sync that follows asks for +10 s
    // (updateDaemonSetStatus, numberReady != numberAvailable) and client-go's delaying queue
    // keeps only the earliest wait per key. At that wake-up Ready's whole-second
    // lastTransitionTime + 10 s is already past, so each wave costs exactly 10 s more.
    WorldFixture f(3);
    const auto base = f.run();
    f.min_ready_seconds = 10;
    const auto slow = f.run();
    REQUIRE(base.completed);
    REQUIRE(slow.completed);
    CHECK((slow.duration - base.duration).ms() == 3 * 10'000);
    // With zero latencies Ready lands on a whole second and the wake-up falls exactly on the
    // strict boundary (lastTransitionTime + 10 s < now is false): one more 10 s wait per wave.
    f.idealised();
    const auto ideal_slow = f.run();
    f.min_ready_seconds = 0;
    const auto ideal_base = f.run();
    CHECK((ideal_slow.duration - ideal_base.duration).ms() == 3 * 20'000);
}

TEST_CASE("termination: preStop, grace, SIGKILL, the replacement waits for the terminal phase") {
    WorldFixture f(1);
    f.idealised();
    f.old_container().has_pre_stop = true;
    f.old_container().pre_stop_sleep_seconds = 5;
    f.old_behaviour.shutdown = DistributionSpec::constant(40);  // longer than the grace left
    TraceLog log;
    const auto o = f.run(1, 0, &log);
    REQUIRE(o.completed);
    const auto sigterm = log.of(TraceKind::SigTerm);
    const auto exited = log.of(TraceKind::ContainerExited);
    const auto terminal = log.of(TraceKind::PodTerminal);
    const auto created = log.of(TraceKind::PodCreated);
    REQUIRE(sigterm.size() == 1);
    REQUIRE(!exited.empty());
    REQUIRE(created.size() == 1);
    CHECK(sigterm[0].time == SimTime::seconds(5));     // after the 5 s preStop sleep
    CHECK(exited[0].time == SimTime::seconds(30));     // SIGKILL: 30 s grace in all
    CHECK(exited[0].a == 0);                           // not a clean exit
    CHECK(terminal[0].time == SimTime::seconds(30));
    CHECK(terminal[0].a == 0);                         // phase Failed
    CHECK(created[0].time == terminal[0].time);        // created once the pod is terminal
    const auto bound = log.of(TraceKind::PodBound);
    REQUIRE(bound.size() == 1);
    CHECK(bound[0].time == terminal[0].time);          // the port is free: it binds at once
    CHECK(log.of(TraceKind::PodPending).empty());
    // The node served through the preStop sleep: the outage starts at SIGTERM.
    CHECK(log.of(TraceKind::OutageStart)[0].time == SimTime::seconds(5));
}

TEST_CASE("termination: the remaining grace is at least 2 s after a long preStop") {
    WorldFixture f(1);
    f.idealised();
    f.old_container().has_pre_stop = true;
    f.old_container().pre_stop_sleep_seconds = 60;  // longer than the 30 s grace
    f.old_behaviour.shutdown = DistributionSpec::constant(100);
    TraceLog log;
    f.run(1, 0, &log);
    CHECK(log.of(TraceKind::SigTerm)[0].time == SimTime::seconds(30));
    CHECK(log.of(TraceKind::ContainerExited)[0].time == SimTime::seconds(32));
}

TEST_CASE("determinism: same seed and trial, same fingerprint, another trial differs") {
    WorldFixture f(20);
    f.new_behaviour.serve = DistributionSpec::uniform(90, 180);
    f.strategy = UpdateStrategySpec{"RollingUpdate", true, IntOrString::of("25%"), IntOrString::of(0)};
    const auto a = f.run(42, 3);
    const auto b = f.run(42, 3);
    const auto c = f.run(42, 4);
    CHECK(a.fingerprint == b.fingerprint);
    CHECK(a.duration == b.duration);
    CHECK(a.fingerprint != c.fingerprint);
    REQUIRE(a.completed);
    // 25% of 20 is 5 per wave: 4 waves of 90-180 s plus the readiness ticks.
    CHECK(a.duration > SimTime::seconds(4 * 90));
    CHECK(a.duration < SimTime::seconds(4 * 200));
}

TEST_CASE("terminationGracePeriodSeconds 0 is a force deletion: the pod is replaced before its process exits") {
    // strategy.go CheckGracefulDelete takes the pod's own grace; with 0 the store removes the
    // object at once. The controller sees the node without a pod and creates the new one while
    // the old process runs; its kubelet sees the removal a watch (0.1 s) later, skips preStop
    // (killContainer runs it only with grace left) and sends SIGTERM; SIGKILL 2 s after that.
    WorldFixture f(1);
    f.old_template.termination_grace_period_seconds = 0;
    f.old_container().has_pre_stop = true;
    f.old_container().pre_stop_sleep_seconds = 15;
    f.old_behaviour.shutdown = DistributionSpec::constant(10);
    TraceLog log;
    const auto o = f.run(1, 0, &log);
    REQUIRE(o.completed);
    const auto deleted = log.of(TraceKind::PodDeleted);
    REQUIRE(deleted.size() == 1);
    CHECK(deleted[0].a == 0);  // grace 0
    const std::uint32_t old_uid = deleted[0].pod;
    const auto removed = log.of(TraceKind::PodRemoved);
    REQUIRE(removed.size() == 1);
    CHECK(removed[0].time == deleted[0].time);
    CHECK(log.of(TraceKind::PreStop).empty());
    const auto sigterm = log.of(TraceKind::SigTerm);
    REQUIRE(sigterm.size() == 1);
    CHECK(sigterm[0].pod == old_uid);
    CHECK((sigterm[0].time - deleted[0].time).ms() == 100);
    const auto exited = log.of(TraceKind::ContainerExited);
    REQUIRE(exited.size() == 1);
    CHECK(exited[0].pod == old_uid);
    CHECK(exited[0].a == 0);  // killed: its 10 s shutdown is past the 2 s minimum
    CHECK((exited[0].time - sigterm[0].time).ms() == 2000);
    const auto created = log.of(TraceKind::PodCreated);
    REQUIRE(created.size() == 1);
    CHECK(created[0].time < exited[0].time);  // the replacement exists beside the old process
    // The old process served until SIGTERM: the node's outage starts there, not at the delete.
    CHECK(o.outage_windows == 1);
    const auto outage = log.of(TraceKind::OutageStart);
    REQUIRE(outage.size() == 1);
    CHECK(outage[0].time == sigterm[0].time);

    SUBCASE("with a grace period the replacement waits for the old pod to be terminal") {
        f.old_template.termination_grace_period_seconds = 30;
        TraceLog graceful;
        REQUIRE(f.run(1, 0, &graceful).completed);
        const auto terminal = graceful.of(TraceKind::PodTerminal);
        const auto made = graceful.of(TraceKind::PodCreated);
        REQUIRE(terminal.size() == 1);
        REQUIRE(made.size() == 1);
        CHECK(made[0].time > terminal[0].time);
        CHECK(graceful.of(TraceKind::PreStop).size() == 1);
    }
}

TEST_CASE("force deletion in service mode: the old endpoint serves errors until its removal propagates") {
    // The object is gone at once, but the EndpointSlice controller learns it a watch later and
    // the proxies a propagation (1 s) after that; the kubelet stops the process a watch after
    // the delete. So 1 s of errors per node, as with a graceful delete.
    WorldFixture f(2);
    f.traffic.mode = TrafficMode::Service;
    f.traffic.endpoint_propagation = SimTime::seconds(1);
    f.old_template.termination_grace_period_seconds = 0;
    const auto o = f.run();
    REQUIRE(o.completed);
    CHECK(o.error_seconds == doctest::Approx(2.0));
}

}  // TEST_SUITE

}  // namespace rollsim::test
