#pragma once
/// @file starting_pods.hpp
/// spec.daemonSet.startingPods: how the live DaemonSet's pods stand when the change is applied
/// (docs/scenario.md, "Starting pods"), every error naming the file, line and key.

#include "input/yaml_reader.hpp"
#include "rollsim/scenario.hpp"

namespace rollsim::input {

/// Reads the list into s.starting_pods; s.nodes must be read already.
void read_starting_pods(const YamlNode& list, ScenarioSpec& s);

}  // namespace rollsim::input
