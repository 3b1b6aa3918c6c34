// Pods with several containers: readiness, start order, restarts and termination per container
// (kubelet.cpp, prober.cpp; docs/model.md, "Pods with several containers").

#include <doctest/doctest.h>

#include <string>

#include "model/revision.hpp"
#include "model/world_fixture.hpp"
#include "rollsim/io.hpp"

namespace rollsim::test {

namespace {

ScenarioSpec scenario(const std::string& name) {
    return load_scenario(std::string(ROLLSIM_SOURCE_DIR) + "/tests/scenarios/" + name + ".yaml");
}

/// The times of the records of kind `k` about container `c` ("" the pod's own) of revision 1.
std::vector<double> times(const TraceLog& log, model::TraceKind k, const std::string& c) {
    std::vector<double> out;
    for (const auto& r : log.of(k, c)) {
        if (r.revision == 1) out.push_back(r.time.to_seconds());
    }
    return out;
}

}  // namespace

TEST_SUITE("experiment.multi_container") {

TEST_CASE("a two-container pod is Ready only when both containers are (GeneratePodReadyCondition)") {
    // web serves 25 s after it starts, the agent 60 s (tests/scenarios/two-containers.yaml). The
    // agent's readiness ticks every 5 s from its trigger when the kubelet first sees it (the
    // start + 0.5 s PLEG), so it passes at start + 60.5 s; web's 10-s ticks pass at start + 30.5.
    const ScenarioSpec s = scenario("two-containers");
    TraceLog log;
    const auto o = run_only_variant(s, &log, 0);
    REQUIRE(o.completed);
    const auto started = times(log, model::TraceKind::ContainerStarted, "agent");
    const auto web_started = times(log, model::TraceKind::ContainerStarted, "web");
    const auto web_ready = times(log, model::TraceKind::Ready, "web");
    const auto agent_ready = times(log, model::TraceKind::Ready, "agent");
    const auto pod_ready = times(log, model::TraceKind::Ready, "");
    REQUIRE(started.size() == 5);
    REQUIRE(web_started == started);  // both start in the same sync, web first
    REQUIRE(pod_ready.size() == 5);
    REQUIRE(web_ready.size() == 5);
    REQUIRE(agent_ready.size() == 5);
    for (std::size_t i = 0; i < 5; ++i) {
        CHECK(web_ready[i] - started[i] == doctest::Approx(30.5));
        CHECK(agent_ready[i] - started[i] == doctest::Approx(60.5));
        CHECK(pod_ready[i] == doctest::Approx(agent_ready[i]));  // not web's: the pod waits for both
    }
    // Each wave lasts until the pod's Ready condition reaches the controller: 60.5 s after the
    // start instead of 30.5 s, so 5 x 63.55 s + 0.1 s, where one container took 5 x 33.55 + 0.1.
    CHECK(o.duration.to_seconds() == doctest::Approx(317.85));
    // The traffic measures follow web: each node is out only until web serves (27.35 s).
    CHECK(o.outage_node_seconds == doctest::Approx(5 * 27.35));
}

TEST_CASE("the Datadog agent's pod is Ready when its agent container is, not when the modelled trace-agent starts") {
    // tests/scenarios/datadog-trace-agent.yaml over the chart's real DaemonSet: the pod's Ready
    // condition waits for agent's readiness probe (delay 15 s, every 15 s; its ticker restarted
    // by the pod's status syncs), 40.5 s after agent started, while trace-agent, which has no
    // readiness probe, was ready 0.5 s after its own start and serving 2 s after it.
    const ScenarioSpec s = scenario("datadog-trace-agent");
    TraceLog log;
    const auto o = run_only_variant(s, &log, 0);
    REQUIRE(o.completed);
    const auto agent_started = times(log, model::TraceKind::ContainerStarted, "agent");
    const auto trace_started = times(log, model::TraceKind::ContainerStarted, "trace-agent");
    const auto trace_ready = times(log, model::TraceKind::Ready, "trace-agent");
    const auto agent_ready = times(log, model::TraceKind::Ready, "agent");
    const auto pod_ready = times(log, model::TraceKind::Ready, "");
    REQUIRE(pod_ready.size() == 3);
    REQUIRE(agent_ready.size() == 3);
    REQUIRE(trace_ready.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(trace_started[i] - agent_started[i] == doctest::Approx(10.0));  // its new image's pull
        CHECK(trace_ready[i] - trace_started[i] == doctest::Approx(0.5));
        CHECK(agent_ready[i] - agent_started[i] == doctest::Approx(40.5));
        CHECK(pod_ready[i] == doctest::Approx(agent_ready[i]));
    }
    // Coverage follows trace-agent: each node is uncovered from its old trace-agent's exit (1 s
    // after SIGTERM) until the new one serves (the pod's start, the pull 10 s, serve 2 s): 14.35 s.
    CHECK(o.gap_node_seconds == doctest::Approx(3 * 14.35));
}

TEST_CASE("the second container no longer gates the rollout when it is ready as soon as web") {
    ScenarioSpec s = scenario("two-containers");
    s.workload.current_containers.at("agent").serve = DistributionSpec::constant(5);
    s.workload.proposed_containers.at("agent").serve = DistributionSpec::constant(5);
    const auto o = run_only_variant(s, nullptr, 0);
    REQUIRE(o.completed);
    CHECK(o.duration.to_seconds() == doctest::Approx(167.85));  // five-nodes-25s's own figure
}

TEST_CASE("a crash-looping second container restarts alone, and web goes on serving (per-container restarts)") {
    ScenarioSpec s = scenario("two-containers");
    s.workload.proposed_containers.at("agent").crash_on_start = 1.0;
    s.horizon = SimTime::minutes(10);
    TraceLog log;
    const auto o = run_only_variant(s, &log, 0);
    CHECK_FALSE(o.completed);
    REQUIRE(o.stalled);
    CHECK(o.stall_key == "not finished at the horizon: new pod (container agent) in CrashLoopBackOff");
    // One node's new pod: web started once and serves; the agent restarted with back-off
    // (10 s, 20 s, 40 s, ... after each exit) within the 10 minutes.
    const auto web = log.of(model::TraceKind::ContainerStarted, "web");
    const auto agent = log.of(model::TraceKind::ContainerStarted, "agent");
    int web_new = 0, agent_new = 0;
    for (const auto& r : web) web_new += r.revision == 1 ? 1 : 0;
    for (const auto& r : agent) agent_new += r.revision == 1 ? 1 : 0;
    CHECK(web_new == 1);
    CHECK(agent_new >= 5);
    CHECK(times(log, model::TraceKind::Ready, "").empty());  // the pod is never Ready
    CHECK(o.outage_node_seconds == doctest::Approx(27.35));  // web serves: the node is back
}

TEST_CASE("a sidecar starts first: web starts once its startup probe passes, and stops before it") {
    // tests/scenarios/sidecar.yaml: the proxy serves 20 s after it starts; its startup probe
    // ticks every 5 s from the pod's admission (start - 1 s sandbox), so it passes at start + 24 s
    // and web starts then. On deletion web is killed first; the proxy gets SIGTERM once the
    // kubelet has seen web exit (0.5 s PLEG) and takes its 3 s to exit.
    const ScenarioSpec s = scenario("sidecar");
    TraceLog log;
    const auto o = run_only_variant(s, &log, 0);
    REQUIRE(o.completed);
    const auto proxy = times(log, model::TraceKind::ContainerStarted, "proxy");
    const auto web = times(log, model::TraceKind::ContainerStarted, "web");
    REQUIRE(proxy.size() == 5);
    REQUIRE(web.size() == 5);
    for (std::size_t i = 0; i < 5; ++i) CHECK(web[i] - proxy[i] == doctest::Approx(24.0));
    // Termination of the live pods: the proxy's SIGTERM follows web's exit by 0.5 s.
    double web_exit = -1, proxy_term = -1;
    for (std::size_t i = 0; i < log.records.size(); ++i) {
        const auto& r = log.records[i];
        if (r.revision != 0) continue;
        if (r.kind == model::TraceKind::ContainerExited && log.containers[i] == "web" && web_exit < 0) web_exit = r.time.to_seconds();
        if (r.kind == model::TraceKind::SigTerm && log.containers[i] == "proxy" && proxy_term < 0) proxy_term = r.time.to_seconds();
    }
    CHECK(proxy_term - web_exit == doctest::Approx(0.5));
    // Waves of 61.05 s: the pod is Ready 60.55 s after the old one was deleted.
    CHECK(o.duration.to_seconds() == doctest::Approx(5 * 61.05 + 0.1));
}

TEST_CASE("a sidecar's requests add to the regular containers' and to the init containers' after it (PodRequests)") {
    PodTemplate t;
    ContainerSpec web;
    web.name = "web";
    web.requests.cpu_milli = 200;
    t.containers.push_back(web);
    ContainerSpec proxy;
    proxy.name = "proxy";
    proxy.restart_policy = "Always";
    proxy.requests.cpu_milli = 100;
    ContainerSpec init;
    init.name = "init";
    init.requests.cpu_milli = 500;
    t.init_containers = {proxy, init};
    CHECK(model::pod_requests(t).cpu_milli == 600);  // the init container runs beside the sidecar
    t.init_containers = {init, proxy};
    CHECK(model::pod_requests(t).cpu_milli == 500);  // before it: alone; the pod's sum is 300
    t.init_containers = {proxy};
    CHECK(model::pod_requests(t).cpu_milli == 300);
}

TEST_CASE("the modelled container is the one that owns the host port, the others follow in start order") {
    PodTemplate t;
    ContainerSpec a, b, side;
    a.name = "agent";
    b.name = "proxy";
    b.ports.push_back(ContainerPort{});
    b.ports.back().container_port = 80;
    b.ports.back().host_port = 80;
    side.name = "side";
    side.restart_policy = "Always";
    t.containers = {a, b};
    t.init_containers = {side};
    CHECK(t.host_port_container() == "proxy");
    const Behaviour beh;
    const model::Revision r = model::make_revision(1, t, "proxy", beh);
    REQUIRE(r.containers.size() == 3);
    CHECK(r.main().name == "proxy");
    CHECK(r.container(1).name == "side");
    CHECK(r.container(1).sidecar);
    CHECK(r.container(2).name == "agent");
    // The kubelet starts the sidecar, then the regular containers in their order.
    CHECK(r.start_order == std::vector<std::uint8_t>{1, 2, 0});
}

}  // TEST_SUITE

}  // namespace rollsim::test
