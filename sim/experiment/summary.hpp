#pragma once
/// @file summary.hpp
/// Distributions over trials.

#include <vector>

#include "rollsim/report.hpp"

namespace rollsim::experiment {

/// Mean, quantiles (linear interpolation between order statistics, as numpy's default), max,
/// min and the normal-approximation 95% confidence interval of the mean. Sorts `values`.
Summary summarize(std::vector<double>& values);

}  // namespace rollsim::experiment
