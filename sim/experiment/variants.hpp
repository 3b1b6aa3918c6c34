#pragma once
/// @file variants.hpp
/// The variants of a scenario: every strategy × every probe configuration, each validated as
/// the API server would validate the DaemonSet, and resolved into a model::VariantModel.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/world.hpp"
#include "rollsim/scenario.hpp"

namespace rollsim::experiment {

struct PlannedVariant {
    std::string strategy_name;
    std::string probes_name;
    std::string strategy_text;
    std::int32_t min_ready_seconds = 0;
    bool accepted = true;
    std::optional<std::string> rejection;
    bool template_changed = true;
    PodTemplate new_template;  ///< the proposed template with this variant's probes
    model::VariantModel model;  ///< meaningful when accepted
};

/// Strategy-major order: strategies[0] × probes[0], strategies[0] × probes[1], …
/// Pointers in the models refer to `s` (nodes, behaviours): `s` must outlive the plan.
std::vector<std::unique_ptr<PlannedVariant>> plan_variants(const ScenarioSpec& s);

}  // namespace rollsim::experiment
