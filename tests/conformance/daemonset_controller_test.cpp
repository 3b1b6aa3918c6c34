// Conformance: the DaemonSet controller against the upstream unit tests it mirrors
// (docs/model.md). Each row of an upstream table is one sync: (creates, deletes).

#include <doctest/doctest.h>

#include "conformance/controller_harness.hpp"

namespace rollsim::test {

namespace {

void expect_sync(ControllerHarness& h, int creates, int deletes, int events = -1) {
    const auto c = h.sync();
    CHECK(c.creates == creates);
    CHECK(c.deletes == deletes);
    if (events >= 0) CHECK(c.events == events);
}

/// The common setup of update_test.go: an initial sync creates one pod per node, they go
/// Ready, then the template changes.
ControllerHarness rolled_out(int nodes, UpdateStrategySpec strategy, bool ready = true,
                             model::KubeVersion v = {}) {
    ControllerHarness h(nodes, ControllerHarness::on_delete(), v);
    expect_sync(h, nodes, 0);
    if (ready) h.mark_pods_ready();
    h.set_strategy(strategy);
    h.update_template();
    return h;
}

}  // namespace

TEST_SUITE("daemonset_controller.update_test") {

TEST_CASE("TestDaemonSetUpdatesPods: maxUnavailable=2 over 5 nodes takes 3 waves in 7 syncs") {
    auto h = rolled_out(5, ControllerHarness::max_unavailable(IntOrString::of(2)));
    expect_sync(h, 0, 2);
    expect_sync(h, 2, 0);
    h.mark_pods_ready();
    expect_sync(h, 0, 2);
    expect_sync(h, 2, 0);
    h.mark_pods_ready();
    expect_sync(h, 0, 1);
    expect_sync(h, 1, 0);
    h.mark_pods_ready();
    expect_sync(h, 0, 0);
    CHECK(model::DaemonSetController::rollout_complete(h.cluster().daemonset()));
}

TEST_CASE("TestDaemonSetUpdatesPodsWithMaxSurge: maxSurge=2 surges, then retires old pods") {
    auto h = rolled_out(5, ControllerHarness::max_surge(IntOrString::of(2)));
    expect_sync(h, 2, 0);
    expect_sync(h, 0, 0);
    h.mark_pods_ready();
    expect_sync(h, 2, 2);
    expect_sync(h, 0, 0);
    h.mark_pods_ready();
    expect_sync(h, 1, 2);
    expect_sync(h, 0, 0);
    h.mark_pods_ready();
    expect_sync(h, 0, 1);
    expect_sync(h, 0, 0);
    CHECK(model::DaemonSetController::rollout_complete(h.cluster().daemonset()));
}

TEST_CASE("TestDaemonSetUpdatesWhenNewPodIsNotReady: the budget runs out and the rollout stalls") {
    auto h = rolled_out(5, ControllerHarness::max_unavailable(IntOrString::of(3)));
    expect_sync(h, 0, 3);
    expect_sync(h, 3, 0);
    expect_sync(h, 0, 0);
    expect_sync(h, 0, 0);
    CHECK_FALSE(model::DaemonSetController::rollout_complete(h.cluster().daemonset()));
    CHECK(h.cluster().daemonset().status.number_unavailable == 3);
}

TEST_CASE("TestDaemonSetUpdatesAllOldPodsNotReady: unavailable old pods are deleted uncapped") {
    SUBCASE("current") {
        auto h = rolled_out(5, ControllerHarness::max_unavailable(IntOrString::of(3)), false);
        expect_sync(h, 0, 5);
        expect_sync(h, 5, 0);
        expect_sync(h, 0, 0);
    }
    SUBCASE("v1.28") {
        auto h = rolled_out(5, ControllerHarness::max_unavailable(IntOrString::of(3)), false,
                            model::KubeVersion{28});
        expect_sync(h, 0, 5);
        expect_sync(h, 5, 0);
        expect_sync(h, 0, 0);
    }
}

TEST_CASE("TestDaemonSetUpdatesNoTemplateChanged: a strategy change alone rolls nothing") {
    ControllerHarness h(5);
    expect_sync(h, 5, 0);
    h.mark_pods_ready();
    h.set_strategy(ControllerHarness::max_unavailable(IntOrString::of(3)));
    expect_sync(h, 0, 0);
    CHECK(model::DaemonSetController::rollout_complete(h.cluster().daemonset()));
}

TEST_CASE("PR #123233: with maxSurge=0 an unavailable old pod uses budget since v1.31") {
    // 5 nodes, maxUnavailable 2; one old pod not Ready. Current: it is deleted and uses one unit,
    // so one available old pod goes too (2). v1.28: it uses none, so two more go (3).
    for (const auto& [minor, deletes] : {std::pair{31, 2}, std::pair{28, 3}}) {
        CAPTURE(minor);
        ControllerHarness h(5, ControllerHarness::on_delete(), model::KubeVersion{minor});
        for (NodeId n = 0; n < 5; ++n) h.add_old_pod(n, /*ready=*/n != 0);
        h.set_strategy(ControllerHarness::max_unavailable(IntOrString::of(2)));
        h.update_template();
        expect_sync(h, 0, deletes);
    }
}

TEST_CASE("surge: an old pod that goes unavailable is replaced beyond maxSurge") {
    auto h = rolled_out(4, ControllerHarness::max_surge(IntOrString::of(1)));
    // Two old pods lose readiness: each gets a new pod at once, plus one surge candidate.
    h.cluster().pod(h.cluster().pods_on(0).front()).ready = false;
    h.cluster().pod(h.cluster().pods_on(1).front()).ready = false;
    expect_sync(h, 3, 0);
    // manage then deletes the not-Ready old pods next to their new pods.
    expect_sync(h, 0, 2);
}

TEST_CASE("surge: a Pending surge pod holds its slot, no further candidates start") {
    auto h = rolled_out(3, ControllerHarness::max_surge(IntOrString::of(1)));
    expect_sync(h, 1, 0);
    for (int i = 0; i < 5; ++i) expect_sync(h, 0, 0);
    CHECK(h.cluster().daemonset().status.updated_number_scheduled == 0);
}

}  // TEST_SUITE

TEST_SUITE("daemonset_controller.TestGetUnavailableNumbers") {

// updatedDesiredNodeCounts: budgets from strategy and desiredNumberScheduled.
struct Case {
    const char* name;
    int nodes;
    UpdateStrategySpec strategy;
    int max_surge;
    int max_unavailable;
};

TEST_CASE("budgets round up against desiredNumberScheduled, with the 0/0 fallback") {
    using H = ControllerHarness;
    const UpdateStrategySpec zero_zero{"RollingUpdate", true, IntOrString::of(0), IntOrString::of(0)};
    const Case cases[] = {
        {"No nodes", 0, zero_zero, 0, 0},
        {"Two nodes with ready pods", 2, H::max_unavailable(IntOrString::of(1)), 0, 1},
        {"Two nodes, one node without pods", 2, zero_zero, 0, 1},
        {"Two nodes with pods, MaxUnavailable in percents", 2,
         H::max_unavailable(IntOrString::of("50%")), 0, 1},
        {"Two nodes with pods, MaxUnavailable in percents, surge", 2,
         H::max_surge(IntOrString::of("50%")), 1, 0},
        {"Two nodes with pods, MaxUnavailable is 100%, surge", 2,
         H::max_surge(IntOrString::of("100%")), 2, 0},
        {"Three nodes, MaxUnavailable 50% (ceil 1.5)", 3,
         H::max_unavailable(IntOrString::of("50%")), 0, 2},
    };
    for (const Case& c : cases) {
        CAPTURE(c.name);
        // The API would reject 0/0; the controller's fallback is what is tested here.
        model::UpdateStrategy s;
        s.max_unavailable = {static_cast<std::int32_t>(
                                 c.strategy.max_unavailable->is_string
                                     ? std::stoi(c.strategy.max_unavailable->str_value)
                                     : c.strategy.max_unavailable->int_value),
                             c.strategy.max_unavailable->is_string};
        s.max_surge = {static_cast<std::int32_t>(c.strategy.max_surge->is_string
                                                     ? std::stoi(c.strategy.max_surge->str_value)
                                                     : c.strategy.max_surge->int_value),
                       c.strategy.max_surge->is_string};
        const auto b = model::resolve_budgets(s, c.nodes);
        CHECK(b.max_surge == c.max_surge);
        CHECK(b.max_unavailable == c.max_unavailable);
    }
}

TEST_CASE("percent, terminating: a terminating pod keeps its node out of the empty entries") {
    // 3 nodes, maxUnavailable 50% -> 2; pod-0 ready, pod-1 ready and terminating, node-2 empty.
    ControllerHarness h(3, ControllerHarness::max_unavailable(IntOrString::of("50%")));
    h.add_pod(0, PodPhase::Running, true);
    const PodId p1 = h.add_pod(1, PodPhase::Running, true);
    h.cluster().pod(p1).deletion = h.now();
    const auto c = h.sync();
    // node-2 is the only empty entry: manage creates exactly one pod there; node-1's
    // terminating pod blocks its replacement.
    CHECK(c.creates == 1);
    CHECK(h.cluster().pods_on(2).size() == 1);
    CHECK(h.cluster().daemonset().status.desired_number_scheduled == 3);
    CHECK(model::resolve_budgets(h.cluster().daemonset().strategy, 3).max_unavailable == 2);
}

}  // TEST_SUITE

TEST_SUITE("daemonset_controller.daemon_controller_test") {

// Each runs under OnDelete and RollingUpdate(maxUnavailable=1), as upstream's
// updateStrategies() does.
const UpdateStrategySpec kStrategies[] = {ControllerHarness::on_delete(),
                                          ControllerHarness::max_unavailable(IntOrString::of(1))};

TEST_CASE("TestDaemonSetRespectsTermination: no replacement while the only pod terminates") {
    for (const auto& s : kStrategies) {
        ControllerHarness h(1, s);
        const PodId p = h.add_pod(0, PodPhase::Running, true);
        h.cluster().pod(p).deletion = h.now();
        expect_sync(h, 0, 0);
    }
}

TEST_CASE("TestDaemonKillFailedPods: failed pods are deleted, not replaced in the same sync") {
    struct Row {
        int failed, normal, creates, deletes, events;
    };
    for (const auto& s : kStrategies) {
        for (const Row r : {Row{0, 1, 0, 0, 0}, Row{0, 0, 1, 0, 0}, Row{1, 0, 0, 1, 1},
                            Row{1, 3, 0, 3, 1}}) {
            CAPTURE(r.failed);
            CAPTURE(r.normal);
            ControllerHarness h(1, s);
            for (int i = 0; i < r.failed; ++i) h.add_pod(0, PodPhase::Failed);
            for (int i = 0; i < r.normal; ++i) h.add_pod(0, PodPhase::Running);
            expect_sync(h, r.creates, r.deletes, r.events);
        }
    }
}

TEST_CASE("TestDaemonKillFailedPodsBackoff: 1 s backoff between failed-pod deletions") {
    for (const auto& s : kStrategies) {
        ControllerHarness h(1, s);
        h.add_pod(0, PodPhase::Failed);
        expect_sync(h, 0, 1, 1);
        expect_sync(h, 0, 0, 0);  // in backoff: requeued after the backoff instead
        REQUIRE(!h.requeues().empty());
        CHECK(h.requeues().back() == SimTime::seconds(1));
        h.advance(SimTime::seconds(1));
        expect_sync(h, 0, 1, 1);
    }
}

TEST_CASE("TestInsufficientCapacityNodeDaemonDoesNotUnscheduleRunningPod: capacity is not checked") {
    for (const auto& s : kStrategies) {
        ControllerHarness h(1, s);
        expect_sync(h, 1, 0);  // the controller creates; fitting is the scheduler's job
    }
}

TEST_CASE("TestPortConflictWithSameDaemonPodDoesNotDeletePod") {
    for (const auto& s : kStrategies) {
        ControllerHarness h(1, s);
        h.add_pod(0, PodPhase::Running, true);
        expect_sync(h, 0, 0);
    }
}

TEST_CASE("TestNoScheduleTaintedDoesntEvicitRunningIntolerantPod") {
    for (const auto& s : kStrategies) {
        ControllerHarness h(1, s);
        h.add_pod(0, PodPhase::Running, true);
        h.set_taints(0, {Taint{"node.kubernetes.io/foo", "", "NoSchedule"}});
        expect_sync(h, 0, 0);
    }
}

TEST_CASE("TestNoExecuteTaintedDoesEvicitRunningIntolerantPod") {
    for (const auto& s : kStrategies) {
        ControllerHarness h(1, s);
        h.add_pod(0, PodPhase::Running, true);
        h.set_taints(0, {Taint{"node.kubernetes.io/foo", "", "NoExecute"}});
        expect_sync(h, 0, 1);
    }
}

TEST_CASE("TestTaintedNodeDaemonDoesNotLaunchIntolerantPod / TestTaintedNodeDaemonLaunchesToleratePod") {
    for (const auto& s : kStrategies) {
        ControllerHarness h(1, s);
        h.set_taints(0, {Taint{"dedicated", "edge", "NoSchedule"}});
        expect_sync(h, 0, 0);
        h.set_template_tolerations({Toleration{"dedicated", "Equal", "edge", "NoSchedule", {}}});
        expect_sync(h, 1, 0);
    }
}

TEST_CASE("TestNotReadyNodeDaemonLaunchesPod / TestUnreachableNodeDaemonLaunchesPod") {
    for (const auto& s : kStrategies) {
        for (const char* key : {"node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"}) {
            ControllerHarness h(1, s);
            h.set_taints(0, {Taint{key, "", "NoExecute"}});
            expect_sync(h, 1, 0);
            // In a real cluster the NoSchedule twin is there too, and it is not tolerated.
            ControllerHarness real(1, s);
            real.set_taints(0, {Taint{key, "", "NoExecute"}, Taint{key, "", "NoSchedule"}});
            expect_sync(real, 0, 0);
        }
    }
}

TEST_CASE("TestTaintPressureNodeDaemonLaunchesPod") {
    for (const auto& s : kStrategies) {
        ControllerHarness h(1, s);
        h.set_taints(0, {Taint{"node.kubernetes.io/disk-pressure", "", "NoSchedule"},
                         Taint{"node.kubernetes.io/memory-pressure", "", "NoSchedule"},
                         Taint{"node.kubernetes.io/pid-pressure", "", "NoSchedule"},
                         Taint{"node.kubernetes.io/unschedulable", "", "NoSchedule"}});
        expect_sync(h, 1, 0);
    }
}

TEST_CASE("node selector no longer matching: every pod on the node is deleted") {
    for (const auto& s : kStrategies) {
        ControllerHarness h(2, s);
        expect_sync(h, 2, 0);
        h.set_node_selector({{"role", "edge"}});
        expect_sync(h, 0, 2);
    }
}

TEST_CASE("TestNumberReadyStatus: numberReady follows the pods' Ready condition") {
    for (const auto& s : kStrategies) {
        ControllerHarness h(2, s);
        h.sync();
        h.sync();
        CHECK(h.cluster().daemonset().status.number_ready == 0);
        h.mark_pods_ready();
        h.sync();
        CHECK(h.cluster().daemonset().status.number_ready == 2);
        CHECK(h.cluster().daemonset().status.number_available == 2);
    }
}

TEST_CASE("IsPodAvailable: Ready for strictly more than minReadySeconds") {
    model::Pod p;
    p.ready = true;
    p.ready_since = SimTime::seconds(100);
    CHECK_FALSE(model::is_pod_available(p, 10, SimTime::seconds(110)));
    CHECK(model::is_pod_available(p, 10, SimTime::millis(110'001)));
    CHECK(model::is_pod_available(p, 0, SimTime::seconds(100)));
}

TEST_CASE("minReadySeconds: status pass requeues after minReadySeconds while ready != available") {
    ControllerHarness h(1, ControllerHarness::max_unavailable(IntOrString::of(1)));
    h.cluster().daemonset().min_ready_seconds = 15;
    h.sync();
    h.mark_pods_ready();
    h.sync();
    REQUIRE(!h.requeues().empty());
    CHECK(h.requeues().back() == SimTime::seconds(15));
}

}  // TEST_SUITE

}  // namespace rollsim::test
