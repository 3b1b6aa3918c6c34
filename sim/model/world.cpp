#include "model/world.hpp"

#include <algorithm>
#include <cmath>

#include "kernel/assert.hpp"
#include "kernel/distribution.hpp"

namespace rollsim::model {

using kernel::stream_key;

namespace {

/// The first container of `pod` that `trouble` picks (the modelled one if none does); named in
/// `s` when the pod has several.
template <class Trouble>
std::size_t name_container(const Trial& t, Stall& s, PodId pod, Trouble trouble) {
    const PodRuntime& r = t.pods[pod];
    std::size_t c = 0;
    while (c < r.containers() && !trouble(r.container(c))) ++c;
    if (c == r.containers()) c = 0;
    const Revision& rev = t.revision_of(t.cluster.pod(pod));
    if (rev.containers.size() > 1) s.container = rev.container(c).name;
    return c;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Trial set-up

TrialOutcome World::run_trial(const VariantModel& v, std::uint64_t seed, std::uint64_t trial,
                              TraceSink* trace) {
    prepare(v, seed, trial, trace);
    return finish();
}

TrialOutcome World::finish() {
    const kernel::RunEnd end = t_.sim.run(*this, t_.v->horizon);
    return outcome(end);
}

void World::prepare(const VariantModel& v, std::uint64_t seed, std::uint64_t trial, TraceSink* trace) {
    t_.v = &v;
    t_.sink = trace;
    t_.trace_kinds = trace != nullptr ? trace->kinds() : 0;
    const std::size_t n = v.nodes->size();
    t_.sim.reset(seed, trial);
    t_.sim.resize_timers(kGlobalTimers + n);
    t_.pod_slots = kPodSlots + kContainerSlots * static_cast<std::uint32_t>(v.most_containers() - 1);
    t_.cluster.reset(n);
    for (auto& r : t_.pods) r = PodRuntime{};
    t_.nodes.assign(n, NodeRuntime{});
    // Room for two pods per node (the old and the new): the per-pod tables then grow in place
    // instead of being copied at each doubling, which on the largest clusters set the peak.
    const auto pods = static_cast<PodId>(2 * n + 16);
    t_.cluster.reserve_pods(pods);
    t_.pods.reserve(pods);
    t_.sim.reserve_timers(t_.pod_timer(pods, 0));
    t_.detached.clear();
    // Every component starts over; node lifecycle schedules the cluster's first events.
    controller_.reset();
    api_.reset();
    operator_.reset();
    scheduler_.reset();
    kubelet_.reset();
    eviction_.reset();
    registry_.reset();
    config_.reset();
    lifecycle_.reset();

    // The live DaemonSet: its template's eligibility, one old pod per eligible node. Nodes that
    // join later are neither eligible nor tracked until they join.
    DaemonSetState& ds = t_.cluster.daemonset();
    ds.current_revision = v.old_revision.id;
    ds.generation = 1;
    ds.strategy = v.strategy;
    ds.min_ready_seconds = v.min_ready_seconds;
    ds.eligibility.assign(v.old_eligibility.begin(), v.old_eligibility.end());
    for (NodeId node = 0; node < n; ++node) {
        if (!t_.nodes[node].present) ds.eligibility[node] = Eligibility{};
        t_.nodes[node].tracked = t_.nodes[node].present &&
                                 (v.old_eligibility[node].should_run || v.new_eligibility[node].should_run);
    }
    t_.setting_up = true;
    traffic_.reset();
    draw_starting_pods();
    bool as_they_stand = false;  // some live pod is not as a sync would leave it
    for (NodeId node = 0; node < n; ++node) {
        const StartingPods* sp = starting_[node] < 0 ? nullptr : &(*v.starting_pods)[static_cast<std::size_t>(starting_[node])];
        if (ds.eligibility[node].should_run || (sp != nullptr && t_.nodes[node].present)) {
            if (sp == nullptr || sp->state != StartingPods::State::Missing) place_old_pod(node, sp);
            if (sp != nullptr) {
                const bool eligible = ds.eligibility[node].should_run;
                as_they_stand = as_they_stand || (sp->state == StartingPods::State::Missing
                                                      ? eligible
                                                      : sp->state != StartingPods::State::Ready || sp->older || !eligible);
            }
        }
        t_.nodes[node].images |= v.old_revision.image_bits();
    }
    t_.setting_up = false;
    traffic_.start();
    if (t_.tracing(TraceKind::Baseline)) trace_baseline();
    controller_.settle(as_they_stand);
    // At t = 0 the proposed DaemonSet is applied, or, to test first, the test DaemonSet is
    // created beside the live one.
    t_.at(SimTime::zero(), kPhaseApi, Ev::TemplateUpdated,
          v.plan.kind == OperatorSpec::Kind::TestThenPromote ? 1 : 0);
    if (v.second) t_.at(v.second->at, kPhaseApi, Ev::TemplateUpdated, 2);
}

void World::trace_baseline() {
    for (NodeId node = 0; node < t_.nodes.size(); ++node) {
        const NodeRuntime& nr = t_.nodes[node];
        if (!nr.tracked) continue;
        const auto& pods = t_.cluster.pods_on(node);
        t_.trace(TraceKind::Baseline, node, pods.empty() ? kNoPod : pods.front(), nr.c_serving ? 1 : 0, nr.c_broken ? 1 : 0);
        if (pods.empty() || starting_[node] < 0) continue;
        // A starting pod that is not running says so after its Baseline.
        const PodId id = pods.front();
        const PodRuntime& r = t_.rt(id);
        if (r.main.stage == ContainerStage::BackOff) {
            t_.trace_container(TraceKind::ContainerExited, id, 0, 0);
            t_.trace_container(TraceKind::BackOff, id, 0, r.main.crash_backoff.backoff.ms());
        } else if (r.stage == Stage::Terminating) {
            t_.trace(TraceKind::PodDeleted, node, id, t_.revision_of(t_.cluster.pod(id)).grace.ms());
            t_.trace(TraceKind::SigTerm, node, id);
        }
    }
}

void World::draw_starting_pods() {
    starting_.assign(t_.nodes.size(), -1);
    if (t_.v->starting_pods == nullptr || t_.v->starting_pods->empty()) return;
    const auto& entries = *t_.v->starting_pods;
    const DaemonSetState& ds = t_.cluster.daemonset();
    // Named nodes first, so that no draw takes them; then each drawn entry, in order, from the
    // eligible nodes left, on its own stream (an entry's draw moves no other's).
    // A Misscheduled pod runs where the template no longer selects; every other one where it does
    // (an imported pod: wherever it is, which the controller then judges).
    const auto candidate = [&](const StartingPods& sp, NodeId node) {
        return sp.imported || (sp.state == StartingPods::State::Misscheduled ? !ds.eligibility[node].should_run
                                                                             : ds.eligibility[node].should_run);
    };
    for (std::size_t i = 0; i < entries.size(); ++i) {
        for (NodeId node : entries[i].nodes) {
            if (candidate(entries[i], node) && starting_[node] < 0) starting_[node] = static_cast<std::int32_t>(i);
        }
    }
    std::vector<NodeId> candidates;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const StartingPods& sp = entries[i];
        if (!sp.nodes.empty()) continue;
        candidates.clear();
        for (NodeId node = 0; node < t_.nodes.size(); ++node) {
            if (t_.nodes[node].present && candidate(sp, node) && starting_[node] < 0 &&
                (sp.pool.empty() || (*t_.v->nodes)[node].pool == sp.pool)) {
                candidates.push_back(node);
            }
        }
        const auto size = static_cast<double>(candidates.size());
        const std::size_t k = sp.percent ? static_cast<std::size_t>(std::ceil(*sp.percent * size / 100.0 - 1e-9))
                                         : std::min(static_cast<std::size_t>(sp.count), candidates.size());
        kernel::Rng rng = t_.rng(stream_key("starting-pods"), i);
        for (std::size_t j = 0; j < k && j < candidates.size(); ++j) {
            std::swap(candidates[j], candidates[j + rng.below(candidates.size() - j)]);
            starting_[candidates[j]] = static_cast<std::int32_t>(i);
        }
    }
}

void World::place_old_pod(NodeId node, const StartingPods* as) {
    // A pod that has been running for an hour: Ready, available, every probe settled.
    const SimTime long_ago = SimTime::hours(-1);
    NodeRuntime& nr = t_.nodes[node];
    const std::uint32_t serial = ++nr.pod_serial;
    const std::uint64_t entity = (std::uint64_t{node} << 32) | serial;
    const std::uint16_t revision = as != nullptr && as->older ? kOlderRevision : t_.v->old_revision.id;
    const PodId id = t_.cluster.add_pod(node, revision, long_ago,
                                      t_.rng(stream_key("pod-name"), entity).next());
    if (t_.pods.size() <= id) t_.pods.resize(id + 1);
    Pod& p = t_.cluster.pod(id);
    p.scheduled = true;
    p.phase = PodPhase::Running;
    p.ready = true;
    p.ready_since = long_ago;
    PodRuntime& r = t_.rt(id);
    r = PodRuntime{};
    r.uid = p.uid;
    r.serial = serial;
    r.stage = Stage::Running;
    r.share.endpoint_ready = true;
    r.jitter = t_.rng(stream_key("kubelet-jitter"), entity);
    // Every container has been running for an hour; the probe tickers of a long-running pod
    // have an arbitrary phase relative to t = 0.
    const Revision& rev = t_.revision_of(p);
    r.more.resize(rev.containers.size() - 1);
    r.starting = static_cast<std::uint8_t>(rev.start_order.size());
    kernel::Rng phase = t_.rng(stream_key("probe-phase"), entity);
    for (std::size_t c = 0; c < r.containers(); ++c) {
        ContainerRuntime& cr = r.container(c);
        cr.stage = ContainerStage::Running;
        cr.starts = 1;
        cr.running = cr.visible = cr.listening = cr.serving = cr.served = cr.started = cr.ready = true;
        cr.started_at = cr.ready_at = long_ago;
        for (int k = 0; k < 3; ++k) {
            const auto kind = static_cast<ProbeKind>(k);
            ProbeWorker& w = cr.probes[k];
            w.reset_for_new_container(kind);
            const ProbeParams& pp = rev.container(c).probe(kind);
            w.anchor = SimTime::millis(-static_cast<std::int64_t>(phase.below(static_cast<std::uint64_t>(pp.period.ms()))));
            w.published = w.last = ProbeResult::Success;
            w.run = 1;
        }
    }
    r.ready_changed = long_ago;
    if (as != nullptr) start_as(id, *as, entity);
    traffic_.pod_changed(id);
}

void World::start_as(PodId id, const StartingPods& as, std::uint64_t entity) {
    Pod& p = t_.cluster.pod(id);
    PodRuntime& r = t_.rt(id);
    const Revision& rev = t_.v->old_revision;
    switch (as.state) {
        case StartingPods::State::Ready:
        case StartingPods::State::Missing:
        case StartingPods::State::Misscheduled:  // a Ready pod; its node is what is wrong
            return;
        case StartingPods::State::NotReady: {
            // Running, the surface its readiness probe checks down, readiness Failure for as
            // long as its threshold: the process stays so until its container restarts (a
            // liveness probe on that surface will restart it).
            const ProbeParams& rp = rev.probe(ProbeKind::Readiness);
            r.main.serving = r.main.served = false;
            r.main.listening = rp.configured && rp.surface == Surface::Listening ? false : r.main.listening;
            r.main.ready = p.ready = false;
            r.share.endpoint_ready = false;
            ProbeWorker& w = r.main.probes[static_cast<int>(ProbeKind::Readiness)];
            w.published = w.last = ProbeResult::Failure;
            w.run = std::max(rp.failure_threshold, 1);
            break;
        }
        case StartingPods::State::Pending:
            // Not bound: the scheduler looks at it again when the change lands, and its fit
            // against the node's other pods decides.
            p.scheduled = false;
            p.phase = PodPhase::Pending;
            p.ready = false;
            {
                const std::uint32_t uid = r.uid, serial = r.serial;
                r = PodRuntime{};
                r.uid = uid;
                r.serial = serial;
            }
            r.jitter = t_.rng(stream_key("kubelet-jitter"), entity);
            t_.arm_pod(id, kSlotSched, SimTime::zero(), kPhaseScheduler, Ev::SchedAttempt);
            return;
        case StartingPods::State::Terminating: {
            // Deleted before the change with no preStop left to run: SIGTERM has been sent, and
            // the process exits after its shutdown time or is killed when the grace left runs out.
            const SimTime left = std::max(as.grace_left.value_or(rev.grace), SimTime::zero());
            p.deletion = SimTime::zero() - (rev.grace - left);
            p.ready = false;
            r.stage = Stage::Terminating;
            r.kill_deadline = left;
            r.share.endpoint_ready = false;
            prober_.stop_liveness_and_startup(id);
            // Its regular containers are being killed (its sidecars wait for them).
            for (std::size_t c = 0; c < r.containers(); ++c) {
                ContainerRuntime& cr = r.container(c);
                const ContainerModel& cm = t_.revision_of(p).container(c);
                cr.ready = false;
                if (cm.sidecar) continue;
                cr.sigterm = cr.killing = true;
                cr.listening = cr.serving = false;
                cr.kill_grace = std::max(left, SimTime::seconds(2));  // killContainer's minimum
                kernel::Rng rng = t_.rng(stream_key("shutdown"), container_entity(p, r, c));
                const SimTime shutdown = kernel::sample_duration(cm.behaviour->shutdown, rng);
                if (shutdown <= cr.kill_grace) {
                    t_.arm_pod(id, Trial::slot_of(c, kSlotExit), shutdown, kPhaseKubelet, Ev::KlProcExit);
                } else {
                    t_.arm_pod(id, Trial::slot_of(c, kSlotKill), cr.kill_grace, kPhaseKubelet, Ev::KlKillDeadline);
                }
            }
            break;
        }
        case StartingPods::State::CrashLoopBackOff: {
            // Exited after `restarts` restarts; the back-off (10 s doubling to 300 s) started at a
            // random point before the change, and the pod worker retries on its 10-15 s grid.
            kernel::Rng rng = t_.rng(stream_key("starting-pod-phase"), entity);
            // kCrashLoopBackoff after `restarts` calls of Next: initial, doubled up to max.
            BackoffEntry entry;
            for (std::int32_t k = 0; k < std::min(as.restarts, 16); ++k) kCrashLoopBackoff.next(entry, SimTime::zero(), SimTime::zero());
            const SimTime backoff = entry.backoff;
            r.main.stage = ContainerStage::BackOff;
            r.main.running = r.main.visible = r.main.listening = r.main.serving = r.main.served = false;
            r.main.ready = p.ready = false;
            r.share.endpoint_ready = false;
            r.main.restarts = as.restarts;
            r.main.starts = as.restarts + 1;
            r.main.last_exit_ok = false;
            r.main.finished_at = SimTime::millis(-static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(backoff.ms()))));
            r.main.crash_backoff = BackoffEntry{backoff, r.main.finished_at, true};
            t_.arm_pod(id, kSlotLifecycle, SimTime::millis(static_cast<std::int64_t>(rng.below(10'000))), kPhaseKubelet,
                       Ev::KlRestartRetry);
            break;
        }
    }
    prober_.reschedule(id);
}

// ---------------------------------------------------------------------------------------------
// Dispatch: each kind to the component that handles it (events.hpp groups them).

bool World::handle(const kernel::Event& e) {
    switch (static_cast<Ev>(e.kind)) {
        case Ev::TemplateUpdated:
            if (e.target == 0) {
                controller_.apply_template();
            } else if (e.target == 1) {
                operator_.test_start();
            } else {
                controller_.apply_second();  // target 2: spec.events' Apply
            }
            break;
        case Ev::CtlObserveCreate:
        case Ev::CtlObserveDelete:
        case Ev::CtlObserveUpdate:
        case Ev::CtlObserveReady:
        case Ev::CtlSync:
        case Ev::CtlWake:
            controller_.handle(e);
            break;
        case Ev::ApiStatusWrite:
        case Ev::ApiObjectDelete:
            api_.handle(e);
            break;
        case Ev::WatchDelivery: {
            // One write's watchers in their phases' order: the kubelet, the scheduler, the
            // controller (whose handler settles nothing the others read before its sync).
            const WatchDelivery d = api_.take_delivery(e.target);
            if (t_.holds(d.deleted, d.uid) && t_.kubelet_can_act(d.deleted)) kubelet_.see_deletion(d.deleted);
            if (t_.holds(d.created, d.uid)) scheduler_.first_attempt(d.created);
            if (d.gone_from != kNoNode) scheduler_.retry_pending_on(d.gone_from);
            controller_.observe(d.controller, d.owner);
            break;
        }
        case Ev::SchedAttempt:
        case Ev::SchedBind:
        case Ev::SchedObservePodGone:
            scheduler_.handle(e);
            break;
        case Ev::KlPodAdded:
        case Ev::KlSandboxReady:
        case Ev::KlPullDone:
        case Ev::KlContainerSeen:
        case Ev::KlContainerDiedSeen:
        case Ev::KlRestartRetry:
        case Ev::KlProcListen:
        case Ev::KlProcServe:
        case Ev::KlProcExit:
        case Ev::KlSigterm:
        case Ev::KlKillDeadline:
        case Ev::KlPullRetry:
        case Ev::KlDetachedKill:
        case Ev::KlDetachedExit:
            kubelet_.handle(e);
            break;
        case Ev::KlProbe:
        case Ev::KlResync:
            prober_.handle(e);
            break;
        case Ev::LbCheck:
        case Ev::EndpointSync:
        case Ev::DetachedEndpointGone:
            traffic_.handle(e);
            break;
        case Ev::OpCheck:
        case Ev::OpSoakDone:
        case Ev::OpTimeout:
        case Ev::OpVerify:
        case Ev::OpRollback:
        case Ev::OpRollbackWatch:
            operator_.handle(e);
            break;
        case Ev::ClusterEventStart:
        case Ev::ClusterEventEnd:
        case Ev::NodeMonitor:
        case Ev::PodGcOrphans:
        case Ev::OtherPodExit:
        case Ev::OtherPodGone:
            lifecycle_.handle(e);
            break;
        case Ev::EvictionTick:
        case Ev::PressureEnd:
            eviction_.handle(e);
            break;
        case Ev::RegistryProgress:
            registry_.handle(e);
            break;
        case Ev::KlInitDone:
        case Ev::BackendDone:
            config_.handle(e);
            break;
        case Ev::KlSeeDeletion:  // retired: no event of this kind is scheduled
            ROLLSIM_ASSERT(false);
            break;
    }
    return true;
}

// ---------------------------------------------------------------------------------------------
// Outcome

TrialOutcome World::outcome(kernel::RunEnd end) {
    TrialOutcome o;
    o.hit_horizon = end == kernel::RunEnd::Horizon;
    o.end = o.hit_horizon ? t_.v->horizon : t_.now();
    traffic_.finish(o);
    o.completed = controller_.completed_at().has_value();
    if (o.completed) o.duration = *controller_.completed_at();
    o.stalled = !o.completed;
    if (o.stalled) o.stall = std::make_shared<const Stall>(stall());
    const DaemonSetStatus& s = t_.cluster.daemonset().status;
    o.desired = s.desired_number_scheduled;
    o.updated = s.updated_number_scheduled;
    o.unavailable = s.number_unavailable;
    o.restarts = kubelet_.restarts();
    o.promoted = controller_.promoted_at().has_value();
    o.test_phase = operator_.test_ended_at();
    // A change reached public traffic faultily if a public pod of the new revision crashed, or
    // runs but will never serve (nothing is left to happen).
    o.fault_reached_public = kubelet_.public_new_crashes() > 0;
    if (o.promoted && !o.hit_horizon && t_.v->new_revision.id != t_.v->old_revision.id) {
        for (std::size_t id = 0; id < t_.cluster.pod_slots(); ++id) {
            const Pod& p = t_.cluster.pod(static_cast<PodId>(id));
            const PodRuntime& r = t_.pods[id];
            if (p.live() && p.owner == 0 && t_.v->changed_revision(p.revision) && r.main.running && !r.main.serving &&
                !r.main.sigterm) {
                o.fault_reached_public = true;
            }
        }
    }
    registry_.finish(o);
    o.preemptions = scheduler_.preemptions();
    o.evictions = eviction_.evictions();
    o.admission_rejections = eviction_.rejections();
    for (std::size_t id = 0; id < t_.cluster.pod_slots(); ++id) {
        const Pod& p = t_.cluster.pod(static_cast<PodId>(id));
        o.image_pull_backoff_nodes += p.live() && p.owner == 0 && t_.pods[id].any(ContainerStage::ImagePullBackOff) ? 1 : 0;
    }
    o.events = t_.sim.events_processed();
    o.fingerprint = t_.sim.fingerprint();
    return o;
}

Stall World::stall() const {
    const DaemonSetState& ds = t_.cluster.daemonset();
    const bool at_horizon = t_.now() >= t_.v->horizon || t_.sim.pending() > 0;
    if (operator_.rolled_back_at()) {
        Stall s;
        s.kind = Stall::Kind::RolledBack;
        s.count = static_cast<std::int32_t>(operator_.rolled_back_by());
        return s;  // whatever else: the change was undone
    }
    if (operator_.failure()) {
        Stall s = *operator_.failure();
        s.at_horizon = at_horizon;
        return s;
    }
    Stall s;
    s.at_horizon = at_horizon;
    if (!ds.strategy.rolling() && t_.v->plan.kind == OperatorSpec::Kind::None) {
        s.kind = Stall::Kind::OnDelete;
        for (NodeId n = 0; n < t_.cluster.node_count(); ++n) {
            for (PodId id : t_.cluster.pods_on(n)) {
                const Pod& p = t_.cluster.pod(id);
                s.count += p.counted_by_controller() && p.revision != ds.current_revision;
            }
        }
        return s;
    }
    // The first node, in node order, whose new pod is stuck, says why.
    for (NodeId n = 0; n < t_.cluster.node_count(); ++n) {
        bool has_old = false;
        PodId new_pod = kNoPod;
        for (PodId id : t_.cluster.pods_on(n)) {
            const Pod& p = t_.cluster.pod(id);
            if (!p.counted_by_controller()) continue;
            if (p.revision == ds.current_revision && !p.terminating()) {
                new_pod = id;
            } else if (p.revision != ds.current_revision && !p.terminating()) {
                has_old = true;
            }
        }
        if (new_pod == kNoPod) continue;
        const Pod& p = t_.cluster.pod(new_pod);
        const PodRuntime& r = t_.pods[new_pod];
        s.kind = Stall::Kind::NewPod;
        s.node = n;
        s.surge = has_old;
        if (not_started(t_, new_pod, s)) {
            if (s.trouble != PodTrouble::ImagePullBackOff) return s;
            for (std::size_t id = 0; id < t_.cluster.pod_slots(); ++id) {
                const Pod& q = t_.cluster.pod(static_cast<PodId>(id));
                s.count += q.live() && q.owner == 0 && t_.pods[id].any(ContainerStage::ImagePullBackOff) ? 1 : 0;
            }
        } else if (r.any(ContainerStage::BackOff) || (r.restarts() > 0 && !p.ready)) {
            s.trouble = PodTrouble::CrashLoopBackOff;
            s.restarts = r.restarts();
            name_container(t_, s, new_pod, [](const ContainerRuntime& c) { return c.stage == ContainerStage::BackOff || c.restarts > 0; });
        } else if (r.any_running() && !p.ready) {
            const std::size_t c = name_container(t_, s, new_pod, [](const ContainerRuntime& k) { return !k.ready; });
            s.trouble = r.container(c).started ? PodTrouble::NeverReady : PodTrouble::StartupProbe;
            s.readiness_surface = t_.revision_of(p).container(c).probe(ProbeKind::Readiness).surface;
        } else {
            continue;  // this one is on its way
        }
        return s;
    }
    s = Stall{};
    s.at_horizon = at_horizon;
    // A pod deleted on a stopped node stays Terminating, and its node keeps a unit of the
    // maxUnavailable budget (docs/model.md, #117204).
    for (NodeId n = 0; n < t_.cluster.node_count(); ++n) {
        if (!t_.nodes[n].kubelet_down) continue;
        for (PodId id : t_.cluster.pods_on(n)) {
            const Pod& p = t_.cluster.pod(id);
            if (p.owner != 0 || !p.terminating() || !p.counted_by_controller()) continue;
            s.kind = Stall::Kind::StuckTerminating;
            s.node = n;
            s.node_gone = !t_.nodes[n].present;
            return s;
        }
    }
    return s;  // Incomplete: the status counts say how far it got
}

}  // namespace rollsim::model
