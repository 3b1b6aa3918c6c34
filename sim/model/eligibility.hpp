#pragma once
/// @file eligibility.hpp
/// Which nodes a DaemonSet pod should run on: daemon_controller.go NodeShouldRunDaemonPod, with
/// the tolerations the controller adds to every DaemonSet pod (daemonset_util.go
/// AddOrUpdateDaemonPodTolerations), node affinity (component-helpers nodeaffinity) and the
/// toleration rule of core/v1 ToleratesTaint. Resources and host ports are *not* checked here:
/// the controller creates the pod and leaves fitting to the scheduler (docs/model.md).

#include <vector>

#include "rollsim/daemonset.hpp"
#include "rollsim/scenario.hpp"

namespace rollsim::model {

struct Eligibility {
    bool should_run = false;       ///< a pod should be created here
    bool should_continue = false;  ///< an existing pod may keep running here
    bool operator==(const Eligibility&) const = default;
};

/// The template's tolerations plus the controller's defaults: not-ready and unreachable
/// (NoExecute), disk-, memory-, pid-pressure and unschedulable (NoSchedule), and
/// network-unavailable (NoSchedule) when the pod uses the host network.
std::vector<Toleration> daemon_pod_tolerations(const PodTemplate& t);

/// core/v1 Toleration.ToleratesTaint.
bool tolerates(const Toleration& t, const Taint& taint);

/// One node-selector requirement against a node's labels (In, NotIn, Exists, DoesNotExist,
/// Gt, Lt as labels.Selector evaluates them).
bool matches(const NodeSelectorRequirement& r, const std::map<std::string, std::string>& labels);

/// nodeSelector and requiredDuringSchedulingIgnoredDuringExecution against a node.
bool matches_node_affinity(const PodTemplate& t, const NodeSpec& node);

/// NodeShouldRunDaemonPod(node, ds). `tolerations` must be daemon_pod_tolerations(t).
Eligibility node_should_run_daemon_pod(const NodeSpec& node, const PodTemplate& t,
                                       const std::vector<Toleration>& tolerations);

}  // namespace rollsim::model
