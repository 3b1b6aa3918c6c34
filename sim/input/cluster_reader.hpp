#pragma once
/// @file cluster_reader.hpp
/// Real clusters: nodes from `kubectl get nodes -o yaml|json`, and the pods already on them
/// from `kubectl get pods -A -o yaml|json`, as the scheduler and the DaemonSet controller see
/// them (docs/scenario.md, "Imported clusters").

#include <string>
#include <vector>

#include "input/yaml_reader.hpp"
#include "rollsim/scenario.hpp"

namespace rollsim::input {

/// Every Node in `file`: labels (with kubernetes.io/hostname, arch and os filled from the node
/// info when absent), spec.taints plus the taints the node lifecycle controller would set for
/// the node's conditions and for a cordon, and allocatable (capacity when absent).
std::vector<NodeSpec> read_nodes_file(const std::string& file);
std::vector<NodeSpec> read_nodes_text(const std::string& text, const std::string& file);

/// Adds the pods in `file` to the nodes they are bound to, as OtherPods: the scheduler's
/// effective request (the larger of the containers' sum and each init container's, plus
/// overhead), host ports, spec.priority and preemptionPolicy, the grace period and the QoS
/// class (status.qosClass, or GetPodQOS from the resources). Pods that are
/// terminal, unbound, on unknown nodes, or owned by the DaemonSet `ds` in namespace `ns` are
/// skipped. Returns how many pods were added.
/// A pod's metadata names DaemonSet `ds` of namespace `ns` among its ownerReferences.
bool owned_by_daemonset(const YamlNode& metadata, const std::string& ns, const std::string& ds);

std::size_t add_pods_file(const std::string& file, const std::string& ns, const std::string& ds,
                          std::vector<NodeSpec>& nodes);
std::size_t add_pods_text(const std::string& text, const std::string& file, const std::string& ns, const std::string& ds,
                          std::vector<NodeSpec>& nodes);

/// The PriorityClasses in `file` (scheduling.k8s.io/v1), validated as the API server does.
std::vector<PriorityClassSpec> read_priority_classes_file(const std::string& file);
std::vector<PriorityClassSpec> read_priority_classes_text(const std::string& text, const std::string& file);

}  // namespace rollsim::input
