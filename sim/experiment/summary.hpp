#pragma once
/// @file summary.hpp
/// Distributions over trials.

#include <vector>

#include "rollsim/report.hpp"

namespace rollsim::experiment {

/// Mean, quantiles (linear interpolation between order statistics, as numpy's default), max,
/// min and the normal-approximation 95% confidence interval of the mean. Sorts `values`.
Summary summarize(std::vector<double>& values);

/// The `p` quantile of non-empty sorted values, interpolated linearly between order statistics.
double quantile(const std::vector<double>& sorted, double p);

}  // namespace rollsim::experiment
