// Starting pods (spec.daemonSet.startingPods): the rollout starts from the fleet as it stands,
// and the controller's rules for unavailable old pods show at scenario level.

#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>

#include "experiment/variants.hpp"
#include "model/world_fixture.hpp"
#include "rollsim/io.hpp"

namespace rollsim::test {

namespace {

ScenarioSpec scenario(const std::string& name) {
    return load_scenario(std::string(ROLLSIM_SOURCE_DIR) + "/tests/scenarios/" + name + ".yaml");
}

/// One trial of the scenario's only variant, traced.
FixtureOutcome trial(const ScenarioSpec& s, TraceLog& log, std::uint64_t index = 0) {
    return run_only_variant(s, &log, index);
}

}  // namespace

TEST_SUITE("experiment.starting_pods") {

TEST_CASE("TestDaemonSetUpdatesAllOldPodsNotReady at scenario level: 5 NotReady old pods, maxUnavailable 3, one wave") {
    // Every unavailable old pod is deleted at once, whatever maxUnavailable says (update.go
    // rollingUpdate: unavailable old pods are deleted uncapped).
    const ScenarioSpec s = scenario("starting-not-ready");
    TraceLog log;
    const auto o = trial(s, log);
    std::int64_t first_deletes = -1;
    for (const auto& r : log.of(model::TraceKind::ControllerSync)) {
        if (r.b > 0) {
            first_deletes = r.b;
            break;
        }
    }
    CHECK(first_deletes == 5);
    CHECK(log.of(model::TraceKind::PodDeleted).size() == 5);
    // One wave: delete, the new pod serves 25 s after start, Ready at the next 10 s tick:
    // 33.55 s for a one-node wave (tests/scenarios/five-nodes-25s.yaml), here for all five.
    REQUIRE(o.completed);
    CHECK(o.duration.to_seconds() == doctest::Approx(33.55).epsilon(0.01));
    // Every node was out from t = 0 (NotReady pods do not serve) until its new pod served.
    CHECK(o.min_serving_fraction == 0.0);
    CHECK(o.outage_windows == 5);
}

TEST_CASE("2 of 5 old pods NotReady, maxUnavailable 2: v1.31 keeps 3 of 5 serving, v1.28 deletes 4 at once") {
    // PR #123233 (v1.31): an unavailable old pod counts toward numUnavailable, so the budget of
    // 2 is spent on the 2 NotReady pods; before it, 2 Ready pods were deleted beside them.
    ScenarioSpec s = scenario("starting-two-not-ready");
    for (int t = 0; t < 5; ++t) {
        TraceLog log;
        const auto o = trial(s, log, static_cast<std::uint64_t>(t));
        REQUIRE(o.completed);
        CHECK(o.min_serving_fraction == doctest::Approx(0.6));  // 3 of 5
        CHECK(o.duration.to_seconds() > 100.0);  // three waves of ~33.6 s: 2 NotReady, 2, 1
    }
    s.kubernetes_version = "1.28";
    for (int t = 0; t < 5; ++t) {
        TraceLog log;
        const auto o = trial(s, log, static_cast<std::uint64_t>(t));
        REQUIRE(o.completed);
        std::int64_t first_deletes = 0;
        for (const auto& r : log.of(model::TraceKind::ControllerSync)) {
            if (r.b > 0) {
                first_deletes = r.b;
                break;
            }
        }
        CHECK(first_deletes == 4);
        CHECK(o.min_serving_fraction == doctest::Approx(0.2));  // 1 of 5
        CHECK(o.duration.to_seconds() < 70.0);  // two waves
    }
}

TEST_CASE("which nodes start NotReady is drawn per trial from its own stream, the same for a seed") {
    const ScenarioSpec s = scenario("starting-two-not-ready");
    std::set<std::uint32_t> seen;
    for (int t = 0; t < 10; ++t) {
        TraceLog a, b;
        const auto oa = trial(s, a, static_cast<std::uint64_t>(t));
        const auto ob = trial(s, b, static_cast<std::uint64_t>(t));
        CHECK(oa.fingerprint == ob.fingerprint);
        // The nodes whose Baseline says "not serving" are the drawn ones: 2 each trial.
        int down = 0;
        for (const auto& r : a.of(model::TraceKind::Baseline)) {
            if (r.a == 0) {
                ++down;
                seen.insert(r.node);
            }
        }
        CHECK(down == 2);
    }
    CHECK(seen.size() >= 4);  // 10 trials of 2 draws from 5 nodes cover most of them
}

TEST_CASE("a CrashLoopBackOff pod continues its back-off: 5 restarts so far wait 160 s, then 300 s") {
    // kuberuntime_manager.go doBackOff: 10 s doubling to 300 s. After 5 restarts the back-off is
    // 160 s from the last exit; a crash at listen (1 s) then waits 300 s. OnDelete leaves the
    // pod alone, so in 10 minutes it restarts once or twice; a fresh crash loop would have
    // restarted 6 times (0, 10, 20, 40, 80 and 160 s of back-off).
    ScenarioSpec s = scenario("starting-two-not-ready");
    s.starting_pods.clear();
    StartingPods sp;
    sp.state = StartingPods::State::CrashLoopBackOff;
    sp.count = 1;
    sp.restarts = 5;
    s.starting_pods.push_back(sp);
    s.proposed.update_strategy = UpdateStrategySpec{"OnDelete", false, {}, {}};
    s.strategies.front().update_strategy = s.proposed.update_strategy;
    s.workload.current.crash_on_start = 1.0;
    s.workload.proposed.crash_on_start = 1.0;
    s.horizon = SimTime::minutes(10);
    for (int t = 0; t < 5; ++t) {
        TraceLog log;
        const auto o = trial(s, log, static_cast<std::uint64_t>(t));
        CHECK(o.restarts >= 1);
        CHECK(o.restarts <= 2);
        // Its first restart comes within the 160 s back-off plus the pod worker's 15 s grid.
        const auto starts = log.of(model::TraceKind::ContainerStarted);
        REQUIRE(!starts.empty());
        CHECK(starts.front().time <= SimTime::seconds(175));
        CHECK(starts.front().a == 7);  // its 7th start: 1 + 5 restarts before, this one
    }
}

TEST_CASE("a Missing pod: the first sync after the change creates a pod of the new revision there") {
    ScenarioSpec s = scenario("starting-two-not-ready");
    s.starting_pods.clear();
    StartingPods sp;
    sp.state = StartingPods::State::Missing;
    sp.nodes = {2};
    s.starting_pods.push_back(sp);
    TraceLog log;
    const auto o = trial(s, log);
    REQUIRE(o.completed);
    const auto created = log.of(model::TraceKind::PodCreated);
    REQUIRE(!created.empty());
    CHECK(created.front().node == 2);
    CHECK(created.front().revision == 1);  // not a pod of the live template: the change came first
    CHECK(log.of(model::TraceKind::PodDeleted).size() == 4);  // the other four are replaced
}

TEST_CASE("kubectl get pods -o json imports as the starting state: CrashLoopBackOff, Terminating, Pending, NotReady") {
    // tests/manifests/pods-kubectl-unhealthy.json, in kubectl's own format: the pods' phase,
    // Ready condition, containerStatuses (waiting.reason, restartCount), deletionTimestamp, and
    // for the unbound pod the node in its matchFields affinity.
    const ScenarioSpec s = scenario("imported-unhealthy");
    std::map<std::string, std::string> state;
    std::int32_t restarts = 0;
    for (const StartingPods& sp : s.starting_pods) {
        CHECK(sp.imported);
        REQUIRE(sp.nodes.size() == 1);
        state[s.nodes[sp.nodes.front()].name] = to_string(sp.state);
        if (sp.state == StartingPods::State::CrashLoopBackOff) restarts = sp.restarts;
    }
    CHECK(state == std::map<std::string, std::string>{{"node-0", "Ready"},
                                                      {"node-1", "CrashLoopBackOff"},
                                                      {"node-2", "Terminating"},
                                                      {"node-3", "Pending"},
                                                      {"node-4", "NotReady"}});
    CHECK(restarts == 7);

    TraceLog log;
    const auto o = trial(s, log);
    // Only node-0 serves before the change.
    int serving = 0;
    for (const auto& r : log.of(model::TraceKind::Baseline)) serving += r.a == 1 ? 1 : 0;
    CHECK(serving == 1);
    // v1.31: every unavailable old pod goes in the first rolling sync, whatever the budget of 2
    // (CrashLoopBackOff, Pending and NotReady; the Terminating one is going already).
    std::int64_t first_deletes = 0;
    for (const auto& r : log.of(model::TraceKind::ControllerSync)) {
        if (r.b > 0) {
            first_deletes = r.b;
            break;
        }
    }
    CHECK(first_deletes == 3);
    // node-3's host port is held by another pod in the list, so its new pod stays Pending too.
    CHECK(o.stalled);
    CHECK(o.stall_key == "new pod Pending: hostPort 8080/TCP held by pod default/legacy-proxy");
    // The Pending pod counts as updated (it is of the current revision, mapped to its node by
    // its affinity), and as unavailable.
    CHECK(o.updated == 5);
    CHECK(o.unavailable == 1);
}

TEST_CASE("a rollout in progress: 2 pods of an earlier template and 3 of the live one, all replaced by the change") {
    // Before the change the controller would be rolling the 2 older pods; the change lands
    // first (the status is written as the pods stand), so all five are replaced by web:2.
    ScenarioSpec s = scenario("starting-two-not-ready");
    s.starting_pods.front().state = StartingPods::State::Ready;
    s.starting_pods.front().older = true;
    TraceLog log;
    const auto o = trial(s, log);
    REQUIRE(o.completed);
    int older = 0, live = 0, created = 0;
    for (const auto& r : log.of(model::TraceKind::PodDeleted)) {
        older += r.revision == model::kOlderRevision ? 1 : 0;
        live += r.revision == 0 ? 1 : 0;
    }
    for (const auto& r : log.of(model::TraceKind::PodCreated)) created += r.revision == 1 ? 1 : 0;
    CHECK(older == 2);
    CHECK(live == 3);
    CHECK(created == 5);
    CHECK(o.updated == 5);
    // Ready older pods serve like the live ones: nobody is down before the change.
    for (const auto& r : log.of(model::TraceKind::Baseline)) CHECK(r.a == 1);
}

TEST_CASE("a Misscheduled pod (its node no longer selected) is deleted at the first sync and not replaced") {
    // daemon_controller.go podsShouldBeOnNode: shouldContinue false -> the pod is deleted.
    const ScenarioSpec s = scenario("starting-misscheduled");
    TraceLog log;
    const auto o = trial(s, log);
    REQUIRE(o.completed);
    const std::uint32_t spare = 5;  // node order: node-0..4, then spare-0
    REQUIRE(s.nodes[spare].name == "spare-0");
    int deleted = 0, created = 0;
    SimTime when;
    for (const auto& r : log.of(model::TraceKind::PodDeleted)) {
        if (r.node == spare) {
            ++deleted;
            when = r.time;
        }
    }
    for (const auto& r : log.of(model::TraceKind::PodCreated)) created += r.node == spare ? 1 : 0;
    CHECK(deleted == 1);
    CHECK(when == SimTime::millis(100));  // the first sync after the change, a watch later
    CHECK(created == 0);
    CHECK(o.desired == 5);
}

}  // TEST_SUITE

}  // namespace rollsim::test
