#include "experiment/summary.hpp"

#include <algorithm>
#include <cmath>

#include <Eigen/Core>

namespace rollsim::experiment {

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
        const double half = 1.959963984540054 * std::sqrt(var / static_cast<double>(values.size()));
        s.ci95_low = s.mean - half;
        s.ci95_high = s.mean + half;
    } else {
        s.ci95_low = s.ci95_high = s.mean;
    }
    return s;
}

}  // namespace rollsim::experiment
