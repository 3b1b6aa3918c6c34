// rollsim calibrate's outputs (docs/calibration.md): the workload block, and the JSON.

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "rollsim/calibration.hpp"

namespace rollsim {

namespace {

using ojson = nlohmann::ordered_json;

/// Seconds as a scenario duration, to the millisecond: `6.021s`, `90s`.
std::string secs(double s) {
    std::string t = fmt::format("{:.3f}", std::round(s * 1000) / 1000);
    while (t.back() == '0') t.pop_back();
    if (t.back() == '.') t.pop_back();
    return t + "s";
}

double lognormal_p95(const DistributionSpec& d) { return std::exp(d.mu + 1.6448536269514722 * d.sigma); }

std::string yaml_of(const DistributionSpec& d) {
    switch (d.kind) {
        case DistributionSpec::Kind::LogNormal:
            return fmt::format("{{distribution: lognormal, median: {}, p95: {}}}", secs(std::exp(d.mu)), secs(lognormal_p95(d)));
        case DistributionSpec::Kind::Uniform:
            return fmt::format("{{distribution: uniform, min: {}, max: {}}}", secs(d.low), secs(d.high));
        default: {
            std::vector<std::string> qs;
            for (const auto& [p, v] : d.quantiles) qs.push_back(fmt::format("{:.2f}: {}", p, secs(v)));
            return fmt::format("{{distribution: empirical, quantiles: {{{}}}}}", fmt::join(qs, ", "));
        }
    }
}

ojson json_of(const DistributionSpec& d) {
    ojson o;
    switch (d.kind) {
        case DistributionSpec::Kind::LogNormal:
            o["distribution"] = "lognormal";
            o["mu"] = d.mu;
            o["sigma"] = d.sigma;
            o["median"] = std::exp(d.mu);
            o["p95"] = lognormal_p95(d);
            break;
        case DistributionSpec::Kind::Uniform:
            o["distribution"] = "uniform";
            o["min"] = d.low;
            o["max"] = d.high;
            break;
        default: {
            o["distribution"] = "empirical";
            ojson qs = ojson::object();
            for (const auto& [p, v] : d.quantiles) qs[fmt::format("{:.2f}", p)] = v;
            o["quantiles"] = qs;
        }
    }
    return o;
}

ojson json_of(const FittedQuantity& q) {
    ojson o;
    o["image"] = q.image;
    o["n"] = q.n;
    o["p50"] = q.p50;
    o["p95"] = q.p95;
    o["fit"] = q.fit_name;
    o["distribution"] = json_of(q.fit ? *q.fit : q.empirical);
    o["ks"] = q.ks;
    o["ksCritical"] = q.ks_critical;
    o["empirical"] = json_of(q.empirical);
    o["meaning"] = q.meaning;
    return o;
}

/// The quantity's fits, the image with the most samples first.
std::vector<const FittedQuantity*> of_name(const Calibration& c, const std::string& name) {
    std::vector<const FittedQuantity*> out;
    for (const auto& q : c.quantities) {
        if (q.name == name) out.push_back(&q);
    }
    std::stable_sort(out.begin(), out.end(), [](const FittedQuantity* a, const FittedQuantity* b) { return a->n > b->n; });
    return out;
}

std::string fit_comment(const FittedQuantity& q) {
    return fmt::format("n={}, p50 {}, p95 {}; {} (KS {:.3f}, 5% critical {:.3f}); image {}", q.n, secs(q.p50), secs(q.p95),
                       q.fit ? q.fit_name + " fits" : "neither lognormal nor uniform fits: the quantiles", q.ks,
                       q.ks_critical, q.image);
}

}  // namespace

std::string calibration_yaml(const Calibration& c) {
    std::string out = "# rollsim calibrate: the workload this cluster's records imply (docs/calibration.md).\n";
    out += fmt::format("# pods: {} ({} pods of DaemonSet {}, container {})\n", c.pods_file, c.counts.pods, c.daemonset,
                       c.container);
    if (!c.events_file.empty()) out += fmt::format("# events: {} ({} about those pods)\n", c.events_file, c.counts.events);
    const std::size_t seen = c.counts.pulls + c.counts.cache_hits;
    out += fmt::format("# pulls: {} timed, {} cache hit(s){}; restarts: {} ({:.2f} per pod); back-offs: {}\n", c.counts.pulls,
                       c.counts.cache_hits,
                       seen > 0 ? fmt::format(" ({:.0f}% of starts found the image)", 100.0 * static_cast<double>(c.counts.cache_hits) /
                                                                                       static_cast<double>(seen))
                                : "",
                       c.counts.restarts,
                       c.counts.pods > 0 ? static_cast<double>(c.counts.restarts) / static_cast<double>(c.counts.pods) : 0.0,
                       c.counts.back_offs);
    if (!c.counts.unhealthy.empty()) {
        std::vector<std::string> probes;
        for (const auto& [kind, n] : c.counts.unhealthy) {
            probes.push_back(fmt::format("{} {} ({:.2f} per pod)", kind, n,
                                         c.counts.pods > 0 ? static_cast<double>(n) / static_cast<double>(c.counts.pods) : 0.0));
        }
        out += fmt::format("# failed probes (Unhealthy events): {}\n", fmt::join(probes, ", "));
    }
    for (const auto& w : c.warnings) out += "# WARNING: " + w + "\n";
    for (const auto& n : c.not_observed) out += "# not observed: " + n + "\n";
    out += "workload:\n";
    out += fmt::format("  container: {}\n", c.container);
    for (const auto& [name, key] : {std::pair{"imagePull", "imagePull"}, std::pair{"startToReady", "serve"}}) {
        const auto fits = of_name(c, name);
        if (fits.empty()) continue;
        const FittedQuantity& q = *fits.front();
        if (std::string(name) == "startToReady") out += "  # serve from start to Ready: " + q.meaning + "\n";
        out += fmt::format("  {}: {}  # {}\n", key, yaml_of(q.fit ? *q.fit : q.empirical), fit_comment(q));
        for (std::size_t i = 1; i < fits.size(); ++i) {
            out += fmt::format("  # {} of image {}: {}  # {}\n", key, fits[i]->image,
                               yaml_of(fits[i]->fit ? *fits[i]->fit : fits[i]->empirical), fit_comment(*fits[i]));
        }
    }
    return out;
}

std::string calibration_json(const Calibration& c) {
    ojson o;
    o["daemonSet"] = c.daemonset;
    o["container"] = c.container;
    o["pods"] = {{"file", c.pods_file}, {"count", c.counts.pods}};
    o["events"] = {{"file", c.events_file}, {"count", c.counts.events}};
    ojson quantities = ojson::object();
    for (const char* name : {"imagePull", "startToReady"}) {
        const auto fits = of_name(c, name);
        if (fits.empty()) continue;
        ojson q = json_of(*fits.front());
        ojson by_image = ojson::array();
        for (const FittedQuantity* f : fits) by_image.push_back(json_of(*f));
        q["byImage"] = by_image;
        quantities[name] = q;
    }
    o["quantities"] = quantities;
    ojson unhealthy = ojson::object(), per_pod = ojson::object();
    for (const auto& [kind, n] : c.counts.unhealthy) {
        unhealthy[kind] = n;
        per_pod[kind] = c.counts.pods > 0 ? static_cast<double>(n) / static_cast<double>(c.counts.pods) : 0.0;
    }
    o["counts"] = {{"pulls", c.counts.pulls},       {"cacheHits", c.counts.cache_hits}, {"restarts", c.counts.restarts},
                   {"backOffs", c.counts.back_offs}, {"unhealthy", unhealthy},
                   {"perPod", {{"restarts", c.counts.pods > 0 ? static_cast<double>(c.counts.restarts) / static_cast<double>(c.counts.pods) : 0.0},
                               {"unhealthy", per_pod}}}};
    o["notObserved"] = c.not_observed;
    o["warnings"] = c.warnings;
    return o.dump(2) + "\n";
}

}  // namespace rollsim
