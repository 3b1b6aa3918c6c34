#pragma once
/// @file scenario_workload.hpp
/// A scenario's `workload` (docs/scenario.md): how each revision's processes behave, the
/// modelled container's and, in `workload.containers`, the pod's other containers'; read from
/// the scenario's YAML into ScenarioSpec, every error naming the file, line and key.

#include "input/yaml_reader.hpp"
#include "rollsim/scenario.hpp"

namespace rollsim::input {

/// `serving` or `listening`.
Surface read_surface(const YamlNode& n);

/// spec.workload, after the DaemonSets and the traffic mode (the modelled container defaults
/// to the one clients reach through the host port).
void read_workload(const YamlNode& spec, ScenarioSpec& s);

}  // namespace rollsim::input
