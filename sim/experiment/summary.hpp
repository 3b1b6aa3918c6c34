#pragma once
/// @file summary.hpp
/// Distributions over trials.

#include <vector>

#include "rollsim/report.hpp"

namespace rollsim::experiment {

/// Mean, quantiles (linear interpolation between order statistics, as numpy's default), max,
/// min, the Student-t 95% confidence interval of the mean and the distribution-free one of the
/// p90. Sorts `values`.
Summary summarize(std::vector<double>& values);

/// The Clopper-Pearson (exact binomial) 95% interval of a fraction `successes / trials`.
Interval fraction_interval(std::int64_t successes, std::int64_t trials);

/// The `p` quantile of non-empty sorted values, interpolated linearly between order statistics.
double quantile(const std::vector<double>& sorted, double p);

}  // namespace rollsim::experiment
