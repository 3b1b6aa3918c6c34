#include "experiment/termination_fix.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "experiment/variants.hpp"
#include "experiment/words.hpp"
#include "model/kube_version.hpp"

namespace rollsim::experiment {

namespace {

/// The sleep action of lifecycle hooks: beta and on by default from Kubernetes 1.30 (KEP-3960).
constexpr int kSleepActionMinor = 30;

int ceil_seconds(double s) { return static_cast<int>(std::ceil(s - 1e-9)); }

}  // namespace

std::optional<TerminationFix> termination_fix(const ScenarioSpec& s) {
    const PodTemplate& t = s.proposed.pod_template;
    const ContainerSpec* c = t.find_container(s.workload.container);
    if (c == nullptr || t.termination_grace_period_seconds == 0) return std::nullopt;
    if (host_port_texts(t).empty() && s.traffic.mode == TrafficMode::HostPort) return std::nullopt;
    const Behaviour& b = s.workload.proposed;
    const double hook = c->pre_stop_sleep_seconds ? static_cast<double>(*c->pre_stop_sleep_seconds)
                        : c->has_pre_stop         ? sampled_quantile(b.pre_stop, 0.99, "review-prestop")
                                                  : 0.0;
    TerminationFix f;
    if (s.traffic.mode == TrafficMode::HostPort) {
        const HealthCheckSpec& hc = s.traffic.health_check;
        if (!hc.enabled) return std::nullopt;
        const double detect = hc.interval.to_seconds() * hc.unhealthy_threshold;
        const bool drains = c->has_pre_stop && !c->pre_stop_sleep_seconds && b.pre_stop_drains;
        if (drains && hook > detect) return std::nullopt;
        f.drains = true;
        f.pre_stop_seconds = ceil_seconds(detect) + 1;
        f.not_written = fmt::format(
            "the load balancer checks the node's port, and the process serves until SIGTERM, so a preStop sleep "
            "changes nothing the checker sees. The hook must first make the daemon fail that check while it still "
            "serves (its own drain endpoint, which only you know), then wait {} s",
            f.pre_stop_seconds);
    } else if (s.traffic.mode == TrafficMode::Service) {
        const double need = s.traffic.endpoint_propagation.to_seconds();
        if (hook > need) return std::nullopt;
        f.pre_stop_seconds = ceil_seconds(need) + 1;
        const auto version = model::KubeVersion::parse(s.kubernetes_version).value_or(model::KubeVersion{});
        if (c->has_pre_stop) {
            f.not_written = fmt::format("container {} has a preStop hook of its own: make it last at least {} s",
                                        c->name, f.pre_stop_seconds);
        } else if (version.minor < kSleepActionMinor) {
            f.not_written = fmt::format(
                "the preStop sleep action needs Kubernetes 1.30 (KEP-3960) and this cluster is {}: add an exec hook "
                "that sleeps {} s if the image has a sleep binary (rollsim cannot see the image)",
                version.text(), f.pre_stop_seconds);
        } else {
            f.written = true;
        }
    } else {
        return std::nullopt;
    }
    const double shutdown = sampled_quantile(b.shutdown, 0.99, "review-shutdown");
    f.grace_seconds = std::max<std::int64_t>(t.termination_grace_period_seconds,
                                             ceil_seconds(f.pre_stop_seconds + shutdown) + 5);
    return f;
}

ScenarioSpec with_fix_live(const ScenarioSpec& s, const TerminationFix& fix) {
    ScenarioSpec live = s;
    for (DaemonSetSpec* ds : {&live.current, &live.proposed}) {
        PodTemplate& t = ds->pod_template;
        ContainerSpec* c = nullptr;
        for (auto& ct : t.containers) {
            if (s.workload.container.empty() ? &ct == &t.containers.front() : ct.name == s.workload.container) c = &ct;
        }
        if (c == nullptr) continue;
        c->has_pre_stop = true;
        if (fix.drains) {
            c->pre_stop_sleep_seconds.reset();
        } else {
            c->pre_stop_sleep_seconds = fix.pre_stop_seconds;
        }
        t.termination_grace_period_seconds = fix.grace_seconds;
        t.canonical += fmt::format("|termination-fix:{}:{}:{}", fix.pre_stop_seconds, fix.drains, fix.grace_seconds);
    }
    if (fix.drains) {
        for (Behaviour* b : {&live.workload.current, &live.workload.proposed}) {
            b->pre_stop = DistributionSpec::constant(fix.pre_stop_seconds);
            b->pre_stop_drains = true;
        }
    }
    return live;
}

std::optional<TerminationFix> weigh_termination_fix(const ScenarioSpec& s, const VariantReport& v,
                                                    const RunOptions& options) {
    if (v.error_seconds.mean <= 0) return std::nullopt;
    auto fix = termination_fix(s);
    if (!fix) return std::nullopt;
    ScenarioSpec live = with_fix_live(s, *fix);
    std::erase_if(live.strategies, [&](const StrategyVariant& sv) { return sv.name != v.strategy; });
    std::erase_if(live.probes, [&](const ProbeVariant& pv) { return pv.name != v.probes; });
    if (live.strategies.size() != 1 || live.probes.size() != 1) return std::nullopt;
    RunOptions o = options;
    o.tracers.clear();
    o.progress = nullptr;
    const Report r = run(live, o);
    const VariantReport& fixed = r.variants.front();
    if (!fixed.accepted) return std::nullopt;
    fix->errors_with_fix_live = fixed.error_seconds;
    fix->errors_without = v.error_seconds;
    // Evidence, not hope: the fix is proposed only when the trials tell it apart from noise.
    const double half = std::max(fixed.error_seconds.ci95_high - fixed.error_seconds.mean,
                                 v.error_seconds.ci95_high - v.error_seconds.mean);
    if (v.error_seconds.mean - fixed.error_seconds.mean <= half) return std::nullopt;
    return fix;
}

}  // namespace rollsim::experiment
