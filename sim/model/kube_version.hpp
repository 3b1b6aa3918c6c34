#pragma once
/// @file kube_version.hpp
/// The Kubernetes minor version whose behaviour a trial reproduces, and the behaviour changes
/// between v1.28 and current upstream (docs/model.md) as named predicates.

#include <optional>
#include <string>
#include <string_view>

namespace rollsim::model {

struct KubeVersion {
    int minor = 31;

    /// "1.28" … "1.35"; nullopt for anything else.
    static std::optional<KubeVersion> parse(std::string_view text);
    std::string text() const { return "1." + std::to_string(minor); }

    /// PR #119317 (v1.29.0): the surge path deletes old pods on nodes that no longer pass the
    /// scheduling constraints instead of surging onto them (update.go rollingUpdate).
    bool surge_skips_nodes_that_should_not_run() const { return minor >= 29; }
    /// PR #123233 (v1.31.0; also late 1.29/1.30 patch releases): with maxSurge = 0 an
    /// unavailable old pod counts toward numUnavailable.
    bool unavailable_old_pods_use_budget() const { return minor >= 31; }
    /// prober worker.go run: a manual trigger resets the probe ticker (present in current
    /// upstream; absent in v1.28). Taken as v1.31 and later.
    bool manual_probe_trigger_resets_ticker() const { return minor >= 31; }
    /// kube-controller-manager --node-monitor-grace-period: how long a silent node stays Ready
    /// before the node lifecycle controller sets Ready=Unknown. 40 s, raised to 50 s in v1.32
    /// (PR #126287, issue #121793).
    int node_monitor_grace_seconds() const { return minor >= 32 ? 50 : 40; }
};

}  // namespace rollsim::model
