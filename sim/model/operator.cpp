// The operator: a person (or a script) who drives a rollout through the API when the
// DaemonSet controller alone is not the plan.
//
//  - Batches (updateStrategy OnDelete): delete the old pods of the next k nodes, in the
//    cluster's order (`kubectl delete pod`, graceful); wait until each of those nodes has a
//    Ready pod of the new revision; soak; repeat. The controller replaces each deleted pod
//    (manage), since with OnDelete it never deletes old pods itself.
//  - Canary: the same for the canary nodes only, then a patch of the DaemonSet's
//    updateStrategy to the rolling strategy given (a spec change without a template change:
//    the generation goes up, the hash does not), and the controller rolls the rest. This is
//    how a canary is done on plain Kubernetes; OpenKruise's partition does the same in one
//    object.
//  - A batch that is not Ready within the timeout stops the operator: the rollout halts there.
// The operator watches pods like the controller does: it acts a watch latency after a change.

#include <algorithm>

#include <fmt/format.h>

#include "model/world.hpp"

namespace rollsim::model {

void World::operator_poke() {
    if (v_->plan.kind == OperatorSpec::Kind::None || op_.done || op_.failure || op_.queued) return;
    op_.queued = true;
    at(sim_.now(), kPhaseOperator, Ev::OpCheck, 0);
}

bool World::operator_batch_ready() const {
    const DaemonSetState& ds = cluster_.daemonset();
    for (NodeId node : op_.batch) {
        bool ready = false;
        for (PodId id : cluster_.pods_on(node)) {
            const Pod& p = cluster_.pod(id);
            ready = ready || (p.revision == ds.current_revision && p.ready && !p.terminating());
        }
        if (!ready) return false;
    }
    return true;
}

void World::operator_check() {
    op_.queued = false;
    if (op_.done || op_.failure || op_.soaking) return;
    if (v_->plan.kind == OperatorSpec::Kind::TestThenPromote) {
        test_check();
        return;
    }
    if (!op_.batch.empty()) {
        if (!operator_batch_ready()) return;
        sim_.cancel(kTimerOperator);
        if (v_->plan.soak > SimTime::zero()) {
            op_.soaking = true;
            sim_.arm(kTimerOperator, sim_.now() + v_->plan.soak, kPhaseOperator,
                     static_cast<std::uint16_t>(Ev::OpSoakDone), 0);
            return;
        }
        op_.batch.clear();
    }
    operator_next_batch();
}

void World::operator_next_batch() {
    const OperatorPlan& plan = v_->plan;
    DaemonSetState& ds = cluster_.daemonset();
    // The nodes still holding an old pod, in the cluster's order (or the canary's nodes).
    const auto has_old = [&](NodeId node) {
        return std::any_of(cluster_.pods_on(node).begin(), cluster_.pods_on(node).end(), [&](PodId id) {
            const Pod& p = cluster_.pod(id);
            return p.counted_by_controller() && !p.terminating() && p.revision != ds.current_revision;
        });
    };
    std::size_t want = 0;
    if (plan.kind == OperatorSpec::Kind::Batches) {
        std::int32_t desired = 0;
        for (const Eligibility& e : ds.eligibility) desired += e.should_run ? 1 : 0;
        want = static_cast<std::size_t>(std::max(1, scaled_value(plan.batch, desired)));
        for (; op_.next < cluster_.node_count() && op_.batch.size() < want; ++op_.next) {
            if (has_old(static_cast<NodeId>(op_.next))) op_.batch.push_back(static_cast<NodeId>(op_.next));
        }
    } else if (!op_.patched) {
        for (NodeId node : plan.canary_nodes) {
            if (has_old(node)) op_.batch.push_back(node);
        }
        if (op_.batch.empty() && op_.next > 0) {
            // The canary is done: hand the rest to the controller.
            ds.strategy = plan.then;
            ++ds.generation;
            op_.patched = true;
            op_.done = true;
            trace(TraceKind::TemplateUpdated, 0, kNoPod, ds.generation);
            notify_controller(Ev::CtlObserveUpdate, 0);
            return;
        }
        op_.next = 1;  // the canary batch has been taken
    }
    if (op_.batch.empty()) {
        op_.done = true;
        return;
    }
    for (NodeId node : op_.batch) {
        for (PodId id : cluster_.pods_on(node)) {
            const Pod& p = cluster_.pod(id);
            if (p.counted_by_controller() && !p.terminating() && p.revision != ds.current_revision) {
                delete_pod(id);
                break;
            }
        }
    }
    sim_.arm(kTimerOperator, sim_.now() + plan.timeout, kPhaseOperator,
             static_cast<std::uint16_t>(Ev::OpTimeout), 0);
}

void World::operator_timeout() {
    if (v_->plan.kind == OperatorSpec::Kind::TestThenPromote) {
        if (!op_.test_active || test_all_serving()) return;
        // The first chosen node whose test pod does not serve says why.
        std::string why = "no test pod";
        std::string where;
        for (NodeId node = 0; node < cluster_.node_count() && where.empty(); ++node) {
            if (!cluster_.daemonset(1).eligibility[node].should_run) continue;
            for (PodId id : cluster_.pods_on(node)) {
                const Pod& p = cluster_.pod(id);
                const PodRuntime& r = runtime_[id];
                if (p.owner != 1 || r.serving) continue;
                where = (*v_->nodes)[node].name;
                if (!p.scheduled && r.unschedulable != Unschedulable::None) {
                    why = "Pending: " + unschedulable_text(id);
                } else if (r.stage == Stage::ImageError) {
                    why = "image absent and imagePullPolicy Never";
                } else if (r.stage == Stage::ImagePullBackOff) {
                    why = image_pull_text(id);
                } else if (r.restarts > 0 || r.stage == Stage::BackOff) {
                    why = fmt::format("CrashLoopBackOff ({} restarts)", r.restarts);
                } else {
                    why = r.running ? "running, not serving" : "not running";
                }
                break;
            }
        }
        op_.failure = fmt::format("the test caught the change before the public rollout: the test pods did not "
                                  "serve within {}s ({}: {})",
                                  v_->plan.timeout.whole_seconds(), where.empty() ? "?" : where, why);
        trace(TraceKind::TestFailed, 0, kNoPod);
        op_.test_ended_at = sim_.now();
        test_remove();
        return;
    }
    if (op_.batch.empty() || operator_batch_ready()) return;
    const auto& nodes = *v_->nodes;
    std::vector<std::string> names;
    for (NodeId node : op_.batch) names.push_back(nodes[node].name);
    op_.failure = fmt::format("batch of {} not Ready after {}s ({})", op_.batch.size(),
                              v_->plan.timeout.whole_seconds(), fmt::join(names, ", "));
}

// Test-then-promote (the parallel test DaemonSet of docs/model.md): the operator creates a
// second DaemonSet with the new template on alternate host ports on the chosen nodes, waits
// until every one of its pods answers a real request (checked every `poll`), then deletes it and
// applies the new template to the public DaemonSet with the chosen strategy. If the test pods do
// not all serve within the timeout, the test DaemonSet is deleted and the public one is never
// touched. The test pods' requests count on each node; their ports do not collide.

void World::test_start() {
    DaemonSetState& t = cluster_.daemonset(1);
    t.current_revision = v_->test_revision.id;
    t.generation = 1;
    t.strategy = UpdateStrategy{};
    t.min_ready_seconds = 0;
    t.eligibility.assign(v_->test_eligibility.begin(), v_->test_eligibility.end());
    if (v_->dynamic()) {
        for (NodeId n = 0; n < nodes_.size(); ++n) t.eligibility[n] = judge(1, n);
    }
    op_.test_active = true;
    trace(TraceKind::TestStarted, 0, kNoPod);
    notify_controller(Ev::CtlObserveUpdate, 1);
    sim_.arm(kTimerOperator, sim_.now() + v_->plan.timeout, kPhaseOperator,
             static_cast<std::uint16_t>(Ev::OpTimeout), 0);
}

bool World::test_all_serving() const {
    for (NodeId node = 0; node < cluster_.node_count(); ++node) {
        if (!cluster_.daemonset(1).eligibility[node].should_run) continue;
        bool serving = false;
        for (PodId id : cluster_.pods_on(node)) {
            serving = serving || (cluster_.pod(id).owner == 1 && runtime_[id].serving);
        }
        if (!serving) return false;
    }
    return true;
}

void World::test_check() {
    if (!op_.test_active || sim_.armed(kTimerVerify) || !test_all_serving()) return;
    // The operator's check runs every `poll` from the start: the first one after every test pod
    // serves passes.
    const std::int64_t poll = v_->plan.poll.ms();
    const std::int64_t k = (sim_.now().ms() + poll - 1) / poll;
    sim_.arm(kTimerVerify, SimTime::millis(k * poll), kPhaseOperator, static_cast<std::uint16_t>(Ev::OpVerify), 0);
}

void World::test_verify() {
    if (!op_.test_active) return;
    if (!test_all_serving()) return;  // a test pod stopped serving since: wait for it again
    sim_.cancel(kTimerOperator);
    trace(TraceKind::TestPassed, 0, kNoPod);
    op_.test_ended_at = sim_.now();
    test_remove();
    op_.done = true;
    apply_template(0);
}

void World::test_remove() {
    // Deleting the test DaemonSet: the garbage collector deletes its pods (gracefully).
    op_.test_active = false;
    sim_.cancel(kTimerVerify);
    for (std::size_t id = 0; id < cluster_.pod_slots(); ++id) {
        const Pod& p = cluster_.pod(static_cast<PodId>(id));
        if (p.live() && p.owner == 1 && !p.terminating()) delete_pod(static_cast<PodId>(id));
    }
}

}  // namespace rollsim::model
