#include "calibration/fit.hpp"

#include <algorithm>
#include <cmath>

namespace rollsim::calibration {

namespace {

/// The quantiles written for an empirical distribution.
constexpr double kQuantiles[] = {0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0};

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

}  // namespace

FittedQuantity fit_samples(std::vector<double> samples) {
    std::sort(samples.begin(), samples.end());
    FittedQuantity q;
    q.n = samples.size();
    if (samples.empty()) return q;
    q.p50 = quantile(samples, 0.5);
    q.p95 = quantile(samples, 0.95);
    q.empirical.kind = DistributionSpec::Kind::Empirical;
    for (double p : kQuantiles) q.empirical.quantiles.emplace_back(p, quantile(samples, p));
    const double n = static_cast<double>(samples.size());
    q.ks_critical = 1.358 / std::sqrt(n);
    q.fit_name = "empirical";
    q.ks = 1;

    // Uniform by maximum likelihood: [min, max].
    const double lo = samples.front(), hi = samples.back();
    if (hi > lo) {
        const double d = ks_distance(samples, [&](double x) { return std::clamp((x - lo) / (hi - lo), 0.0, 1.0); });
        q.ks = d;
        q.fit_name = "uniform";
        q.fit = DistributionSpec::uniform(lo, hi);
    }
    // Lognormal by maximum likelihood: the mean and standard deviation of the logs.
    if (lo > 0 && samples.size() > 1) {
        double sum = 0, sq = 0;
        for (double x : samples) sum += std::log(x);
        const double mu = sum / n;
        for (double x : samples) sq += (std::log(x) - mu) * (std::log(x) - mu);
        const double sigma = std::sqrt(sq / n);
        if (sigma > 0) {
            const double d = ks_distance(samples, [&](double x) { return normal_cdf((std::log(x) - mu) / sigma); });
            if (d < q.ks) {
                q.ks = d;
                q.fit_name = "lognormal";
                DistributionSpec ln;
                ln.kind = DistributionSpec::Kind::LogNormal;
                ln.mu = mu;
                ln.sigma = sigma;
                q.fit = ln;
            }
        }
    }
    if (q.ks >= q.ks_critical) {
        q.fit.reset();
        q.fit_name = "empirical";
    }
    return q;
}

}  // namespace rollsim::calibration
