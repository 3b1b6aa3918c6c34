#pragma once
/// @file runner.hpp
/// The trials of a plan on a pool of threads (rollsim::run plans the scenario, then calls this).

#include "experiment/variants.hpp"
#include "rollsim/run.hpp"

namespace rollsim::experiment {

/// Every accepted variant of `plan` (planned from `s`) over every trial; see rollsim::run.
Report run_plan(const ScenarioSpec& s, const Plan& plan, const RunOptions& options);

}  // namespace rollsim::experiment
