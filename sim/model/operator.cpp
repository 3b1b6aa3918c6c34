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

#include "model/api_server.hpp"
#include "model/controller_loop.hpp"
#include "model/kubelet.hpp"
#include "model/node_lifecycle.hpp"
#include "model/operator.hpp"
#include "model/scheduler.hpp"

namespace rollsim::model {

void Operator::reset() {
    auto keep = std::move(s_.batch);
    keep.clear();
    s_ = State{};
    s_.batch = std::move(keep);
    rolled_back_at_.reset();
    const auto* rollbacks = t_.v->rollbacks;
    unavailable_since_.assign(rollbacks == nullptr ? 0 : rollbacks->size(), std::nullopt);
    for (std::uint32_t i = 0; i < unavailable_since_.size(); ++i) {
        const RollbackAction& a = (*rollbacks)[i];
        if (a.at || a.not_complete_after) {
            t_.at(a.at ? *a.at : *a.not_complete_after, kPhaseOperator, Ev::OpRollback, i);
        } else {
            t_.at(kRollbackPoll, kPhaseOperator, Ev::OpRollbackWatch, i);
        }
    }
}

void Operator::handle(const kernel::Event& e) {
    switch (static_cast<Ev>(e.kind)) {
        case Ev::OpCheck:
            check();
            break;
        case Ev::OpSoakDone:
            s_.soaking = false;
            s_.batch.clear();
            check();
            break;
        case Ev::OpTimeout:
            timeout();
            break;
        case Ev::OpVerify:
            test_verify();
            break;
        case Ev::OpRollback:
            rollback_due(e.target);
            break;
        case Ev::OpRollbackWatch:
            rollback_watch(e.target);
            break;
        default:
            ROLLSIM_ASSERT(false);  // World::handle sends the operator only its kinds
            break;
    }
}

void Operator::poke() {
    if (t_.v->plan.kind == OperatorSpec::Kind::None || s_.done || s_.failure || s_.queued) return;
    s_.queued = true;
    t_.at(t_.now(), kPhaseOperator, Ev::OpCheck, 0);
}

bool Operator::batch_ready() const {
    const DaemonSetState& ds = t_.cluster.daemonset();
    for (NodeId node : s_.batch) {
        bool ready = false;
        for (PodId id : t_.cluster.pods_on(node)) {
            const Pod& p = t_.cluster.pod(id);
            ready = ready || (p.revision == ds.current_revision && p.ready && !p.terminating());
        }
        if (!ready) return false;
    }
    return true;
}

void Operator::check() {
    s_.queued = false;
    if (s_.done || s_.failure || s_.soaking) return;
    if (t_.v->plan.kind == OperatorSpec::Kind::TestThenPromote) {
        test_check();
        return;
    }
    if (!s_.batch.empty()) {
        if (!batch_ready()) return;
        t_.sim.cancel(kTimerOperator);
        if (t_.v->plan.soak > SimTime::zero()) {
            s_.soaking = true;
            t_.sim.arm(kTimerOperator, t_.now() + t_.v->plan.soak, kPhaseOperator,
                     static_cast<std::uint16_t>(Ev::OpSoakDone), 0);
            return;
        }
        s_.batch.clear();
    }
    next_batch();
}

void Operator::next_batch() {
    const OperatorPlan& plan = t_.v->plan;
    DaemonSetState& ds = t_.cluster.daemonset();
    // The nodes still holding an old pod, in the cluster's order (or the canary's nodes).
    const auto has_old = [&](NodeId node) {
        return std::any_of(t_.cluster.pods_on(node).begin(), t_.cluster.pods_on(node).end(), [&](PodId id) {
            const Pod& p = t_.cluster.pod(id);
            return p.counted_by_controller() && !p.terminating() && p.revision != ds.current_revision;
        });
    };
    std::size_t want = 0;
    if (plan.kind == OperatorSpec::Kind::Batches) {
        std::int32_t desired = 0;
        for (const Eligibility& e : ds.eligibility) desired += e.should_run ? 1 : 0;
        want = static_cast<std::size_t>(std::max(1, scaled_value(plan.batch, desired)));
        for (; s_.next < t_.cluster.node_count() && s_.batch.size() < want; ++s_.next) {
            if (has_old(static_cast<NodeId>(s_.next))) s_.batch.push_back(static_cast<NodeId>(s_.next));
        }
    } else if (!s_.patched) {
        for (NodeId node : plan.canary_nodes) {
            if (has_old(node)) s_.batch.push_back(node);
        }
        if (s_.batch.empty() && s_.next > 0) {
            // The canary is done: hand the rest to the controller.
            ds.strategy = plan.then;
            ++ds.generation;
            s_.patched = true;
            s_.done = true;
            t_.trace(TraceKind::TemplateUpdated, 0, kNoPod, ds.generation);
            api_.notify_controller(Ev::CtlObserveUpdate, 0);
            return;
        }
        s_.next = 1;  // the canary batch has been taken
    }
    if (s_.batch.empty()) {
        s_.done = true;
        return;
    }
    for (NodeId node : s_.batch) {
        for (PodId id : t_.cluster.pods_on(node)) {
            const Pod& p = t_.cluster.pod(id);
            if (p.counted_by_controller() && !p.terminating() && p.revision != ds.current_revision) {
                api_.delete_pod(id);
                break;
            }
        }
    }
    t_.sim.arm(kTimerOperator, t_.now() + plan.timeout, kPhaseOperator,
             static_cast<std::uint16_t>(Ev::OpTimeout), 0);
}

void Operator::timeout() {
    if (t_.v->plan.kind == OperatorSpec::Kind::TestThenPromote) {
        if (!s_.test_active || test_all_serving()) return;
        // The first chosen node whose test pod does not serve says why.
        Stall caught;
        caught.kind = Stall::Kind::TestCaught;
        for (NodeId node = 0; node < t_.cluster.node_count() && caught.node == kNoNode; ++node) {
            if (!t_.cluster.daemonset(1).eligibility[node].should_run) continue;
            for (PodId id : t_.cluster.pods_on(node)) {
                const Pod& p = t_.cluster.pod(id);
                const PodRuntime& r = t_.pods[id];
                if (p.owner != 1 || r.main.serving) continue;
                caught.node = node;
                if (not_started(t_, id, caught)) {
                    // Pending, or no image
                } else if (r.restarts() > 0 || r.any(ContainerStage::BackOff)) {
                    caught.trouble = PodTrouble::CrashLoopBackOff;
                    caught.restarts = r.restarts();
                } else {
                    caught.trouble = r.main.running ? PodTrouble::RunningNotServing : PodTrouble::NotRunning;
                }
                break;
            }
        }
        s_.failure = std::move(caught);
        t_.trace(TraceKind::TestFailed, 0, kNoPod);
        s_.test_ended_at = t_.now();
        test_remove();
        return;
    }
    if (s_.batch.empty() || batch_ready()) return;
    Stall late;
    late.kind = Stall::Kind::BatchTimeout;
    late.nodes = s_.batch;
    s_.failure = std::move(late);
}

// Test-then-promote (the parallel test DaemonSet of docs/model.md): the operator creates a
// second DaemonSet with the new template on alternate host ports on the chosen nodes, waits
// until every one of its pods answers a real request (checked every `poll`), then deletes it and
// applies the new template to the public DaemonSet with the chosen strategy. If the test pods do
// not all serve within the timeout, the test DaemonSet is deleted and the public one is never
// touched. The test pods' requests count on each node; their ports do not collide.

void Operator::test_start() {
    DaemonSetState& test = t_.cluster.daemonset(1);
    test.current_revision = t_.v->test_revision.id;
    test.generation = 1;
    test.strategy = UpdateStrategy{};
    test.min_ready_seconds = 0;
    test.eligibility.assign(t_.v->test_eligibility.begin(), t_.v->test_eligibility.end());
    if (t_.v->dynamic()) {
        for (NodeId n = 0; n < t_.nodes.size(); ++n) test.eligibility[n] = lifecycle_.judge(1, n);
    }
    s_.test_active = true;
    t_.trace(TraceKind::TestStarted, 0, kNoPod);
    api_.notify_controller(Ev::CtlObserveUpdate, 1);
    t_.sim.arm(kTimerOperator, t_.now() + t_.v->plan.timeout, kPhaseOperator,
             static_cast<std::uint16_t>(Ev::OpTimeout), 0);
}

bool Operator::test_all_serving() const {
    for (NodeId node = 0; node < t_.cluster.node_count(); ++node) {
        if (!t_.cluster.daemonset(1).eligibility[node].should_run) continue;
        bool serving = false;
        for (PodId id : t_.cluster.pods_on(node)) {
            serving = serving || (t_.cluster.pod(id).owner == 1 && t_.pods[id].main.serving);
        }
        if (!serving) return false;
    }
    return true;
}

void Operator::test_check() {
    if (!s_.test_active || t_.sim.armed(kTimerVerify) || !test_all_serving()) return;
    // The operator's check runs every `poll` from the start: the first one after every test pod
    // serves passes.
    const std::int64_t poll = t_.v->plan.poll.ms();
    const std::int64_t k = (t_.now().ms() + poll - 1) / poll;
    t_.sim.arm(kTimerVerify, SimTime::millis(k * poll), kPhaseOperator, static_cast<std::uint16_t>(Ev::OpVerify), 0);
}

void Operator::test_verify() {
    if (!s_.test_active) return;
    if (!test_all_serving()) return;  // a test pod stopped serving since: wait for it again
    t_.sim.cancel(kTimerOperator);
    t_.trace(TraceKind::TestPassed, 0, kNoPod);
    s_.test_ended_at = t_.now();
    test_remove();
    s_.done = true;
    controller_.apply_template();
}

void Operator::test_remove() {
    // Deleting the test DaemonSet: the garbage collector deletes its pods (gracefully).
    s_.test_active = false;
    t_.sim.cancel(kTimerVerify);
    for (std::size_t id = 0; id < t_.cluster.pod_slots(); ++id) {
        const Pod& p = t_.cluster.pod(static_cast<PodId>(id));
        if (p.live() && p.owner == 1 && !p.terminating()) api_.delete_pod(static_cast<PodId>(id));
    }
}

}  // namespace rollsim::model
