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
//  - preemption (defaultpreemption default_preemption.go SelectVictimsOnNode,
//    PodEligibleToPreemptOthers): see Scheduler::preempt.
// Pods other than the DaemonSet's are the node's `reserved` requests and its other pods.

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "model/api_server.hpp"
#include "model/eligibility.hpp"
#include "model/node_lifecycle.hpp"
#include "model/scheduler.hpp"

namespace rollsim::model {

namespace {

bool ports_conflict(const HostPort& want, const HostPort& used) {
    if (want.protocol != used.protocol || want.port != used.port) return false;
    return want.ip == "0.0.0.0" || used.ip == "0.0.0.0" || want.ip == used.ip;
}

}  // namespace

namespace {
/// The first NoSchedule or NoExecute taint of `node` the tolerations do not tolerate.
const Taint* untolerated(const NodeSpec& node, const std::vector<Toleration>& tolerations) {
    for (const Taint& t : node.taints) {
        if (t.effect == "PreferNoSchedule") continue;
        const bool ok = std::any_of(tolerations.begin(), tolerations.end(),
                                    [&](const Toleration& tol) { return tolerates(tol, t); });
        if (!ok) return &t;
    }
    return nullptr;
}
}  // namespace

void Scheduler::handle(const kernel::Event& e) {
    switch (static_cast<Ev>(e.kind)) {
        case Ev::SchedAttempt:
            attempt(e.target);
            break;
        case Ev::SchedBind:
            if (t_.pod_ok(e)) bind(e.target);
            break;
        case Ev::SchedObservePodGone:
            retry_pending_on(e.target);
            break;
        default:
            ROLLSIM_ASSERT(false);  // World::handle sends the scheduler only its kinds
            break;
    }
}

Unschedulable Scheduler::fit(PodId pod, std::optional<std::int32_t> preemptor) {
    const Pod& p = t_.cluster.pod(pod);
    PodRuntime& r = t_.rt(pod);
    const NodeSpec& node = t_.node_spec(p.node);
    const Revision& mine = t_.revision_of(p);
    const auto ignored = [&](std::int32_t priority) { return preemptor && priority < *preemptor; };
    Resources used = node.reserved;
    r.sched.conflict_held = 0;
    Unschedulable why = Unschedulable::None;
    for (PodId other : t_.cluster.pods_on(p.node)) {
        if (other == pod) continue;
        const Pod& q = t_.cluster.pod(other);
        if (!(q.scheduled || t_.rt(other).assumed) || q.terminal()) continue;
        const Revision& theirs = t_.revision_of(q);
        used += theirs.requests;
        if (why != Unschedulable::None) continue;
        for (std::size_t i = 0; i < mine.host_ports.size(); ++i) {
            const bool conflict = std::any_of(
                theirs.host_ports.begin(), theirs.host_ports.end(),
                [&](const HostPort& hp) { return ports_conflict(mine.host_ports[i], hp); });
            if (conflict) {
                why = Unschedulable::HostPort;
                r.sched.conflict_port = static_cast<std::uint16_t>(i);
                r.sched.conflict_holder_old = q.revision != p.revision;
                r.sched.conflict_holder_terminating = q.terminating();
                break;
            }
        }
    }
    // The other pods: every one not gone counts (terminating ones too), unless this is a
    // preemption's what-if that removes the lower-priority ones (`preemptor`).
    const std::uint32_t first = t_.nodes[p.node].first_other;
    for (std::size_t k = 0; k < node.pods.size(); ++k) {
        const OtherPod& o = node.pods[k];
        const OtherState state = t_.others[first + k];
        if (state == OtherState::Gone) continue;
        if (state == OtherState::Running && ignored(o.priority) && (k >= victim_kept_.size() || !victim_kept_[k])) continue;
        used += o.requests;
        if (why != Unschedulable::None) continue;
        for (const HeldHostPort& held : o.host_ports) {
            for (std::size_t i = 0; i < mine.host_ports.size() && why == Unschedulable::None; ++i) {
                if (ports_conflict(mine.host_ports[i], HostPort{held.protocol, held.ip, held.port})) {
                    why = Unschedulable::HostPort;
                    r.sched.conflict_port = static_cast<std::uint16_t>(i);
                    r.sched.conflict_holder_old = false;
                    r.sched.conflict_holder_terminating = state == OtherState::Terminating;
                    r.sched.conflict_held = static_cast<std::uint16_t>(k + 1);
                }
            }
        }
    }
    if (why == Unschedulable::None) {
        const Resources& a = node.allocatable;
        if (used.cpu_milli + mine.requests.cpu_milli > a.cpu_milli) {
            why = Unschedulable::Cpu;
        } else if (used.memory_bytes + mine.requests.memory_bytes > a.memory_bytes) {
            why = Unschedulable::Memory;
        } else if (used.pods + 1 > a.pods) {
            why = Unschedulable::Pods;
        }
    }
    return why;
}

void Scheduler::attempt(PodId pod) {
    Pod& p = t_.cluster.pod(pod);
    PodRuntime& r = t_.rt(pod);
    if (p.scheduled || r.assumed || p.terminating()) return;
    r.sched.why = Unschedulable::None;
    if (t_.v->dynamic()) {
        // NodeName/NodeAffinity and TaintToleration: a node that is gone, or whose taints the
        // pod does not tolerate (unreachable, not-ready), takes nothing.
        if (!t_.nodes[p.node].present) {
            r.sched.why = Unschedulable::NodeGone;
        } else if (untolerated(t_.node_spec(p.node), p.revision == kSecondRevision ? t_.v->second->tolerations
                                                     : p.owner == 0 && p.revision != t_.v->new_revision.id
                                                         ? t_.v->old_tolerations
                                                         : t_.v->new_tolerations) != nullptr) {
            r.sched.why = Unschedulable::Taint;
        }
    }
    if (r.sched.why == Unschedulable::None) r.sched.why = fit(pod, std::nullopt);
    if (r.sched.why != Unschedulable::None && r.sched.why != Unschedulable::Taint &&
        r.sched.why != Unschedulable::NodeGone) {
        preempt(pod);
    }
    if (r.sched.why == Unschedulable::None) {
        // Assumed in the cache at once; the binding lands a scheduling latency later.
        r.assumed = true;
        t_.at(t_.now() + t_.v->latencies.schedule, kPhaseScheduler, Ev::SchedBind, pod, p.uid);
        return;
    }
    ++r.sched.attempts;
    r.sched.last = t_.now();
    if (t_.tracing(TraceKind::PodPending)) {
        // a: 1 when a pod of the same DaemonSet holds the host port (a surge collision), 2 when
        // another pod of the node does.
        const std::int64_t port = r.sched.why != Unschedulable::HostPort ? 0 : r.sched.conflict_held > 0 ? 2 : 1;
        t_.trace(TraceKind::PodPending, p.node, pod, port, 0, unschedulable_message(t_, pod));
    }
    // The PodScheduled=False condition is written once (an unchanged condition is not patched):
    // an update the controller sees.
    if (r.sched.attempts == 1) api_.notify_controller(Ev::CtlObserveUpdate, p.owner);
}

void Scheduler::preempt(PodId pod) {
    // defaultpreemption: PodEligibleToPreemptOthers, then SelectVictimsOnNode on the pod's one
    // node. Only pods of strictly lower priority are candidates; none while earlier victims
    // on the node are still terminating; never with preemptionPolicy Never. All candidates
    // are removed, the pod must then fit, and candidates are reprieved highest priority first
    // while it still fits. The DaemonSet's own pods are never victims (equal priority, §2.4).
    const Pod& p = t_.cluster.pod(pod);
    PodRuntime& r = t_.rt(pod);
    const Revision& mine = t_.revision_of(p);
    const NodeSpec& node = t_.node_spec(p.node);
    if (mine.preempt_never) return;
    const std::uint32_t first = t_.nodes[p.node].first_other;
    std::vector<std::size_t> candidates;
    for (std::size_t k = 0; k < node.pods.size(); ++k) {
        const OtherState state = t_.others[first + k];
        if (state == OtherState::Terminating && node.pods[k].priority < mine.priority) return;  // victims still going
        if (state == OtherState::Running && node.pods[k].priority < mine.priority) candidates.push_back(k);
    }
    if (candidates.empty()) return;
    victim_kept_.assign(node.pods.size(), false);
    if (fit(pod, mine.priority) != Unschedulable::None) {
        victim_kept_.clear();
        r.sched.why = fit(pod, std::nullopt);
        return;
    }
    std::sort(candidates.begin(), candidates.end(), [&](std::size_t a, std::size_t b) {
        if (node.pods[a].priority != node.pods[b].priority) return node.pods[a].priority > node.pods[b].priority;
        return a < b;
    });
    for (std::size_t k : candidates) {
        victim_kept_[k] = true;
        if (fit(pod, mine.priority) != Unschedulable::None) victim_kept_[k] = false;
    }
    std::string names;
    for (std::size_t k : candidates) {
        if (victim_kept_[k]) continue;
        ++preemptions_;
        if (t_.tracing(TraceKind::Preemption)) {
            t_.trace(TraceKind::Preemption, p.node, pod, node.pods[k].priority, mine.priority,
                  fmt::format("preempting {} (priority {}) for this pod (priority {})", node.pods[k].name,
                              node.pods[k].priority, mine.priority));
        }
        lifecycle_.other_pod_terminate(p.node, static_cast<std::uint32_t>(k), node.pods[k].grace, "preempted");
    }
    victim_kept_.clear();
    // The pod is nominated to the node; it is retried as its victims leave (their room is
    // still taken while they terminate).
    r.sched.nominated = true;
    r.sched.why = fit(pod, std::nullopt);
}

void Scheduler::bind(PodId pod) {
    Pod& p = t_.cluster.pod(pod);
    PodRuntime& r = t_.rt(pod);
    r.assumed = false;
    if (p.scheduled || p.terminating()) return;
    p.scheduled = true;
    t_.cluster.touch(p.node);
    t_.trace(TraceKind::PodBound, p.node, pod);
    api_.notify_controller(Ev::CtlObserveUpdate, p.owner);
    t_.at(t_.now() + t_.v->latencies.watch, kPhaseKubelet, Ev::KlPodAdded, pod, p.uid);
}

void Scheduler::retry_pending_on(NodeId node) {
    for (PodId id : t_.cluster.pods_on(node)) {
        const Pod& q = t_.cluster.pod(id);
        const PodRuntime& r = t_.rt(id);
        if (q.scheduled || r.assumed || q.terminating() || r.sched.attempts == 0) continue;
        const std::int64_t shift = std::min<std::int64_t>(r.sched.attempts - 1, 4);
        const SimTime backoff = std::min(SimTime::seconds(1) * (std::int64_t{1} << shift),
                                         SimTime::seconds(10));
        const SimTime when = std::max(t_.now(), r.sched.last + backoff);
        const std::uint32_t timer = t_.pod_timer(id, kSlotSched);
        if (t_.sim.armed(timer) && t_.sim.due(timer) <= when) continue;
        t_.arm_pod(id, kSlotSched, when, kPhaseScheduler, Ev::SchedAttempt);
    }
}

std::string unschedulable_message(const Trial& t, PodId pod) {
    const PodRuntime& r = t.pods[pod];
    switch (r.sched.why) {
        case Unschedulable::HostPort: {
            const HostPort& hp = t.revision_of(t.cluster.pod(pod)).host_ports[r.sched.conflict_port];
            if (r.sched.conflict_held > 0) {
                const NodeSpec& node = t.node_spec(t.cluster.pod(pod).node);
                return fmt::format("hostPort {} held by pod {}", hp.text(), node.pods[r.sched.conflict_held - 1u].name);
            }
            const char* holder = r.sched.conflict_holder_old
                                     ? (r.sched.conflict_holder_terminating ? "the terminating old pod"
                                                                      : "the old pod")
                                     : "another pod";
            return fmt::format("hostPort {} held by {}", hp.text(), holder);
        }
        case Unschedulable::Cpu: return "Insufficient cpu";
        case Unschedulable::Memory: return "Insufficient memory";
        case Unschedulable::Pods: return "Too many pods";
        case Unschedulable::NodeGone: return "node not found";
        case Unschedulable::Taint: {
            const Pod& p = t.cluster.pod(pod);
            for (const Taint& taint : t.node_spec(p.node).taints) {
                if (taint.key == "node.kubernetes.io/unreachable" || taint.key == "node.kubernetes.io/not-ready") {
                    return fmt::format("node(s) had untolerated taint {{{}: }}", taint.key);
                }
            }
            return "node(s) had untolerated taint";
        }
        case Unschedulable::None: break;
    }
    return "unschedulable";
}

}  // namespace rollsim::model
