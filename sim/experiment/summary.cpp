#include "experiment/summary.hpp"

#include <algorithm>
#include <cmath>

#include <Eigen/Core>
#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/students_t.hpp>

namespace rollsim::experiment {

namespace {

/// The smallest k in [lo, hi] with pred(k), pred monotone (false, then true); hi when none.
template <class Pred>
std::int64_t first_true(std::int64_t lo, std::int64_t hi, Pred pred) {
    while (lo < hi) {
        const std::int64_t mid = lo + (hi - lo) / 2;
        if (pred(mid)) hi = mid; else lo = mid + 1;
    }
    return lo;
}

/// The distribution-free 95% interval of the p90 from order statistics: with B ~ Binomial(n,
/// 0.9) the number of trials at or below the true p90, [x(l), x(u)] covers it with probability
/// P(l <= B < u) >= 95%; l and u are the ranks that leave at most 2.5% on each side, clamped to
/// the sample's extremes where n is too small to leave that much.
std::pair<double, double> p90_interval(const std::vector<double>& sorted) {
    const auto n = static_cast<std::int64_t>(sorted.size());
    const boost::math::binomial_distribution<double> b(static_cast<double>(n), 0.9);
    const auto cdf = [&](std::int64_t k) { return k < 0 ? 0.0 : boost::math::cdf(b, static_cast<double>(k)); };
    // l: the largest rank with P(B < l) <= 2.5%; u: the smallest with P(B >= u) <= 2.5%.
    const std::int64_t l = first_true(1, n + 1, [&](std::int64_t k) { return cdf(k - 1) > 0.025; }) - 1;
    const std::int64_t u = first_true(1, n + 1, [&](std::int64_t k) { return 1.0 - cdf(k - 1) <= 0.025; });
    const auto at = [&](std::int64_t rank) { return sorted[static_cast<std::size_t>(std::clamp<std::int64_t>(rank, 1, n) - 1)]; };
    return {at(l), at(u)};
}

}  // namespace

Interval fraction_interval(std::int64_t successes, std::int64_t trials) {
    if (trials <= 0) return {0, 1};
    using B = boost::math::binomial_distribution<double>;
    const auto n = static_cast<double>(trials), k = static_cast<double>(successes);
    return {successes == 0 ? 0.0 : B::find_lower_bound_on_p(n, k, 0.025, B::clopper_pearson_exact_interval),
            successes == trials ? 1.0 : B::find_upper_bound_on_p(n, k, 0.025, B::clopper_pearson_exact_interval)};
}

double quantile(const std::vector<double>& sorted, double p) {
    const double pos = p * static_cast<double>(sorted.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
    const double w = pos - static_cast<double>(lo);
    return sorted[lo] + w * (sorted[hi] - sorted[lo]);
}

Summary summarize(std::vector<double>& values) {
    Summary s;
    s.n = static_cast<std::int64_t>(values.size());
    if (values.empty()) return s;
    std::sort(values.begin(), values.end());
    const Eigen::Map<const Eigen::VectorXd> v(values.data(), static_cast<Eigen::Index>(values.size()));
    s.mean = v.mean();
    s.p50 = quantile(values, 0.50);
    s.p90 = quantile(values, 0.90);
    s.p99 = quantile(values, 0.99);
    s.max = values.back();
    s.min = values.front();
    s.quantiles.reserve(101);
    for (int k = 0; k <= 100; ++k) s.quantiles.push_back(quantile(values, k / 100.0));
    const int bins = s.max > s.min ? Summary::kHistogramBins : 1;
    const double width = (s.max - s.min) / bins;
    for (int b = 0; b <= bins; ++b) s.histogram_edges.push_back(b == bins ? s.max : s.min + b * width);
    s.histogram_counts.assign(static_cast<std::size_t>(bins), 0);
    for (double x : values) {
        const int b = width > 0 ? std::min(bins - 1, static_cast<int>((x - s.min) / width)) : 0;
        ++s.histogram_counts[static_cast<std::size_t>(b)];
    }
    if (values.size() > 1) {
        const double var = (v.array() - s.mean).square().sum() / static_cast<double>(values.size() - 1);
        const boost::math::students_t t(static_cast<double>(values.size() - 1));
        const double half = boost::math::quantile(boost::math::complement(t, 0.025)) *
                            std::sqrt(var / static_cast<double>(values.size()));
        s.ci95_low = s.mean - half;
        s.ci95_high = s.mean + half;
    } else {
        s.ci95_low = s.ci95_high = s.mean;
    }
    std::tie(s.p90_ci95_low, s.p90_ci95_high) = p90_interval(values);
    return s;
}

}  // namespace rollsim::experiment
