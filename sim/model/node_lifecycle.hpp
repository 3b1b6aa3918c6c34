#pragma once
/// @file node_lifecycle.hpp
/// A changing cluster (node_lifecycle.cpp): the scenario's cluster events, the node lifecycle
/// controller's taints and NotReady marks, cordon and drain, labels, joins, PodGC, and the
/// nodes' other pods as they are preempted, evicted or drained.

#include <cstdint>

#include "model/trial.hpp"

namespace rollsim::model {

class ApiServer;
class ControllerLoop;
class Eviction;
class Kubelet;
class Operator;
class Traffic;

class NodeLifecycle {
public:
    NodeLifecycle(Trial& t, ApiServer& api, Kubelet& kubelet, Eviction& eviction, Traffic& traffic,
                  Operator& op, ControllerLoop& controller)
        : t_(t), api_(api), kubelet_(kubelet), eviction_(eviction), traffic_(traffic), op_(op),
          controller_(controller) {}

    /// A new trial: the nodes as the scenario has them, their other pods running, the first
    /// cluster events scheduled.
    void reset();
    /// ClusterEventStart, ClusterEventEnd, NodeMonitor, PodGcOrphans, OtherPodExit, OtherPodGone.
    void handle(const kernel::Event& e);
    /// NodeShouldRunDaemonPod for `owner`'s template on the node as it is now.
    Eligibility judge(std::uint8_t owner, NodeId node) const;
    void set_taint(NodeId node, const char* key, const char* effect, bool on);
    /// The node's k-th other pod is preempted, evicted or drained: it terminates, then is gone.
    void other_pod_terminate(NodeId node, std::uint32_t k, SimTime grace, const char* why);
    void other_pod_exit(NodeId node, std::uint32_t k);

private:
    void schedule_next_occurrence(std::uint32_t index, NodeId node);
    void cluster_event(std::uint32_t index, NodeId node, bool start);
    void node_monitor(NodeId node);
    void node_changed_eligibility(NodeId node);
    void mark_pods_not_ready(NodeId node);
    void pod_gc_orphans(NodeId node);
    void other_pod_gone(NodeId node, std::uint32_t k);

    Trial& t_;
    ApiServer& api_;
    Kubelet& kubelet_;
    Eviction& eviction_;
    Traffic& traffic_;
    Operator& op_;
    ControllerLoop& controller_;
};

}  // namespace rollsim::model
