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
    const auto o = f.run();
    REQUIRE(o.completed);
    CHECK(o.max_concurrent_uncovered == 1);
    // Uncovered from the old container's exit to the new one's start: 0 s with idealised
    // latencies and an instant pull; coverage needs a running, started container only.
    CHECK(o.gap_node_seconds == doctest::Approx(0.0));
    f.latencies = Latencies{};  // defaults: exit -> terminal -> create -> bind -> sandbox
    const auto d = f.run();
    CHECK(d.gap_node_seconds == doctest::Approx(4 * 2.35));
    CHECK(d.longest_gap_seconds == doctest::Approx(2.35));
}

}  // TEST_SUITE

}  // namespace rollsim::test
