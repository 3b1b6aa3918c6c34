#include "model/world.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "kernel/assert.hpp"

namespace rollsim::model {

using kernel::stream_key;

// ---------------------------------------------------------------------------------------------
// Trial set-up

TrialOutcome World::run_trial(const VariantModel& v, std::uint64_t seed, std::uint64_t trial,
                              TraceSink* trace) {
    setup(v, seed, trial, trace);
    return finish();
}

TrialOutcome World::finish() {
    const kernel::RunEnd end = sim_.run(*this, v_->horizon);
    return outcome(end);
}

void World::setup(const VariantModel& v, std::uint64_t seed, std::uint64_t trial,
                  TraceSink* trace) {
    v_ = &v;
    trace_ = trace;
    const std::size_t n = v.nodes->size();
    sim_.reset(seed, trial);
    sim_.resize_timers(kGlobalTimers + n);
    cluster_.reset(n);
    for (auto& r : runtime_) r = PodRuntime{};
    nodes_.assign(n, NodeRuntime{});
    for (std::uint8_t owner = 0; owner < Cluster::kMaxDaemonSets; ++owner) {
        dsc_[owner].reset(v.version, sim_.rng(stream_key("daemonset-controller"), owner), n, owner);
        dsc_[owner].set_incremental(true);  // every write below reports its node (Cluster::touch)
        sync_queued_[owner] = false;
    }
    syncing_ = 0;
    op_.reset();
    completed_at_.reset();
    restarts_total_ = 0;
    dynamics_setup();

    // The live DaemonSet: its template's eligibility, one old pod per eligible node. Nodes that
    // join later are neither eligible nor tracked until they join.
    DaemonSetState& ds = cluster_.daemonset();
    ds.current_revision = v.old_revision.id;
    ds.generation = 1;
    ds.strategy = v.strategy;
    ds.min_ready_seconds = v.min_ready_seconds;
    ds.eligibility.assign(v.old_eligibility.begin(), v.old_eligibility.end());
    for (NodeId node = 0; node < n; ++node) {
        if (!nodes_[node].present) ds.eligibility[node] = Eligibility{};
        nodes_[node].tracked = nodes_[node].present &&
                               (v.old_eligibility[node].should_run || v.new_eligibility[node].should_run);
    }
    setting_up_ = true;
    traffic_reset();
    for (NodeId node = 0; node < n; ++node) {
        if (ds.eligibility[node].should_run) place_old_pod(node);
        nodes_[node].images |= v.old_revision.image_bit;
    }
    setting_up_ = false;
    traffic_start();
    if (trace_ != nullptr) trace_baseline();
    // Steady state before the change: one sync writes the status (nothing to do).
    dsc_[0].sync(cluster_, SimTime::zero(), *this);
    // At t = 0 the proposed DaemonSet is applied, or, to test first, the test DaemonSet is
    // created beside the live one.
    at(SimTime::zero(), kPhaseApi, Ev::TemplateUpdated,
       v.plan.kind == OperatorSpec::Kind::TestThenPromote ? 1 : 0);
}

void World::trace_baseline() {
    for (NodeId node = 0; node < nodes_.size(); ++node) {
        const NodeRuntime& nr = nodes_[node];
        if (!nr.tracked) continue;
        const auto& pods = cluster_.pods_on(node);
        trace(TraceKind::Baseline, node, pods.empty() ? kNoPod : pods.front(), nr.c_serving ? 1 : 0, nr.c_broken ? 1 : 0);
    }
}

void World::place_old_pod(NodeId node) {
    // A pod that has been running for an hour: Ready, available, every probe settled.
    const SimTime long_ago = SimTime::hours(-1);
    NodeRuntime& nr = nodes_[node];
    const std::uint32_t serial = ++nr.pod_serial;
    const std::uint64_t entity = (std::uint64_t{node} << 32) | serial;
    const PodId id = cluster_.add_pod(node, v_->old_revision.id, long_ago,
                                      sim_.rng(stream_key("pod-name"), entity).next());
    if (runtime_.size() <= id) runtime_.resize(id + 1);
    Pod& p = cluster_.pod(id);
    p.scheduled = true;
    p.phase = PodPhase::Running;
    p.ready = true;
    p.ready_since = long_ago;
    PodRuntime& r = rt(id);
    r = PodRuntime{};
    r.uid = p.uid;
    r.serial = serial;
    r.stage = Stage::Running;
    r.starts = 1;
    r.running = r.visible = r.listening = r.serving = r.served = r.started = r.ready = true;
    r.started_at = r.ready_at = long_ago;
    r.endpoint_ready = true;
    r.jitter = sim_.rng(stream_key("kubelet-jitter"), entity);
    // The probe tickers of a long-running pod have an arbitrary phase relative to t = 0.
    kernel::Rng phase = sim_.rng(stream_key("probe-phase"), entity);
    for (int k = 0; k < 3; ++k) {
        const auto kind = static_cast<ProbeKind>(k);
        ProbeWorker& w = r.probes[k];
        w.reset_for_new_container(kind);
        const ProbeParams& pp = v_->old_revision.probe(kind);
        w.anchor = SimTime::millis(-static_cast<std::int64_t>(
            phase.below(static_cast<std::uint64_t>(pp.period.ms()))));
        w.published = w.last = ProbeResult::Success;
        w.run = 1;
    }
    pod_traffic_changed(id);
}

// ---------------------------------------------------------------------------------------------
// Dispatch

bool World::handle(const kernel::Event& e) {
    const auto pod_ok = [&](std::uint32_t id) {
        return id < cluster_.pod_slots() && cluster_.pod(id).uid == e.payload;
    };
    switch (static_cast<Ev>(e.kind)) {
        case Ev::TemplateUpdated:
            if (e.target == 0) {
                apply_template(0);
            } else {
                test_start();
            }
            break;
        case Ev::CtlObserveCreate: {
            const auto owner = static_cast<std::uint8_t>(e.target);
            dsc_[owner].creation_observed();
            enqueue_sync(owner);
            operator_poke();
            break;
        }
        case Ev::CtlObserveDelete: {
            const auto owner = static_cast<std::uint8_t>(e.target);
            dsc_[owner].deletion_observed();
            enqueue_sync(owner);
            operator_poke();
            break;
        }
        case Ev::CtlObserveUpdate:
            enqueue_sync(static_cast<std::uint8_t>(e.target));
            operator_poke();
            break;
        case Ev::CtlObserveReady: {
            // updatePod: a pod turned Ready and minReadySeconds > 0: look again when it can be
            // available ("add a second to avoid milliseconds skew").
            const auto owner = static_cast<std::uint8_t>(e.target);
            const std::int32_t mrs = cluster_.daemonset(owner).min_ready_seconds;
            if (mrs > 0) wait_after(owner, SimTime::seconds(mrs + 1));
            enqueue_sync(owner);
            operator_poke();
            break;
        }
        case Ev::CtlWake:
            enqueue_sync(static_cast<std::uint8_t>(e.target));
            break;
        case Ev::CtlSync:
            controller_sync(static_cast<std::uint8_t>(e.target));
            break;
        case Ev::SchedAttempt:
            schedule_attempt(e.target);
            break;
        case Ev::SchedBind:
            if (pod_ok(e.target)) bind(e.target);
            break;
        case Ev::SchedObservePodGone:
            retry_pending_on(e.target);
            break;
        case Ev::ApiStatusWrite:
            // A write in flight when the node stopped is lost; the kubelet writes again when
            // it is back.
            if (pod_ok(e.target) && kubelet_can_act(e.target)) apply_status(e.target);
            break;
        case Ev::ApiObjectDelete:
            if (pod_ok(e.target) && kubelet_can_act(e.target)) remove_pod_object(e.target);
            break;
        case Ev::LbCheck:
            lb_check(e.target);
            break;
        case Ev::EndpointSync:
            if (pod_ok(e.target)) endpoint_sync(e.target);
            break;
        case Ev::OpCheck:
            operator_check();
            break;
        case Ev::OpSoakDone:
            op_.soaking = false;
            op_.batch.clear();
            operator_check();
            break;
        case Ev::OpTimeout:
            operator_timeout();
            break;
        case Ev::OpVerify:
            test_verify();
            break;
        case Ev::ClusterEventStart:
        case Ev::ClusterEventEnd:
            cluster_event(e.target, e.payload, static_cast<Ev>(e.kind) == Ev::ClusterEventStart);
            break;
        case Ev::NodeMonitor:
            node_monitor(e.target);
            break;
        case Ev::PodGcOrphans:
            pod_gc_orphans(e.target);
            break;
        case Ev::OtherPodExit:
            if (!nodes_[e.target].kubelet_down) other_pod_exit(e.target, e.payload);
            break;
        case Ev::OtherPodGone:
            other_pod_gone(e.target, e.payload);
            break;
        case Ev::EvictionTick:
            eviction_tick(e.target);
            break;
        case Ev::PressureEnd:
            pressure_end(e.target, static_cast<std::uint8_t>(e.payload));
            break;
        case Ev::RegistryProgress:
            registry_progress();
            break;
        default:  // the kubelets', the processes' and the config backend's
            kubelet_event(e);
            break;
    }
    return true;
}

// ---------------------------------------------------------------------------------------------
// The API server and the controller's informer

void World::notify_controller(Ev kind, std::uint8_t owner) {
    at(sim_.now() + v_->latencies.watch, kPhaseControllerWatch, kind, owner);
}

void World::apply_template(std::uint8_t owner) {
    DaemonSetState& ds = cluster_.daemonset(owner);
    ds.current_revision = v_->new_revision.id;
    ++ds.generation;
    ds.strategy = v_->strategy;
    ds.min_ready_seconds = v_->min_ready_seconds;
    ds.eligibility.assign(v_->new_eligibility.begin(), v_->new_eligibility.end());
    if (v_->dynamic()) {
        for (NodeId n = 0; n < nodes_.size(); ++n) ds.eligibility[n] = judge(owner, n);
    }
    op_.promoted_at = sim_.now();
    trace(TraceKind::TemplateUpdated, 0, kNoPod, ds.generation);
    notify_controller(Ev::CtlObserveUpdate, owner);
}

void World::enqueue_sync(std::uint8_t owner) {
    // The workqueue holds a key once: every same-time handler folds into one sync, which runs
    // in a later phase.
    if (sync_queued_[owner]) return;
    sync_queued_[owner] = true;
    at(sim_.now(), kPhaseControllerSync, Ev::CtlSync, owner);
}

void World::enqueue_after(SimTime delay) { wait_after(syncing_, delay); }

void World::wait_after(std::uint8_t owner, SimTime delay) {
    // The delaying queue keeps one waiting entry per key, at the earliest time asked for.
    const SimTime when = sim_.now() + delay;
    const std::uint32_t timer = wake_timer(owner);
    if (sim_.armed(timer) && sim_.due(timer) <= when) return;
    sim_.arm(timer, when, kPhaseControllerWatch, static_cast<std::uint16_t>(Ev::CtlWake), owner);
}

void World::record_event(ControllerEventKind, PodId) {}

void World::controller_sync(std::uint8_t owner) {
    sync_queued_[owner] = false;
    if (owner != 0 && !op_.test_active) return;  // the test DaemonSet is gone
    syncing_ = owner;
    const SyncCounts c = dsc_[owner].sync(cluster_, sim_.now(), *this);
    syncing_ = 0;
    if (c.creates + c.deletes > 0 && trace_ != nullptr) {
        TraceRecord rec;
        rec.time = sim_.now();
        rec.kind = TraceKind::ControllerSync;
        rec.owner = owner;
        rec.a = c.creates;
        rec.b = c.deletes;
        if (c.ran_rolling_update) {
            rec.budget = c.surge ? "maxSurge" : "maxUnavailable";
            rec.budget_max = c.budget_max;
            rec.budget_used = c.budget_used;
        }
        trace_->record(rec);
    }
    if (owner == 0 && op_.promoted_at && !completed_at_ &&
        DaemonSetController::rollout_complete(cluster_.daemonset())) {
        completed_at_ = sim_.now();
        trace(TraceKind::RolloutComplete, 0, kNoPod);
    }
}

void World::create_pod(NodeId node) {
    NodeRuntime& nr = nodes_[node];
    const std::uint32_t serial = ++nr.pod_serial;
    const std::uint64_t entity = (std::uint64_t{node} << 32) | serial;
    const PodId id = cluster_.add_pod(node, cluster_.daemonset(syncing_).current_revision, sim_.now(),
                                      sim_.rng(stream_key("pod-name"), entity).next(), syncing_);
    if (runtime_.size() <= id) runtime_.resize(id + 1);
    PodRuntime& r = rt(id);
    r = PodRuntime{};
    r.uid = cluster_.pod(id).uid;
    r.serial = serial;
    r.jitter = sim_.rng(stream_key("kubelet-jitter"), entity);
    sim_.note((std::uint64_t{1} << 63) | node);  // which node: the event triple shows only the slot
    trace(TraceKind::PodCreated, node, id);
    notify_controller(Ev::CtlObserveCreate, syncing_);
    arm_pod(id, kSlotSched, sim_.now() + v_->latencies.watch, kPhaseScheduler, Ev::SchedAttempt);
}

void World::delete_pod(PodId pod) {
    Pod& p = cluster_.pod(pod);
    sim_.note((std::uint64_t{1} << 62) | p.node);
    // registry/core/pod strategy.go CheckGracefulDelete: an unscheduled or terminal pod goes at
    // once (grace 0); otherwise the grace is spec.terminationGracePeriodSeconds.
    if (!p.scheduled || p.terminal()) {
        trace(TraceKind::PodDeleted, p.node, pod, 0);
        remove_pod_object(pod);
        return;
    }
    if (p.terminating()) return;
    if (revision_of(p).grace == SimTime::zero()) {
        // terminationGracePeriodSeconds 0 is a force deletion: the store deletes a pod whose
        // grace is 0 at once (apiserver registry/generic/registry/store.go Delete, after
        // rest.BeforeDelete), so the controller may replace it while its process still runs.
        trace(TraceKind::PodDeleted, p.node, pod, 0);
        if (p.owner == 0) detach_container(pod);
        remove_pod_object(pod);
        return;
    }
    p.deletion = sim_.now();
    cluster_.touch(p.node);
    trace(TraceKind::PodDeleted, p.node, pod, revision_of(p).grace.ms());
    if (p.owner == 0) pod_traffic_changed(pod);  // a pod being deleted is not false-ready
    // updatePod sees the deletionTimestamp and counts the deletion as observed at once.
    notify_controller(Ev::CtlObserveDelete, p.owner);
    const SimTime seen = sim_.now() + v_->latencies.watch;
    at(seen, kPhaseKubelet, Ev::KlSeeDeletion, pod, p.uid);
    if (v_->traffic.mode == TrafficMode::Service) {
        at(seen + v_->traffic.endpoint_propagation, kPhaseTraffic, Ev::EndpointSync, pod, p.uid);
    }
}

void World::write_status(PodId pod) {
    // The status manager writes the kubelet's latest view to the API.
    if (!kubelet_can_act(pod)) return;
    at(sim_.now() + v_->latencies.status_update, kPhaseApi, Ev::ApiStatusWrite, pod,
       cluster_.pod(pod).uid);
}

void World::apply_status(PodId pod) {
    Pod& p = cluster_.pod(pod);
    const PodRuntime& r = rt(pod);
    PodPhase phase = PodPhase::Pending;
    if (r.stage == Stage::Terminated) {
        // kubelet_pods.go getPhase for a terminal pod: Succeeded if every container exited 0.
        // An evicted or rejected pod is Failed (reason Evicted) whatever its exit code.
        phase = r.last_exit_ok && r.starts > 0 && !r.evicted ? PodPhase::Succeeded : PodPhase::Failed;
    } else if (r.starts > 0) {
        phase = PodPhase::Running;
    }
    const bool ready_changed = p.ready != r.ready;
    if (!ready_changed && p.phase == phase) return;
    const bool became_terminal = !p.terminal() && (phase == PodPhase::Succeeded ||
                                                   phase == PodPhase::Failed);
    cluster_.touch(p.node);
    p.phase = phase;
    if (ready_changed) {
        p.ready = r.ready;
        p.ready_since = r.ready_at.floor_to_second();  // metav1.Time keeps whole seconds
    }
    notify_controller(ready_changed && p.ready ? Ev::CtlObserveReady : Ev::CtlObserveUpdate, p.owner);
    if (became_terminal) {
        trace(TraceKind::PodTerminal, p.node, pod, phase == PodPhase::Succeeded ? 1 : 0);
        // The scheduler's informer ignores terminal pods: to it the pod is gone, and so is its
        // host port (docs/model.md).
        at(sim_.now() + v_->latencies.watch, kPhaseScheduler, Ev::SchedObservePodGone, p.node);
        // status_manager.go canBeDeleted: once the terminal phase is stored, the kubelet
        // deletes the object.
        if (p.terminating()) {
            at(sim_.now() + v_->latencies.status_update, kPhaseApi, Ev::ApiObjectDelete, pod,
               p.uid);
        }
    }
    pod_traffic_changed(pod);
    if (v_->traffic.mode == TrafficMode::Service) {
        at(sim_.now() + v_->latencies.watch + v_->traffic.endpoint_propagation, kPhaseTraffic,
           Ev::EndpointSync, pod, p.uid);
    }
}

void World::remove_pod_object(PodId pod) {
    Pod& p = cluster_.pod(pod);
    PodRuntime& r = rt(pod);
    const NodeId node = p.node;
    const std::uint8_t owner = p.owner;
    const bool held_room = (p.scheduled || r.assumed) && !p.terminal();
    trace(TraceKind::PodRemoved, node, pod);
    for (std::uint32_t slot = 0; slot < kPodSlots; ++slot) cancel_pod(pod, slot);
    registry_abort(pod);
    config_release(pod);
    // Whatever this pod still adds to the traffic counters goes with it.
    r.running = r.listening = r.serving = r.started = r.endpoint_ready = false;
    p.ready = false;
    pod_traffic_changed(pod);
    cluster_.remove_pod(pod);
    r = PodRuntime{};
    notify_controller(Ev::CtlObserveDelete, owner);
    if (held_room) {
        at(sim_.now() + v_->latencies.watch, kPhaseScheduler, Ev::SchedObservePodGone, node);
    }
}

// ---------------------------------------------------------------------------------------------
// Outcome

TrialOutcome World::outcome(kernel::RunEnd end) {
    TrialOutcome o;
    o.hit_horizon = end == kernel::RunEnd::Horizon;
    o.end = o.hit_horizon ? v_->horizon : sim_.now();
    traffic_finish(o);
    o.completed = completed_at_.has_value();
    if (o.completed) o.duration = *completed_at_;
    o.stalled = !o.completed;
    if (o.stalled) std::tie(o.stall_key, o.stall_reason) = stall_reason();
    const DaemonSetStatus& s = cluster_.daemonset().status;
    o.desired = s.desired_number_scheduled;
    o.updated = s.updated_number_scheduled;
    o.unavailable = s.number_unavailable;
    o.restarts = restarts_total_;
    o.promoted = op_.promoted_at.has_value();
    o.test_phase = op_.test_ended_at;
    // A change reached public traffic faultily if a public pod of the new revision crashed, or
    // runs but will never serve (nothing is left to happen).
    o.fault_reached_public = op_.public_new_crashes > 0;
    if (o.promoted && !o.hit_horizon && v_->new_revision.id != v_->old_revision.id) {
        for (std::size_t id = 0; id < cluster_.pod_slots(); ++id) {
            const Pod& p = cluster_.pod(static_cast<PodId>(id));
            const PodRuntime& r = runtime_[id];
            if (p.live() && p.owner == 0 && p.revision == v_->new_revision.id && r.running && !r.serving &&
                !r.sigterm) {
                o.fault_reached_public = true;
            }
        }
    }
    o.pulls = backends_.pulls;
    o.pull_seconds_mean = backends_.pulls > 0 ? static_cast<double>(backends_.pull_ms_sum) / 1000.0 / backends_.pulls : 0;
    o.pull_seconds_max = static_cast<double>(backends_.pull_ms_max) / 1000.0;
    o.preemptions = preemptions_;
    o.evictions = evictions_;
    o.admission_rejections = rejections_;
    for (std::size_t id = 0; id < cluster_.pod_slots(); ++id) {
        const Pod& p = cluster_.pod(static_cast<PodId>(id));
        o.image_pull_backoff_nodes += p.live() && p.owner == 0 && runtime_[id].stage == Stage::ImagePullBackOff ? 1 : 0;
    }
    o.events = sim_.events_processed();
    o.fingerprint = sim_.fingerprint();
    return o;
}

std::pair<std::string, std::string> World::stall_reason() const {
    const DaemonSetState& ds = cluster_.daemonset();
    const auto& nodes = *v_->nodes;
    const std::string horizon =
        sim_.now() >= v_->horizon || sim_.pending() > 0 ? "not finished at the horizon: " : "";
    const auto reason = [&](const std::string& key, NodeId node, const std::string& text) {
        return std::pair{horizon + key,
                         horizon + fmt::format(fmt::runtime(text), nodes[node].name)};
    };
    if (op_.failure) {
        const std::string text =
            (v_->plan.kind == OperatorSpec::Kind::TestThenPromote ? "" : "operator stopped: ") + *op_.failure;
        return {horizon + text, horizon + text};
    }
    if (!ds.strategy.rolling() && v_->plan.kind == OperatorSpec::Kind::None) {
        std::int32_t old_pods = 0;
        for (NodeId n = 0; n < cluster_.node_count(); ++n) {
            for (PodId id : cluster_.pods_on(n)) {
                const Pod& p = cluster_.pod(id);
                old_pods += p.counted_by_controller() && p.revision != ds.current_revision;
            }
        }
        const std::string text = fmt::format(
            "OnDelete: {} old pod(s) are replaced only when something deletes them", old_pods);
        return {horizon + "OnDelete: old pods are replaced only when something deletes them",
                horizon + text};
    }
    // The first node, in node order, whose new pod is stuck, says why.
    for (NodeId n = 0; n < cluster_.node_count(); ++n) {
        bool has_old = false;
        PodId new_pod = kNoPod;
        for (PodId id : cluster_.pods_on(n)) {
            const Pod& p = cluster_.pod(id);
            if (!p.counted_by_controller()) continue;
            if (p.revision == ds.current_revision && !p.terminating()) {
                new_pod = id;
            } else if (p.revision != ds.current_revision && !p.terminating()) {
                has_old = true;
            }
        }
        if (new_pod == kNoPod) continue;
        const Pod& p = cluster_.pod(new_pod);
        const PodRuntime& r = runtime_[new_pod];
        const std::string who = has_old ? "surge pod" : "new pod";
        if (!p.scheduled && r.unschedulable != Unschedulable::None) {
            const std::string why = unschedulable_text(new_pod);
            return reason(fmt::format("{} Pending: {}", who, why), n,
                          fmt::format("{} Pending on {{}}: {}", who, why));
        }
        if (r.stage == Stage::ImageError) {
            return reason("new pod cannot start: image absent and imagePullPolicy Never", n,
                          "new pod on {} cannot start: image absent and imagePullPolicy Never");
        }
        if (r.stage == Stage::ImagePullBackOff) {
            std::int32_t stuck = 0;
            for (std::size_t id = 0; id < cluster_.pod_slots(); ++id) {
                const Pod& q = cluster_.pod(static_cast<PodId>(id));
                stuck += q.live() && q.owner == 0 && runtime_[id].stage == Stage::ImagePullBackOff ? 1 : 0;
            }
            const std::string why = image_pull_text(new_pod);
            return reason(fmt::format("{} in {}", who, why), n,
                          fmt::format("{} on {{}} in {} ({} node(s) in ImagePullBackOff)", who, why, stuck));
        }
        if (r.stage == Stage::BackOff || (r.restarts > 0 && !p.ready)) {
            return reason(fmt::format("{} in CrashLoopBackOff", who), n,
                          fmt::format("{} on {{}} in CrashLoopBackOff ({} restarts)", who,
                                      r.restarts));
        }
        if (r.running && !p.ready) {
            if (!r.started) {
                return reason(fmt::format("{} never passes its startup probe", who), n,
                              fmt::format("{} on {{}} never passes its startup probe", who));
            }
            const char* surface =
                v_->new_revision.probe(ProbeKind::Readiness).surface == Surface::Serving
                    ? "serving"
                    : "listening";
            return reason(
                fmt::format("{} never becomes Ready: readiness probe ({}) keeps failing", who,
                            surface),
                n,
                fmt::format("{} on {{}} never becomes Ready: readiness probe ({}) keeps failing",
                            who, surface));
        }
    }
    // A pod deleted on a stopped node stays Terminating, and its node keeps a unit of the
    // maxUnavailable budget (docs/model.md, #117204).
    for (NodeId n = 0; n < cluster_.node_count(); ++n) {
        if (!nodes_[n].kubelet_down) continue;
        for (PodId id : cluster_.pods_on(n)) {
            const Pod& p = cluster_.pod(id);
            if (p.owner != 0 || !p.terminating() || !p.counted_by_controller()) continue;
            const char* state = nodes_[n].present ? "unreachable" : "deleted (PodGC has not removed its pods)";
            return reason(fmt::format("old pod stuck Terminating on a node that is {}: it holds the maxUnavailable budget",
                                      nodes_[n].present ? "unreachable" : "gone"),
                          n,
                          fmt::format("old pod stuck Terminating on {{}}, which is {}: it holds the maxUnavailable "
                                      "budget until the node returns or its Node object is deleted",
                                      state));
        }
    }
    const DaemonSetStatus& s = ds.status;
    const std::string text = fmt::format("rollout incomplete: {} of {} nodes updated, {} unavailable",
                                         s.updated_number_scheduled, s.desired_number_scheduled,
                                         s.number_unavailable);
    return {horizon + "rollout incomplete", horizon + text};
}

std::string World::unschedulable_text(PodId pod) const {
    const PodRuntime& r = runtime_[pod];
    switch (r.unschedulable) {
        case Unschedulable::HostPort: {
            const HostPort& hp = revision_of(cluster_.pod(pod)).host_ports[r.conflict_port];
            if (r.conflict_held > 0) {
                const NodeSpec& node = node_spec(cluster_.pod(pod).node);
                return fmt::format("hostPort {} held by pod {}", hp.text(), node.pods[r.conflict_held - 1u].name);
            }
            const char* holder = r.conflict_holder_old
                                     ? (r.conflict_holder_terminating ? "the terminating old pod"
                                                                      : "the old pod")
                                     : "another pod";
            return fmt::format("hostPort {} held by {}", hp.text(), holder);
        }
        case Unschedulable::Cpu: return "Insufficient cpu";
        case Unschedulable::Memory: return "Insufficient memory";
        case Unschedulable::Pods: return "Too many pods";
        case Unschedulable::NodeGone: return "node not found";
        case Unschedulable::Taint: {
            const Pod& p = cluster_.pod(pod);
            for (const Taint& t : node_spec(p.node).taints) {
                if (t.key == "node.kubernetes.io/unreachable" || t.key == "node.kubernetes.io/not-ready") {
                    return fmt::format("node(s) had untolerated taint {{{}: }}", t.key);
                }
            }
            return "node(s) had untolerated taint";
        }
        case Unschedulable::None: break;
    }
    return "unschedulable";
}

std::string World::image_pull_text(PodId pod) const {
    const auto& labels = node_spec(cluster_.pod(pod).node).labels;
    const auto arch = labels.find("kubernetes.io/arch");
    return fmt::format("ImagePullBackOff: no linux/{} image (the image has {})",
                       arch == labels.end() ? "?" : arch->second,
                       fmt::join(revision_of(cluster_.pod(pod)).behaviour->image_architectures, ", "));
}

void World::trace(TraceKind kind, NodeId node, PodId pod, std::int64_t a, std::int64_t b,
                  std::string_view text) {
    if (trace_ == nullptr || setting_up_) return;  // the state before the change is one Baseline per node
    TraceRecord rec;
    rec.time = sim_.now();
    rec.node = node;
    rec.kind = kind;
    rec.a = a;
    rec.b = b;
    rec.text = text;
    if (pod != kNoPod) {
        rec.pod = cluster_.pod(pod).uid;
        rec.revision = cluster_.pod(pod).revision;
        rec.owner = cluster_.pod(pod).owner;
    }
    trace_->record(rec);
}

void World::trace(TraceKind kind, const DetachedContainer& d, std::int64_t a, std::int64_t b) {
    if (trace_ == nullptr) return;
    TraceRecord rec;
    rec.time = sim_.now();
    rec.node = d.node;
    rec.pod = d.uid;
    rec.revision = d.revision;
    rec.kind = kind;
    rec.a = a;
    rec.b = b;
    trace_->record(rec);
}

}  // namespace rollsim::model
