#pragma once
/// @file manifest_writer.hpp
/// The DaemonSets `rollsim recommend` writes (docs/recommend.md, "Generated manifests"): the
/// proposed DaemonSet with the plan's strategy, probes and minReadySeconds, and a test
/// DaemonSet that runs the new revision beside the live one. Both start from the user's own
/// manifest (DaemonSetSpec::original_json), so every field rollsim does not mean to change is
/// kept; only the server-set fields (status, uid, resourceVersion, managedFields, …) go.

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "experiment/variants.hpp"
#include "rollsim/report.hpp"
#include "rollsim/scenario.hpp"

namespace rollsim::output {

/// The plan being written: the recommended variant and what it means for each DaemonSet.
struct PlanChoice {
    const StrategyVariant* strategy = nullptr;
    const ProbeVariant* probes = nullptr;
    const experiment::PlannedVariant* variant = nullptr;
    UpdateStrategySpec public_strategy;  ///< what the public DaemonSet is patched to
    std::int32_t port_offset = 10000;    ///< test host port = live host port + offset
    std::vector<std::string> test_nodes;  ///< the test DaemonSet's nodes (empty: every eligible node)
    std::map<std::string, std::string> test_node_labels;  ///< ... or the nodes with these labels
    /// How many made-up nodes the test ran on: the operator labels as many real nodes of their
    /// choice kTestNodeLabel=true (the made-up names are never written into a manifest).
    std::size_t nodes_to_label = 0;
    /// The recommendation's termination fix; the promotion carries it when it is `written`.
    const TerminationFix* termination_fix = nullptr;
};

/// The label that marks the nodes a test DaemonSet runs on, when the nodes were not imported.
inline constexpr std::string_view kTestNodeLabel = "rollsim.io/test";

/// The recommended variant of `r` resolved against `s` (plan_variants must outlive it).
PlanChoice choose_plan(const ScenarioSpec& s, const experiment::Plan& plan,
                       const std::string& strategy, const std::string& probes);

/// spec.updateStrategy as a manifest writes it: the type (RollingUpdate when unset) and only
/// the rollingUpdate values given.
nlohmann::ordered_json strategy_json(const UpdateStrategySpec& u);

/// promotion-daemonset.yaml, as JSON.
nlohmann::ordered_json promotion_daemonset(const ScenarioSpec& s, const PlanChoice& c);

struct TestDaemonSet {
    nlohmann::ordered_json manifest;
    std::string name;
    std::string selector;  ///< as `kubectl -l` takes it
    std::map<std::int32_t, std::int32_t> moved_ports;  ///< live host port -> test host port
    bool container_ports_moved = false;  ///< hostNetwork: the process itself listens elsewhere
};

/// test-daemonset.yaml, as JSON, from the promotion's manifest.
TestDaemonSet test_daemonset(const ScenarioSpec& s, const PlanChoice& c, const nlohmann::ordered_json& promotion);

}  // namespace rollsim::output
