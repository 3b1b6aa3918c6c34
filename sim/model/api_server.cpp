// The API server's side of a trial, and the watches that carry its changes.
//
//  - a created pod is seen by the scheduler a watch latency later;
//  - deletion (registry/core/pod strategy.go CheckGracefulDelete, the generic store's Delete):
//    an unscheduled or terminal pod goes at once; grace 0 is a force deletion (the object goes,
//    the process outlives it until its kubelet notices); otherwise the pod is Terminating with
//    its deletionTimestamp, and the kubelet sees it a watch later;
//  - status writes (the kubelet's status manager) land a status-update latency after the
//    kubelet's change; a write in flight when the node stopped is lost; once the terminal phase
//    is stored the kubelet deletes the object (status_manager.go canBeDeleted);
//  - the scheduler's informer ignores terminal pods: to it the pod is gone, and so is its host
//    port.

#include "kernel/assert.hpp"
#include "model/api_server.hpp"
#include "model/config_backend.hpp"
#include "model/kubelet.hpp"
#include "model/registry.hpp"
#include "model/traffic.hpp"

namespace rollsim::model {

using kernel::stream_key;

void ApiServer::handle(const kernel::Event& e) {
    // A write in flight when the node stopped is lost; the kubelet writes again when it is back.
    if (!t_.pod_ok(e) || !t_.kubelet_can_act(e.target)) return;
    switch (static_cast<Ev>(e.kind)) {
        case Ev::ApiStatusWrite:
            apply_status(e.target);
            break;
        case Ev::ApiObjectDelete:
            remove_pod_object(e.target);
            break;
        default:
            ROLLSIM_ASSERT(false);  // World::handle sends the API server only its kinds
            break;
    }
}

void ApiServer::create_pod(NodeId node, std::uint8_t owner) {
    NodeRuntime& nr = t_.nodes[node];
    const std::uint32_t serial = ++nr.pod_serial;
    const std::uint64_t entity = (std::uint64_t{node} << 32) | serial;
    const PodId id = t_.cluster.add_pod(node, t_.cluster.daemonset(owner).current_revision, t_.now(),
                                      t_.rng(stream_key("pod-name"), entity).next(), owner);
    if (t_.pods.size() <= id) t_.pods.resize(id + 1);
    PodRuntime& r = t_.rt(id);
    r = PodRuntime{};
    r.uid = t_.cluster.pod(id).uid;
    r.serial = serial;
    r.jitter = t_.rng(stream_key("kubelet-jitter"), entity);
    t_.sim.note((std::uint64_t{1} << 63) | node);  // which node: the event triple shows only the slot
    t_.trace(TraceKind::PodCreated, node, id);
    // The scheduler and the controller see it a watch later, as one delivery.
    deliver({kNoPod, r.uid, id, kNoNode, Ev::CtlObserveCreate, owner});
}

void ApiServer::notify_controller(Ev kind, std::uint8_t owner) {
    t_.at(t_.now() + t_.v->latencies.watch, kPhaseControllerWatch, kind, owner);
}

void ApiServer::delete_pod(PodId pod) {
    Pod& p = t_.cluster.pod(pod);
    t_.sim.note((std::uint64_t{1} << 62) | p.node);
    // registry/core/pod strategy.go CheckGracefulDelete: an unscheduled or terminal pod goes at
    // once (grace 0); otherwise the grace is spec.terminationGracePeriodSeconds.
    if (!p.scheduled || p.terminal()) {
        t_.trace(TraceKind::PodDeleted, p.node, pod, 0);
        remove_pod_object(pod);
        return;
    }
    if (p.terminating()) return;
    if (t_.revision_of(p).grace == SimTime::zero()) {
        // terminationGracePeriodSeconds 0 is a force deletion: the store deletes a pod whose
        // grace is 0 at once (apiserver registry/generic/registry/store.go Delete, after
        // rest.BeforeDelete), so the controller may replace it while its process still runs.
        t_.trace(TraceKind::PodDeleted, p.node, pod, 0);
        if (p.owner == 0) kubelet_.detach_container(pod);
        remove_pod_object(pod);
        return;
    }
    p.deletion = t_.now();
    t_.cluster.touch(p.node);
    t_.trace(TraceKind::PodDeleted, p.node, pod, t_.revision_of(p).grace.ms());
    if (p.owner == 0) traffic_.pod_changed(pod);  // a pod being deleted is not false-ready
    // updatePod sees the deletionTimestamp and counts the deletion as observed at once.
    // The kubelet and the controller see it a watch later, as one delivery.
    const SimTime seen = t_.now() + t_.v->latencies.watch;
    deliver({pod, p.uid, kNoPod, kNoNode, Ev::CtlObserveDelete, p.owner});
    if (t_.v->traffic.mode == TrafficMode::Service) {
        t_.at(seen + t_.v->traffic.endpoint_propagation, kPhaseTraffic, Ev::EndpointSync, pod, p.uid);
    }
}

void ApiServer::write_status(PodId pod) {
    // The status manager writes the kubelet's latest view to the API.
    if (!t_.kubelet_can_act(pod)) return;
    t_.at(t_.now() + t_.v->latencies.status_update, kPhaseApi, Ev::ApiStatusWrite, pod,
       t_.cluster.pod(pod).uid);
}

void ApiServer::apply_status(PodId pod) {
    Pod& p = t_.cluster.pod(pod);
    const PodRuntime& r = t_.rt(pod);
    PodPhase phase = PodPhase::Pending;
    if (r.stage == Stage::Terminated) {
        // kubelet_pods.go getPhase for a terminal pod: Succeeded if every container exited 0.
        // An evicted or rejected pod is Failed (reason Evicted) whatever its exit code.
        bool ok = !r.evicted;
        for (std::size_t c = 0; c < r.containers(); ++c) ok = ok && r.container(c).last_exit_ok && r.container(c).starts > 0;
        phase = ok ? PodPhase::Succeeded : PodPhase::Failed;
    } else if (r.ever_started()) {
        phase = PodPhase::Running;
    }
    const bool ready_changed = p.ready != r.ready();
    if (!ready_changed && p.phase == phase) return;
    const bool became_terminal = !p.terminal() && (phase == PodPhase::Succeeded ||
                                                   phase == PodPhase::Failed);
    t_.cluster.touch(p.node);
    p.phase = phase;
    if (ready_changed) {
        p.ready = r.ready();
        p.ready_since = r.ready_changed.floor_to_second();  // metav1.Time keeps whole seconds
    }
    const Ev observed = ready_changed && p.ready ? Ev::CtlObserveReady : Ev::CtlObserveUpdate;
    if (!became_terminal) {
        notify_controller(observed, p.owner);
    } else {
        t_.trace(TraceKind::PodTerminal, p.node, pod, phase == PodPhase::Succeeded ? 1 : 0);
        // The scheduler's informer ignores terminal pods: to it the pod is gone, and so is its
        // host port (docs/model.md). It and the controller see the write a watch later.
        deliver({kNoPod, 0, kNoPod, p.node, observed, p.owner});
        // status_manager.go canBeDeleted: once the terminal phase is stored, the kubelet
        // deletes the object.
        if (p.terminating()) {
            t_.at(t_.now() + t_.v->latencies.status_update, kPhaseApi, Ev::ApiObjectDelete, pod,
               p.uid);
        }
    }
    traffic_.pod_changed(pod);
    if (t_.v->traffic.mode == TrafficMode::Service) {
        t_.at(t_.now() + t_.v->latencies.watch + t_.v->traffic.endpoint_propagation, kPhaseTraffic,
           Ev::EndpointSync, pod, p.uid);
    }
}

void ApiServer::remove_pod_object(PodId pod) {
    Pod& p = t_.cluster.pod(pod);
    PodRuntime& r = t_.rt(pod);
    const NodeId node = p.node;
    const std::uint8_t owner = p.owner;
    const bool held_room = (p.scheduled || r.assumed) && !p.terminal();
    t_.trace(TraceKind::PodRemoved, node, pod);
    t_.cancel_pod_timers(pod);
    registry_.abort(pod);
    config_.release(pod);
    // Whatever this pod still adds to the traffic counters goes with it.
    for (std::size_t c = 0; c < r.containers(); ++c) {
        ContainerRuntime& cr = r.container(c);
        cr.running = cr.listening = cr.serving = cr.started = false;
    }
    r.share.endpoint_ready = false;
    p.ready = false;
    traffic_.pod_changed(pod);
    t_.cluster.remove_pod(pod);
    r = PodRuntime{};
    if (held_room) {
        deliver({kNoPod, 0, kNoPod, node, Ev::CtlObserveDelete, owner});
    } else {
        notify_controller(Ev::CtlObserveDelete, owner);
    }
}

void ApiServer::deliver(const WatchDelivery& d) {
    std::uint32_t index;
    if (free_deliveries_.empty()) {
        index = static_cast<std::uint32_t>(deliveries_.size());
        deliveries_.push_back(d);
    } else {
        index = free_deliveries_.back();
        free_deliveries_.pop_back();
        deliveries_[index] = d;
    }
    const std::uint8_t phase = d.deleted != kNoPod ? kPhaseKubelet : kPhaseScheduler;
    t_.at(t_.now() + t_.v->latencies.watch, phase, Ev::WatchDelivery, index);
}

}  // namespace rollsim::model
