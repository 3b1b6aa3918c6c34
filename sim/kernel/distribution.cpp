#include "kernel/distribution.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <fmt/format.h>

#include "kernel/assert.hpp"

namespace rollsim::kernel {

namespace {

/// A standard normal variate by the Box–Muller transform (two uniforms, one variate).
double standard_normal(Rng& rng) {
    const double u1 = rng.uniform_open01();
    const double u2 = rng.uniform01();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

double sample_unclamped(const DistributionSpec& d, Rng& rng) {
    using Kind = DistributionSpec::Kind;
    switch (d.kind) {
        case Kind::Constant:
            return d.value;
        case Kind::Uniform:
            return d.low + (d.high - d.low) * rng.uniform01();
        case Kind::Normal: {
            // Truncated at 0 by rejection; after 64 rejections (a mean far below 0) give 0.
            for (int attempt = 0; attempt < 64; ++attempt) {
                const double x = d.mean + d.stddev * standard_normal(rng);
                if (x >= 0) return x;
            }
            return 0.0;
        }
        case Kind::LogNormal:
            return std::exp(d.mu + d.sigma * standard_normal(rng));
        case Kind::Exponential:
            return -d.mean * std::log(rng.uniform_open01());
        case Kind::Empirical: {
            if (!d.samples.empty()) return d.samples[rng.below(d.samples.size())];
            ROLLSIM_ASSERT(!d.quantiles.empty());
            const double u = rng.uniform01();
            const auto& q = d.quantiles;
            if (u <= q.front().first) return q.front().second;
            if (u >= q.back().first) return q.back().second;
            // Linear interpolation of the inverse CDF between the stated quantiles.
            const auto hi = std::upper_bound(q.begin(), q.end(), u,
                                             [](double v, const auto& p) { return v < p.first; });
            const auto lo = hi - 1;
            const double span = hi->first - lo->first;
            const double w = span > 0 ? (u - lo->first) / span : 0.0;
            return lo->second + w * (hi->second - lo->second);
        }
        case Kind::Mixture: {
            ROLLSIM_ASSERT(!d.components.empty() && d.weights.size() == d.components.size());
            double u = rng.uniform01();
            for (std::size_t i = 0; i + 1 < d.components.size(); ++i) {
                if (u < d.weights[i]) return sample(d.components[i], rng);
                u -= d.weights[i];
            }
            return sample(d.components.back(), rng);
        }
    }
    return 0.0;
}

std::string seconds_text(double s) {
    if (s != 0 && std::abs(s) < 1) return fmt::format("{:g}ms", s * 1000);
    return fmt::format("{:g}s", s);
}

}  // namespace

double sample(const DistributionSpec& d, Rng& rng) {
    double x = sample_unclamped(d, rng);
    if (d.clamp_min && x < *d.clamp_min) x = *d.clamp_min;
    if (d.clamp_max && x > *d.clamp_max) x = *d.clamp_max;
    return x;
}

SimTime sample_duration(const DistributionSpec& d, Rng& rng) {
    const double s = sample(d, rng);
    if (!(s > 0)) return SimTime::zero();  // also maps NaN to zero
    const double ms = std::round(s * 1000.0);
    if (ms >= static_cast<double>(SimTime::max().ms())) return SimTime::max();
    return SimTime::millis(static_cast<std::int64_t>(ms));
}

}  // namespace rollsim::kernel

namespace rollsim {

std::optional<double> DistributionSpec::analytic_mean() const {
    switch (kind) {
        case Kind::Constant:
            return value;
        case Kind::Uniform:
            return (low + high) / 2;
        case Kind::Exponential:
            return mean;
        case Kind::LogNormal:
            return std::exp(mu + sigma * sigma / 2);
        default:
            return std::nullopt;
    }
}

std::string DistributionSpec::describe() const {
    using kernel::seconds_text;
    std::string s;
    switch (kind) {
        case Kind::Constant:
            s = seconds_text(value);
            break;
        case Kind::Uniform:
            s = fmt::format("uniform({}, {})", seconds_text(low), seconds_text(high));
            break;
        case Kind::Normal:
            s = fmt::format("normal(mean {}, stddev {})", seconds_text(mean), seconds_text(stddev));
            break;
        case Kind::LogNormal:
            s = fmt::format("lognormal(median {}, p95 {})", seconds_text(std::exp(mu)),
                            seconds_text(std::exp(mu + 1.6448536269514722 * sigma)));
            break;
        case Kind::Exponential:
            s = fmt::format("exponential(mean {})", seconds_text(mean));
            break;
        case Kind::Empirical:
            s = samples.empty() ? fmt::format("empirical({} quantiles)", quantiles.size())
                                : fmt::format("empirical({} samples)", samples.size());
            break;
        case Kind::Mixture: {
            s = "mixture(";
            for (std::size_t i = 0; i < components.size(); ++i) {
                if (i) s += ", ";
                s += fmt::format("{:g}: {}", weights[i], components[i].describe());
            }
            s += ")";
            break;
        }
    }
    if (clamp_min) s += fmt::format(" min {}", seconds_text(*clamp_min));
    if (clamp_max) s += fmt::format(" max {}", seconds_text(*clamp_max));
    return s;
}

}  // namespace rollsim
