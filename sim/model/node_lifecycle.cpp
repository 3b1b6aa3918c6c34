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

#include "kernel/assert.hpp"
#include "model/eligibility.hpp"
#include "model/world.hpp"

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

void World::dynamics_setup() {
    const auto& nodes = *v_->nodes;
    std::uint32_t others = 0;
    for (NodeId n = 0; n < nodes.size(); ++n) {
        nodes_[n].first_other = others;
        nodes_[n].present = nodes[n].present;
        others += static_cast<std::uint32_t>(nodes[n].pods.size());
    }
    others_.assign(others, OtherState::Running);
    backends_.reset();
    detached_.clear();
    preemptions_ = evictions_ = rejections_ = 0;
    if (!v_->dynamic()) {
        live_nodes_.clear();
        return;
    }
    live_nodes_.assign(nodes.begin(), nodes.end());
    const auto& events = *v_->events;
    for (std::uint32_t i = 0; i < events.size(); ++i) {
        for (std::uint32_t node : events[i].nodes) {
            if (events[i].rate_per_hour) {
                schedule_next_occurrence(i, node);
            } else {
                at(events[i].at, kPhaseApi, Ev::ClusterEventStart, i, node);
            }
        }
    }
}

void World::schedule_next_occurrence(std::uint32_t index, NodeId node) {
    // Poisson arrivals per node; the stream is keyed on the event, the node and the time, so
    // one node's events do not move another's.
    const ClusterEvent& ev = (*v_->events)[index];
    kernel::Rng rng = sim_.rng(stream_key("cluster-events"),
                               (std::uint64_t{index} << 48) ^ (std::uint64_t{node} << 24) ^
                                   static_cast<std::uint64_t>(sim_.now().ms()));
    const double mean_ms = 3'600'000.0 / *ev.rate_per_hour;
    const double u = std::max(rng.uniform01(), 1e-12);
    const auto gap = static_cast<std::int64_t>(-std::log(u) * mean_ms) + 1;
    const SimTime when = sim_.now() + SimTime::millis(gap);
    if (when < v_->horizon) at(when, kPhaseApi, Ev::ClusterEventStart, index, node);
}

void World::cluster_event(std::uint32_t index, NodeId node, bool start) {
    using Kind = ClusterEvent::Kind;
    const ClusterEvent& ev = (*v_->events)[index];
    NodeRuntime& nr = nodes_[node];
    // Events happen during the rollout: one due after it completed is not applied. Undoing an
    // applied one still is.
    if (start && completed_at_) return;
    if (trace_ != nullptr) {
        trace(TraceKind::NodeChanged, node, kNoPod, 0, 0,
              fmt::format("{}{}", start ? "" : "end of ", to_string(ev.kind)));
    }
    if (start && ev.duration) {
        at(sim_.now() + *ev.duration, kPhaseApi, Ev::ClusterEventEnd, index, node);
    }
    const auto ready_again = [&] {
        const bool was_down = nr.kubelet_down;
        nr.health = NodeHealth::Ready;
        for (const char* key : {kNotReady, kUnreachable}) {
            set_taint(node, key, "NoSchedule", false);
            set_taint(node, key, "NoExecute", false);
        }
        if (was_down && nr.present) kubelet_start(node);
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
            kubelet_stop(node);
            at(sim_.now() + SimTime::seconds(v_->version.node_monitor_grace_seconds()), kPhaseApi, Ev::NodeMonitor,
               node);
            break;
        case Kind::NotReady:
            if (!start) {
                ready_again();
                break;
            }
            if (nr.health != NodeHealth::Ready || !nr.present) break;
            nr.health = NodeHealth::NotReady;
            at(sim_.now() + kNodeMonitorPeriod, kPhaseApi, Ev::NodeMonitor, node);
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
                for (std::uint32_t i = 0; i < node_spec(node).pods.size(); ++i) {
                    if (others_[first + i] == OtherState::Running) {
                        other_pod_terminate(node, i, node_spec(node).pods[i].grace, "drained");
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
            kubelet_stop(node);
            node_changed_eligibility(node);
            at(sim_.now() + kPodGcQuarantine, kPhaseApi, Ev::PodGcOrphans, node);
            break;
        case Kind::Labels: {
            auto& labels = live_nodes_[node].labels;
            const auto& original = (*v_->nodes)[node].labels;
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
                pressure_start(node, bit, ev.reclaim);
            } else {
                pressure_signal_end(node, bit);
            }
            break;
        }
    }
    if (!start && ev.rate_per_hour) schedule_next_occurrence(index, node);
}

void World::node_monitor(NodeId node) {
    NodeRuntime& nr = nodes_[node];
    if (nr.health == NodeHealth::Ready || !nr.present) return;
    const char* key = nr.health == NodeHealth::Unreachable ? kUnreachable : kNotReady;
    set_taint(node, key, "NoSchedule", true);
    set_taint(node, key, "NoExecute", true);
    if (trace_ != nullptr) {
        trace(TraceKind::NodeChanged, node, kNoPod, 0, 0,
              fmt::format("node lifecycle controller: Ready={}, taints {}:NoSchedule and NoExecute, pods marked NotReady",
                          nr.health == NodeHealth::Unreachable ? "Unknown" : "False", key));
    }
    mark_pods_not_ready(node);
    node_changed_eligibility(node);
}

void World::set_taint(NodeId node, const char* key, const char* effect, bool on) {
    auto& taints = live_nodes_[node].taints;
    const auto it = std::find_if(taints.begin(), taints.end(),
                                 [&](const Taint& t) { return t.key == key && t.effect == effect; });
    if (on && it == taints.end()) taints.push_back(Taint{key, "", effect});
    if (!on && it != taints.end()) taints.erase(it);
}

Eligibility World::judge(std::uint8_t owner, NodeId node) const {
    if (!nodes_[node].present) return {};
    if (owner == 1) {
        const auto& chosen = v_->plan.canary_nodes;
        if (std::find(chosen.begin(), chosen.end(), node) == chosen.end()) return {};
    }
    const bool is_new = owner == 1 || cluster_.daemonset(owner).current_revision == v_->new_revision.id;
    return node_should_run_daemon_pod(node_spec(node), is_new ? v_->new_template : v_->old_template,
                                      is_new ? v_->new_tolerations : v_->old_tolerations);
}

void World::node_changed_eligibility(NodeId node) {
    // updateNode: the DaemonSets whose (shouldRun, shouldContinue) changed are enqueued.
    for (std::uint8_t owner = 0; owner < Cluster::kMaxDaemonSets; ++owner) {
        if (owner == 1 && !op_.test_active) continue;
        DaemonSetState& ds = cluster_.daemonset(owner);
        const Eligibility e = judge(owner, node);
        if (ds.eligibility[node] == e) continue;
        ds.eligibility[node] = e;
        cluster_.touch(node);
        notify_controller(Ev::CtlObserveUpdate, owner);
    }
    // The scheduler's queue moves Pending pods on a node event.
    at(sim_.now() + v_->latencies.watch, kPhaseScheduler, Ev::SchedObservePodGone, node);
}

void World::mark_pods_not_ready(NodeId node) {
    for (PodId id : cluster_.pods_on(node)) {
        Pod& p = cluster_.pod(id);
        if (!p.ready || p.terminal()) continue;
        p.ready = false;
        p.ready_since = sim_.now().floor_to_second();
        trace(TraceKind::NotReady, node, id);
        cluster_.touch(node);
        notify_controller(Ev::CtlObserveUpdate, p.owner);
        pod_traffic_changed(id);
        if (v_->traffic.mode == TrafficMode::Service) {
            at(sim_.now() + v_->latencies.watch + v_->traffic.endpoint_propagation, kPhaseTraffic, Ev::EndpointSync,
               id, p.uid);
        }
    }
}

void World::kubelet_stop(NodeId node) {
    // The machine stops: every process on it dies, and its kubelet neither acts nor writes.
    NodeRuntime& nr = nodes_[node];
    nr.kubelet_down = true;
    nr.evicting = 0;
    for (PodId id : cluster_.pods_on(node)) {
        PodRuntime& r = rt(id);
        for (std::uint32_t slot = 0; slot < kPodSlots; ++slot) {
            if (slot != kSlotSched) cancel_pod(id, slot);
        }
        registry_abort(id);
        config_release(id);
        if (r.running) {
            r.finished_at = sim_.now();
            trace(TraceKind::ContainerExited, node, id, 0, 1);  // b = 1: with its machine
        }
        r.running = r.visible = r.listening = r.serving = false;
        pod_traffic_changed(id);
    }
    for (std::uint32_t i = 0; i < detached_.size(); ++i) {
        if (detached_[i].node == node) detached_exit(i, /*with_machine=*/true);
    }
    nr.pull_waiting.clear();
    nr.pulls_free_at = sim_.now();
}

void World::kubelet_start(NodeId node) {
    // The node is back: its kubelet adds every pod bound to it again (HandlePodAdditions, with
    // admission). Deleted pods finish at once (their processes are gone); a pod that had run
    // starts its container again, a restart; lost status writes are written again.
    NodeRuntime& nr = nodes_[node];
    nr.kubelet_down = false;
    for (PodId id : cluster_.pods_on(node)) {
        const Pod& p = cluster_.pod(id);
        PodRuntime& r = rt(id);
        if (!p.scheduled || p.terminal()) continue;
        if (p.terminating() || r.stage == Stage::Terminated) {
            r.stage = Stage::Terminated;
            r.last_exit_ok = false;
            write_status(id);
            continue;
        }
        if (r.starts > 0) {
            ++r.restarts;
            ++restarts_total_;
        }
        r.ready = false;
        kubelet_pod_added(id);
        write_status(id);
    }
    const std::uint32_t first = nr.first_other;
    for (std::uint32_t i = 0; i < node_spec(node).pods.size(); ++i) {
        if (others_[first + i] == OtherState::Terminating) other_pod_exit(node, i);
    }
}

void World::pod_gc_orphans(NodeId node) {
    if (nodes_[node].present) return;
    // Copy: removing a pod edits the node's list.
    const std::vector<PodId> pods = cluster_.pods_on(node);
    for (PodId id : pods) {
        trace(TraceKind::PodDeleted, node, id, 0);
        remove_pod_object(id);
    }
    const std::uint32_t first = nodes_[node].first_other;
    for (std::uint32_t i = 0; i < node_spec(node).pods.size(); ++i) others_[first + i] = OtherState::Gone;
}

// ---------------------------------------------------------------------------------------------
// Other pods: preempted, evicted or drained; they terminate and are gone (never recreated here).

void World::other_pod_terminate(NodeId node, std::uint32_t k, SimTime grace, const char* why) {
    OtherState& state = others_[nodes_[node].first_other + k];
    if (state != OtherState::Running) return;
    state = OtherState::Terminating;
    const OtherPod& spec = node_spec(node).pods[k];
    if (trace_ != nullptr) {
        trace(TraceKind::Evicted, node, kNoPod, 0, 0, fmt::format("pod {} (priority {}) {}", spec.name, spec.priority, why));
    }
    if (nodes_[node].kubelet_down) return;  // it terminates when the node comes back
    // The process exits after its shutdown time, or is killed at the end of its grace period
    // (at least 2 s, as killContainer enforces).
    const SimTime exit = std::min(spec.shutdown, std::max(grace, SimTime::seconds(2)));
    at(sim_.now() + exit, kPhaseKubelet, Ev::OtherPodExit, node, k);
}

void World::other_pod_exit(NodeId node, std::uint32_t k) {
    if (others_[nodes_[node].first_other + k] != OtherState::Terminating) return;
    // The terminal status reaches the API, then the scheduler's cache.
    at(sim_.now() + v_->latencies.status_update, kPhaseApi, Ev::OtherPodGone, node, k);
}

void World::other_pod_gone(NodeId node, std::uint32_t k) {
    OtherState& state = others_[nodes_[node].first_other + k];
    if (state == OtherState::Gone) return;
    state = OtherState::Gone;
    if (trace_ != nullptr) trace(TraceKind::OtherPodGone, node, kNoPod, 0, 0, node_spec(node).pods[k].name);
    at(sim_.now() + v_->latencies.watch, kPhaseScheduler, Ev::SchedObservePodGone, node);
}

}  // namespace rollsim::model
