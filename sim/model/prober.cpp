// The kubelet's probe workers (prober/worker.go, prober_manager.go) and the readiness they
// give a container.
//
//  - workers start when the kubelet adds the pod, their ticks anchored there; readiness starts
//    Failure, liveness Success, startup Unknown (ProbeWorker);
//  - doProbe skips a tick before the container status exists, while on hold, when not
//    running, before initialDelaySeconds (whole seconds since StartedAt), and gates liveness
//    and readiness on the startup probe;
//  - UpdatePodStatus triggers a readiness probe whenever status is regenerated and readiness is
//    not Success (since v1.31 that also resets the ticker);
//  - a failed startup or liveness probe kills the container (the kubelet restarts it);
//  - a terminating pod keeps only its readiness worker (StopLivenessAndStartup).
// Ticks that could change nothing are not scheduled: a worker is re-armed when its surface
// changes.

#include <algorithm>

#include "model/api_server.hpp"
#include "model/kubelet.hpp"
#include "model/prober.hpp"
#include "model/traffic.hpp"

namespace rollsim::model {

namespace {
constexpr SimTime kPodResync = SimTime::minutes(1);  // syncFrequency
}  // namespace

void Prober::handle(const kernel::Event& e) {
    switch (static_cast<Ev>(e.kind)) {
        case Ev::KlProbe: {
            // The worker's container and kind are its timer's slot.
            const SlotRef s = t_.container_slot(e);
            const auto kind = static_cast<ProbeKind>(s.slot - kSlotProbe0);
            attempt(e.target, s.container, kind);
            reschedule(e.target, s.container, kind);
            break;
        }
        case Ev::KlResync:
            pod_sync(e.target);
            break;
        default:
            ROLLSIM_ASSERT(false);  // World::handle sends the prober only its kinds
            break;
    }
}

void Prober::add_pod(PodId pod) {
    PodRuntime& r = t_.rt(pod);
    for (std::size_t c = 0; c < r.containers(); ++c) {
        for (auto& w : r.container(c).probes) w.anchor = t_.now();
    }
}

void Prober::new_container(PodId pod, std::size_t c) {
    ContainerRuntime& cr = t_.rt(pod).container(c);
    for (int k = 0; k < 3; ++k) cr.probes[k].reset_for_new_container(static_cast<ProbeKind>(k));
}

void Prober::stop_liveness_and_startup(PodId pod) {
    PodRuntime& r = t_.rt(pod);
    for (std::size_t c = 0; c < r.containers(); ++c) {
        for (ProbeKind k : {ProbeKind::Liveness, ProbeKind::Startup}) {
            r.container(c).probes[static_cast<int>(k)].stopped = true;
            t_.cancel_pod(pod, Trial::slot_of(c, kSlotProbe0 + static_cast<std::uint32_t>(k)));
        }
    }
}

void Prober::pod_sync(PodId pod) {
    // A pod sync regenerates status; UpdatePodStatus then triggers a readiness probe of every
    // container whose readiness is not Success. The periodic resync (syncFrequency 1 min,
    // jittered by up to half) only matters while such a trigger can change something, so it is
    // armed only then.
    PodRuntime& r = t_.rt(pod);
    bool can_pass = false;
    for (std::size_t c = 0; c < r.containers(); ++c) can_pass = trigger_readiness(pod, c) || can_pass;
    if (can_pass) {
        t_.arm_pod(pod, kSlotResync, t_.now() + jitter(kPodResync, r.jitter), kPhaseKubelet, Ev::KlResync);
    } else {
        t_.cancel_pod(pod, kSlotResync);
    }
}

bool Prober::trigger_readiness(PodId pod, std::size_t c) {
    ContainerRuntime& cr = t_.rt(pod).container(c);
    const ProbeParams& rp = t_.revision_of(t_.cluster.pod(pod)).container(c).probe(ProbeKind::Readiness);
    ProbeWorker& w = cr.probes[static_cast<int>(ProbeKind::Readiness)];
    const bool waiting = rp.configured && cr.running && cr.visible && !cr.sigterm && w.published != ProbeResult::Success;
    if (!waiting) return false;
    attempt(pod, c, ProbeKind::Readiness);
    if (t_.v->version.manual_probe_trigger_resets_ticker()) w.anchor = t_.now();
    reschedule(pod, c, ProbeKind::Readiness);
    // A later trigger can pass only if the checked surface is up or is still to come up.
    const std::uint32_t surface_slot = rp.surface == Surface::Serving ? kSlotServe : kSlotListen;
    return w.published != ProbeResult::Success &&
           (surface_up(cr, rp.surface) || t_.sim.armed(t_.pod_timer(pod, Trial::slot_of(c, surface_slot))));
}

bool Prober::surface_up(const ContainerRuntime& r, Surface s) const {
    return r.running && !r.sigterm && (s == Surface::Listening ? r.listening : r.serving);
}

void Prober::attempt(PodId pod, std::size_t c, ProbeKind kind) {
    ContainerRuntime& cr = t_.rt(pod).container(c);
    const ProbeParams& pp = t_.revision_of(t_.cluster.pod(pod)).container(c).probe(kind);
    ProbeWorker& w = cr.probes[static_cast<int>(kind)];
    // doProbe, in order: no container status yet; on hold; not running; initial delay;
    // startup gating; then the probe itself.
    if (!pp.configured || w.stopped || !cr.visible || w.on_hold || !cr.running) return;
    if (t_.now() - cr.started_at < pp.initial_delay) return;
    if (kind == ProbeKind::Startup ? cr.started : !cr.started) return;
    w.last_attempt = t_.now();
    const ProbeResult result = surface_up(cr, pp.surface) ? ProbeResult::Success : ProbeResult::Failure;
    if (const auto changed = w.record(kind, result, pp)) published(pod, c, kind, *changed);
}

void Prober::reschedule(PodId pod, std::size_t c, ProbeKind kind) {
    ContainerRuntime& cr = t_.rt(pod).container(c);
    const auto slot = Trial::slot_of(c, kSlotProbe0 + static_cast<std::uint32_t>(kind));
    const ProbeParams& pp = t_.revision_of(t_.cluster.pod(pod)).container(c).probe(kind);
    ProbeWorker& w = cr.probes[static_cast<int>(kind)];
    const bool ticking = pp.configured && !w.stopped && !w.on_hold && cr.running && cr.visible &&
                         (kind == ProbeKind::Startup ? !cr.started : cr.started) &&
                         w.wants_tick(surface_up(cr, pp.surface));  // else every tick would change nothing
    if (!ticking) {
        t_.cancel_pod(pod, slot);
        return;
    }
    // A tick due now that has not run yet still runs (a surface change may come just before it
    // in the same instant); one that has run is not repeated.
    const SimTime not_before = w.last_attempt == t_.now() ? t_.now() + SimTime::millis(1) : t_.now();
    const SimTime earliest = std::max(not_before, cr.started_at + pp.initial_delay);
    t_.sim.keep_or_arm(t_.sized_pod_timer(pod, slot), w.tick_at_or_after(earliest, pp.period), kPhaseKubelet,
                     static_cast<std::uint16_t>(Ev::KlProbe), pod);
}

void Prober::reschedule(PodId pod, std::size_t c) {
    for (int k = 0; k < 3; ++k) reschedule(pod, c, static_cast<ProbeKind>(k));
}

void Prober::reschedule(PodId pod) {
    for (std::size_t c = 0; c < t_.rt(pod).containers(); ++c) reschedule(pod, c);
}

void Prober::published(PodId pod, std::size_t c, ProbeKind kind, ProbeResult result) {
    const Revision& rev = t_.revision_of(t_.cluster.pod(pod));
    const ContainerModel& cm = rev.container(c);
    ContainerRuntime& cr = t_.rt(pod).container(c);
    t_.trace_container(TraceKind::ProbeResult, pod, c, static_cast<std::int64_t>(kind), static_cast<std::int64_t>(result));
    switch (kind) {
        case ProbeKind::Startup:
            if (result == ProbeResult::Success) {
                cr.started = true;
                traffic_.pod_changed(pod);
                if (!cm.probe(ProbeKind::Readiness).configured) set_ready(pod, c, true);
                // The startup result reaches the sync loop, which syncs the pod: readiness is
                // probed at once, not on its next tick.
                pod_sync(pod);
                reschedule(pod, c);
                if (cm.sidecar) kubelet_.start_next_after(pod, c);  // the next container's turn
            } else if (result == ProbeResult::Failure) {
                kubelet_.kill_container(pod, c, cm.probe(kind).kill_grace.value_or(rev.grace), true);
            }
            break;
        case ProbeKind::Liveness:
            if (result == ProbeResult::Failure) {
                kubelet_.kill_container(pod, c, cm.probe(kind).kill_grace.value_or(rev.grace), true);
            }
            break;
        case ProbeKind::Readiness:
            set_ready(pod, c, result == ProbeResult::Success);
            break;
    }
}

void Prober::set_ready(PodId pod, std::size_t c, bool ready) {
    PodRuntime& r = t_.rt(pod);
    ContainerRuntime& cr = r.container(c);
    if (cr.ready == ready) return;
    const bool was_ready = r.ready();
    cr.ready = ready;
    cr.ready_at = t_.now();
    if (r.containers() > 1) t_.trace_container(ready ? TraceKind::Ready : TraceKind::NotReady, pod, c);
    // The pod's Ready condition is every container's readiness (GeneratePodReadyCondition).
    if (r.ready() != was_ready) {
        r.ready_changed = t_.now();
        t_.trace(r.ready() ? TraceKind::Ready : TraceKind::NotReady, t_.cluster.pod(pod).node, pod);
        if (r.ready()) t_.cancel_pod(pod, kSlotResync);
    }
    api_.write_status(pod);
}

}  // namespace rollsim::model
