#pragma once
/// @file kubectl.hpp
/// Reading a live cluster through the `kubectl` on PATH (docs/kubectl-plugin.md): every call
/// is `kubectl [--kubeconfig F] [--context C] ARGS...`, its output kept as it printed it. It
/// lives with the command, not in sim/: it starts processes and reads the clock for its timeout.

#include <string>
#include <vector>

namespace rollsim::cli {

/// How to reach the cluster, as kubectl's own global flags say.
struct KubectlTarget {
    std::string kubeconfig;  ///< --kubeconfig; empty: kubectl's default
    std::string context;     ///< --context; empty: the current context
};

/// Runs `kubectl` with `args` and returns what it printed on stdout. Throws InputError naming
/// the call when kubectl is not on PATH, exits non-zero (its own first error line: forbidden,
/// not found, a timeout), or runs longer than `timeout_seconds` (then it is killed).
std::string kubectl(const KubectlTarget& target, const std::vector<std::string>& args, int timeout_seconds = 120);

}  // namespace rollsim::cli
