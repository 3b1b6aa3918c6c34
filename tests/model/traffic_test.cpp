// The traffic measures: the external load balancer's health check (hostPort), EndpointSlice
// readiness (service) and coverage.

#include <doctest/doctest.h>

#include "model/world_fixture.hpp"

namespace rollsim::test {

TEST_SUITE("model.traffic") {

TEST_CASE("hostPort behind a health check: errors until the checker takes the node out") {
    WorldFixture f(1);
    f.idealised();
    f.traffic.health_check = HealthCheckSpec{true, SimTime::seconds(10), 3, 2, Surface::Serving};
    for (std::uint64_t trial = 0; trial < 20; ++trial) {
        CAPTURE(trial);
        const auto o = f.run(1, trial);
        REQUIRE(o.completed);
        // The node stops serving at 0 and serves again at 25 s. Checks run every 10 s from a
        // random phase p in [0, 10): if the third failed check (p + 20 s) comes before 25 s the
        // node goes out then, and rejoins after two good checks (p + 40 s), so the service is
        // down longer than the node; otherwise it is never taken out and all 25 s are errors.
        CHECK(o.outage_node_seconds == doctest::Approx(25.0));
        CHECK(o.error_seconds >= 20.0);
        CHECK(o.error_seconds <= 25.0);
        if (o.error_seconds < 25.0) {
            const double p = o.error_seconds - 20.0;
            CHECK(o.total_outage_seconds == doctest::Approx(p + 40.0));
        } else {
            CHECK(o.total_outage_seconds == doctest::Approx(25.0));
        }
    }
}

TEST_CASE("health checks between two changes are counted, not simulated: one event per rotation change") {
    // The checker's schedule is arithmetic (traffic.cpp): on one node that goes down at 0 and
    // serves again at 25 s, the checks that only count up a run are no events. With the third
    // failed check before 25 s there are two LbCheck events (out, then in); otherwise one (the
    // first check that sees the node up again, which moves nothing). The measures are those of
    // the check-by-check model in the test above.
    WorldFixture f(1);
    f.idealised();
    f.traffic.health_check = HealthCheckSpec{true, SimTime::seconds(10), 3, 2, Surface::Serving};
    const model::VariantModel v = f.build();
    model::World world;
    int taken_out = 0;
    for (std::uint64_t trial = 0; trial < 20; ++trial) {
        CAPTURE(trial);
        const auto o = world.run_trial(v, 1, trial, nullptr);
        REQUIRE(o.completed);
        const auto checks = world.simulation().events_by_kind()[static_cast<std::size_t>(model::Ev::LbCheck)];
        const bool out = o.error_seconds < 25.0;
        taken_out += out ? 1 : 0;
        CHECK(checks == (out ? 2u : 1u));
        if (out) CHECK(o.total_outage_seconds == doctest::Approx(o.error_seconds - 20.0 + 40.0));
    }
    CHECK(taken_out > 0);
    CHECK(taken_out < 20);
}

TEST_CASE("a draining preStop takes the node out of rotation before the process stops, a bare sleep does not") {
    // The load balancer checks the process's own serving path every 10 s and takes a node out
    // after 3 failures. A preStop sleep keeps the process serving, so the checks keep passing
    // and the node is still in rotation when SIGTERM stops it: 20-30 s of errors, as with no
    // hook. A hook that drains (fails the check while it still serves) for 31 s outlasts the
    // detection (at most 30 s): the node is out before SIGTERM, and no client sees an error.
    WorldFixture f(1);
    f.idealised();
    f.traffic.health_check = HealthCheckSpec{true, SimTime::seconds(10), 3, 2, Surface::Serving};
    f.old_template.termination_grace_period_seconds = 60;
    f.old_container().has_pre_stop = true;
    f.old_behaviour.pre_stop = DistributionSpec::constant(31);
    for (std::uint64_t trial = 0; trial < 20; ++trial) {
        CAPTURE(trial);
        f.old_behaviour.pre_stop_drains = false;
        const auto sleeping = f.run(1, trial);
        REQUIRE(sleeping.completed);
        CHECK(sleeping.error_seconds >= 20.0);
        CHECK(sleeping.error_seconds <= 25.0);  // the new process serves 25 s after SIGTERM
        f.old_behaviour.pre_stop_drains = true;
        const auto draining = f.run(1, trial);
        REQUIRE(draining.completed);
        CHECK(draining.error_seconds == doctest::Approx(0.0));
        CHECK(draining.total_outage_seconds > 25.0);  // out of rotation: the single node is no backend
    }
}

TEST_CASE("without a health check every broken second is an error") {
    WorldFixture f(2);
    f.idealised();
    const auto o = f.run();
    CHECK(o.error_seconds == doctest::Approx(o.outage_node_seconds));
    CHECK(o.error_seconds == doctest::Approx(50.0));
    CHECK(o.min_serving_fraction == doctest::Approx(0.5));
}

TEST_CASE("service mode: endpoints follow readiness with a propagation delay") {
    WorldFixture f(2);  // default latencies (docs/model.md)
    f.traffic.mode = TrafficMode::Service;
    f.traffic.endpoint_propagation = SimTime::seconds(1);
    SUBCASE("readiness on the serving path: errors only while the endpoint removal propagates") {
        const auto o = f.run();
        REQUIRE(o.completed);
        // Each old process stops when its kubelet sees the deletion (watch); its endpoint goes a
        // watch plus the 1 s propagation after the deletion: 1 s of errors per node.
        CHECK(o.error_seconds == doctest::Approx(2.0));
        // The controller deletes node-1's old pod as soon as node-0's new pod is Ready (status
        // + watch), 0.1 s before it stops node-1's process, while node-0's new endpoint needs
        // status + watch + 1 s: 0.9 s with no serving endpoint at all.
        CHECK(o.total_outage_seconds == doctest::Approx(0.9));
    }
    SUBCASE("readiness on a shallow surface: traffic reaches pods that cannot serve") {
        f.new_behaviour.serve = DistributionSpec::constant(60);
        f.new_container().readiness_probe = WorldFixture::probe(10, 3, Surface::Listening);
        const auto o = f.run();
        REQUIRE(o.completed);
        // Per node, from the controller's delete: the new container starts at 2.45 s, is Ready
        // at 12.95 s (listening at 3.45 s, ticker reset at 2.95 s), its endpoint is ready at
        // 14.55 s and it serves at 62.45 s: 47.9 s of errors, plus 1 s for the old endpoint.
        CHECK(o.error_seconds == doctest::Approx(2 * 48.9));
    }
}

TEST_CASE("coverage: one-at-a-time leaves one node uncovered at a time") {
    WorldFixture f(4);
    f.idealised();
    f.traffic.mode = TrafficMode::Coverage;
    f.old_behaviour.listen = f.new_behaviour.listen = DistributionSpec::constant(0);
    f.old_behaviour.serve = f.new_behaviour.serve = DistributionSpec::constant(0);
    const auto o = f.run();
    REQUIRE(o.completed);
    CHECK(o.max_concurrent_uncovered == 1);
    // Uncovered from the old container's exit to the new one's work: 0 s with idealised
    // latencies, an instant pull and an agent that works as it starts.
    CHECK(o.gap_node_seconds == doctest::Approx(0.0));
    f.latencies = Latencies{};  // defaults: exit -> terminal -> create -> bind -> sandbox
    const auto d = f.run();
    CHECK(d.gap_node_seconds == doctest::Approx(4 * 2.35));
    CHECK(d.longest_gap_seconds == doctest::Approx(2.35));
}

TEST_CASE("coverage: a node is covered from the agent's serve time, not from a startup probe") {
    // The agent works 25 s after its start (the fixture's serve). Coverage is what the agent
    // does, so a startup probe that passes 60 s after the start, or none at all, changes
    // nothing: 25 s uncovered per node either way.
    WorldFixture f(3);
    f.idealised();
    f.traffic.mode = TrafficMode::Coverage;
    const auto plain = f.run();
    REQUIRE(plain.completed);
    CHECK(plain.gap_node_seconds == doctest::Approx(3 * 25.0));
    CHECK(plain.longest_gap_seconds == doctest::Approx(25.0));
    f.new_container().startup_probe = WorldFixture::probe(60, 5, Surface::Listening);
    f.new_container().startup_probe->initial_delay_seconds = 60;
    const auto probed = f.run();
    REQUIRE(probed.completed);
    CHECK(probed.gap_node_seconds == doctest::Approx(3 * 25.0));
    CHECK(probed.duration > plain.duration);  // the rollout is paced by the probe, the agent is not
}

TEST_CASE("false-ready counts no pod being deleted (podToEndpoint: a terminating pod is no endpoint)") {
    // Readiness on the serving path: a new pod is Ready only once it serves, so a rollout has
    // no false-ready time. The old pod stops serving at SIGTERM but stays Ready until its next
    // probe fails (up to 10 s, within its 25 s shutdown): it is being deleted, no endpoint
    // routes to it and nothing waits on it, so that time is not false-ready.
    WorldFixture f(2);
    f.traffic.mode = TrafficMode::Service;
    f.old_behaviour.shutdown = DistributionSpec::constant(25);
    f.old_container().readiness_probe = WorldFixture::probe(10, 1);
    TraceLog log;
    const auto o = f.run(1, 0, &log);
    REQUIRE(o.completed);
    CHECK(o.false_ready_seconds == doctest::Approx(0.0));
    // The case is exercised: an old pod turned NotReady after its SIGTERM.
    std::size_t not_ready_after_sigterm = 0;
    for (const auto& r : log.of(model::TraceKind::NotReady)) {
        for (const auto& t : log.of(model::TraceKind::SigTerm)) {
            if (t.pod == r.pod && t.time < r.time) ++not_ready_after_sigterm;
        }
    }
    CHECK(not_ready_after_sigterm == 2);
}

}  // TEST_SUITE

}  // namespace rollsim::test
