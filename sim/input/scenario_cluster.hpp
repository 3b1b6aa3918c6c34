#pragma once
/// @file scenario_cluster.hpp
/// The parts of a scenario that make the cluster busy and changing (docs/scenario.md, "Other
/// pods", "Priority classes", "Cluster events", "Shared bottlenecks"): read from the scenario's
/// YAML into ScenarioSpec, every error naming the file, line and key.

#include <optional>

#include "input/yaml_reader.hpp"
#include "rollsim/scenario.hpp"

namespace rollsim::input {

/// Node `index` of a pool: named POOL-INDEX, the pool's labels plus kubernetes.io/hostname,
/// its taints, allocatable, reserved requests and other pods (named after the node).
NodeSpec pool_node(const NodePoolSpec& pool, std::int32_t index);

/// A pool's `pods`: the other pods on each of its nodes.
std::vector<OtherPod> read_pool_pods(const YamlNode& list);

/// `spec.events`: appends to s.events, and adds the nodes that Join events bring (absent at
/// the start) to s.nodes.
void read_cluster_events(const YamlNode& list, ScenarioSpec& s);

/// `cluster.registry`.
RegistrySpec read_registry(const YamlNode& n);

/// `workload.configBackend`.
ConfigBackendSpec read_config_backend(const YamlNode& n);

/// Resolves priorityClassName for the DaemonSets' templates and every other pod against
/// s.priority_classes (the built-in classes, then the file's), as the Priority admission
/// plugin does: an unknown name is an error; no name takes the globalDefault class, or 0.
/// `where` is the node errors about the DaemonSets point at.
void resolve_priorities(ScenarioSpec& s, const YamlNode& where);

/// system-cluster-critical and system-node-critical (pkg/apis/scheduling/types.go).
std::vector<PriorityClassSpec> builtin_priority_classes();

}  // namespace rollsim::input
