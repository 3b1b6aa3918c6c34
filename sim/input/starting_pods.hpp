#pragma once
/// @file starting_pods.hpp
/// spec.daemonSet.startingPods: how the live DaemonSet's pods stand when the change is applied
/// (docs/scenario.md, "Starting pods"), every error naming the file, line and key.

#include "input/yaml_reader.hpp"
#include "rollsim/scenario.hpp"

namespace rollsim::input {

/// Reads the list into s.starting_pods; s.nodes must be read already.
void read_starting_pods(const YamlNode& list, ScenarioSpec& s);

/// The live DaemonSet's own pods in a pod list (`kubectl get pods -A -o json|yaml`), as
/// starting pods of s.current (matched by ownerReferences), one entry per node that is not
/// Ready. Eligible nodes with no pod are Missing, but only when the list holds at least one
/// of the DaemonSet's pods. `container` is the modelled container (empty: the first).
/// Returns how many of the DaemonSet's pods the list holds.
std::size_t read_starting_pods_from_list(const std::string& text, const std::string& file, const std::string& container,
                                         ScenarioSpec& s);

}  // namespace rollsim::input
