#pragma once
/// @file variant_model.hpp
/// One variant of a scenario resolved for the simulator: the revisions, the strategy, the
/// eligibility, the operator's plan and the cluster's events. Built once (experiment/variants),
/// shared read-only by every thread's trials.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "model/cluster.hpp"
#include "model/eligibility.hpp"
#include "model/kube_version.hpp"
#include "model/revision.hpp"
#include "model/update_strategy.hpp"

namespace rollsim::model {

/// The revision id of starting pods of an earlier template (VariantModel::older_revision).
inline constexpr std::uint16_t kOlderRevision = 3;
/// The revision id of a second change landing mid-rollout (VariantModel::second).
inline constexpr std::uint16_t kSecondRevision = 4;

/// A second change landing mid-rollout (spec.events Apply), resolved.
struct SecondChangeModel {
    SimTime at;
    Revision revision;  ///< id kSecondRevision
    std::vector<Eligibility> eligibility;
    PodTemplate pod_template;  ///< for a changing cluster's eligibility
    std::vector<Toleration> tolerations;
    UpdateStrategy strategy;   ///< the variant's, unless the change sets updateStrategy
    std::int32_t min_ready_seconds = 0;
};

/// What the operator does, resolved against the cluster (operator.cpp).
struct OperatorPlan {
    OperatorSpec::Kind kind = OperatorSpec::Kind::None;
    IntOrPercent batch{1, false};  ///< Batches: nodes per batch (percent of desired, rounded up)
    SimTime soak;
    SimTime timeout = SimTime::minutes(30);
    std::vector<NodeId> canary_nodes;  ///< Canary: the nodes rolled first
    UpdateStrategy then;               ///< Canary, TestThenPromote: the strategy afterwards
    SimTime poll = SimTime::seconds(10);  ///< TestThenPromote: the verification's poll period
};

/// Everything a trial of one variant needs, resolved once and shared read-only by all threads.
struct VariantModel {
    KubeVersion version;
    Latencies latencies;
    TrafficSpec traffic;
    const std::vector<NodeSpec>* nodes = nullptr;
    Revision old_revision;  ///< id 0: the live DaemonSet
    Revision new_revision;  ///< id 1, or id 0 when the template did not change
    UpdateStrategy strategy;
    std::int32_t min_ready_seconds = 0;
    std::vector<Eligibility> old_eligibility;  ///< NodeShouldRunDaemonPod for the live template
    std::vector<Eligibility> new_eligibility;  ///< ... and for the proposed one
    Revision test_revision;                    ///< TestThenPromote: id 2, alternate host ports
    /// Starting pods of an earlier template (a rollout in progress): id 3, the live template's
    /// ports, requests and behaviour under another hash (the scenario does not give that template).
    Revision older_revision;
    std::optional<SecondChangeModel> second;
    std::vector<Eligibility> test_eligibility;  ///< ... on the chosen nodes
    SimTime horizon = SimTime::hours(24);
    OperatorPlan plan;
    // A changing cluster (cluster events): the templates, to judge eligibility again when a node
    // changes, and the shared bottlenecks.
    const std::vector<ClusterEvent>* events = nullptr;  ///< empty or null: a static cluster
    PodTemplate old_template;
    PodTemplate new_template;
    std::vector<Toleration> old_tolerations;
    std::vector<Toleration> new_tolerations;
    const std::vector<StartingPods>* starting_pods = nullptr;  ///< empty or null: every live pod Ready
    const std::vector<RollbackAction>* rollbacks = nullptr;   ///< empty or null: never rolled back
    RegistrySpec registry;
    ConfigBackendSpec config_backend;
    bool dynamic() const { return events != nullptr && !events->empty(); }
    /// The most containers a pod of this variant has (its timer slots are sized by it).
    std::size_t most_containers() const {
        std::size_t n = std::max({old_revision.containers.size(), new_revision.containers.size(),
                                  test_revision.containers.size(), older_revision.containers.size(), std::size_t{1}});
        return second ? std::max(n, second->revision.containers.size()) : n;
    }
    /// A revision a change brought: the proposed one (when the template changed) or the second.
    bool changed_revision(std::uint16_t id) const {
        return id == kSecondRevision || (id == new_revision.id && new_revision.id != old_revision.id);
    }
};

/// Gives each distinct image of the variant's revisions (every container's) its bit in a node's
/// image cache, in order of first appearance: the live revision's first.
void assign_image_bits(VariantModel& m);

}  // namespace rollsim::model
