#pragma once
/// @file kubectl_plugin.hpp
/// `kubectl rollsim ...` (docs/kubectl-plugin.md): the rollsim binary invoked as
/// `kubectl-rollsim` reads the live cluster through kubectl, saves what it read, and runs the
/// file-based command on the saved files, so that it behaves exactly as that command does.

#include <string>
#include <vector>

namespace rollsim::cli {

/// The file-based command to run, and its arguments (the saved files named in them).
struct PluginCall {
    std::string command;            ///< review, run, recommend, calibrate; empty: nothing to run
    std::vector<std::string> args;
    std::string scratch;            ///< a temporary directory to remove afterwards ("" with --save)
    std::string text;               ///< printed instead (help), when `command` is empty
};

/// Whether argv[0] names the plugin (`kubectl-rollsim`, as kubectl finds it on PATH).
bool invoked_as_plugin(const char* argv0);

/// Reads the cluster for `args` (`review -f P.yaml [-n NS]`, `run|recommend|calibrate
/// --daemonset NS/NAME [-f P.yaml]`, with `--kubeconfig`, `--context` and `--save DIR`), writes
/// what it read, and returns the file-based call. Throws InputError (a kubectl failure, a bad
/// manifest) and std::invalid_argument (bad usage).
PluginCall kubectl_plugin(const std::vector<std::string>& args);

}  // namespace rollsim::cli
