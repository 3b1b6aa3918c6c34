// The kubelet on each node, and the process it runs.
//
//  - start: sandbox, then the image (images/image_manager.go EnsureImageExists: IfNotPresent
//    pulls on a miss, Always checks the registry, Never fails when absent; pulls are serialised
//    per node, SerializeImagePulls), then the container;
//  - probes (prober/worker.go, prober_manager.go): workers start when the kubelet adds the pod,
//    ticks anchored there; readiness starts Failure, liveness Success, startup Unknown; a
//    startup probe gates the others; initialDelaySeconds in whole seconds since StartedAt;
//    UpdatePodStatus triggers a readiness probe whenever status is regenerated and readiness is
//    not Success (since v1.31 that also resets the ticker);
//  - restarts (kuberuntime_manager.go doBackOff): the first restart is immediate, later ones
//    wait 10 s doubling to 300 s after the exit, retried on the pod worker's 10-15 s grid;
//  - termination (kuberuntime_container.go killContainer): preStop for up to the grace
//    period, then SIGTERM with the remaining grace but at least 2 s, then SIGKILL; the terminal
//    phase is written once every container has exited;
//  - a force-deleted pod (grace 0) is gone from the API at once; its kubelet sees the removal a
//    watch later (HandlePodRemoves) and kills the process with grace 0: no preStop (it runs
//    only with grace left), SIGTERM, SIGKILL after the 2 s minimum.
// The process model (listen, serve, shutdown, faults) is the scenario's workload.

#include <algorithm>

#include <fmt/format.h>

#include "kernel/distribution.hpp"
#include "model/world.hpp"

namespace rollsim::model {

using kernel::sample_duration;
using kernel::stream_key;

namespace {
/// wait.Jitter(d, 0.5): d plus up to half of d.
SimTime jitter(SimTime d, kernel::Rng& rng) {
    return d + SimTime::millis(static_cast<std::int64_t>(rng.uniform01() * 0.5 *
                                                         static_cast<double>(d.ms())));
}
constexpr SimTime kMinimumGrace = SimTime::seconds(2);       // minimumGracePeriodInSeconds
constexpr SimTime kPodWorkerBackoff = SimTime::seconds(10);  // pod_workers.go backOffPeriod
constexpr SimTime kPodResync = SimTime::minutes(1);          // syncFrequency

}  // namespace

void World::kubelet_event(const kernel::Event& e) {
    // The kubelets' events, the processes' and the config backend's: every kind World::handle
    // does not handle itself.
    const auto pod_ok = [&](std::uint32_t id) {
        return id < cluster_.pod_slots() && cluster_.pod(id).uid == e.payload;
    };
    switch (static_cast<Ev>(e.kind)) {
        case Ev::KlPodAdded:
            if (pod_ok(e.target) && kubelet_can_act(e.target)) kubelet_pod_added(e.target);
            break;
        case Ev::KlSandboxReady:
            sandbox_ready(e.target);
            break;
        case Ev::KlPullDone:
            pull_done(e.target);
            break;
        case Ev::KlContainerSeen:
            container_seen(e.target);
            break;
        case Ev::KlContainerDiedSeen:
            container_died_seen(e.target);
            break;
        case Ev::KlRestartRetry:
            restart_retry(e.target);
            break;
        case Ev::KlProcListen:
            process_listen(e.target);
            break;
        case Ev::KlProcServe:
            process_serve(e.target);
            break;
        case Ev::KlProcExit:
            process_exit(e.target, rt(e.target).sigterm);
            break;
        case Ev::KlSigterm:
            sigterm(e.target);
            break;
        case Ev::KlKillDeadline:
            process_exit(e.target, false);
            break;
        case Ev::KlProbe: {
            const std::uint32_t slot = (e.timer - pod_timer(0, 0)) % kPodSlots;
            probe_tick(e.target, static_cast<ProbeKind>(slot - kSlotProbe0));
            break;
        }
        case Ev::KlResync:
            pod_sync(e.target);
            break;
        case Ev::KlSeeDeletion:
            if (pod_ok(e.target) && kubelet_can_act(e.target)) see_deletion(e.target);
            break;
        case Ev::KlPullRetry:
            pull_retry(e.target);
            break;
        case Ev::KlInitDone:
            config_ask(e.target);
            break;
        case Ev::BackendDone:
            config_done(e.target);
            break;
        case Ev::KlDetachedKill:
            detached_kill(e.target);
            break;
        case Ev::KlDetachedExit:
            detached_exit(e.target);
            break;
        case Ev::DetachedEndpointGone:
            detached_endpoint_gone(e.target);
            break;
        default:
            ROLLSIM_ASSERT(false);  // an event kind that no component handles
            break;
    }
}

void World::kubelet_pod_added(PodId pod) {
    Pod& p = cluster_.pod(pod);
    PodRuntime& r = rt(pod);
    if (p.terminating()) {
        // Deleted before the kubelet started anything: nothing to kill.
        r.stage = Stage::Terminated;
        write_status(pod);
        return;
    }
    if (!admit(pod)) return;  // node pressure (eviction.cpp)
    r.stage = Stage::Sandbox;
    for (auto& w : r.probes) w.anchor = sim_.now();  // prober_manager AddPod starts the workers
    arm_pod(pod, kSlotLifecycle, sim_.now() + v_->latencies.sandbox, kPhaseKubelet,
            Ev::KlSandboxReady);
}

void World::sandbox_ready(PodId pod) {
    rt(pod).pull_asked = sim_.now();
    ensure_image_then_start(pod);
}

void World::ensure_image_then_start(PodId pod) {
    const Pod& p = cluster_.pod(pod);
    PodRuntime& r = rt(pod);
    const Revision& rev = revision_of(p);
    NodeRuntime& n = nodes_[p.node];
    const bool cached = (n.images & rev.image_bit) != 0;
    if (cached && rev.pull_policy != "Always") {
        start_container(pod);
        return;
    }
    if (!cached && rev.pull_policy == "Never") {
        r.stage = Stage::ImageError;  // ErrImageNeverPull: the pod waits for ever
        return;
    }
    // A manifest list without this node's platform: the pull fails (ErrImagePull), and the
    // next attempts wait out the image back-off (image_manager.go EnsureImageExists:
    // IsInBackOffSinceUpdate, then Next), retried on the pod worker's 10-15 s grid.
    const auto& archs = rev.behaviour->image_architectures;
    if (!cached && !archs.empty()) {
        const auto& labels = node_spec(p.node).labels;
        const auto arch = labels.find("kubernetes.io/arch");
        if (arch != labels.end() && std::find(archs.begin(), archs.end(), arch->second) == archs.end()) {
            if (!kImagePullBackoff.in_backoff_since_update(r.image_backoff, sim_.now())) {
                kImagePullBackoff.next(r.image_backoff, sim_.now(), sim_.now());
                if (trace_ != nullptr) {
                    trace(TraceKind::ImagePullBackOff, p.node, pod, r.image_backoff.backoff.ms(), 0,
                          fmt::format("no matching manifest for linux/{} in the manifest list entries", arch->second));
                }
            }
            r.stage = Stage::ImagePullBackOff;
            arm_pod(pod, kSlotLifecycle, sim_.now() + jitter(kPodWorkerBackoff, r.jitter), kPhaseKubelet,
                    Ev::KlPullRetry);
            return;
        }
    }
    if (!cached && registry_modelled(rev)) {
        registry_pull(pod);
        return;
    }
    // A full pull on a miss; a registry round trip when Always finds the image cached.
    kernel::Rng rng = sim_.rng(stream_key("image-pull"), container_entity(p, r));
    const Behaviour& b = *rev.behaviour;
    const SimTime duration = sample_duration(cached ? b.image_check : b.image_pull, rng);
    const SimTime start = std::max(sim_.now(), n.pulls_free_at);
    n.pulls_free_at = start + duration;
    r.stage = Stage::Pulling;
    trace(TraceKind::ImagePull, p.node, pod, duration.ms(), (start - sim_.now()).ms());
    arm_pod(pod, kSlotLifecycle, start + duration, kPhaseKubelet, Ev::KlPullDone);
}

void World::pull_done(PodId pod) {
    const Pod& p = cluster_.pod(pod);
    if ((nodes_[p.node].images & revision_of(p).image_bit) == 0) pull_finished(pod);
    nodes_[p.node].images |= revision_of(p).image_bit;
    trace(TraceKind::ImagePulled, p.node, pod);
    start_container(pod);
}

void World::start_container(PodId pod) {
    const Pod& p = cluster_.pod(pod);
    PodRuntime& r = rt(pod);
    const Revision& rev = revision_of(p);
    // A restarted container may behave unlike a cold start (workload afterRestart).
    const Behaviour& b = r.starts > 0 && rev.behaviour->after_restart ? *rev.behaviour->after_restart : *rev.behaviour;
    ++r.starts;
    r.stage = Stage::Running;
    r.running = true;
    r.visible = r.listening = r.serving = r.served = r.sigterm = r.draining = false;
    r.ready = false;
    r.started_at = sim_.now();
    r.started = !rev.probe(ProbeKind::Startup).configured;
    for (int k = 0; k < 3; ++k) r.probes[k].reset_for_new_container(static_cast<ProbeKind>(k));

    // The process: when it accepts connections, when its request path works, and its faults.
    kernel::Rng rng = sim_.rng(stream_key("container-start"), container_entity(p, r));
    const bool crashes = rng.uniform01() < b.crash_on_start;
    const bool never_serves = rng.uniform01() < b.never_serves;
    const SimTime listen = sample_duration(b.listen, rng);
    const SimTime serve = std::max(sample_duration(b.serve, rng), listen);
    // Drawn after the others, so that adding this fault moved no earlier draw.
    const bool crashes_later = rng.uniform01() < b.crash_after_serving;
    const SimTime crash_after = sample_duration(b.crash_after, rng);
    const SimTime crash_at = b.crash_on_start_after ? sample_duration(*b.crash_on_start_after, rng) : listen;
    trace(TraceKind::ContainerStarted, p.node, pod, r.starts);
    r.crash_after_serving.reset();
    if (crashes) {
        arm_pod(pod, kSlotExit, sim_.now() + crash_at, kPhaseKubelet, Ev::KlProcExit);
        if (listen < crash_at) arm_pod(pod, kSlotListen, sim_.now() + listen, kPhaseKubelet, Ev::KlProcListen);
    } else {
        arm_pod(pod, kSlotListen, sim_.now() + listen, kPhaseKubelet, Ev::KlProcListen);
        if (!never_serves) {
            // With a configuration backend the process asks it once its own init is done.
            const bool backend = v_->config_backend.concurrency > 0;
            arm_pod(pod, kSlotServe, sim_.now() + serve, kPhaseKubelet, backend ? Ev::KlInitDone : Ev::KlProcServe);
            if (crashes_later) r.crash_after_serving = crash_after;
        }
    }
    // PLEG notices the running container a relist later; the kubelet then regenerates status.
    arm_pod(pod, kSlotLifecycle, sim_.now() + v_->latencies.pleg, kPhaseKubelet, Ev::KlContainerSeen);
    write_status(pod);
    pod_traffic_changed(pod);
}

void World::container_seen(PodId pod) {
    PodRuntime& r = rt(pod);
    if (!r.running) return;
    r.visible = true;
    const Revision& rev = revision_of(cluster_.pod(pod));
    // UpdatePodStatus: without a readiness probe a started container is ready at once.
    if (r.started && !rev.probe(ProbeKind::Readiness).configured) set_ready(pod, true);
    pod_sync(pod);
    reschedule_probes(pod);
}

void World::pod_sync(PodId pod) {
    // A pod sync regenerates status; UpdatePodStatus then triggers a readiness probe if
    // readiness is not Success. The periodic resync (syncFrequency 1 min, jittered by up to
    // half) only matters while that trigger can change something, so it is armed only then.
    PodRuntime& r = rt(pod);
    const ProbeParams& rp = revision_of(cluster_.pod(pod)).probe(ProbeKind::Readiness);
    ProbeWorker& w = r.probes[static_cast<int>(ProbeKind::Readiness)];
    const bool waiting = rp.configured && r.running && r.visible && !r.sigterm &&
                         w.published != ProbeResult::Success;
    if (!waiting) {
        cancel_pod(pod, kSlotResync);
        return;
    }
    probe_attempt(pod, ProbeKind::Readiness);
    if (v_->version.manual_probe_trigger_resets_ticker()) w.anchor = sim_.now();
    probe_reschedule(pod, ProbeKind::Readiness);
    // A later trigger can pass only if the checked surface is up or is still to come up.
    const bool can_pass = surface_up(r, rp.surface) ||
                          sim_.armed(pod_timer(pod, rp.surface == Surface::Serving ? kSlotServe : kSlotListen));
    if (w.published != ProbeResult::Success && can_pass) {
        arm_pod(pod, kSlotResync, sim_.now() + jitter(kPodResync, r.jitter), kPhaseKubelet,
                Ev::KlResync);
    } else {
        cancel_pod(pod, kSlotResync);
    }
}

bool World::surface_up(const PodRuntime& r, Surface s) const {
    return r.running && !r.sigterm && (s == Surface::Listening ? r.listening : r.serving);
}

void World::probe_tick(PodId pod, ProbeKind kind) {
    probe_attempt(pod, kind);
    probe_reschedule(pod, kind);
}

void World::probe_attempt(PodId pod, ProbeKind kind) {
    PodRuntime& r = rt(pod);
    const ProbeParams& pp = revision_of(cluster_.pod(pod)).probe(kind);
    ProbeWorker& w = r.probes[static_cast<int>(kind)];
    // doProbe, in order: no container status yet; on hold; not running; initial delay;
    // startup gating; then the probe itself.
    if (!pp.configured || w.stopped || !r.visible || w.on_hold || !r.running) return;
    if (sim_.now() - r.started_at < pp.initial_delay) return;
    if (kind == ProbeKind::Startup ? r.started : !r.started) return;
    w.last_attempt = sim_.now();
    const ProbeResult result = surface_up(r, pp.surface) ? ProbeResult::Success : ProbeResult::Failure;
    if (const auto published = w.record(kind, result, pp)) probe_published(pod, kind, *published);
}

void World::probe_reschedule(PodId pod, ProbeKind kind) {
    PodRuntime& r = rt(pod);
    const auto slot = kSlotProbe0 + static_cast<std::uint32_t>(kind);
    const ProbeParams& pp = revision_of(cluster_.pod(pod)).probe(kind);
    ProbeWorker& w = r.probes[static_cast<int>(kind)];
    const bool ticking = pp.configured && !w.stopped && !w.on_hold && r.running && r.visible &&
                         (kind == ProbeKind::Startup ? !r.started : r.started) &&
                         w.wants_tick(surface_up(r, pp.surface));  // else every tick would change nothing
    if (!ticking) {
        cancel_pod(pod, slot);
        return;
    }
    // A tick due now that has not run yet still runs (a surface change may come just before it
    // in the same instant); one that has run is not repeated.
    const SimTime not_before = w.last_attempt == sim_.now() ? sim_.now() + SimTime::millis(1) : sim_.now();
    const SimTime earliest = std::max(not_before, r.started_at + pp.initial_delay);
    sim_.keep_or_arm(sized_pod_timer(pod, slot), w.tick_at_or_after(earliest, pp.period), kPhaseKubelet,
                     static_cast<std::uint16_t>(Ev::KlProbe), pod);
}

void World::reschedule_probes(PodId pod) {
    for (int k = 0; k < 3; ++k) probe_reschedule(pod, static_cast<ProbeKind>(k));
}

void World::probe_published(PodId pod, ProbeKind kind, ProbeResult result) {
    const Pod& p = cluster_.pod(pod);
    PodRuntime& r = rt(pod);
    const Revision& rev = revision_of(p);
    trace(TraceKind::ProbeResult, p.node, pod, static_cast<std::int64_t>(kind),
          static_cast<std::int64_t>(result));
    switch (kind) {
        case ProbeKind::Startup:
            if (result == ProbeResult::Success) {
                r.started = true;
                pod_traffic_changed(pod);
                if (!rev.probe(ProbeKind::Readiness).configured) set_ready(pod, true);
                // The startup result reaches the sync loop, which syncs the pod: readiness is
                // probed at once, not on its next tick.
                pod_sync(pod);
                reschedule_probes(pod);
            } else if (result == ProbeResult::Failure) {
                kill_container(pod, rev.probe(kind).kill_grace.value_or(rev.grace), true);
            }
            break;
        case ProbeKind::Liveness:
            if (result == ProbeResult::Failure) {
                kill_container(pod, rev.probe(kind).kill_grace.value_or(rev.grace), true);
            }
            break;
        case ProbeKind::Readiness:
            set_ready(pod, result == ProbeResult::Success);
            break;
    }
}

void World::set_ready(PodId pod, bool ready) {
    PodRuntime& r = rt(pod);
    if (r.ready == ready) return;
    r.ready = ready;
    r.ready_at = sim_.now();
    trace(ready ? TraceKind::Ready : TraceKind::NotReady, cluster_.pod(pod).node, pod);
    if (ready) cancel_pod(pod, kSlotResync);
    write_status(pod);
}

void World::process_listen(PodId pod) {
    PodRuntime& r = rt(pod);
    if (!r.running || r.sigterm) return;
    r.listening = true;
    trace(TraceKind::Listening, cluster_.pod(pod).node, pod);
    pod_traffic_changed(pod);
    reschedule_probes(pod);
}

void World::process_serve(PodId pod) {
    PodRuntime& r = rt(pod);
    if (!r.running || r.sigterm) return;
    r.serving = r.served = true;
    if (r.crash_after_serving) {
        arm_pod(pod, kSlotExit, sim_.now() + *r.crash_after_serving, kPhaseKubelet, Ev::KlProcExit);
        r.crash_after_serving.reset();
    }
    trace(TraceKind::Serving, cluster_.pod(pod).node, pod);
    pod_traffic_changed(pod);
    reschedule_probes(pod);
}

void World::process_exit(PodId pod, bool ok) {
    PodRuntime& r = rt(pod);
    if (!r.running) return;
    const Pod& p = cluster_.pod(pod);
    if (p.owner == 0 && p.revision == v_->new_revision.id && v_->new_revision.id != v_->old_revision.id &&
        (r.kill_for_restart || !r.sigterm)) {
        ++op_.public_new_crashes;  // a crash or a probe kill of the new revision, in public
    }
    config_release(pod);
    r.running = r.listening = r.serving = r.draining = false;
    r.finished_at = sim_.now();
    r.last_exit_ok = ok;
    for (std::uint32_t slot : {kSlotListen, kSlotServe, kSlotExit, kSlotKill, kSlotProbe0,
                               kSlotProbe1, kSlotProbe2, kSlotResync}) {
        cancel_pod(pod, slot);
    }
    trace(TraceKind::ContainerExited, cluster_.pod(pod).node, pod, ok ? 1 : 0);
    pod_traffic_changed(pod);
    arm_pod(pod, kSlotLifecycle, sim_.now() + v_->latencies.pleg, kPhaseKubelet,
            Ev::KlContainerDiedSeen);
}

void World::container_died_seen(PodId pod) {
    PodRuntime& r = rt(pod);
    r.visible = false;
    set_ready(pod, false);  // a container that is not running is not ready
    if (r.stage == Stage::Terminating) {
        r.stage = Stage::Terminated;
        write_status(pod);
        return;
    }
    restart_retry(pod);
}

void World::pull_retry(PodId pod) {
    if (rt(pod).stage != Stage::ImagePullBackOff) return;
    ensure_image_then_start(pod);
}

void World::restart_retry(PodId pod) {
    PodRuntime& r = rt(pod);
    if (r.stage == Stage::Terminating || r.stage == Stage::Terminated) return;
    if (kCrashLoopBackoff.in_backoff_since(r.crash_backoff, r.finished_at, sim_.now())) {
        // ErrCrashLoopBackOff fails the sync; the pod worker tries again 10-15 s later.
        if (r.stage != Stage::BackOff) {
            trace(TraceKind::BackOff, cluster_.pod(pod).node, pod, r.crash_backoff.backoff.ms());
        }
        r.stage = Stage::BackOff;
        arm_pod(pod, kSlotLifecycle, sim_.now() + jitter(kPodWorkerBackoff, r.jitter),
                kPhaseKubelet, Ev::KlRestartRetry);
        return;
    }
    kCrashLoopBackoff.next(r.crash_backoff, r.finished_at, sim_.now());
    ++r.restarts;
    ++restarts_total_;
    ensure_image_then_start(pod);
}

void World::kill_container(PodId pod, SimTime grace, bool for_restart) {
    const Pod& p = cluster_.pod(pod);
    PodRuntime& r = rt(pod);
    if (!r.running || r.sigterm) return;
    r.kill_for_restart = for_restart;
    const Revision& rev = revision_of(p);
    // preStop blocks for up to the whole grace period; its time comes off the grace.
    SimTime hook;
    if (rev.has_pre_stop && grace > SimTime::zero()) {
        if (rev.pre_stop_sleep) {
            hook = *rev.pre_stop_sleep;
        } else {
            kernel::Rng rng = sim_.rng(stream_key("pre-stop"), container_entity(p, r));
            hook = sample_duration(rev.behaviour->pre_stop, rng);
        }
        hook = std::min(hook, grace);
        trace(TraceKind::PreStop, p.node, pod, hook.ms());
        if (rev.behaviour->pre_stop_drains && hook > SimTime::zero()) {
            r.draining = true;
            pod_traffic_changed(pod);
        }
    }
    r.kill_grace = std::max(grace - hook, kMinimumGrace);
    if (hook > SimTime::zero()) {
        arm_pod(pod, kSlotKill, sim_.now() + hook, kPhaseKubelet, Ev::KlSigterm);
    } else {
        sigterm(pod);
    }
}

void World::sigterm(PodId pod) {
    const Pod& p = cluster_.pod(pod);
    PodRuntime& r = rt(pod);
    if (!r.running) return;
    // The process stops accepting requests on SIGTERM and exits after its shutdown time, or is
    // killed when the remaining grace runs out.
    r.sigterm = true;
    r.listening = r.serving = r.draining = false;
    config_release(pod);
    cancel_pod(pod, kSlotListen);
    cancel_pod(pod, kSlotServe);
    cancel_pod(pod, kSlotExit);
    trace(TraceKind::SigTerm, p.node, pod);
    pod_traffic_changed(pod);
    kernel::Rng rng = sim_.rng(stream_key("shutdown"), container_entity(p, r));
    const SimTime shutdown = sample_duration(revision_of(p).behaviour->shutdown, rng);
    if (shutdown <= r.kill_grace) {
        arm_pod(pod, kSlotExit, sim_.now() + shutdown, kPhaseKubelet, Ev::KlProcExit);
    } else {
        arm_pod(pod, kSlotKill, sim_.now() + r.kill_grace, kPhaseKubelet, Ev::KlKillDeadline);
    }
    reschedule_probes(pod);
}

void World::see_deletion(PodId pod) {
    PodRuntime& r = rt(pod);
    if (r.stage == Stage::Terminated || r.stage == Stage::Terminating) return;
    if (r.stage == Stage::None) return;  // not yet added by this kubelet: KlPodAdded handles it
    kill_pod(pod, revision_of(cluster_.pod(pod)).grace);
}

void World::detach_container(PodId pod) {
    const Pod& p = cluster_.pod(pod);
    const PodRuntime& r = rt(pod);
    if (!r.running) return;  // nothing runs that could outlive the object
    DetachedContainer d;
    d.node = p.node;
    d.uid = p.uid;
    d.revision = p.revision;
    d.serving = r.c_serving;
    d.listening = r.c_listening;
    d.covered = r.c_covered;
    d.draining = r.c_draining;
    d.endpoint = r.c_good || r.c_broken;
    d.good = r.c_good;
    d.sigterm = r.sigterm;
    kernel::Rng rng = sim_.rng(stream_key("shutdown"), container_entity(p, r));
    d.shutdown = sample_duration(revision_of(p).behaviour->shutdown, rng);
    // Its share of the counters passes to the detached container, so removing the object
    // changes nothing the clients feel yet.
    NodeRuntime& n = nodes_[p.node];
    n.serving += d.serving ? 1 : 0;
    n.listening += d.listening ? 1 : 0;
    n.covered += d.covered ? 1 : 0;
    n.draining += d.draining ? 1 : 0;
    if (d.endpoint) (d.good ? meters_.good_backends : meters_.broken_backends) += 1;
    const auto index = static_cast<std::uint32_t>(detached_.size());
    detached_.push_back(d);
    const SimTime seen = sim_.now() + v_->latencies.watch;
    at(seen, kPhaseKubelet, Ev::KlDetachedKill, index);
    if (d.endpoint) at(seen + v_->traffic.endpoint_propagation, kPhaseTraffic, Ev::DetachedEndpointGone, index);
}

void World::detached_kill(std::uint32_t index) {
    DetachedContainer& d = detached_[index];
    if (d.exited) return;
    if (!d.sigterm) {
        traffic_advance();
        d.sigterm = true;
        NodeRuntime& n = nodes_[d.node];
        n.serving -= d.serving ? 1 : 0;
        n.listening -= d.listening ? 1 : 0;
        n.draining -= d.draining ? 1 : 0;
        d.serving = d.listening = d.draining = false;
        if (d.endpoint && d.good) {
            --meters_.good_backends;
            ++meters_.broken_backends;
            d.good = false;
            trace(TraceKind::ErrorsStart, d.node, kNoPod);
        }
        trace(TraceKind::SigTerm, d);
        node_changed(d.node);
    }
    at(sim_.now() + std::min(d.shutdown, kMinimumGrace), kPhaseKubelet, Ev::KlDetachedExit, index);
}

void World::detached_exit(std::uint32_t index, bool with_machine) {
    DetachedContainer& d = detached_[index];
    if (d.exited) return;
    traffic_advance();
    d.exited = true;
    NodeRuntime& n = nodes_[d.node];
    n.serving -= d.serving ? 1 : 0;
    n.listening -= d.listening ? 1 : 0;
    n.covered -= d.covered ? 1 : 0;
    n.draining -= d.draining ? 1 : 0;
    d.serving = d.listening = d.covered = d.draining = false;
    trace(TraceKind::ContainerExited, d, !with_machine && d.shutdown <= kMinimumGrace ? 1 : 0, with_machine ? 1 : 0);
    node_changed(d.node);
}

void World::detached_endpoint_gone(std::uint32_t index) {
    DetachedContainer& d = detached_[index];
    if (!d.endpoint) return;
    traffic_advance();
    d.endpoint = false;
    if (d.good) {
        --meters_.good_backends;
    } else {
        --meters_.broken_backends;
        trace(TraceKind::ErrorsEnd, d.node, kNoPod);
    }
}

void World::kill_pod(PodId pod, SimTime grace) {
    PodRuntime& r = rt(pod);
    if (r.stage == Stage::Terminated || r.stage == Stage::Terminating) return;
    // SyncTerminatingPod: liveness and startup stop (StopLivenessAndStartup); readiness goes on.
    for (ProbeKind k : {ProbeKind::Liveness, ProbeKind::Startup}) {
        r.probes[static_cast<int>(k)].stopped = true;
        cancel_pod(pod, kSlotProbe0 + static_cast<std::uint32_t>(k));
    }
    const bool had_process = r.running;
    const bool killing = r.sigterm;
    r.stage = Stage::Terminating;
    if (had_process) {
        r.kill_for_restart = false;
        if (!killing) kill_container(pod, grace, false);
        return;
    }
    // Nothing running (sandbox, pulling, back-off, or never started): terminal at once.
    cancel_pod(pod, kSlotLifecycle);
    registry_abort(pod);
    r.stage = Stage::Terminated;
    write_status(pod);
}

}  // namespace rollsim::model
