// The scheduler's fit (NodePorts, NodeResourcesFit) as a surge rollout meets it, and other
// controller paths through the whole world: OnDelete, a node that stops matching.

#include <doctest/doctest.h>

#include "model/world_fixture.hpp"

namespace rollsim::test {

namespace {
WorldFixture surge_fixture(int nodes) {
    WorldFixture f(nodes);
    f.idealised();
    f.strategy = UpdateStrategySpec{"RollingUpdate", true, IntOrString::of(0), IntOrString::of(1)};
    return f;
}
void set_port(ContainerSpec& c, std::int32_t port, const char* protocol, const char* ip) {
    c.ports = {ContainerPort{port, port, protocol, ip, "p"}};
}
}  // namespace

TEST_SUITE("model.scheduler") {

TEST_CASE("NodePorts: the same port over another protocol does not conflict") {
    auto f = surge_fixture(2);
    set_port(f.old_container(), 8080, "TCP", "");
    set_port(f.new_container(), 8080, "UDP", "");
    const auto o = f.run();
    CHECK(o.completed);
    CHECK(o.outage_node_seconds == doctest::Approx(0.0));  // surged: the new pod served first
}

TEST_CASE("NodePorts: distinct host IPs do not conflict, 0.0.0.0 conflicts with any IP") {
    SUBCASE("10.0.0.1 and 10.0.0.2") {
        auto f = surge_fixture(2);
        set_port(f.old_container(), 8080, "TCP", "10.0.0.1");
        set_port(f.new_container(), 8080, "TCP", "10.0.0.2");
        CHECK(f.run().completed);
    }
    SUBCASE("old on 10.0.0.1, new on 0.0.0.0") {
        auto f = surge_fixture(2);
        set_port(f.old_container(), 8080, "TCP", "10.0.0.1");
        set_port(f.new_container(), 8080, "TCP", "");
        const auto o = f.run();
        CHECK(o.stalled);
        CHECK(o.stall_key == "surge pod Pending: hostPort 8080/TCP held by the old pod");
    }
    SUBCASE("old on 0.0.0.0, new on 10.0.0.2") {
        auto f = surge_fixture(2);
        set_port(f.old_container(), 8080, "TCP", "");
        set_port(f.new_container(), 8080, "TCP", "10.0.0.2");
        const auto o = f.run();
        CHECK(o.stall_key == "surge pod Pending: hostPort 10.0.0.2:8080/TCP held by the old pod");
    }
}

TEST_CASE("NodePorts: a host port held by another pod on the node (imported pods) keeps the new pod Pending") {
    WorldFixture f(2);
    f.idealised();
    set_port(f.old_container(), 8080, "TCP", "");
    set_port(f.new_container(), 9100, "TCP", "");
    OtherPod exporter;
    exporter.name = "monitoring/node-exporter-2kd9x";
    exporter.requests.pods = 1;
    exporter.host_ports.push_back(HeldHostPort{9100, "TCP", "0.0.0.0"});
    f.nodes[1].pods.push_back(exporter);
    const auto o = f.run();
    CHECK(o.stalled);
    CHECK(o.stall_key == "new pod Pending: hostPort 9100/TCP held by pod monitoring/node-exporter-2kd9x");
    // Over UDP the same number is another port.
    f.nodes[1].pods.front().host_ports.front().protocol = "UDP";
    CHECK(f.run().completed);
}

TEST_CASE("NodeResourcesFit: old and new both count during a surge") {
    auto f = surge_fixture(3);
    f.old_container().ports.clear();
    f.new_container().ports.clear();
    f.traffic.mode = TrafficMode::Coverage;
    for (auto& n : f.nodes) n.allocatable.cpu_milli = 1000;
    f.old_container().requests.cpu_milli = 400;
    f.new_container().requests.cpu_milli = 400;
    SUBCASE("room for both: the surge proceeds") {
        for (auto& n : f.nodes) n.reserved.cpu_milli = 200;
        CHECK(f.run().completed);
    }
    SUBCASE("room for one: Insufficient cpu, and the rollout stalls") {
        for (auto& n : f.nodes) n.reserved.cpu_milli = 300;
        const auto o = f.run();
        CHECK(o.stalled);
        CHECK(o.stall_key == "surge pod Pending: Insufficient cpu");
        CHECK(o.gap_node_seconds == doctest::Approx(0.0));  // the old pods keep running
    }
    SUBCASE("the pod count limit") {
        for (auto& n : f.nodes) {
            n.allocatable.pods = 10;
            n.reserved.pods = 9;
        }
        CHECK(f.run().stall_key == "surge pod Pending: Too many pods");
    }
    SUBCASE("with maxUnavailable the old pod's room frees first") {
        for (auto& n : f.nodes) n.reserved.cpu_milli = 300;
        f.strategy = UpdateStrategySpec{"RollingUpdate", true, IntOrString::of(1), IntOrString::of(0)};
        CHECK(f.run().completed);
    }
}

TEST_CASE("OnDelete: nothing is replaced, the trial says why") {
    WorldFixture f(3);
    f.idealised();
    f.strategy = UpdateStrategySpec{"OnDelete", false, {}, {}};
    const auto o = f.run();
    CHECK(o.stalled);
    CHECK_FALSE(o.hit_horizon);
    CHECK(o.updated == 0);
    CHECK(o.outage_node_seconds == doctest::Approx(0.0));
    CHECK(o.stall_reason == "OnDelete: 3 old pods are replaced only when something deletes them");
}

TEST_CASE("a node the new template no longer selects loses its pod at once, not in a wave") {
    WorldFixture f(4);
    f.idealised();
    f.nodes[3].labels["tier"] = "legacy";
    f.new_template.required_node_affinity = {
        NodeSelectorTerm{{NodeSelectorRequirement{"tier", "DoesNotExist", {}}}, {}}};
    const auto o = f.run();
    REQUIRE(o.completed);
    CHECK(o.desired == 3);
    CHECK(o.updated == 3);
    // maxUnavailable 1: three waves of 30 s. manage deleted node-3's pod in the first sync (it
    // should not even continue running there); while it terminated it held one unit of budget,
    // which with idealised latencies is no time at all.
    CHECK(o.duration == SimTime::seconds(90));
}

}  // TEST_SUITE

}  // namespace rollsim::test
