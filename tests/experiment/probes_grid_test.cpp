// Probe what-ifs: a grid of probe settings, and probes sized by rollsim from the startup
// distribution.

#include <doctest/doctest.h>

#include <map>

#include "experiment/variants.hpp"
#include "rollsim/io.hpp"
#include "rollsim/run.hpp"

namespace rollsim::test {

TEST_SUITE("experiment.probes") {

TEST_CASE("a probe grid: every combination, and liveness killing slow starts shows its restarts") {
    const ScenarioSpec s = load_scenario(std::string(ROLLSIM_SOURCE_DIR) + "/tests/scenarios/probe-grid.yaml");
    const auto plan = experiment::plan_variants(s);
    std::vector<std::string> names;
    for (const auto& v : plan) names.push_back(v->probes_name);
    CHECK(names == std::vector<std::string>{"sized", "grid-r5-d0-f3-s0", "grid-r5-d0-f3-s240",
                                            "grid-r30-d0-f3-s0", "grid-r30-d0-f3-s240"});
    const ContainerSpec& c = plan[2]->new_template.containers.front();
    REQUIRE(c.startup_probe);
    CHECK(c.startup_probe->period_seconds == 5);
    CHECK(c.startup_probe->failure_threshold == 48);  // 240 s / 5 s
    CHECK(c.readiness_probe->period_seconds == 5);

    const Report r = run(s, RunOptions{});
    std::map<std::string, const VariantReport*> by;
    for (const auto& v : r.variants) by[v.probes] = &v;
    // No startup probe: liveness on the serving path fails three times 10 s apart and kills
    // every start (90-180 s init): restarts, and no trial completes.
    CHECK(by["grid-r5-d0-f3-s0"]->restarts.mean > 3);
    CHECK(by["grid-r5-d0-f3-s0"]->completed_fraction == 0.0);
    // A 240 s startup budget holds liveness back: no restarts, every trial completes.
    CHECK(by["grid-r5-d0-f3-s240"]->restarts.max == 0.0);
    CHECK(by["grid-r5-d0-f3-s240"]->completed_fraction == 1.0);
    // With a startup probe the readiness period does not matter: the startup success triggers a
    // readiness probe at once (handleProbeSync -> UpdatePodStatus), which passes, so readiness
    // never waits for its own tick. Same draws, same durations to the millisecond.
    CHECK(by["grid-r30-d0-f3-s240"]->duration_seconds.mean == by["grid-r5-d0-f3-s240"]->duration_seconds.mean);
}

TEST_CASE("sized probes: the startup budget covers p99.9 of serve with the margin") {
    const ScenarioSpec s = load_scenario(std::string(ROLLSIM_SOURCE_DIR) + "/tests/scenarios/probe-grid.yaml");
    const auto plan = experiment::plan_variants(s);
    const ContainerSpec& c = plan[0]->new_template.containers.front();
    REQUIRE(c.startup_probe);
    REQUIRE(c.readiness_probe);
    // serve ~ U(90, 180): p99.9 = 179.9 s; x 1.25 = 224.9 s; every 5 s: 45 periods, so 46
    // checks (the first may come as the container starts).
    CHECK(c.startup_probe->failure_threshold == 46);
    CHECK(c.startup_probe->period_seconds == 5);
    CHECK(*c.startup_probe->surface == Surface::Serving);
    CHECK(c.readiness_probe->path == "/healthz");  // the manifest's readiness handler, now on the serving path
    CHECK(*c.readiness_probe->surface == Surface::Serving);
    const Report r = run(s, RunOptions{});
    const VariantReport& sized = r.variants.front();
    CHECK(sized.completed_fraction == 1.0);
    CHECK(sized.restarts.max == 0.0);
    CHECK(sized.false_ready_node_seconds.max < 10.0);  // only the old pods' last seconds
}

TEST_CASE("sized probes: a startup budget of one period still needs a second check (no restart)") {
    // serve 4 s, margin 1.25: 5 s, one period. With failureThreshold 1 a check that came as the
    // container started would kill it before it serves: the sized probe allows 2 (docs/scenario.md).
    const ScenarioSpec s = load_scenario(std::string(ROLLSIM_SOURCE_DIR) + "/tests/scenarios/service-endpoints.yaml");
    ScenarioSpec sized = s;
    ProbeVariant pv;
    pv.name = "sized";
    pv.sized_margin = 1.25;
    sized.probes = {pv};
    const auto plan = experiment::plan_variants(sized);
    REQUIRE(plan.size() == 1);
    const ContainerSpec& c = plan[0]->new_template.containers.front();
    REQUIRE(c.startup_probe);
    CHECK(c.startup_probe->failure_threshold == 2);
    RunOptions opt;
    opt.trials = 40;
    const Report r = run(sized, opt);
    CHECK(r.variants.front().completed_fraction == 1.0);
    CHECK(r.variants.front().restarts.max == 0.0);
}

TEST_CASE("sized probes add a soak where the service fails after it serves") {
    const ScenarioSpec s = load_scenario(std::string(ROLLSIM_SOURCE_DIR) + "/tests/scenarios/needs-soak.yaml");
    const auto plan = experiment::plan_variants(s);
    REQUIRE(plan.size() == 2);
    CHECK(plan[0]->min_ready_seconds == 0);
    // crashAfter ~ U(10 s, 20 s): p99 = 19.9 s; x 1.25 = 24.9 s; rounded up: 25 s.
    CHECK(plan[1]->min_ready_seconds == 25);
    const Report r = run(s, RunOptions{});
    const VariantReport& bare = r.variants[0];
    const VariantReport& sized = r.variants[1];
    // Without a soak every node gets the crashing revision; with it the crash shows on the first
    // node within minReadySeconds, so the pod never becomes available and the rollout stops there.
    CHECK(bare.updated_nodes.min == 3.0);
    CHECK(sized.updated_nodes.max == 1.0);
    CHECK(sized.outage_windows.mean < bare.outage_windows.mean);
}

}  // TEST_SUITE

}  // namespace rollsim::test
