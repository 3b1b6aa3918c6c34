#pragma once
/// @file variants.hpp
/// The variants of a scenario: every strategy × every probe configuration, each validated as
/// the API server would validate the DaemonSet, and resolved into a model::VariantModel.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/update_strategy.hpp"
#include "model/workload_profile.hpp"
#include "model/world.hpp"
#include "rollsim/scenario.hpp"

namespace rollsim::experiment {

struct PlannedVariant {
    std::string strategy_name;
    std::string probes_name;
    std::string strategy_text;
    std::int32_t min_ready_seconds = 0;
    bool accepted = true;
    std::optional<std::string> rejection;       ///< the API server's message
    std::optional<std::string> not_applicable;  ///< why rollsim does not offer it (see VariantReport)
    std::optional<std::string> certain_failure;  ///< see experiment::certain_failure
    bool template_changed = true;
    PodTemplate new_template;  ///< the proposed template with this variant's probes
    model::VariantModel model;  ///< meaningful when accepted
    /// An earlier variant that is the same simulation (same probes, same strategy after
    /// defaulting, same minReadySeconds, no operator): its trials are this one's, run once.
    /// Say, one-at-a-time beside an as-proposed maxUnavailable 1.
    std::optional<std::size_t> same_as;
};

/// The p-quantile of a distribution, in its unit, from 200,000 draws of the fixed stream `key`
/// (the same on every run and every machine).
double sampled_quantile(const DistributionSpec& d, double p, std::string_view key);

/// Quantiles `ps` of the sum of independent draws from `sum`, the same way.
std::vector<double> sampled_quantiles(const std::vector<const DistributionSpec*>& sum, const std::vector<double>& ps,
                                      std::string_view key);

/// The handler a generated probe may use for the modelled container: the proposed manifest's
/// readiness, startup or liveness probe's, else the live manifest's, with the surface the
/// scenario says it sees; nothing when the user wrote none. rollsim never invents one.
std::optional<ProbeSpec> user_probe_handler(const ScenarioSpec& s);


/// Why a rolling strategy is certain to fail on this DaemonSet whatever the trials show: a surge
/// pod beside the old one on a node, where both need the same host ports (declared: the
/// scheduler's NodePorts filter keeps it Pending; undeclared: it starts and cannot bind them).
/// Nothing when it can work. Review blocks such a plan and recommend never chooses it.
std::optional<std::string> certain_failure(const ScenarioSpec& s, const model::WorkloadProfile& profile,
                                           const model::UpdateStrategy& strategy);

/// A scenario's plan: every variant, planned once, in strategy-major order (strategies[0] ×
/// probes[0], strategies[0] × probes[1], …). The runner, the memory estimate, `validate` and the
/// plan's writers all read this one value.
class Plan {
public:
    explicit Plan(std::vector<std::unique_ptr<PlannedVariant>> variants) : variants_(std::move(variants)) {}
    std::size_t size() const { return variants_.size(); }
    const PlannedVariant* operator[](std::size_t i) const { return variants_[i].get(); }
    auto begin() const { return variants_.begin(); }
    auto end() const { return variants_.end(); }
    /// How many the API server accepts (and rollsim offers): the ones that are simulated.
    std::size_t accepted() const;
    /// The variant named `strategy` × `probes` (the report's identity of a variant), or null.
    const PlannedVariant* find(std::string_view strategy, std::string_view probes) const;

private:
    std::vector<std::unique_ptr<PlannedVariant>> variants_;
};

/// Pointers in the models refer to `s` (nodes, behaviours): `s` must outlive the plan.
Plan plan_variants(const ScenarioSpec& s);

/// The API server's message when it would reject strategy variant `sv`: its updateStrategy (the
/// proposed manifest's when it has none) or a canary's or test's `then`; nothing when valid.
std::optional<std::string> strategy_rejection(const ScenarioSpec& s, const StrategyVariant& sv);

}  // namespace rollsim::experiment
