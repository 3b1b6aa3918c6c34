// A changing cluster: the scenario's cluster events and what Kubernetes does about them.
//
//  - node health (docs/model.md): a stopped (unreachable) node keeps its API objects;
//    after --node-monitor-grace-period (40 s; 50 s from v1.32) the node lifecycle controller
//    sets Ready=Unknown, adds the unreachable NoSchedule and NoExecute taints and marks every
//    pod on it NotReady (node_lifecycle_controller.go monitorNodeHealth, MarkPodsNotReady). A
//    NotReady node (the kubelet reports Ready=False) gets the not-ready taints and the marks
//    on the controller's next pass (--node-monitor-period, 5 s). DaemonSet pods tolerate both
//    NoExecute taints for ever, but not the NoSchedule ones: shouldRun=false,
//    shouldContinue=true (§1.17);
//  - a stopped node's kubelet writes nothing: a pod deleted there stays Terminating and keeps
//    its place in the controller's map, and so holds the maxUnavailable budget (§1.11, #117204);
//    when the node comes back its kubelet finishes the deletions and restarts the rest;
//  - cordon is the unschedulable:NoSchedule taint, which DaemonSet pods tolerate; drain evicts
//    every other pod and skips DaemonSet pods (kubectl drain --ignore-daemonsets);
//  - a deleted Node (Leave): PodGC force-deletes the pods bound to it after its 40 s
//    quarantine (podgc gc_controller.go gcOrphaned, quarantineTime);
//  - labels and joins change eligibility; the controller's node handlers enqueue the
//    DaemonSet (daemon_controller.go addNode, updateNode).
// Eligibility is judged again (NodeShouldRunDaemonPod) whenever a node changes.

#include <algorithm>

#include <fmt/format.h>

#include "model/api_server.hpp"
#include "model/controller_loop.hpp"
#include "model/eligibility.hpp"
#include "model/eviction.hpp"
#include "model/kubelet.hpp"
#include "model/node_lifecycle.hpp"
#include "model/operator.hpp"
#include "model/traffic.hpp"

namespace rollsim {

const char* to_string(ClusterEvent::Kind k) {
    using Kind = ClusterEvent::Kind;
    switch (k) {
        case Kind::Unreachable: return "Unreachable";
        case Kind::NotReady: return "NotReady";
        case Kind::Ready: return "Ready";
        case Kind::Cordon: return "Cordon";
        case Kind::Uncordon: return "Uncordon";
        case Kind::Drain: return "Drain";
        case Kind::Join: return "Join";
        case Kind::Leave: return "Leave";
        case Kind::Labels: return "Labels";
        case Kind::MemoryPressure: return "MemoryPressure";
        case Kind::DiskPressure: return "DiskPressure";
        case Kind::PIDPressure: return "PIDPressure";
    }
    return "?";
}

}  // namespace rollsim

namespace rollsim::model {

using kernel::stream_key;

namespace {
constexpr SimTime kNodeMonitorPeriod = SimTime::seconds(5);  // --node-monitor-period
constexpr SimTime kPodGcQuarantine = SimTime::seconds(40);   // podgc quarantineTime
constexpr const char* kNotReady = "node.kubernetes.io/not-ready";
constexpr const char* kUnreachable = "node.kubernetes.io/unreachable";
constexpr const char* kUnschedulable = "node.kubernetes.io/unschedulable";
}  // namespace

void NodeLifecycle::reset() {
    const auto& nodes = *t_.v->nodes;
    std::uint32_t others = 0;
    for (NodeId n = 0; n < nodes.size(); ++n) {
        t_.nodes[n].first_other = others;
        t_.nodes[n].present = nodes[n].present;
        others += static_cast<std::uint32_t>(nodes[n].pods.size());
    }
    t_.others.assign(others, OtherState::Running);
    if (!t_.v->dynamic()) {
        t_.live_nodes.clear();
        return;
    }
    t_.live_nodes.assign(nodes.begin(), nodes.end());
    const auto& events = *t_.v->events;
    for (std::uint32_t i = 0; i < events.size(); ++i) {
        for (std::uint32_t node : events[i].nodes) {
            if (events[i].rate_per_hour) {
                schedule_next_occurrence(i, node);
            } else {
                t_.at(events[i].at, kPhaseApi, Ev::ClusterEventStart, i, node);
            }
        }
    }
}

void NodeLifecycle::handle(const kernel::Event& e) {
    switch (static_cast<Ev>(e.kind)) {
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
            if (!t_.nodes[e.target].kubelet_down) other_pod_exit(e.target, e.payload);
            break;
        case Ev::OtherPodGone:
            other_pod_gone(e.target, e.payload);
            break;
        default:
            ROLLSIM_ASSERT(false);  // World::handle sends node lifecycle only its kinds
            break;
    }
}

void NodeLifecycle::schedule_next_occurrence(std::uint32_t index, NodeId node) {
    // Poisson arrivals per node; the stream is keyed on the event, the node and the time, so
    // one node's events do not move another's.
    const ClusterEvent& ev = (*t_.v->events)[index];
    kernel::Rng rng = t_.rng(stream_key("cluster-events"),
                               (std::uint64_t{index} << 48) ^ (std::uint64_t{node} << 24) ^
                                   static_cast<std::uint64_t>(t_.now().ms()));
    const double mean_ms = 3'600'000.0 / *ev.rate_per_hour;
    const double u = std::max(rng.uniform01(), 1e-12);
    const auto gap = static_cast<std::int64_t>(-std::log(u) * mean_ms) + 1;
    const SimTime when = t_.now() + SimTime::millis(gap);
    if (when < t_.v->horizon) t_.at(when, kPhaseApi, Ev::ClusterEventStart, index, node);
}

void NodeLifecycle::cluster_event(std::uint32_t index, NodeId node, bool start) {
    using Kind = ClusterEvent::Kind;
    const ClusterEvent& ev = (*t_.v->events)[index];
    NodeRuntime& nr = t_.nodes[node];
    // Events happen during the rollout: one due after it completed is not applied. Undoing an
    // applied one still is.
    if (start && controller_.completed_at()) return;
    if (t_.tracing(TraceKind::NodeChanged)) {
        t_.trace(TraceKind::NodeChanged, node, kNoPod,
                 static_cast<std::int64_t>(start ? NodeChange::EventStart : NodeChange::EventEnd),
                 static_cast<std::int64_t>(ev.kind));
    }
    if (start && ev.duration) {
        t_.at(t_.now() + *ev.duration, kPhaseApi, Ev::ClusterEventEnd, index, node);
    }
    const auto ready_again = [&] {
        const bool was_down = nr.kubelet_down;
        nr.health = NodeHealth::Ready;
        for (const char* key : {kNotReady, kUnreachable}) {
            set_taint(node, key, "NoSchedule", false);
            set_taint(node, key, "NoExecute", false);
        }
        if (was_down && nr.present) kubelet_.start_node(node);
        node_changed_eligibility(node);
    };
    switch (ev.kind) {
        case Kind::Unreachable:
            if (!start) {
                ready_again();
                break;
            }
            if (nr.health == NodeHealth::Unreachable || !nr.present) break;
            nr.health = NodeHealth::Unreachable;
            kubelet_.stop_node(node);
            t_.at(t_.now() + SimTime::seconds(t_.v->version.node_monitor_grace_seconds()), kPhaseApi, Ev::NodeMonitor,
               node);
            break;
        case Kind::NotReady:
            if (!start) {
                ready_again();
                break;
            }
            if (nr.health != NodeHealth::Ready || !nr.present) break;
            nr.health = NodeHealth::NotReady;
            t_.at(t_.now() + kNodeMonitorPeriod, kPhaseApi, Ev::NodeMonitor, node);
            break;
        case Kind::Ready:
            ready_again();
            break;
        case Kind::Cordon:
        case Kind::Uncordon:
            set_taint(node, kUnschedulable, "NoSchedule", start == (ev.kind == Kind::Cordon));
            node_changed_eligibility(node);
            break;
        case Kind::Drain:
            set_taint(node, kUnschedulable, "NoSchedule", start);
            if (start) {
                const std::uint32_t first = nr.first_other;
                for (std::uint32_t i = 0; i < t_.node_spec(node).pods.size(); ++i) {
                    if (t_.others[first + i] == OtherState::Running) {
                        other_pod_terminate(node, i, t_.node_spec(node).pods[i].grace, "drained");
                    }
                }
            }
            node_changed_eligibility(node);
            break;
        case Kind::Join:
            if (nr.present) break;
            nr.present = true;
            node_changed_eligibility(node);
            break;
        case Kind::Leave:
            if (!nr.present) break;
            nr.present = false;
            kubelet_.stop_node(node);
            node_changed_eligibility(node);
            t_.at(t_.now() + kPodGcQuarantine, kPhaseApi, Ev::PodGcOrphans, node);
            break;
        case Kind::Labels: {
            auto& labels = t_.live_nodes[node].labels;
            const auto& original = (*t_.v->nodes)[node].labels;
            for (const auto& [key, value] : ev.labels) {
                const auto was = original.find(key);
                if (!start) {
                    if (was == original.end()) {
                        labels.erase(key);
                    } else {
                        labels[key] = was->second;
                    }
                } else if (value) {
                    labels[key] = *value;
                } else {
                    labels.erase(key);
                }
            }
            node_changed_eligibility(node);
            break;
        }
        case Kind::MemoryPressure:
        case Kind::DiskPressure:
        case Kind::PIDPressure: {
            const std::uint8_t bit = ev.kind == Kind::MemoryPressure ? kMemoryPressure
                                     : ev.kind == Kind::DiskPressure ? kDiskPressure
                                                                     : kPidPressure;
            if (start) {
                eviction_.pressure_start(node, bit, ev.reclaim);
            } else {
                eviction_.pressure_signal_end(node, bit);
            }
            break;
        }
    }
    if (!start && ev.rate_per_hour) schedule_next_occurrence(index, node);
}

void NodeLifecycle::node_monitor(NodeId node) {
    NodeRuntime& nr = t_.nodes[node];
    if (nr.health == NodeHealth::Ready || !nr.present) return;
    const char* key = nr.health == NodeHealth::Unreachable ? kUnreachable : kNotReady;
    set_taint(node, key, "NoSchedule", true);
    set_taint(node, key, "NoExecute", true);
    if (t_.tracing(TraceKind::NodeChanged)) {
        t_.trace(TraceKind::NodeChanged, node, kNoPod, static_cast<std::int64_t>(NodeChange::NodeLifecycle),
                 nr.health == NodeHealth::Unreachable ? 1 : 0);
    }
    mark_pods_not_ready(node);
    node_changed_eligibility(node);
}

void NodeLifecycle::set_taint(NodeId node, const char* key, const char* effect, bool on) {
    auto& taints = t_.live_nodes[node].taints;
    const auto it = std::find_if(taints.begin(), taints.end(),
                                 [&](const Taint& t) { return t.key == key && t.effect == effect; });
    if (on && it == taints.end()) taints.push_back(Taint{key, "", effect});
    if (!on && it != taints.end()) taints.erase(it);
}

Eligibility NodeLifecycle::judge(std::uint8_t owner, NodeId node) const {
    if (!t_.nodes[node].present) return {};
    if (owner == 1) {
        const auto& chosen = t_.v->plan.canary_nodes;
        if (std::find(chosen.begin(), chosen.end(), node) == chosen.end()) return {};
    }
    if (owner == 0 && t_.cluster.daemonset(0).current_revision == kSecondRevision) {
        return node_should_run_daemon_pod(t_.node_spec(node), t_.v->second->pod_template, t_.v->second->tolerations);
    }
    const bool is_new = owner == 1 || t_.cluster.daemonset(owner).current_revision == t_.v->new_revision.id;
    return node_should_run_daemon_pod(t_.node_spec(node), is_new ? t_.v->new_template : t_.v->old_template,
                                      is_new ? t_.v->new_tolerations : t_.v->old_tolerations);
}

void NodeLifecycle::node_changed_eligibility(NodeId node) {
    // updateNode: the DaemonSets whose (shouldRun, shouldContinue) changed are enqueued.
    for (std::uint8_t owner = 0; owner < Cluster::kMaxDaemonSets; ++owner) {
        if (owner == 1 && !op_.test_active()) continue;
        DaemonSetState& ds = t_.cluster.daemonset(owner);
        const Eligibility e = judge(owner, node);
        if (ds.eligibility[node] == e) continue;
        ds.eligibility[node] = e;
        t_.cluster.touch(node);
        api_.notify_controller(Ev::CtlObserveUpdate, owner);
    }
    // The scheduler's queue moves Pending pods on a node event.
    t_.at(t_.now() + t_.v->latencies.watch, kPhaseScheduler, Ev::SchedObservePodGone, node);
}

void NodeLifecycle::mark_pods_not_ready(NodeId node) {
    for (PodId id : t_.cluster.pods_on(node)) {
        Pod& p = t_.cluster.pod(id);
        if (!p.ready || p.terminal()) continue;
        p.ready = false;
        p.ready_since = t_.now().floor_to_second();
        t_.trace(TraceKind::NotReady, node, id);
        t_.cluster.touch(node);
        api_.notify_controller(Ev::CtlObserveUpdate, p.owner);
        traffic_.pod_changed(id);
        if (t_.v->traffic.mode == TrafficMode::Service) {
            t_.at(t_.now() + t_.v->latencies.watch + t_.v->traffic.endpoint_propagation, kPhaseTraffic, Ev::EndpointSync,
               id, p.uid);
        }
    }
}

void NodeLifecycle::pod_gc_orphans(NodeId node) {
    if (t_.nodes[node].present) return;
    // Copy: removing a pod edits the node's list.
    const std::vector<PodId> pods = t_.cluster.pods_on(node);
    for (PodId id : pods) {
        t_.trace(TraceKind::PodDeleted, node, id, 0);
        api_.remove_pod_object(id);
    }
    const std::uint32_t first = t_.nodes[node].first_other;
    for (std::uint32_t i = 0; i < t_.node_spec(node).pods.size(); ++i) t_.others[first + i] = OtherState::Gone;
}

// ---------------------------------------------------------------------------------------------
// Other pods: preempted, evicted or drained; they terminate and are gone (never recreated here).

void NodeLifecycle::other_pod_terminate(NodeId node, std::uint32_t k, SimTime grace, const char* why) {
    OtherState& state = t_.others[t_.nodes[node].first_other + k];
    if (state != OtherState::Running) return;
    state = OtherState::Terminating;
    const OtherPod& spec = t_.node_spec(node).pods[k];
    if (t_.tracing(TraceKind::Evicted)) {
        t_.trace(TraceKind::Evicted, node, kNoPod, 0, 0, fmt::format("pod {} (priority {}) {}", spec.name, spec.priority, why));
    }
    if (t_.nodes[node].kubelet_down) return;  // it terminates when the node comes back
    // The process exits after its shutdown time, or is killed at the end of its grace period
    // (at least 2 s, as killContainer enforces).
    const SimTime exit = std::min(spec.shutdown, std::max(grace, SimTime::seconds(2)));
    t_.at(t_.now() + exit, kPhaseKubelet, Ev::OtherPodExit, node, k);
}

void NodeLifecycle::other_pod_exit(NodeId node, std::uint32_t k) {
    if (t_.others[t_.nodes[node].first_other + k] != OtherState::Terminating) return;
    // The terminal status reaches the API, then the scheduler's cache.
    t_.at(t_.now() + t_.v->latencies.status_update, kPhaseApi, Ev::OtherPodGone, node, k);
}

void NodeLifecycle::other_pod_gone(NodeId node, std::uint32_t k) {
    OtherState& state = t_.others[t_.nodes[node].first_other + k];
    if (state == OtherState::Gone) return;
    state = OtherState::Gone;
    if (t_.tracing(TraceKind::OtherPodGone)) t_.trace(TraceKind::OtherPodGone, node, kNoPod, 0, 0, t_.node_spec(node).pods[k].name);
    t_.at(t_.now() + t_.v->latencies.watch, kPhaseScheduler, Ev::SchedObservePodGone, node);
}

}  // namespace rollsim::model
