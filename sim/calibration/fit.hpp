#pragma once
/// @file fit.hpp
/// Fitting a sample of durations: empirical quantiles, lognormal and uniform by maximum
/// likelihood, and the Kolmogorov-Smirnov distance of each fit to the sample.

#include <algorithm>
#include <vector>

#include "experiment/summary.hpp"
#include "rollsim/calibration.hpp"

namespace rollsim::calibration {

/// The `p` quantile of sorted samples: the report's own definition (experiment/summary.hpp).
using experiment::quantile;

/// sup |F_n(x) - F(x)| over the sorted sample, for a continuous CDF `cdf`.
template <class Cdf>
double ks_distance(const std::vector<double>& sorted, Cdf cdf) {
    const double n = static_cast<double>(sorted.size());
    double d = 0;
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        const double f = cdf(sorted[i]);
        const double below = static_cast<double>(i) / n;
        const double above = static_cast<double>(i + 1) / n;
        d = std::max({d, above - f, f - below});
    }
    return d;
}

/// The fitted quantity for `samples` (any order; seconds): its quantiles, and the best of a
/// lognormal and a uniform fit when one passes the KS test at 5%.
FittedQuantity fit_samples(std::vector<double> samples);

}  // namespace rollsim::calibration
