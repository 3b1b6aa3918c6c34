// The timeline of a traced trial agrees with the trial's own measures, and tells the stories
// the scenarios are about: a false-ready pod, a surge pod Pending on its host port.

#include <doctest/doctest.h>

#include <algorithm>
#include <numeric>

#include "rollsim/io.hpp"
#include "rollsim/run.hpp"
#include "rollsim/timeline.hpp"

namespace rollsim::test {

namespace {

std::vector<Timeline> traced(const std::string& scenario, std::int32_t trials = 3) {
    const ScenarioSpec s = load_scenario(std::string(ROLLSIM_SOURCE_DIR) + "/scenarios/" + scenario + "/scenario.yaml");
    auto recorder = make_timeline_recorder(s);
    RunOptions opt;
    opt.trials = trials;
    opt.threads = 1;
    opt.tracers.push_back(recorder.get());
    run(s, opt);
    return recorded_timelines(*recorder);
}

double seconds(const std::vector<Window>& ws) {
    return std::accumulate(ws.begin(), ws.end(), 0.0,
                           [](double sum, const Window& w) { return sum + (w.end - w.start).to_seconds(); });
}

double seconds_in(const std::vector<PodSpan>& spans, PodState s) {
    double sum = 0;
    for (const PodSpan& p : spans) sum += p.state == s ? (p.end - p.start).to_seconds() : 0;
    return sum;
}

const Timeline& find(const std::vector<Timeline>& ts, const std::string& strategy, const std::string& probes) {
    const auto it = std::find_if(ts.begin(), ts.end(),
                                 [&](const Timeline& t) { return t.strategy == strategy && t.probes == probes; });
    REQUIRE(it != ts.end());
    return *it;
}

}  // namespace

TEST_CASE("timeline: error and outage windows sum to the trial's errorSeconds and outageNodeSeconds") {
    // The windows come from the trace's ErrorsStart/End and OutageStart/End; the measures from
    // the traffic integrals (docs/report.md). Every traced variant of three scenarios agrees.
    for (const char* name : {"edge-proxy-20-nodes", "surge-hostport-stall", "busy-nodes"}) {
        for (const Timeline& t : traced(name)) {
            double errors = 0, outage = 0, false_ready = 0;
            std::size_t false_ready_spans = 0;
            for (const TimelineNode& n : t.nodes) {
                errors += seconds(n.errors);
                outage += seconds(n.outages);
                for (const auto* lane : {&n.old_pod, &n.new_pod}) {
                    false_ready += seconds_in(*lane, PodState::FalseReady);
                    false_ready_spans += static_cast<std::size_t>(std::count_if(
                        lane->begin(), lane->end(), [](const PodSpan& p) { return p.state == PodState::FalseReady; }));
                }
            }
            INFO(name, " ", t.strategy, " × ", t.probes);
            CHECK(errors == doctest::Approx(t.error_seconds).epsilon(1e-9));
            CHECK(outage == doctest::Approx(t.outage_node_seconds).epsilon(1e-9));
            // The report's false-ready time is Ready in the API while not serving and not being
            // deleted (docs/report.md); the timeline's FalseReady span is the same but starts at
            // the kubelet's readiness, a status write (0.5 s) before the API has it. So the
            // measure <= the spans <= the measure + 0.5 s per span.
            CHECK(t.false_ready_seconds <= false_ready + 1e-6);
            CHECK(false_ready <= t.false_ready_seconds + 0.5 * static_cast<double>(false_ready_spans) + 1e-6);
        }
    }
}

TEST_CASE("timeline: the 20-node edge proxy replaces one node at a time, each false-ready for its init") {
    const auto ts = traced("edge-proxy-20-nodes");
    const Timeline& t = find(ts, "one-at-a-time", "as-proposed");
    CHECK(t.nodes.size() == 20);  // the edge pool only: the general pool never runs the proxy
    REQUIRE(t.completed);
    for (const TimelineNode& n : t.nodes) {
        INFO(n.name);
        REQUIRE(!n.old_pod.empty());
        CHECK(n.old_pod.front().state == PodState::Available);  // old serving until deleted
        CHECK(n.old_pod.back().state == PodState::Terminating);
        // The shallow /healthz probe passes 90-180 s before the new pod serves.
        const double fr = seconds_in(n.new_pod, PodState::FalseReady);
        CHECK(fr > 60);
        CHECK(fr < 180);
        CHECK(n.new_pod.back().state == PodState::Available);
        CHECK(n.outages.size() == 1);
    }
    // One at a time: never more than one node is out of its old pod's hands without a Ready
    // replacement, so the Ready count never drops below 19.
    std::int32_t min_ready = 20;
    for (const CurvePoint& p : t.curve) min_ready = std::min(min_ready, p.ready);
    CHECK(min_ready == 19);
    CHECK(t.curve.front().ready == 20);
    CHECK(t.curve.front().serving == 20);
}

TEST_CASE("timeline: a surge pod stays Pending while the old pod holds the hostPort") {
    const auto ts = traced("surge-hostport-stall");
    const Timeline& t = find(ts, "as-proposed", "as-proposed");  // the manifest surges
    CHECK(t.stalled);
    std::size_t pending = 0;
    for (const TimelineNode& n : t.nodes) {
        INFO(n.name);
        if (n.new_pod.empty()) continue;
        ++pending;
        // The scheduler's NodePorts filter: Pending, with its reason, until the trial ends.
        const PodSpan& last = n.new_pod.back();
        CHECK(last.state == PodState::Pending);
        CHECK(last.detail == "hostPort 80/TCP held by the old pod");
        CHECK(last.end == t.end);
        CHECK(n.old_pod.back().state == PodState::Available);  // the old pod keeps serving
        CHECK(n.old_pod.back().end == t.end);
    }
    CHECK(pending == 1);  // maxSurge 1: one surge pod, stuck
}

}  // namespace rollsim::test
