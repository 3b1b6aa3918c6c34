#include "model/world_fixture.hpp"

#include <doctest/doctest.h>

#include "experiment/stall_words.hpp"
#include "experiment/variants.hpp"

namespace rollsim::test {

ProbeSpec WorldFixture::probe(std::int32_t period, std::int32_t failure, Surface s) {
    ProbeSpec p;
    p.handler = ProbeSpec::Handler::HttpGet;
    p.path = "/ready";
    p.port = "8080";
    p.period_seconds = period;
    p.failure_threshold = failure;
    p.surface = s;
    return p;
}

WorldFixture::WorldFixture(int n) {
    for (int i = 0; i < n; ++i) {
        NodeSpec node;
        node.name = "node-" + std::to_string(i);
        node.allocatable = Resources{4000, 8LL << 30, 110};
        nodes.push_back(node);
    }
    ContainerSpec c;
    c.name = "proxy";
    c.image = "edge:v1";
    c.image_pull_policy = "IfNotPresent";
    c.ports = {ContainerPort{8080, 8080, "TCP", "", "http"}};
    c.requests = Resources{100, 128LL << 20, 0};
    c.readiness_probe = probe(10);
    old_template.containers = {c};
    old_template.canonical = "v1";
    new_template = old_template;
    new_container().image = "edge:v2";
    new_template.canonical = "v2";
    for (Behaviour* b : {&old_behaviour, &new_behaviour}) {
        b->image_pull = DistributionSpec::constant(0);
        b->listen = DistributionSpec::constant(1);
        b->serve = DistributionSpec::constant(25);
        b->shutdown = DistributionSpec::constant(0);
    }
    traffic.mode = TrafficMode::HostPort;
    traffic.health_check.enabled = false;
}

model::VariantModel WorldFixture::build() const {
    model::VariantModel v;
    v.version = version;
    v.latencies = latencies;
    v.traffic = traffic;
    v.nodes = &nodes;
    v.old_revision = model::make_revision(0, old_template, "", old_behaviour);
    const bool same = old_template.canonical == new_template.canonical;
    v.new_revision = model::make_revision(same ? 0 : 1, new_template, "", same ? old_behaviour : new_behaviour);
    model::assign_image_bits(v);
    const auto check = model::default_and_validate(strategy);
    REQUIRE_MESSAGE(check.ok(), "fixture strategy must be valid");
    v.strategy = check.strategy;
    v.min_ready_seconds = min_ready_seconds;
    const auto old_tol = model::daemon_pod_tolerations(old_template);
    const auto new_tol = model::daemon_pod_tolerations(new_template);
    for (const auto& node : nodes) {
        v.old_eligibility.push_back(model::node_should_run_daemon_pod(node, old_template, old_tol));
        v.new_eligibility.push_back(model::node_should_run_daemon_pod(node, new_template, new_tol));
    }
    v.horizon = horizon;
    v.plan = plan;
    v.events = &events;
    v.old_template = old_template;
    v.new_template = new_template;
    v.old_tolerations = old_tol;
    v.new_tolerations = new_tol;
    v.registry = registry;
    v.config_backend = config_backend;
    return v;
}

FixtureOutcome WorldFixture::run(std::uint64_t seed, std::uint64_t trial, model::TraceSink* trace) const {
    return run_trial(build(), seed, trial, trace);
}

FixtureOutcome run_only_variant(const ScenarioSpec& s, model::TraceSink* log, std::uint64_t trial) {
    const auto plan = experiment::plan_variants(s);
    REQUIRE(plan.size() == 1);
    return run_trial(plan[0]->model, s.seed, trial, log);
}

FixtureOutcome run_trial(const model::VariantModel& v, std::uint64_t seed, std::uint64_t trial,
                         model::TraceSink* trace) {
    model::World world;
    FixtureOutcome o{world.run_trial(v, seed, trial, trace), {}, {}};
    if (o.stalled) {
        auto words = experiment::stall_words(o, v);
        o.stall_key = std::move(words.key);
        o.stall_reason = std::move(words.reason);
    }
    return o;
}

}  // namespace rollsim::test
