// A busy, changing cluster (issue #5; docs/model.md, "A changing cluster"): node health,
// preemption, pressure, shared bottlenecks and faults, each test naming the rule it checks.

#include <doctest/doctest.h>

#include <algorithm>

#include "experiment/trace_words.hpp"
#include "model/world_fixture.hpp"
#include "test_printers.hpp"

namespace rollsim::test {

namespace {

using model::TraceKind;

ClusterEvent event(ClusterEvent::Kind kind, SimTime at, std::vector<std::uint32_t> nodes,
                   std::optional<SimTime> duration = std::nullopt) {
    ClusterEvent e;
    e.kind = kind;
    e.at = at;
    e.nodes = std::move(nodes);
    e.duration = duration;
    return e;
}

/// The node whose old pod the controller deletes first (its random pick, fixed by the seed).
std::uint32_t first_deleted_node(const WorldFixture& f) {
    TraceLog log;
    f.run(1, 0, &log);
    const auto deleted = log.of(TraceKind::PodDeleted);
    REQUIRE(!deleted.empty());
    return deleted.front().node;
}

OtherPod other(const std::string& name, std::int64_t cpu, std::int32_t priority) {
    OtherPod p;
    p.name = name;
    p.requests = Resources{cpu, 256LL << 20, 1};
    p.memory_usage = p.requests.memory_bytes;
    p.priority = priority;
    return p;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_SUITE("dynamics") {

TEST_CASE("§1.11 #117204: a pod deleted on a node that goes unreachable stays Terminating and holds the budget") {
    WorldFixture f(3);
    f.old_behaviour.shutdown = DistributionSpec::constant(20);  // still terminating at t = 5 s
    const std::uint32_t victim = first_deleted_node(f);
    f.events.push_back(event(ClusterEvent::Kind::Unreachable, SimTime::seconds(5), {victim}));
    TraceLog log;
    const auto o = f.run(1, 0, &log);
    CHECK(o.stalled);
    CHECK_FALSE(o.completed);
    CHECK(o.updated == 0);   // no other node was touched: maxUnavailable 1 is used up
    CHECK(o.desired == 2);   // the unreachable:NoSchedule taint takes the node out of desired
    CHECK(o.stall_reason == "old pod stuck Terminating on node-" + std::to_string(victim) +
                                ", which is unreachable: it holds the maxUnavailable budget until the node "
                                "returns or its Node object is deleted");
    // The node lifecycle controller acts after --node-monitor-grace-period (40 s in v1.31).
    const auto changes = log.of(TraceKind::NodeChanged);
    REQUIRE(changes.size() == 2);
    CHECK(changes[1].time.ms() == 45'000);
    // Typed in the model, words in experiment/trace_words.cpp.
    CHECK(changes[0].a == static_cast<std::int64_t>(model::NodeChange::EventStart));
    CHECK(experiment::record_text(changes[0]) == "Unreachable");
    CHECK(experiment::record_text(changes[1]) ==
          "node lifecycle controller: Ready=Unknown, taints node.kubernetes.io/unreachable:NoSchedule and NoExecute, "
          "pods marked NotReady");

    SUBCASE("v1.32 raised the grace period to 50 s (PR #126287)") {
        f.version.minor = 32;
        TraceLog later;
        f.run(1, 0, &later);
        CHECK(later.of(TraceKind::NodeChanged)[1].time.ms() == 55'000);
    }
    SUBCASE("the node comes back: its kubelet finishes the deletion and the rollout completes") {
        f.events.push_back(event(ClusterEvent::Kind::Ready, SimTime::minutes(3), {victim}));
        const auto back = f.run();
        CHECK(back.completed);
        CHECK(back.updated == 3);
        CHECK(back.duration > SimTime::minutes(3));
    }
}

TEST_CASE("§5.2: a NotReady node's pods are marked NotReady, the old one goes and is not replaced there") {
    WorldFixture f(3);
    f.events.push_back(event(ClusterEvent::Kind::NotReady, SimTime::zero(), {2}));
    const auto o = f.run();
    CHECK(o.completed);
    CHECK(o.desired == 2);  // not-ready:NoSchedule: shouldRun=false, shouldContinue=true
    CHECK(o.updated == 2);
}

TEST_CASE("§5.3: maxSurge 1 with room for one pod, not two: Pending with Insufficient cpu, and a stall") {
    WorldFixture f(2);
    f.old_container().ports.clear();
    f.new_container().ports.clear();
    f.traffic.mode = TrafficMode::Coverage;
    f.strategy = UpdateStrategySpec{"RollingUpdate", true, IntOrString::of(0), IntOrString::of(1)};
    for (auto& n : f.nodes) {
        n.allocatable.cpu_milli = 1000;
        n.pods.push_back(other("batch/worker-" + n.name, 850, 0));  // 850 + 100 old + 100 new > 1000
    }
    TraceLog log;
    auto o = f.run(1, 0, &log);
    CHECK(o.stalled);
    CHECK(o.stall_key == "surge pod Pending: Insufficient cpu");
    CHECK(o.preemptions == 0);
    const auto pending = log.texts_of(TraceKind::PodPending);
    REQUIRE(!pending.empty());
    CHECK(pending.front() == "Insufficient cpu");

    SUBCASE("system-node-critical preempts the lower-priority pod, then the rollout goes on") {
        f.old_template.priority = f.new_template.priority = kSystemNodeCritical;
        TraceLog plog;
        o = f.run(1, 0, &plog);
        CHECK(o.completed);
        CHECK(o.preemptions == 2);  // one victim per node
        const auto preempted = plog.texts_of(TraceKind::Preemption);
        REQUIRE(preempted.size() == 2);
        CHECK(contains(preempted.front(), "preempting batch/worker-node-"));
        CHECK(contains(preempted.front(), "(priority 0) for this pod (priority 2000001000)"));
        // The victim terminates first (its shutdown, 1 s); only then does the pod bind.
        const auto gone = plog.of(TraceKind::OtherPodGone);
        const auto bound = plog.of(TraceKind::PodBound);
        REQUIRE(gone.size() == 2);
        CHECK(std::all_of(bound.begin(), bound.end(), [&](const auto& b) { return b.time > gone.front().time; }));
    }
    SUBCASE("preemptionPolicy Never: no preemption, the same stall") {
        f.old_template.priority = f.new_template.priority = kSystemNodeCritical;
        f.new_template.preempt_never = true;
        o = f.run();
        CHECK(o.stalled);
        CHECK(o.preemptions == 0);
    }
    SUBCASE("only strictly lower priority is a victim") {
        f.old_template.priority = f.new_template.priority = 1000;
        for (auto& n : f.nodes) n.pods.front().priority = 1000;
        o = f.run();
        CHECK(o.stalled);
        CHECK(o.preemptions == 0);
    }
    SUBCASE("the reprieve: of two lower-priority pods only the one that must go is preempted") {
        f.old_template.priority = f.new_template.priority = 100;
        for (auto& n : f.nodes) {
            n.pods.front().requests.cpu_milli = 700;
            n.pods.push_back(other("batch/small-" + n.name, 150, 50));  // 700 + 150 + 100 + 100 = 1050
        }
        TraceLog rlog;
        o = f.run(1, 0, &rlog);
        CHECK(o.completed);
        CHECK(o.preemptions == 2);
        // Reprieved highest priority first: the priority-50 pod stays if removing the other suffices.
        for (const auto& text : rlog.texts_of(TraceKind::Preemption)) CHECK(contains(text, "batch/worker-"));
    }
}

TEST_CASE("§5.4 admission: DiskPressure rejects the new pod (Failed, Evicted) until it clears, critical pods are admitted") {
    WorldFixture f(2);
    f.events.push_back(event(ClusterEvent::Kind::DiskPressure, SimTime::zero(), {0, 1}, SimTime::seconds(30)));
    TraceLog log;
    auto o = f.run(1, 0, &log);
    CHECK(o.completed);
    CHECK(o.admission_rejections >= 2);
    // The condition is reported 5 min past the signal (evictionPressureTransitionPeriod), and
    // the controller's failed-pod back-off (1 s doubling) paces the retries.
    CHECK(o.duration > SimTime::seconds(330));
    const auto rejected = log.texts_of(TraceKind::AdmissionRejected);
    REQUIRE(!rejected.empty());
    CHECK(rejected.front() == "Evicted: the node had condition: [DiskPressure]");

    SUBCASE("MemoryPressure alone admits DaemonSet pods (they tolerate memory-pressure)") {
        f.events.front().kind = ClusterEvent::Kind::MemoryPressure;
        o = f.run();
        CHECK(o.admission_rejections == 0);
    }
    SUBCASE("a critical pod is always admitted (IsCriticalPod)") {
        f.old_template.priority = f.new_template.priority = kSystemNodeCritical;
        o = f.run();
        CHECK(o.admission_rejections == 0);
        CHECK(o.duration < SimTime::seconds(120));
    }
}

TEST_CASE("§5.4 eviction ranking: usage above requests first, then lower priority, then the larger excess") {
    WorldFixture f(1);
    f.strategy = UpdateStrategySpec{"OnDelete", false, std::nullopt, std::nullopt};
    f.new_template = f.old_template;  // nothing to roll: only the eviction manager acts
    auto guaranteed = other("prod/guaranteed", 100, 0);       // usage = request, lowest priority
    auto best_effort = other("dev/best-effort", 0, 1000);
    best_effort.requests.memory_bytes = 0;
    best_effort.memory_usage = 200LL << 20;                    // 200Mi above its request
    auto burstable = other("dev/burstable", 100, 1000);
    burstable.memory_usage = burstable.requests.memory_bytes + (300LL << 20);  // 300Mi above
    auto critical = other("kube-system/critical", 100, kSystemNodeCritical);
    critical.memory_usage = 4LL << 30;
    f.nodes[0].pods = {guaranteed, best_effort, burstable, critical};
    auto pressure = event(ClusterEvent::Kind::MemoryPressure, SimTime::zero(), {0}, SimTime::minutes(2));
    pressure.reclaim = 600LL << 20;  // two evictions: the burstable (556Mi) and the best-effort (200Mi)
    f.events.push_back(pressure);
    TraceLog log;
    const auto o = f.run(1, 0, &log);
    CHECK(o.evictions == 2);
    const auto evicted = log.texts_of(TraceKind::Evicted);
    REQUIRE(evicted.size() == 2);
    CHECK(contains(evicted[0], "dev/burstable"));
    CHECK(contains(evicted[1], "dev/best-effort"));
    // One per 10 s pass.
    const auto times = log.of(TraceKind::Evicted);
    CHECK(times[1].time - times[0].time == SimTime::seconds(10));
}

TEST_CASE("§6 registry bandwidth: a five times larger maxUnavailable is far less than five times faster") {
    WorldFixture f(200);
    f.old_container().ports.clear();
    f.new_container().ports.clear();
    f.traffic.mode = TrafficMode::Coverage;
    f.new_behaviour.image_size = 500LL << 20;
    f.registry.bandwidth = 100LL << 20;  // 100Mi/s shared: one pull alone takes 5 s
    const auto at = [&](int percent) {
        f.strategy = UpdateStrategySpec{"RollingUpdate", true, IntOrString::of(std::to_string(percent) + "%"),
                                        IntOrString::of(0)};
        return f.run();
    };
    const auto ten = at(10);
    const auto fifty = at(50);
    REQUIRE(ten.completed);
    REQUIRE(fifty.completed);
    CHECK(ten.pulls == 200);
    // 20 concurrent pulls take 100 s each; 100 take 500 s: the bytes are the same.
    CHECK(ten.pull_seconds_mean == doctest::Approx(100).epsilon(0.05));
    CHECK(fifty.pull_seconds_mean == doctest::Approx(500).epsilon(0.05));
    const double speedup = ten.duration.to_seconds() / fifty.duration.to_seconds();
    CHECK(speedup < 1.5);  // proportional would be 5 (measured: 1335.6 s against 1067.2 s, 1.25x)
}

TEST_CASE("the config backend: concurrency 2 serialises four simultaneous starts in pairs") {
    WorldFixture f(4);
    f.idealised();
    f.old_container().ports.clear();
    f.new_container().ports.clear();
    f.traffic.mode = TrafficMode::Coverage;
    f.strategy = UpdateStrategySpec{"RollingUpdate", true, IntOrString::of("100%"), IntOrString::of(0)};
    f.config_backend.concurrency = 2;
    f.config_backend.time = DistributionSpec::constant(10);
    TraceLog log;
    const auto o = f.run(1, 0, &log);
    REQUIRE(o.completed);
    auto serving = log.of(TraceKind::Serving);
    REQUIRE(serving.size() == 4);
    // Own init 25 s, then 10 s at the backend: two at 35 s, two at 45 s.
    CHECK(serving[0].time.ms() == 35'000);
    CHECK(serving[1].time.ms() == 35'000);
    CHECK(serving[2].time.ms() == 45'000);
    CHECK(serving[3].time.ms() == 45'000);
}

TEST_CASE("§3.6, §6 faults: a missing arm64 image ends in ImagePullBackOff on arm64 nodes only") {
    WorldFixture f(4);
    for (std::uint32_t i = 0; i < 4; ++i) f.nodes[i].labels["kubernetes.io/arch"] = i < 2 ? "amd64" : "arm64";
    f.new_behaviour.image_architectures = {"amd64"};
    f.new_behaviour.image_pull = DistributionSpec::constant(3);
    TraceLog log;
    const auto o = f.run(1, 0, &log);
    CHECK(o.stalled);
    CHECK(o.image_pull_backoff_nodes == 1);  // maxUnavailable 1: the first arm64 node stops the rollout
    CHECK(contains(o.stall_key, "new pod in ImagePullBackOff: no linux/arm64 image (the image has amd64)"));
    for (const auto& r : log.of(TraceKind::ImagePullBackOff)) CHECK(f.nodes[r.node].labels["kubernetes.io/arch"] == "arm64");
    // The image back-off doubles from 10 s to 300 s (kubelet imageBackOff).
    const auto backoffs = log.of(TraceKind::ImagePullBackOff);
    REQUIRE(backoffs.size() >= 3);
    CHECK(backoffs[0].a == 10'000);
    CHECK(backoffs[1].a == 20'000);
    CHECK(backoffs[2].a == 40'000);

    SUBCASE("test-then-promote on one amd64 and one arm64 node catches it before the public rollout") {
        f.plan.kind = OperatorSpec::Kind::TestThenPromote;
        f.plan.canary_nodes = {0, 2};
        f.plan.then = model::default_and_validate(f.strategy).strategy;
        f.plan.timeout = SimTime::minutes(5);
        model::VariantModel v = f.build();
        v.test_revision = model::make_revision(2, f.new_template, "", f.new_behaviour);
        for (auto& p : v.test_revision.host_ports) p.port += 10000;
        model::assign_image_bits(v);
        v.test_eligibility.assign(f.nodes.size(), model::Eligibility{});
        for (model::NodeId n : f.plan.canary_nodes) v.test_eligibility[n] = v.new_eligibility[n];
        const auto t = run_trial(v);
        CHECK_FALSE(t.promoted);
        CHECK_FALSE(t.fault_reached_public);
        CHECK(contains(t.stall_key, "(node-2: ImagePullBackOff: no linux/arm64 image"));
    }
}

TEST_CASE("afterRestart: a revision that crashes on a cold start and works after a restart") {
    WorldFixture f(3);
    f.new_behaviour.crash_on_start = 1.0;
    f.new_behaviour.crash_on_start_after = DistributionSpec::constant(4);
    Behaviour warm = f.new_behaviour;
    warm.crash_on_start = 0;
    f.new_behaviour.after_restart = std::make_shared<const Behaviour>(warm);
    TraceLog log;
    const auto o = f.run(1, 0, &log);
    CHECK(o.completed);
    CHECK(o.restarts == 3);  // once per node, restarted at once (the first restart has no back-off)
    const auto is_new = [](const model::TraceRecord& r) { return r.revision == 1; };
    const auto exits = log.of(TraceKind::ContainerExited);
    const auto starts = log.of(TraceKind::ContainerStarted);
    const auto exit = std::find_if(exits.begin(), exits.end(), is_new);
    const auto start = std::find_if(starts.begin(), starts.end(), is_new);
    REQUIRE(exit != exits.end());
    REQUIRE(start != starts.end());
    // Crash 4 s after the cold start (crashOnStartAfter), not at listen (1 s).
    CHECK((exit->time - start->time).ms() == 4'000);
}

TEST_CASE("§1.17: a node that joins mid-rollout gets the new revision at once, a label change removes one") {
    WorldFixture f(3);
    f.nodes[2].present = false;
    f.events.push_back(event(ClusterEvent::Kind::Join, SimTime::seconds(10), {2}));
    auto o = f.run();
    CHECK(o.completed);
    CHECK(o.desired == 3);
    CHECK(o.updated == 3);

    SUBCASE("a Leave: PodGC removes the pods, the node leaves desired") {
        f.nodes[2].present = true;
        f.events = {event(ClusterEvent::Kind::Leave, SimTime::seconds(1), {2})};
        o = f.run();
        CHECK(o.completed);
        CHECK(o.desired == 2);
    }
    SUBCASE("labels: the new template selects zone=a; a node relabelled to zone b drops out") {
        f.nodes[2].present = true;
        for (auto& n : f.nodes) n.labels["zone"] = "a";
        f.old_template.node_selector = f.new_template.node_selector = {{"zone", "a"}};
        ClusterEvent relabel = event(ClusterEvent::Kind::Labels, SimTime::seconds(1), {1});
        relabel.labels["zone"] = "b";
        f.events = {relabel};
        o = f.run();
        CHECK(o.completed);
        CHECK(o.desired == 2);
    }
}

}  // TEST_SUITE

}  // namespace rollsim::test
