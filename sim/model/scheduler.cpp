// The default scheduler's part in a DaemonSet rollout: the NodePorts and NodeResourcesFit
// filters for a pod pinned to one node, binding, and retries.
//
//  - plugins/nodeports/node_ports.go fitsPorts, framework/types.go HostPortInfo.CheckConflict:
//    same protocol and port, and either side on 0.0.0.0 or the same IP, is a conflict;
//  - plugins/noderesources/fit.go fitsRequest: the requests of every pod in the scheduler's
//    cache (bound or assumed, not terminal; terminating pods included) plus this pod's must fit
//    in allocatable; "Too many pods" against allocatable pods;
//  - the cache drops a pod only when it turns terminal or is deleted (scheduler.go
//    newPodInformer filters out Succeeded/Failed), so a terminating pod holds its port;
//  - an unschedulable pod is retried when a pod leaves its node, after the per-pod backoff of
//    1 s doubling to 10 s (internal/queue DefaultPodInitialBackoffDuration / MaxBackoff).
// Scenario pods other than the DaemonSet's are the node's `reserved` requests and
// `held_host_ports`.

#include <algorithm>

#include "model/world.hpp"

namespace rollsim::model {

namespace {

bool ports_conflict(const HostPort& want, const HostPort& used) {
    if (want.protocol != used.protocol || want.port != used.port) return false;
    return want.ip == "0.0.0.0" || used.ip == "0.0.0.0" || want.ip == used.ip;
}

}  // namespace

void World::schedule_attempt(PodId pod) {
    Pod& p = cluster_.pod(pod);
    PodRuntime& r = rt(pod);
    if (p.scheduled || r.assumed || p.terminating()) return;
    const NodeSpec& node = (*v_->nodes)[p.node];
    const Revision& mine = revision_of(p);

    Resources used = node.reserved;
    r.unschedulable = Unschedulable::None;
    r.conflict_held = 0;
    for (PodId other : cluster_.pods_on(p.node)) {
        if (other == pod) continue;
        const Pod& q = cluster_.pod(other);
        if (!(q.scheduled || rt(other).assumed) || q.terminal()) continue;
        const Revision& theirs = revision_of(q);
        used += theirs.requests;
        if (r.unschedulable != Unschedulable::None) continue;
        for (std::size_t i = 0; i < mine.host_ports.size(); ++i) {
            const bool conflict = std::any_of(
                theirs.host_ports.begin(), theirs.host_ports.end(),
                [&](const HostPort& hp) { return ports_conflict(mine.host_ports[i], hp); });
            if (conflict) {
                r.unschedulable = Unschedulable::HostPort;
                r.conflict_port = static_cast<std::uint16_t>(i);
                r.conflict_holder_old = q.revision != p.revision;
                r.conflict_holder_terminating = q.terminating();
                break;
            }
        }
    }
    for (std::size_t h = 0; h < node.held_host_ports.size() && r.unschedulable == Unschedulable::None; ++h) {
        const HeldHostPort& held = node.held_host_ports[h];
        for (std::size_t i = 0; i < mine.host_ports.size(); ++i) {
            if (ports_conflict(mine.host_ports[i], HostPort{held.protocol, held.ip, held.port})) {
                r.unschedulable = Unschedulable::HostPort;
                r.conflict_port = static_cast<std::uint16_t>(i);
                r.conflict_holder_old = false;
                r.conflict_holder_terminating = false;
                r.conflict_held = static_cast<std::uint16_t>(h + 1);
                break;
            }
        }
    }
    if (r.unschedulable == Unschedulable::None) {
        const Resources& a = node.allocatable;
        if (used.cpu_milli + mine.requests.cpu_milli > a.cpu_milli) {
            r.unschedulable = Unschedulable::Cpu;
        } else if (used.memory_bytes + mine.requests.memory_bytes > a.memory_bytes) {
            r.unschedulable = Unschedulable::Memory;
        } else if (used.pods + 1 > a.pods) {
            r.unschedulable = Unschedulable::Pods;
        }
    }
    if (r.unschedulable == Unschedulable::None) {
        // Assumed in the cache at once; the binding lands a scheduling latency later.
        r.assumed = true;
        at(sim_.now() + v_->latencies.schedule, kPhaseScheduler, Ev::SchedBind, pod, p.uid);
        return;
    }
    ++r.sched_attempts;
    r.sched_last = sim_.now();
    if (trace_ != nullptr) trace(TraceKind::PodPending, p.node, pod, 0, 0, unschedulable_text(pod));
    // The PodScheduled=False condition is written once (an unchanged condition is not patched):
    // an update the controller sees.
    if (r.sched_attempts == 1) notify_controller(Ev::CtlObserveUpdate, p.owner);
}

void World::bind(PodId pod) {
    Pod& p = cluster_.pod(pod);
    PodRuntime& r = rt(pod);
    r.assumed = false;
    if (p.scheduled || p.terminating()) return;
    p.scheduled = true;
    trace(TraceKind::PodBound, p.node, pod);
    notify_controller(Ev::CtlObserveUpdate, p.owner);
    at(sim_.now() + v_->latencies.watch, kPhaseKubelet, Ev::KlPodAdded, pod, p.uid);
}

void World::retry_pending_on(NodeId node) {
    for (PodId id : cluster_.pods_on(node)) {
        const Pod& q = cluster_.pod(id);
        const PodRuntime& r = rt(id);
        if (q.scheduled || r.assumed || q.terminating() || r.sched_attempts == 0) continue;
        const std::int64_t shift = std::min<std::int64_t>(r.sched_attempts - 1, 4);
        const SimTime backoff = std::min(SimTime::seconds(1) * (std::int64_t{1} << shift),
                                         SimTime::seconds(10));
        const SimTime when = std::max(sim_.now(), r.sched_last + backoff);
        const std::uint32_t timer = pod_timer(id, kSlotSched);
        if (sim_.armed(timer) && sim_.due(timer) <= when) continue;
        arm_pod(id, kSlotSched, when, kPhaseScheduler, Ev::SchedAttempt);
    }
}

}  // namespace rollsim::model
