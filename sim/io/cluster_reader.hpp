#pragma once
/// @file cluster_reader.hpp
/// Real clusters: nodes from `kubectl get nodes -o yaml|json`, and the pods already on them
/// from `kubectl get pods -A -o yaml|json`, as the scheduler and the DaemonSet controller see
/// them (docs/scenario.md, "Imported clusters").

#include <string>
#include <vector>

#include "rollsim/scenario.hpp"

namespace rollsim::io {

/// Every Node in `file`: labels (with kubernetes.io/hostname, arch and os filled from the node
/// info when absent), spec.taints plus the taints the node lifecycle controller would set for
/// the node's conditions and for a cordon, and allocatable (capacity when absent).
std::vector<NodeSpec> read_nodes_file(const std::string& file);
std::vector<NodeSpec> read_nodes_text(const std::string& text, const std::string& file);

/// Adds the pods in `file` to the nodes they are bound to: their requests to `reserved` (the
/// scheduler's effective request: the larger of the containers' sum and each init
/// container's, plus overhead), and their host ports to `held_host_ports`. Pods that are
/// terminal, unbound, on unknown nodes, or owned by the DaemonSet `ds` in namespace `ns` are
/// skipped. Returns how many pods were added.
std::size_t add_pods_file(const std::string& file, const std::string& ns, const std::string& ds,
                          std::vector<NodeSpec>& nodes);
std::size_t add_pods_text(const std::string& text, const std::string& file, const std::string& ns, const std::string& ds,
                          std::vector<NodeSpec>& nodes);

}  // namespace rollsim::io
