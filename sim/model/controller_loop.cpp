// The DaemonSet controller in a trial: what its informer handlers do with each watch event
// (daemon_controller.go addPod, updatePod, deletePod, updateDaemonset), its workqueue (one key
// per DaemonSet: every same-time handler folds into one sync, which runs in a later phase;
// AddAfter keeps the earliest wait), and the PodControl through which a sync creates and
// deletes pods. The sync itself is DaemonSetController::sync.

#include "model/api_server.hpp"
#include "model/controller_loop.hpp"
#include "model/node_lifecycle.hpp"
#include "model/operator.hpp"

namespace rollsim::model {

void ControllerLoop::reset() {
    for (std::uint8_t owner = 0; owner < Cluster::kMaxDaemonSets; ++owner) {
        dsc_[owner].reset(t_.v->version, t_.rng(kernel::stream_key("daemonset-controller"), owner),
                          t_.nodes.size(), owner);
        dsc_[owner].set_incremental(true);  // every write reports its node (Cluster::touch)
        sync_queued_[owner] = false;
        traced_status_[owner].reset();
    }
    syncing_ = 0;
    rolled_back_ = false;
    second_applied_ = false;
    promoted_at_.reset();
    completed_at_.reset();
}

void ControllerLoop::handle(const kernel::Event& e) {
    const auto owner = static_cast<std::uint8_t>(e.target);
    switch (static_cast<Ev>(e.kind)) {
        case Ev::CtlObserveCreate:
        case Ev::CtlObserveDelete:
        case Ev::CtlObserveUpdate:
        case Ev::CtlObserveReady:
            observe(static_cast<Ev>(e.kind), owner);
            break;
        case Ev::CtlWake:
            sync_after_watch(owner);
            break;
        case Ev::CtlSync:
            sync(owner);
            break;
        default:
            ROLLSIM_ASSERT(false);  // World::handle sends the controller only its kinds
            break;
    }
}

void ControllerLoop::observe(Ev kind, std::uint8_t owner) {
    switch (kind) {
        case Ev::CtlObserveCreate:
            dsc_[owner].creation_observed();
            break;
        case Ev::CtlObserveDelete:
            dsc_[owner].deletion_observed();
            break;
        case Ev::CtlObserveReady: {
            // updatePod: a pod turned Ready and minReadySeconds > 0: look again when it can be
            // available ("add a second to avoid milliseconds skew").
            const std::int32_t mrs = t_.cluster.daemonset(owner).min_ready_seconds;
            if (mrs > 0) wait_after(owner, SimTime::seconds(mrs + 1));
            break;
        }
        default:  // CtlObserveUpdate
            break;
    }
    op_.poke();
    sync_after_watch(owner);
}

void ControllerLoop::apply_template() {
    DaemonSetState& ds = t_.cluster.daemonset(0);
    ds.strategy = t_.v->strategy;
    ds.min_ready_seconds = t_.v->min_ready_seconds;
    promoted_at_ = t_.now();
    retarget(t_.v->new_revision.id, t_.v->new_eligibility, 0);
}

void ControllerLoop::roll_back() {
    // The previous ControllerRevision's template comes back with its hash, so the pods of the
    // live template count as updated again, and the proposed ones are rolled back (the
    // strategy, not part of the template, stays). After a second change, the previous
    // template is the first change's.
    rolled_back_ = true;
    if (second_applied_) {
        retarget(t_.v->new_revision.id, t_.v->new_eligibility, 1);
    } else {
        retarget(t_.v->old_revision.id, t_.v->old_eligibility, 1);
    }
}

void ControllerLoop::apply_second() {
    const SecondChangeModel& c = *t_.v->second;
    second_applied_ = true;
    DaemonSetState& ds = t_.cluster.daemonset(0);
    ds.strategy = c.strategy;
    ds.min_ready_seconds = c.min_ready_seconds;
    retarget(c.revision.id, c.eligibility, 2);
}

void ControllerLoop::retarget(std::uint16_t revision, const std::vector<Eligibility>& eligibility, std::int64_t why) {
    DaemonSetState& ds = t_.cluster.daemonset(0);
    ds.current_revision = revision;
    ++ds.generation;
    ds.eligibility.assign(eligibility.begin(), eligibility.end());
    if (t_.v->dynamic()) {
        for (NodeId n = 0; n < t_.nodes.size(); ++n) ds.eligibility[n] = lifecycle_.judge(0, n);
    }
    t_.trace(TraceKind::TemplateUpdated, 0, kNoPod, ds.generation, why);
    api_.notify_controller(Ev::CtlObserveUpdate, 0);
}

void ControllerLoop::enqueue_sync(std::uint8_t owner) {
    // The workqueue holds a key once: every same-time handler folds into one sync, which runs
    // in a later phase.
    if (sync_queued_[owner]) return;
    sync_queued_[owner] = true;
    t_.at(t_.now(), kPhaseControllerSync, Ev::CtlSync, owner);
}

void ControllerLoop::sync_after_watch(std::uint8_t owner) {
    // The handler's last act. The sync it queues would run after every other handler due now up
    // to the sync's phase; with none pending it would run next, so it runs now: the same work in
    // the same order, one event fewer.
    if (sync_queued_[owner]) return;
    if (t_.sim.pending_now(kPhaseControllerSync)) {
        enqueue_sync(owner);
    } else {
        sync(owner);
    }
}

void ControllerLoop::wait_after(std::uint8_t owner, SimTime delay) {
    // The delaying queue keeps one waiting entry per key, at the earliest time asked for.
    const SimTime when = t_.now() + delay;
    const std::uint32_t timer = owner == 0 ? kTimerControllerWake : kTimerTestWake;
    if (t_.sim.armed(timer) && t_.sim.due(timer) <= when) return;
    t_.sim.arm(timer, when, kPhaseControllerWatch, static_cast<std::uint16_t>(Ev::CtlWake), owner);
}

void ControllerLoop::sync(std::uint8_t owner) {
    sync_queued_[owner] = false;
    if (owner != 0 && !op_.test_active()) return;  // the test DaemonSet is gone
    syncing_ = owner;
    const SyncCounts c = dsc_[owner].sync(t_.cluster, t_.now(), *this);
    syncing_ = 0;
    if (c.creates + c.deletes > 0 && t_.tracing(TraceKind::ControllerSync)) {
        TraceRecord rec;
        rec.time = t_.now();
        rec.kind = TraceKind::ControllerSync;
        rec.owner = owner;
        rec.a = c.creates;
        rec.b = c.deletes;
        if (c.ran_rolling_update) {
            rec.budget = c.surge ? "maxSurge" : "maxUnavailable";
            rec.budget_max = c.budget_max;
            rec.budget_used = c.budget_used;
        }
        t_.sink->record(rec);
    }
    // The status the controller wrote (storeDaemonSetStatus skips an unchanged one): what
    // kube-state-metrics would scrape.
    if (t_.tracing(TraceKind::DaemonSetStatus)) {
        const DaemonSetState& ds = t_.cluster.daemonset(owner);
        if (traced_status_[owner] != ds.status) {
            traced_status_[owner] = ds.status;
            TraceRecord rec;
            rec.time = t_.now();
            rec.kind = TraceKind::DaemonSetStatus;
            rec.owner = owner;
            rec.a = ds.generation;
            rec.status = &ds.status;
            t_.sink->record(rec);
        }
    }
    // A rollout rolled back before it completed never completes: the undo is not the change.
    // With a second change to come, the first one completing is not the end.
    const bool last_change = !t_.v->second || second_applied_;
    if (owner == 0 && promoted_at_ && !completed_at_ && !rolled_back_ && last_change &&
        DaemonSetController::rollout_complete(t_.cluster.daemonset())) {
        completed_at_ = t_.now();
        t_.trace(TraceKind::RolloutComplete, 0, kNoPod);
    }
}

void ControllerLoop::create_pod(NodeId node) { api_.create_pod(node, syncing_); }

void ControllerLoop::delete_pod(PodId pod) { api_.delete_pod(pod); }

}  // namespace rollsim::model
