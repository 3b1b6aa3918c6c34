#pragma once
/// @file distribution.hpp
/// A probability distribution as the scenario states it. Values are in the unit of the quantity
/// they describe (seconds for every duration in a scenario). Sampling is rollsim's own code
/// (sim/kernel/distribution.cpp), never std::*_distribution, so draws are the same with every
/// standard library.

#include <optional>
#include <string>
#include <vector>

namespace rollsim {

struct DistributionSpec {
    enum class Kind { Constant, Uniform, Normal, LogNormal, Exponential, Empirical, Mixture };

    Kind kind = Kind::Constant;
    double value = 0;   ///< constant
    double low = 0;     ///< uniform: lower bound
    double high = 0;    ///< uniform: upper bound
    double mean = 0;    ///< normal (truncated at 0), exponential
    double stddev = 0;  ///< normal
    double mu = 0;      ///< lognormal: mean of the log
    double sigma = 0;   ///< lognormal: standard deviation of the log
    std::vector<double> samples;                        ///< empirical, by samples
    std::vector<std::pair<double, double>> quantiles;   ///< empirical, by (p, value), p ascending
    std::vector<double> weights;                        ///< mixture weights, normalised
    std::vector<DistributionSpec> components;           ///< mixture components
    std::optional<double> clamp_min;                    ///< result is at least this
    std::optional<double> clamp_max;                    ///< result is at most this

    static DistributionSpec constant(double v) {
        DistributionSpec d;
        d.value = v;
        return d;
    }
    static DistributionSpec uniform(double lo, double hi) {
        DistributionSpec d;
        d.kind = Kind::Uniform;
        d.low = lo;
        d.high = hi;
        return d;
    }

    /// The mean where it has a closed form (used for reports and checks), else nullopt.
    std::optional<double> analytic_mean() const;
    /// A short human description, e.g. "uniform(90s, 180s)".
    std::string describe() const;
};

}  // namespace rollsim
