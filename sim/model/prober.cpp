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
            // The worker's kind is its timer's slot.
            const auto kind = static_cast<ProbeKind>(t_.pod_slot(e) - kSlotProbe0);
            attempt(e.target, kind);
            reschedule(e.target, kind);
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
    for (auto& w : t_.rt(pod).probes) w.anchor = t_.now();
}

void Prober::new_container(PodId pod) {
    PodRuntime& r = t_.rt(pod);
    for (int k = 0; k < 3; ++k) r.probes[k].reset_for_new_container(static_cast<ProbeKind>(k));
}

void Prober::stop_liveness_and_startup(PodId pod) {
    for (ProbeKind k : {ProbeKind::Liveness, ProbeKind::Startup}) {
        t_.rt(pod).probes[static_cast<int>(k)].stopped = true;
        t_.cancel_pod(pod, kSlotProbe0 + static_cast<std::uint32_t>(k));
    }
}

void Prober::pod_sync(PodId pod) {
    // A pod sync regenerates status; UpdatePodStatus then triggers a readiness probe if
    // readiness is not Success. The periodic resync (syncFrequency 1 min, jittered by up to
    // half) only matters while that trigger can change something, so it is armed only then.
    PodRuntime& r = t_.rt(pod);
    const ProbeParams& rp = t_.revision_of(t_.cluster.pod(pod)).probe(ProbeKind::Readiness);
    ProbeWorker& w = r.probes[static_cast<int>(ProbeKind::Readiness)];
    const bool waiting = rp.configured && r.running && r.visible && !r.sigterm &&
                         w.published != ProbeResult::Success;
    if (!waiting) {
        t_.cancel_pod(pod, kSlotResync);
        return;
    }
    attempt(pod, ProbeKind::Readiness);
    if (t_.v->version.manual_probe_trigger_resets_ticker()) w.anchor = t_.now();
    reschedule(pod, ProbeKind::Readiness);
    // A later trigger can pass only if the checked surface is up or is still to come up.
    const bool can_pass = surface_up(r, rp.surface) ||
                          t_.sim.armed(t_.pod_timer(pod, rp.surface == Surface::Serving ? kSlotServe : kSlotListen));
    if (w.published != ProbeResult::Success && can_pass) {
        t_.arm_pod(pod, kSlotResync, t_.now() + jitter(kPodResync, r.jitter), kPhaseKubelet,
                Ev::KlResync);
    } else {
        t_.cancel_pod(pod, kSlotResync);
    }
}

bool Prober::surface_up(const PodRuntime& r, Surface s) const {
    return r.running && !r.sigterm && (s == Surface::Listening ? r.listening : r.serving);
}

void Prober::attempt(PodId pod, ProbeKind kind) {
    PodRuntime& r = t_.rt(pod);
    const ProbeParams& pp = t_.revision_of(t_.cluster.pod(pod)).probe(kind);
    ProbeWorker& w = r.probes[static_cast<int>(kind)];
    // doProbe, in order: no container status yet; on hold; not running; initial delay;
    // startup gating; then the probe itself.
    if (!pp.configured || w.stopped || !r.visible || w.on_hold || !r.running) return;
    if (t_.now() - r.started_at < pp.initial_delay) return;
    if (kind == ProbeKind::Startup ? r.started : !r.started) return;
    w.last_attempt = t_.now();
    const ProbeResult result = surface_up(r, pp.surface) ? ProbeResult::Success : ProbeResult::Failure;
    if (const auto changed = w.record(kind, result, pp)) published(pod, kind, *changed);
}

void Prober::reschedule(PodId pod, ProbeKind kind) {
    PodRuntime& r = t_.rt(pod);
    const auto slot = kSlotProbe0 + static_cast<std::uint32_t>(kind);
    const ProbeParams& pp = t_.revision_of(t_.cluster.pod(pod)).probe(kind);
    ProbeWorker& w = r.probes[static_cast<int>(kind)];
    const bool ticking = pp.configured && !w.stopped && !w.on_hold && r.running && r.visible &&
                         (kind == ProbeKind::Startup ? !r.started : r.started) &&
                         w.wants_tick(surface_up(r, pp.surface));  // else every tick would change nothing
    if (!ticking) {
        t_.cancel_pod(pod, slot);
        return;
    }
    // A tick due now that has not run yet still runs (a surface change may come just before it
    // in the same instant); one that has run is not repeated.
    const SimTime not_before = w.last_attempt == t_.now() ? t_.now() + SimTime::millis(1) : t_.now();
    const SimTime earliest = std::max(not_before, r.started_at + pp.initial_delay);
    t_.sim.keep_or_arm(t_.sized_pod_timer(pod, slot), w.tick_at_or_after(earliest, pp.period), kPhaseKubelet,
                     static_cast<std::uint16_t>(Ev::KlProbe), pod);
}

void Prober::reschedule(PodId pod) {
    for (int k = 0; k < 3; ++k) reschedule(pod, static_cast<ProbeKind>(k));
}

void Prober::published(PodId pod, ProbeKind kind, ProbeResult result) {
    const Pod& p = t_.cluster.pod(pod);
    PodRuntime& r = t_.rt(pod);
    const Revision& rev = t_.revision_of(p);
    t_.trace(TraceKind::ProbeResult, p.node, pod, static_cast<std::int64_t>(kind),
          static_cast<std::int64_t>(result));
    switch (kind) {
        case ProbeKind::Startup:
            if (result == ProbeResult::Success) {
                r.started = true;
                traffic_.pod_changed(pod);
                if (!rev.probe(ProbeKind::Readiness).configured) set_ready(pod, true);
                // The startup result reaches the sync loop, which syncs the pod: readiness is
                // probed at once, not on its next tick.
                pod_sync(pod);
                reschedule(pod);
            } else if (result == ProbeResult::Failure) {
                kubelet_.kill_container(pod, rev.probe(kind).kill_grace.value_or(rev.grace), true);
            }
            break;
        case ProbeKind::Liveness:
            if (result == ProbeResult::Failure) {
                kubelet_.kill_container(pod, rev.probe(kind).kill_grace.value_or(rev.grace), true);
            }
            break;
        case ProbeKind::Readiness:
            set_ready(pod, result == ProbeResult::Success);
            break;
    }
}

void Prober::set_ready(PodId pod, bool ready) {
    PodRuntime& r = t_.rt(pod);
    if (r.ready == ready) return;
    r.ready = ready;
    r.ready_at = t_.now();
    t_.trace(ready ? TraceKind::Ready : TraceKind::NotReady, t_.cluster.pod(pod).node, pod);
    if (ready) t_.cancel_pod(pod, kSlotResync);
    api_.write_status(pod);
}

}  // namespace rollsim::model
