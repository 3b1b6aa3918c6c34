#pragma once
/// @file init.hpp
/// `rollsim init` (docs/scenario.md, "A first scenario"): a commented scenario for a DaemonSet,
/// with what rollsim infers of it and TODO markers where only the user knows.

#include <string>

namespace rollsim {

struct InitInput {
    std::string current_file;   ///< the live DaemonSet (required)
    std::string proposed_file;  ///< optional: the changed one
    std::string nodes_file;     ///< optional: kubectl get nodes -o json
    std::string pods_file;      ///< optional: kubectl get pods -A -o json
    std::string out_file;       ///< where the scenario goes ("" or "-": stdout); paths are made relative to it
};

/// The scenario's text. Throws InputError naming the file, line and key of a bad manifest.
std::string init_scenario(const InitInput& in);

}  // namespace rollsim
