// The kubelet on each node, and the process it runs.
//
//  - start: sandbox, then the image (images/image_manager.go EnsureImageExists: IfNotPresent
//    pulls on a miss, Always checks the registry, Never fails when absent; pulls are serialised
//    per node, SerializeImagePulls), then the container;
//  - probes: prober.cpp;
//  - restarts (kuberuntime_manager.go doBackOff): the first restart is immediate, later ones
//    wait 10 s doubling to 300 s after the exit, retried on the pod worker's 10-15 s grid;
//  - termination (kuberuntime_container.go killContainer): preStop for up to the grace
//    period, then SIGTERM with the remaining grace but at least 2 s, then SIGKILL; the terminal
//    phase is written once every container has exited;
//  - a force-deleted pod (grace 0) is gone from the API at once; its kubelet sees the removal a
//    watch later (HandlePodRemoves) and kills the process with grace 0: no preStop (it runs
//    only with grace left), SIGTERM, SIGKILL after the 2 s minimum.
//  - a stopped machine: every process dies and the kubelet writes nothing; back, it adds its
//    pods again (HandlePodAdditions), finishing deletions and restarting the rest.
//  - several containers (kuberuntime_manager.go computePodActions, SyncPod): the sidecars
//    (restartable init containers) start first, in order, each once the one before it has
//    started (running, and its startup probe passed if it has one); then the regular containers
//    one after another in the same sync. Each container restarts on its own, with its own
//    back-off. A terminating pod kills its regular containers first and its sidecars after they
//    have exited, last first (killContainersWithSyncResult), within the one grace period.
// The process model (listen, serve, shutdown, faults) is the scenario's workload.

#include <algorithm>

#include <fmt/format.h>

#include "kernel/distribution.hpp"
#include "model/api_server.hpp"
#include "model/config_backend.hpp"
#include "model/eviction.hpp"
#include "model/kubelet.hpp"
#include "model/node_lifecycle.hpp"
#include "model/prober.hpp"
#include "model/registry.hpp"
#include "model/scheduler.hpp"
#include "model/traffic.hpp"

namespace rollsim::model {

using kernel::sample_duration;
using kernel::stream_key;

namespace {
constexpr SimTime kMinimumGrace = SimTime::seconds(2);       // minimumGracePeriodInSeconds
constexpr SimTime kPodWorkerBackoff = SimTime::seconds(10);  // pod_workers.go backOffPeriod

}  // namespace

void Kubelet::handle(const kernel::Event& e) {
    // A pod timer's event names its container by the timer's slot.
    const std::size_t c = e.timer == kernel::Event::kNoTimer || t_.pod_slots == kPodSlots ? 0 : t_.container_slot(e).container;
    switch (static_cast<Ev>(e.kind)) {
        case Ev::KlPodAdded:
            if (t_.pod_ok(e) && t_.kubelet_can_act(e.target)) pod_added(e.target);
            break;
        case Ev::KlSandboxReady:
            sandbox_ready(e.target);
            break;
        case Ev::KlPullDone:
            pull_done(e.target, c);
            break;
        case Ev::KlContainerSeen:
            container_seen(e.target, c);
            break;
        case Ev::KlContainerDiedSeen:
            container_died_seen(e.target, c);
            break;
        case Ev::KlRestartRetry:
            restart_retry(e.target, c);
            break;
        case Ev::KlProcListen:
            process_listen(e.target, c);
            break;
        case Ev::KlProcServe:
            process_serve(e.target, c);
            break;
        case Ev::KlProcExit:
            process_exit(e.target, c, t_.rt(e.target).container(c).sigterm);
            break;
        case Ev::KlSigterm:
            sigterm(e.target, c);
            break;
        case Ev::KlKillDeadline:
            process_exit(e.target, c, false);
            break;
        case Ev::KlPullRetry:
            pull_retry(e.target, c);
            break;
        case Ev::KlDetachedKill:
            detached_kill(e.target);
            break;
        case Ev::KlDetachedExit:
            detached_exit(e.target);
            break;
        default:
            ROLLSIM_ASSERT(false);  // World::handle sends the kubelet only its kinds
            break;
    }
}

void Kubelet::pod_added(PodId pod) {
    Pod& p = t_.cluster.pod(pod);
    PodRuntime& r = t_.rt(pod);
    if (p.terminating()) {
        // Deleted before the kubelet started anything: nothing to kill.
        r.stage = Stage::Terminated;
        api_.write_status(pod);
        return;
    }
    if (!eviction_.admit(pod)) return;  // node pressure (eviction.cpp)
    r.stage = Stage::Sandbox;
    r.more.resize(t_.revision_of(p).containers.size() - 1);
    prober_.add_pod(pod);
    t_.arm_pod(pod, kSlotLifecycle, t_.now() + t_.v->latencies.sandbox, kPhaseKubelet,
            Ev::KlSandboxReady);
}

void Kubelet::sandbox_ready(PodId pod) {
    PodRuntime& r = t_.rt(pod);
    r.stage = Stage::Running;
    r.starting = 0;
    start_next(pod);
}

void Kubelet::start_next(PodId pod) {
    PodRuntime& r = t_.rt(pod);
    const Revision& rev = t_.revision_of(t_.cluster.pod(pod));
    if (r.stage != Stage::Running || r.starting >= rev.start_order.size()) return;
    r.pull_asked = t_.now();
    ensure_image_then_start(pod, rev.start_order[r.starting]);
}

void Kubelet::start_next_after(PodId pod, std::size_t c) {
    PodRuntime& r = t_.rt(pod);
    const Revision& rev = t_.revision_of(t_.cluster.pod(pod));
    if (r.starting >= rev.start_order.size() || rev.start_order[r.starting] != c) return;
    ++r.starting;
    start_next(pod);
}

void Kubelet::ensure_image_then_start(PodId pod, std::size_t c) {
    const Pod& p = t_.cluster.pod(pod);
    PodRuntime& r = t_.rt(pod);
    ContainerRuntime& cr = r.container(c);
    const ContainerModel& cm = t_.revision_of(p).container(c);
    NodeRuntime& n = t_.nodes[p.node];
    const bool cached = (n.images & cm.image_bit) != 0;
    if (cached && cm.pull_policy != PullPolicy::Always) {
        start_container(pod, c);
        return;
    }
    if (!cached && cm.pull_policy == PullPolicy::Never) {
        cr.stage = ContainerStage::ImageError;  // ErrImageNeverPull: the pod waits for ever
        return;
    }
    // A manifest list without this node's platform: the pull fails (ErrImagePull), and the
    // next attempts wait out the image back-off (image_manager.go EnsureImageExists:
    // IsInBackOffSinceUpdate, then Next), retried on the pod worker's 10-15 s grid.
    const auto& archs = cm.behaviour->image_architectures;
    if (!cached && !archs.empty()) {
        const auto& labels = t_.node_spec(p.node).labels;
        const auto arch = labels.find("kubernetes.io/arch");
        if (arch != labels.end() && std::find(archs.begin(), archs.end(), arch->second) == archs.end()) {
            if (!kImagePullBackoff.in_backoff_since_update(r.image_backoff, t_.now())) {
                kImagePullBackoff.next(r.image_backoff, t_.now(), t_.now());
                if (t_.tracing(TraceKind::ImagePullBackOff)) {
                    t_.trace_container(TraceKind::ImagePullBackOff, pod, c, r.image_backoff.backoff.ms(), 0,
                          fmt::format("no matching manifest for linux/{} in the manifest list entries", arch->second));
                }
            }
            cr.stage = ContainerStage::ImagePullBackOff;
            t_.arm_pod(pod, Trial::slot_of(c, kSlotLifecycle), t_.now() + jitter(kPodWorkerBackoff, r.jitter),
                       kPhaseKubelet, Ev::KlPullRetry);
            return;
        }
    }
    if (!cached && registry_.modelled(cm)) {
        r.pulling = static_cast<std::uint8_t>(c);
        cr.stage = ContainerStage::Pulling;
        registry_.pull(pod);
        return;
    }
    // A full pull on a miss; a registry round trip when Always finds the image cached.
    kernel::Rng rng = t_.rng(stream_key("image-pull"), container_entity(p, r, c));
    const Behaviour& b = *cm.behaviour;
    const SimTime duration = sample_duration(cached ? b.image_check : b.image_pull, rng);
    const SimTime start = std::max(t_.now(), n.pulls_free_at);
    n.pulls_free_at = start + duration;
    cr.stage = ContainerStage::Pulling;
    t_.trace_container(TraceKind::ImagePull, pod, c, duration.ms(), (start - t_.now()).ms());
    t_.arm_pod(pod, Trial::slot_of(c, kSlotLifecycle), start + duration, kPhaseKubelet, Ev::KlPullDone);
}

void Kubelet::pull_done(PodId pod, std::size_t c) {
    const Pod& p = t_.cluster.pod(pod);
    const std::uint32_t bit = t_.revision_of(p).container(c).image_bit;
    if ((t_.nodes[p.node].images & bit) == 0) registry_.pull_finished(pod);
    t_.nodes[p.node].images |= bit;
    t_.trace_container(TraceKind::ImagePulled, pod, c);
    start_container(pod, c);
}

void Kubelet::start_container(PodId pod, std::size_t c) {
    const Pod& p = t_.cluster.pod(pod);
    PodRuntime& r = t_.rt(pod);
    ContainerRuntime& cr = r.container(c);
    const ContainerModel& cm = t_.revision_of(p).container(c);
    // A restarted container may behave unlike a cold start (workload afterRestart).
    const Behaviour& b = cr.starts > 0 && cm.behaviour->after_restart ? *cm.behaviour->after_restart : *cm.behaviour;
    ++cr.starts;
    cr.stage = ContainerStage::Running;
    cr.running = true;
    cr.visible = cr.listening = cr.serving = cr.served = cr.sigterm = cr.draining = cr.killing = false;
    cr.ready = false;
    cr.started_at = t_.now();
    cr.started = !cm.probe(ProbeKind::Startup).configured;
    prober_.new_container(pod, c);

    // The process: when it accepts connections, when its request path works, and its faults.
    kernel::Rng rng = t_.rng(stream_key("container-start"), container_entity(p, r, c));
    const bool crashes = rng.uniform01() < b.crash_on_start;
    const bool never_serves = rng.uniform01() < b.never_serves;
    const SimTime listen = sample_duration(b.listen, rng);
    const SimTime serve = std::max(sample_duration(b.serve, rng), listen);
    // Drawn after the others, so that adding this fault moved no earlier draw.
    const bool crashes_later = rng.uniform01() < b.crash_after_serving;
    const SimTime crash_after = sample_duration(b.crash_after, rng);
    const SimTime crash_at = b.crash_on_start_after ? sample_duration(*b.crash_on_start_after, rng) : listen;
    t_.trace_container(TraceKind::ContainerStarted, pod, c, cr.starts);
    cr.crash_after_serving.reset();
    const auto slot = [c](std::uint32_t s) { return Trial::slot_of(c, s); };
    if (crashes) {
        t_.arm_pod(pod, slot(kSlotExit), t_.now() + crash_at, kPhaseKubelet, Ev::KlProcExit);
        if (listen < crash_at) t_.arm_pod(pod, slot(kSlotListen), t_.now() + listen, kPhaseKubelet, Ev::KlProcListen);
    } else {
        t_.arm_pod(pod, slot(kSlotListen), t_.now() + listen, kPhaseKubelet, Ev::KlProcListen);
        if (!never_serves) {
            // With a configuration backend the main process asks it once its own init is done.
            const bool backend = c == 0 && t_.v->config_backend.concurrency > 0;
            t_.arm_pod(pod, slot(kSlotServe), t_.now() + serve, kPhaseKubelet, backend ? Ev::KlInitDone : Ev::KlProcServe);
            if (crashes_later) cr.crash_after_serving = crash_after;
        }
    }
    // PLEG notices the running container a relist later; the kubelet then regenerates status.
    t_.arm_pod(pod, slot(kSlotLifecycle), t_.now() + t_.v->latencies.pleg, kPhaseKubelet, Ev::KlContainerSeen);
    api_.write_status(pod);
    traffic_.pod_changed(pod);
    // The next regular container starts in the same sync; the next after a sidecar waits for it
    // to have started.
    if (!cm.sidecar) start_next_after(pod, c);
}

void Kubelet::container_seen(PodId pod, std::size_t c) {
    ContainerRuntime& cr = t_.rt(pod).container(c);
    if (!cr.running) return;
    cr.visible = true;
    const ContainerModel& cm = t_.revision_of(t_.cluster.pod(pod)).container(c);
    // UpdatePodStatus: without a readiness probe a started container is ready at once.
    if (cr.started && !cm.probe(ProbeKind::Readiness).configured) prober_.set_ready(pod, c, true);
    prober_.pod_sync(pod);
    prober_.reschedule(pod);
    if (cm.sidecar && cr.started) start_next_after(pod, c);
}

void Kubelet::process_listen(PodId pod, std::size_t c) {
    ContainerRuntime& cr = t_.rt(pod).container(c);
    if (!cr.running || cr.sigterm) return;
    cr.listening = true;
    t_.trace_container(TraceKind::Listening, pod, c);
    traffic_.pod_changed(pod);
    prober_.reschedule(pod, c);
}

void Kubelet::process_serve(PodId pod, std::size_t c) {
    ContainerRuntime& cr = t_.rt(pod).container(c);
    if (!cr.running || cr.sigterm) return;
    cr.serving = cr.served = true;
    if (cr.crash_after_serving) {
        t_.arm_pod(pod, Trial::slot_of(c, kSlotExit), t_.now() + *cr.crash_after_serving, kPhaseKubelet, Ev::KlProcExit);
        cr.crash_after_serving.reset();
    }
    t_.trace_container(TraceKind::Serving, pod, c);
    traffic_.pod_changed(pod);
    prober_.reschedule(pod, c);
}

void Kubelet::process_exit(PodId pod, std::size_t c, bool ok) {
    PodRuntime& r = t_.rt(pod);
    ContainerRuntime& cr = r.container(c);
    if (!cr.running) return;
    const Pod& p = t_.cluster.pod(pod);
    if (p.owner == 0 && t_.v->changed_revision(p.revision) &&
        (cr.kill_for_restart || !cr.sigterm)) {
        ++public_new_crashes_;  // a crash or a probe kill of the new revision, in public
    }
    if (c == 0) config_.release(pod);
    cr.running = cr.listening = cr.serving = cr.draining = false;
    cr.finished_at = t_.now();
    cr.last_exit_ok = ok;
    for (std::uint32_t slot : {kSlotListen, kSlotServe, kSlotExit, kSlotKill, kSlotProbe0, kSlotProbe1, kSlotProbe2}) {
        t_.cancel_pod(pod, Trial::slot_of(c, slot));
    }
    if (!r.any_running()) t_.cancel_pod(pod, kSlotResync);
    t_.trace_container(TraceKind::ContainerExited, pod, c, ok ? 1 : 0);
    traffic_.pod_changed(pod);
    t_.arm_pod(pod, Trial::slot_of(c, kSlotLifecycle), t_.now() + t_.v->latencies.pleg, kPhaseKubelet,
            Ev::KlContainerDiedSeen);
}

void Kubelet::container_died_seen(PodId pod, std::size_t c) {
    PodRuntime& r = t_.rt(pod);
    r.container(c).visible = false;
    prober_.set_ready(pod, c, false);  // a container that is not running is not ready
    if (r.stage == Stage::Terminating) {
        r.container(c).stage = ContainerStage::Exited;
        terminate_next(pod, /*first=*/false);
        return;
    }
    restart_retry(pod, c);
}

void Kubelet::pull_retry(PodId pod, std::size_t c) {
    if (t_.rt(pod).container(c).stage != ContainerStage::ImagePullBackOff) return;
    ensure_image_then_start(pod, c);
}

void Kubelet::restart_retry(PodId pod, std::size_t c) {
    PodRuntime& r = t_.rt(pod);
    ContainerRuntime& cr = r.container(c);
    if (r.stage == Stage::Terminating || r.stage == Stage::Terminated) return;
    if (kCrashLoopBackoff.in_backoff_since(cr.crash_backoff, cr.finished_at, t_.now())) {
        // ErrCrashLoopBackOff fails the sync; the pod worker tries again 10-15 s later.
        if (cr.stage != ContainerStage::BackOff) {
            t_.trace_container(TraceKind::BackOff, pod, c, cr.crash_backoff.backoff.ms());
        }
        cr.stage = ContainerStage::BackOff;
        t_.arm_pod(pod, Trial::slot_of(c, kSlotLifecycle), t_.now() + jitter(kPodWorkerBackoff, r.jitter),
                kPhaseKubelet, Ev::KlRestartRetry);
        return;
    }
    kCrashLoopBackoff.next(cr.crash_backoff, cr.finished_at, t_.now());
    ++cr.restarts;
    ++restarts_;
    ensure_image_then_start(pod, c);
}

void Kubelet::kill_container(PodId pod, std::size_t c, SimTime grace, bool for_restart) {
    const Pod& p = t_.cluster.pod(pod);
    PodRuntime& r = t_.rt(pod);
    ContainerRuntime& cr = r.container(c);
    if (!cr.running || cr.sigterm) return;
    cr.kill_for_restart = for_restart;
    cr.killing = true;
    const ContainerModel& cm = t_.revision_of(p).container(c);
    // preStop blocks for up to the whole grace period; its time comes off the grace.
    SimTime hook;
    if (cm.has_pre_stop && grace > SimTime::zero()) {
        if (cm.pre_stop_sleep) {
            hook = *cm.pre_stop_sleep;
        } else {
            kernel::Rng rng = t_.rng(stream_key("pre-stop"), container_entity(p, r, c));
            hook = sample_duration(cm.behaviour->pre_stop, rng);
        }
        hook = std::min(hook, grace);
        t_.trace_container(TraceKind::PreStop, pod, c, hook.ms());
        if (cm.behaviour->pre_stop_drains && hook > SimTime::zero()) {
            cr.draining = true;
            traffic_.pod_changed(pod);
        }
    }
    cr.kill_grace = std::max(grace - hook, kMinimumGrace);
    if (hook > SimTime::zero()) {
        t_.arm_pod(pod, Trial::slot_of(c, kSlotKill), t_.now() + hook, kPhaseKubelet, Ev::KlSigterm);
    } else {
        sigterm(pod, c);
    }
}

void Kubelet::sigterm(PodId pod, std::size_t c) {
    const Pod& p = t_.cluster.pod(pod);
    PodRuntime& r = t_.rt(pod);
    ContainerRuntime& cr = r.container(c);
    if (!cr.running) return;
    // The process stops accepting requests on SIGTERM and exits after its shutdown time, or is
    // killed when the remaining grace runs out.
    cr.sigterm = true;
    cr.listening = cr.serving = cr.draining = false;
    if (c == 0) config_.release(pod);
    t_.cancel_pod(pod, Trial::slot_of(c, kSlotListen));
    t_.cancel_pod(pod, Trial::slot_of(c, kSlotServe));
    t_.cancel_pod(pod, Trial::slot_of(c, kSlotExit));
    t_.trace_container(TraceKind::SigTerm, pod, c);
    traffic_.pod_changed(pod);
    kernel::Rng rng = t_.rng(stream_key("shutdown"), container_entity(p, r, c));
    const SimTime shutdown = sample_duration(t_.revision_of(p).container(c).behaviour->shutdown, rng);
    if (shutdown <= cr.kill_grace) {
        t_.arm_pod(pod, Trial::slot_of(c, kSlotExit), t_.now() + shutdown, kPhaseKubelet, Ev::KlProcExit);
    } else {
        t_.arm_pod(pod, Trial::slot_of(c, kSlotKill), t_.now() + cr.kill_grace, kPhaseKubelet, Ev::KlKillDeadline);
    }
    prober_.reschedule(pod, c);
}

void Kubelet::see_deletion(PodId pod) {
    PodRuntime& r = t_.rt(pod);
    if (r.stage == Stage::Terminated || r.stage == Stage::Terminating) return;
    if (r.stage == Stage::None) return;  // not yet added by this kubelet: KlPodAdded handles it
    kill_pod(pod, t_.revision_of(t_.cluster.pod(pod)).grace);
}

void Kubelet::detach_container(PodId pod) {
    const Pod& p = t_.cluster.pod(pod);
    const PodRuntime& r = t_.rt(pod);
    if (!r.main.running) return;  // nothing runs that could outlive the object
    DetachedContainer d;
    d.node = p.node;
    d.uid = p.uid;
    d.revision = p.revision;
    d.sigterm = r.main.sigterm;
    kernel::Rng rng = t_.rng(stream_key("shutdown"), container_entity(p, r));
    d.shutdown = sample_duration(t_.revision_of(p).behaviour().shutdown, rng);
    // Its share of the counters passes to the detached container, so removing the object
    // changes nothing the clients feel yet. (The pod's other containers feed no measure.)
    traffic_.adopt(d, r);
    const auto index = static_cast<std::uint32_t>(t_.detached.size());
    t_.detached.push_back(d);
    const SimTime seen = t_.now() + t_.v->latencies.watch;
    t_.at(seen, kPhaseKubelet, Ev::KlDetachedKill, index);
    if (d.endpoint) t_.at(seen + t_.v->traffic.endpoint_propagation, kPhaseTraffic, Ev::DetachedEndpointGone, index);
}

void Kubelet::detached_kill(std::uint32_t index) {
    DetachedContainer& d = t_.detached[index];
    if (d.exited) return;
    if (!d.sigterm) {
        traffic_.detached_stopped(d);
        d.sigterm = true;
        t_.trace(TraceKind::SigTerm, d);
        traffic_.node_changed(d.node);
    }
    t_.at(t_.now() + std::min(d.shutdown, kMinimumGrace), kPhaseKubelet, Ev::KlDetachedExit, index);
}

void Kubelet::detached_exit(std::uint32_t index, bool with_machine) {
    DetachedContainer& d = t_.detached[index];
    if (d.exited) return;
    traffic_.detached_exited(d);
    d.exited = true;
    t_.trace(TraceKind::ContainerExited, d, !with_machine && d.shutdown <= kMinimumGrace ? 1 : 0, with_machine ? 1 : 0);
    traffic_.node_changed(d.node);
}

void Kubelet::kill_pod(PodId pod, SimTime grace) {
    PodRuntime& r = t_.rt(pod);
    if (r.stage == Stage::Terminated || r.stage == Stage::Terminating) return;
    // SyncTerminatingPod: liveness and startup stop; readiness goes on.
    prober_.stop_liveness_and_startup(pod);
    const bool had_process = r.any_running();
    r.stage = Stage::Terminating;
    r.kill_deadline = t_.now() + grace;
    if (had_process) {
        // Containers not running (waiting for their turn, pulling, in back-off) will not start.
        for (std::size_t c = 0; c < r.containers(); ++c) {
            ContainerRuntime& cr = r.container(c);
            cr.kill_for_restart = false;
            if (cr.running || cr.visible) continue;
            t_.cancel_pod(pod, Trial::slot_of(c, kSlotLifecycle));
            cr.stage = ContainerStage::Exited;
        }
        registry_.abort(pod);
        terminate_next(pod, /*first=*/true);
        return;
    }
    // Nothing running (sandbox, pulling, back-off, or never started): terminal at once.
    for (std::size_t c = 0; c < r.containers(); ++c) t_.cancel_pod(pod, Trial::slot_of(c, kSlotLifecycle));
    registry_.abort(pod);
    r.stage = Stage::Terminated;
    api_.write_status(pod);
}

void Kubelet::terminate_next(PodId pod, bool first) {
    PodRuntime& r = t_.rt(pod);
    const Revision& rev = t_.revision_of(t_.cluster.pod(pod));
    const SimTime grace = std::max(r.kill_deadline - t_.now(), SimTime::zero());
    bool regular_left = false;
    for (std::size_t c = 0; c < r.containers(); ++c) {
        if (rev.container(c).sidecar) continue;
        ContainerRuntime& cr = r.container(c);
        if (first && cr.running && !cr.sigterm) kill_container(pod, c, grace, false);
        regular_left = regular_left || cr.running || cr.visible;
    }
    if (regular_left) return;
    // The sidecars, last first: the next one once the one after it has exited.
    for (auto it = rev.start_order.rbegin(); it != rev.start_order.rend(); ++it) {
        ContainerRuntime& cr = r.container(*it);
        if (!rev.container(*it).sidecar || (!cr.running && !cr.visible)) continue;
        if (cr.running && !cr.killing) kill_container(pod, *it, grace, false);
        return;
    }
    r.stage = Stage::Terminated;
    api_.write_status(pod);
}

// ---------------------------------------------------------------------------------------------
// The machine stops and starts (node_lifecycle.cpp decides when)

void Kubelet::stop_node(NodeId node) {
    // The machine stops: every process on it dies, and its kubelet neither acts nor writes.
    NodeRuntime& nr = t_.nodes[node];
    nr.kubelet_down = true;
    nr.evicting = 0;
    for (PodId id : t_.cluster.pods_on(node)) {
        PodRuntime& r = t_.rt(id);
        for (std::uint32_t slot = 0; slot < t_.pod_slots; ++slot) {
            if (slot != kSlotSched) t_.cancel_pod(id, slot);
        }
        registry_.abort(id);
        config_.release(id);
        for (std::size_t c = 0; c < r.containers(); ++c) {
            ContainerRuntime& cr = r.container(c);
            if (cr.running) {
                cr.finished_at = t_.now();
                t_.trace_container(TraceKind::ContainerExited, id, c, 0, 1);  // b = 1: with its machine
            }
            cr.running = cr.visible = cr.listening = cr.serving = false;
        }
        traffic_.pod_changed(id);
    }
    for (std::uint32_t i = 0; i < t_.detached.size(); ++i) {
        if (t_.detached[i].node == node) detached_exit(i, /*with_machine=*/true);
    }
    nr.pull_waiting.clear();
    nr.pulls_free_at = t_.now();
}

void Kubelet::start_node(NodeId node) {
    // The node is back: its kubelet adds every pod bound to it again (HandlePodAdditions, with
    // admission). Deleted pods finish at once (their processes are gone); a pod that had run
    // starts its container again, a restart; lost status writes are written again.
    NodeRuntime& nr = t_.nodes[node];
    nr.kubelet_down = false;
    for (PodId id : t_.cluster.pods_on(node)) {
        const Pod& p = t_.cluster.pod(id);
        PodRuntime& r = t_.rt(id);
        if (!p.scheduled || p.terminal()) continue;
        if (p.terminating() || r.stage == Stage::Terminated) {
            r.stage = Stage::Terminated;
            for (std::size_t c = 0; c < r.containers(); ++c) r.container(c).last_exit_ok = false;
            api_.write_status(id);
            continue;
        }
        for (std::size_t c = 0; c < r.containers(); ++c) {
            ContainerRuntime& cr = r.container(c);
            if (cr.starts > 0) {
                ++cr.restarts;
                ++restarts_;
            }
            cr.ready = false;
        }
        pod_added(id);
        api_.write_status(id);
    }
    const std::uint32_t first = nr.first_other;
    for (std::uint32_t i = 0; i < t_.node_spec(node).pods.size(); ++i) {
        if (t_.others[first + i] == OtherState::Terminating) lifecycle_.other_pod_exit(node, i);
    }
}

std::string image_pull_message(const Trial& t, PodId pod) {
    const auto& labels = t.node_spec(t.cluster.pod(pod).node).labels;
    const auto arch = labels.find("kubernetes.io/arch");
    const PodRuntime& r = t.pods[pod];
    const Revision& rev = t.revision_of(t.cluster.pod(pod));
    std::size_t c = 0;
    while (c + 1 < r.containers() && r.container(c).stage != ContainerStage::ImagePullBackOff) ++c;
    return fmt::format("ImagePullBackOff: no linux/{} image (the image{} has {})",
                       arch == labels.end() ? "?" : arch->second,
                       rev.containers.size() > 1 ? " of container " + rev.container(c).name : "",
                       fmt::join(rev.container(c).behaviour->image_architectures, ", "));
}

bool not_started(const Trial& t, PodId pod, Stall& s) {
    const Pod& p = t.cluster.pod(pod);
    const PodRuntime& r = t.pods[pod];
    if (!p.scheduled && r.sched.why != Unschedulable::None) {
        s.trouble = PodTrouble::Pending;
        s.message = unschedulable_message(t, pod);
    } else if (r.any(ContainerStage::ImageError)) {
        s.trouble = PodTrouble::ImageNeverPull;
    } else if (r.any(ContainerStage::ImagePullBackOff)) {
        s.trouble = PodTrouble::ImagePullBackOff;
        s.message = image_pull_message(t, pod);
    } else {
        return false;
    }
    return true;
}

}  // namespace rollsim::model
