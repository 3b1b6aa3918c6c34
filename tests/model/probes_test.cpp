// Kubelet probe timing and restarts (prober/worker.go, prober_manager.go, kuberuntime
// doBackOff), observed through whole rollouts on one node with idealised latencies: the old pod
// is deleted at t = 0, exits at once, and the new container starts at t = 0.

#include <doctest/doctest.h>

#include "model/world_fixture.hpp"

namespace rollsim::test {

using model::TraceKind;

namespace {
SimTime first(const TraceLog& log, TraceKind kind, std::uint16_t revision = 1) {
    for (const auto& r : log.records) {
        if (r.kind == kind && r.revision == revision) return r.time;
    }
    FAIL("no such trace record");
    return {};
}
}  // namespace

TEST_SUITE("model.probes") {

TEST_CASE("initialDelaySeconds: no readiness probe counts before StartedAt + delay") {
    WorldFixture f(1);
    f.idealised();
    f.new_behaviour.serve = DistributionSpec::constant(5);
    f.new_container().readiness_probe->initial_delay_seconds = 20;
    TraceLog log;
    const auto o = f.run(1, 0, &log);
    REQUIRE(o.completed);
    // Serving at 5 s; the trigger at 0 and the tick at 10 are skipped; the tick at 20 passes.
    CHECK(first(log, TraceKind::Ready).ms() == 20'000);
}

TEST_CASE("startup gating: readiness is probed the moment the startup probe succeeds") {
    WorldFixture f(1);
    f.idealised();
    f.new_behaviour.serve = DistributionSpec::constant(42);
    f.new_container().startup_probe = WorldFixture::probe(5, 48, Surface::Serving);
    TraceLog log;
    const auto o = f.run(1, 0, &log);
    REQUIRE(o.completed);
    // Startup ticks every 5 s from the worker's start: the one at 45 s passes (serving at 42 s).
    // The startup result triggers a readiness probe at once: Ready at 45 s, not at 50 s.
    CHECK(first(log, TraceKind::Ready).ms() == 45'000);
    CHECK(o.duration == SimTime::seconds(45));
}

TEST_CASE("v1.28: a manual trigger does not reset the readiness ticker") {
    WorldFixture f(5);  // default latencies: workers start 1.5 s before the container is seen
    const auto current = f.run();
    f.version = model::KubeVersion{28};
    const auto v128 = f.run();
    REQUIRE(current.completed);
    REQUIRE(v128.completed);
    // Ticks on the worker's grid (1.45 s after creation) instead of the trigger's (2.95 s):
    // each node is Ready 1.5 s sooner.
    CHECK((current.duration - v128.duration).ms() == 5 * 1500);
}

TEST_CASE("liveness kills a slow start, restarts follow CrashLoopBackOff: 0, 10, 20, 40 s") {
    WorldFixture f(1);
    f.idealised();
    f.horizon = SimTime::minutes(10);
    f.new_behaviour.serve = DistributionSpec::constant(90);
    f.new_container().liveness_probe = WorldFixture::probe(10, 3, Surface::Serving);
    TraceLog log;
    const auto o = f.run(1, 0, &log);
    CHECK_FALSE(o.completed);
    CHECK(o.hit_horizon);
    CHECK(o.stall_key == "not finished at the horizon: new pod in CrashLoopBackOff");
    CHECK(o.restarts >= 5);
    std::vector<SimTime> exits, starts;
    for (const auto& r : log.records) {
        if (r.revision != 1) continue;
        if (r.kind == TraceKind::ContainerExited) exits.push_back(r.time);
        if (r.kind == TraceKind::ContainerStarted) starts.push_back(r.time);
    }
    REQUIRE(exits.size() >= 4);
    REQUIRE(starts.size() >= 5);
    // Three failed liveness ticks (10, 20, 30 s) kill the first container at 30 s.
    CHECK(exits[0].ms() == 30'000);
    // Restart k follows exit k after the backoff (0, 10, 20, 40 s), on the 10-15 s retry grid.
    const std::int64_t backoff[] = {0, 10'000, 20'000, 40'000};
    for (std::size_t k = 0; k < 4; ++k) {
        CAPTURE(k);
        const std::int64_t delay = (starts[k + 1] - exits[k]).ms();
        CHECK(delay >= backoff[k]);
        CHECK(delay < backoff[k] + (k == 0 ? 1 : 15'000));
    }
}

TEST_CASE("a startup probe with room for the slow start stops the restarts") {
    WorldFixture f(1);
    f.idealised();
    f.new_behaviour.serve = DistributionSpec::constant(90);
    f.new_container().liveness_probe = WorldFixture::probe(10, 3, Surface::Serving);
    f.new_container().startup_probe = WorldFixture::probe(5, 30, Surface::Serving);  // 150 s
    const auto o = f.run();
    REQUIRE(o.completed);
    CHECK(o.restarts == 0);
    CHECK(o.duration.ms() == 90'000);
}

TEST_CASE("a readiness probe on a shallow surface turns green before the service serves") {
    WorldFixture f(1);
    f.idealised();
    f.new_behaviour.listen = DistributionSpec::constant(2);
    f.new_behaviour.serve = DistributionSpec::constant(120);
    f.new_container().readiness_probe = WorldFixture::probe(10, 3, Surface::Listening);
    const auto o = f.run();
    REQUIRE(o.completed);
    CHECK(o.duration == SimTime::seconds(10));          // Ready at the first tick after listening
    CHECK(o.false_ready_seconds == doctest::Approx(110.0));  // Ready from 10 s, serving from 120 s
    CHECK(o.outage_node_seconds == doctest::Approx(120.0));
}

}  // TEST_SUITE

}  // namespace rollsim::test
