#pragma once
/// @file workload_profile.hpp
/// What a DaemonSet is, read from its pod template (docs/review.md, "What the DaemonSet is"):
/// a service on host ports, a service on the host network, a node agent, or an agent that
/// changes its host (CNI, CSI node plugin, device plugin, kube-proxy). And what a second copy
/// of it beside the live pod would share: the ports it binds, the host paths it writes, the
/// kubelet registrations it makes. The advice (review, recommend, the generated manifests)
/// follows from this profile and from nothing guessed.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rollsim/daemonset.hpp"
#include "rollsim/scenario.hpp"

namespace rollsim::model {

struct WorkloadProfile {
    WorkloadKind kind = WorkloadKind::NodeAgent;
    /// Who said what it is: empty when inferred; else e.g. "the rollsim.io/workload annotation".
    std::string stated_by;
    /// Why it was inferred to be `kind`, each naming the field that shows it.
    std::vector<std::string> reasons;
    /// Why a second copy (a test DaemonSet) would not be isolated from the live pod or would
    /// change the host; empty: a copy on moved host ports is isolated.
    std::vector<std::string> not_isolated;
    /// Host paths a container writes (old and new pods on a node share them under maxSurge).
    std::vector<std::string> shared_host_paths;
    /// With the host network: ports the process names (args, command, env, probes) that no
    /// container declares. The scheduler cannot see them, so a surge pod collides on them.
    std::vector<std::int32_t> undeclared_ports;
    bool isolated() const { return not_isolated.empty(); }
};

/// The profile inferred from `t`.
WorkloadProfile profile_workload(const PodTemplate& t);

/// The profile with the kind the user stated (`stated_by` says who); the isolation facts stay
/// those of the manifest. Throws nothing; check `impossible_kind` first.
WorkloadProfile profile_workload(const PodTemplate& t, WorkloadKind stated, std::string stated_by);

/// Why `t` cannot be a `k` (a host-port service with no host port, a host-network service
/// without hostNetwork); nothing when it can.
std::optional<std::string> impossible_kind(WorkloadKind k, const PodTemplate& t);

/// How clients reach a workload of kind `k`: services through a load balancer that checks the
/// nodes' host ports, agents by coverage.
TrafficMode traffic_of(WorkloadKind k);

/// What the proposed DaemonSet is: as the scenario (or review's --workload) states it, else as
/// its rollsim.io/workload annotation states it, else inferred. Throws InputError, naming where
/// it was stated, when the stated kind cannot be this DaemonSet.
WorkloadProfile workload_profile(const ScenarioSpec& s);

}  // namespace rollsim::model
