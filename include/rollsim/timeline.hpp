#pragma once
/// @file timeline.hpp
/// One trial of one variant as a timeline: what each node's pods were doing, when clients saw
/// errors, and the ready and serving counts over time. It is built from the trial's trace and
/// drawn by timeline_svg, listed by timeline_csv, narrated by explain_text (rollsim/io.hpp).
///
/// Example:
/// @code
///   auto recorder = rollsim::make_timeline_recorder(scenario);
///   rollsim::RunOptions opt;
///   opt.tracers.push_back(recorder.get());
///   rollsim::Report r = rollsim::run(scenario, opt);
///   for (const rollsim::Timeline& t : rollsim::recorded_timelines(*recorder)) ...
/// @endcode

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rollsim/io.hpp"
#include "rollsim/scenario.hpp"
#include "rollsim/sim_time.hpp"
#include "rollsim/trace_kind.hpp"

namespace rollsim {

/// What a DaemonSet pod is doing, as a person would say it (docs/timeline.md).
enum class PodState : std::uint8_t {
    Pending,           ///< not bound: the scheduler's reason is the span's detail
    Starting,          ///< bound: sandbox and network, or the container starting, not listening yet
    Pulling,           ///< the image is being pulled (or waits for the node's previous pull)
    PullBackOff,       ///< ImagePullBackOff
    Initialising,      ///< listening, but the real request path does not work yet; not Ready
    Serving,           ///< serving, but not Ready yet (the readiness probe has not passed)
    FalseReady,        ///< Ready in the API while the request path does not work
    Ready,             ///< Ready and serving, not yet available (minReadySeconds)
    Available,         ///< Ready for minReadySeconds, and serving
    CrashLoopBackOff,  ///< the container exited and waits for its restart
    Terminating,       ///< deleted: preStop, SIGTERM, shutting down; ends when the pod is terminal
};
const char* to_string(PodState s);

/// [start, end) of one state of one pod.
struct PodSpan {
    SimTime start;
    SimTime end;
    PodState state = PodState::Pending;
    std::uint32_t pod = 0;  ///< the pod's uid in the trace
    std::string detail;     ///< why: the scheduler's reason, the back-off, the pull
    /// Empty: the pod, as its Ready condition and the container its traffic follows say. Else
    /// another container of the pod (a pod with several), its own states: Ready is its readiness.
    std::string container;
};

/// [start, end) of a node-level condition (an outage, errors, out of rotation).
struct Window {
    SimTime start;
    SimTime end;
};

/// Something that happened at one moment, in words.
struct Mark {
    SimTime time;
    std::string text;
};

struct TimelineNode {
    std::string name;
    std::vector<PodSpan> old_pod;   ///< the current revision's pods (the live one, then any other)
    std::vector<PodSpan> new_pod;   ///< the proposed revision's public pods
    std::vector<PodSpan> test_pod;  ///< the test DaemonSet's pods (test-then-promote)
    std::vector<Window> outages;    ///< the node does not serve
    std::vector<Window> errors;     ///< clients reach it while it cannot serve
    std::vector<Window> out_of_rotation;  ///< the load balancer's health check took it out
    std::vector<Mark> marks;        ///< cluster events, preemptions, evictions on this node
};

/// One step of the curves under the timeline: from `time` on, until the next point.
struct CurvePoint {
    SimTime time;
    std::int32_t ready = 0;    ///< public DaemonSet pods that are Ready
    std::int32_t serving = 0;  ///< tracked nodes that serve
};

/// One event of the trace, kept for narration (the JSONL trace's fields, docs/report.md).
struct TimelineEvent {
    SimTime time;
    TraceKind kind = TraceKind::TemplateUpdated;
    std::int32_t node = -1;  ///< index into Timeline::nodes; -1 when not about a node
    std::uint32_t pod = 0;
    bool proposed = false;   ///< the pod is of the proposed revision
    bool test = false;       ///< the pod (or sync) is the test DaemonSet's
    std::int64_t a = 0;
    std::int64_t b = 0;
    std::string text;
    std::string container;   ///< the container of a container's record, in a pod with several
    std::string budget;      ///< ControllerSync: maxUnavailable or maxSurge (empty otherwise)
    std::int32_t budget_max = 0;
    std::int32_t budget_used = 0;
};

struct Timeline {
    std::string scenario;
    std::string strategy;
    std::string probes;
    std::string strategy_text;        ///< "RollingUpdate(maxUnavailable=1, maxSurge=0)", ...
    std::int32_t trial = 0;
    std::string traffic_mode;         ///< hostPort, service or coverage
    std::string traffic_container;    ///< the container whose states are the pod's (pods with several)
    std::int32_t min_ready_seconds = 0;
    std::int32_t not_serving_at_start = 0;  ///< tracked nodes not serving when the change lands
    SimTime end;                       ///< when the trial stopped
    std::optional<SimTime> completed;  ///< when the rollout completed
    bool stalled = false;
    std::string stall_reason;
    double error_seconds = 0;          ///< the trial's own measures, as in the report
    double outage_node_seconds = 0;
    double false_ready_seconds = 0;
    std::vector<TimelineNode> nodes;   ///< the nodes the DaemonSet runs or will run on, in scenario order
    std::vector<CurvePoint> curve;     ///< starts at t = 0
    std::vector<Mark> marks;           ///< the template applied, the test, the rollout complete
    std::vector<TimelineEvent> events; ///< the whole trace, in order
};

/// The timeline as an SVG picture (docs/timeline.md): deterministic bytes, valid XML.
std::string timeline_svg(const Timeline& t);

/// Every timeline's per-node windows as CSV, one row per pod state span and per node window
/// (docs/timeline.md lists the columns).
std::string timeline_csv(const std::vector<Timeline>& ts);

/// The trial narrated in plain words, one line per moment that matters (`rollsim explain`).
std::string explain_text(const Timeline& t);

/// The report as Markdown for a pull request: the recommendation (when recommend() ran), the
/// comparison table, the stall reasons, and `shown` (if any) as a Mermaid gantt chart.
std::string report_markdown(const Report& r, const Timeline* shown);

/// A Tracer that keeps one Timeline per traced variant (RunOptions::tracers).
std::unique_ptr<Tracer> make_timeline_recorder(const ScenarioSpec& s);
/// The timelines `recorder` (from make_timeline_recorder) kept, in variant order.
const std::vector<Timeline>& recorded_timelines(const Tracer& recorder);

}  // namespace rollsim
