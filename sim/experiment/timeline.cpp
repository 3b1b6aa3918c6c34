// The timeline recorder: a trace sink that turns one trial's state changes into per-pod state
// spans, node windows and the ready and serving curves. Each pod's state follows from a few
// flags the trace sets and clears (pod_state); a span closes whenever the state or its detail
// changes. docs/timeline.md describes the states.

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "experiment/stall_words.hpp"
#include "experiment/trace_words.hpp"
#include "experiment/trace_target.hpp"
#include "experiment/variants.hpp"
#include "model/probe_worker.hpp"
#include "rollsim/timeline.hpp"

namespace rollsim {

const char* to_string(PodState s) {
    switch (s) {
        case PodState::Pending: return "Pending";
        case PodState::Starting: return "Starting";
        case PodState::Pulling: return "Pulling";
        case PodState::PullBackOff: return "ImagePullBackOff";
        case PodState::Initialising: return "Initialising";
        case PodState::Serving: return "ServingNotReady";
        case PodState::FalseReady: return "FalseReady";
        case PodState::Ready: return "Ready";
        case PodState::Available: return "Available";
        case PodState::CrashLoopBackOff: return "CrashLoopBackOff";
        case PodState::Terminating: return "Terminating";
    }
    return "?";
}

namespace experiment {

namespace {

using model::TraceKind;

/// What the trace has said about one pod so far.
struct PodTrack {
    std::int32_t node = 0;
    std::uint32_t uid = 0;
    bool proposed = false;
    bool test = false;
    bool bound = false, pulling = false, pull_backoff = false, running = false, listening = false,
         serving = false, ready = false, crash_backoff = false, terminating = false, gone = false;
    SimTime ready_since;
    std::string container;  ///< empty: the pod; else one of its other containers
    bool baseline = false;  ///< a live pod at t = 0 (its containers have run for an hour)
    SimTime deleted_at;     ///< when it was deleted (terminating)
    std::string reason;  ///< the detail of the current state
    // The open span
    bool open = false;
    PodState state = PodState::Pending;
    std::string detail;
    SimTime since;
};

PodState pod_state(const PodTrack& p) {
    if (p.terminating) return PodState::Terminating;
    if (!p.bound) return PodState::Pending;
    if (p.crash_backoff) return PodState::CrashLoopBackOff;
    if (p.pull_backoff) return PodState::PullBackOff;
    if (p.pulling) return PodState::Pulling;
    if (p.ready) return p.serving ? PodState::Ready : PodState::FalseReady;
    if (!p.running) return PodState::Starting;
    if (p.serving) return PodState::Serving;
    if (p.listening) return PodState::Initialising;
    return PodState::Starting;
}

class TimelineRecorder final : public TraceTarget, public model::TraceSink {
public:
    explicit TimelineRecorder(const ScenarioSpec& s) : scenario_(s.name) {
        for (const auto& n : s.nodes) names_.push_back(n.name);
        if (const ContainerSpec* c = s.proposed.pod_template.find_container(s.workload.container)) modelled_ = c->name;
        mode_ = s.traffic.mode == TrafficMode::HostPort  ? "hostPort"
                : s.traffic.mode == TrafficMode::Service ? "service"
                                                          : "coverage";
    }

    const std::vector<Timeline>& timelines() const { return done_; }

    /// 2.8-3.4 KiB per node and variant measured (node-exporter-100 grown to 10,000 and
    /// 100,000 nodes): the rows, their windows and the pods being followed.
    Footprint footprint(std::uint64_t variants, std::uint64_t nodes) const override {
        constexpr std::uint64_t kPerNodeVariant = 3584;
        return {"the recorded timelines (--svg, --csv, --markdown, recommend --out)", variants * nodes * kPerNodeVariant,
                kPerNodeVariant, "fewer nodes, or leave those outputs out"};
    }

    model::TraceSink& begin(const PlannedVariant& v, std::int32_t trial) override {
        t_ = Timeline{};
        model_ = &v.model;
        t_.scenario = scenario_;
        t_.strategy = v.strategy_name;
        t_.probes = v.probes_name;
        t_.strategy_text = v.strategy_text;
        t_.trial = trial;
        t_.traffic_mode = mode_;
        t_.traffic_container = modelled_;
        t_.min_ready_seconds = v.min_ready_seconds;
        pods_.clear();
        containers_.clear();
        row_.assign(names_.size(), -1);
        outage_since_.clear();
        errors_since_.clear();
        rotation_since_.clear();
        ready_ = serving_ = 0;
        return *this;
    }

    void end(const model::TrialOutcome& o) override {
        t_.end = o.end;
        if (o.completed) t_.completed = o.duration;
        t_.stalled = o.stalled;
        if (o.stalled) t_.stall_reason = stall_words(o, *model_).reason;
        t_.error_seconds = o.error_seconds;
        t_.outage_node_seconds = o.outage_node_seconds;
        t_.false_ready_seconds = o.false_ready_seconds;
        for (auto& [uid, p] : pods_) close(p, o.end);
        for (auto& [key, p] : containers_) close(p, o.end);
        const auto close_all = [&](std::map<std::int32_t, SimTime>& open, auto member) {
            for (const auto& [row, since] : open) {
                if (since < o.end) (t_.nodes[static_cast<std::size_t>(row)].*member).push_back({since, o.end});
            }
            open.clear();
        };
        close_all(outage_since_, &TimelineNode::outages);
        close_all(errors_since_, &TimelineNode::errors);
        close_all(rotation_since_, &TimelineNode::out_of_rotation);
        for (TimelineNode& n : t_.nodes) {
            for (auto* lane : {&n.old_pod, &n.new_pod, &n.test_pod}) {
                std::stable_sort(lane->begin(), lane->end(),
                                 [](const PodSpan& a, const PodSpan& b) { return a.start < b.start; });
            }
            for (auto* w : {&n.outages, &n.errors, &n.out_of_rotation}) {
                std::stable_sort(w->begin(), w->end(), [](const Window& a, const Window& b) { return a.start < b.start; });
            }
        }
        done_.push_back(std::move(t_));
    }

    void record(const model::TraceRecord& r) override {
        keep(r);
        const SimTime now = r.time;
        // A pod with several containers names the container of each container's record: the
        // modelled one's states are the pod's (but its own readiness is not the pod's).
        if (!r.container.empty() && (r.container != modelled_ || r.kind == TraceKind::Ready || r.kind == TraceKind::NotReady)) {
            if (r.container != modelled_) container_record(r);
            return;
        }
        switch (r.kind) {
            case TraceKind::Baseline: {
                const std::int32_t row = row_of(r.node);
                if (r.pod != 0) {
                    // A live pod: Ready and serving for an hour, unless its node does not serve
                    // (a starting pod that is not Ready; the records after this one say more).
                    PodTrack& p = track(r, row);
                    p.bound = p.running = p.listening = true;
                    p.serving = p.ready = r.a != 0;
                    p.ready_since = SimTime::hours(-1);
                    p.baseline = true;
                    update(p, now);
                    ready_ += p.ready ? 1 : 0;
                }
                if (r.a != 0) {
                    ++serving_;
                } else {
                    outage_since_[row] = now;
                    ++t_.not_serving_at_start;
                }
                if (r.b != 0) errors_since_[row] = now;
                point(now);
                break;
            }
            case TraceKind::PodCreated: track(r, row_of(r.node)); break;
            case TraceKind::PodPending: pod(r, [&](PodTrack& p) { p.reason = std::string(r.text); }); break;
            case TraceKind::PodBound:
                pod(r, [](PodTrack& p) {
                    p.bound = true;
                    p.reason.clear();
                });
                break;
            case TraceKind::Ready:
            case TraceKind::NotReady: {
                const bool ready = r.kind == TraceKind::Ready;
                pod(r, [&](PodTrack& p) {
                    if (p.ready != ready && !p.test) ready_ += ready ? 1 : -1;
                    p.ready = ready;
                    if (ready) p.ready_since = now;
                });
                point(now);
                break;
            }
            case TraceKind::PodDeleted:
                pod(r, [&](PodTrack& p) {
                    p.terminating = true;
                    p.deleted_at = now;
                    p.reason = "deleted";
                });
                for (auto it = containers_.lower_bound({r.pod, {}}); it != containers_.end() && it->first.first == r.pod; ++it) {
                    it->second.terminating = true;
                    update(it->second, now);
                }
                break;
            case TraceKind::Evicted:
            case TraceKind::AdmissionRejected:
                if (r.pod != 0) {
                    pod(r, [&](PodTrack& p) { p.reason = std::string(r.text); });
                } else {
                    node_mark(r);
                }
                break;
            case TraceKind::PodTerminal:
            case TraceKind::PodRemoved: {
                const auto it = pods_.find(r.pod);
                if (it != pods_.end() && !it->second.gone) {
                    if (it->second.ready && !it->second.test) --ready_;
                    it->second.gone = true;
                    close(it->second, now);
                    point(now);
                }
                for (auto c = containers_.lower_bound({r.pod, {}}); c != containers_.end() && c->first.first == r.pod; ++c) {
                    c->second.gone = true;
                    close(c->second, now);
                }
                break;
            }
            case TraceKind::OutageStart:
                outage_since_[row_of(r.node)] = now;
                --serving_;
                point(now);
                break;
            case TraceKind::OutageEnd:
                ++serving_;
                open_close(outage_since_, r, &TimelineNode::outages);
                point(now);
                break;
            case TraceKind::ErrorsStart: errors_since_[row_of(r.node)] = now; break;
            case TraceKind::ErrorsEnd: open_close(errors_since_, r, &TimelineNode::errors); break;
            case TraceKind::RotationOut: rotation_since_[row_of(r.node)] = now; break;
            case TraceKind::RotationIn: open_close(rotation_since_, r, &TimelineNode::out_of_rotation); break;
            case TraceKind::NodeChanged:
            case TraceKind::Preemption:
            case TraceKind::OtherPodGone: node_mark(r); break;
            case TraceKind::TemplateUpdated:
                t_.marks.push_back({now, r.b == 1   ? "rolled back"
                                         : r.b == 2 ? "the second change is applied"
                                                    : "the proposed template is applied"});
                break;
            case TraceKind::RolloutComplete: t_.marks.push_back({now, "rollout complete"}); break;
            case TraceKind::TestStarted: t_.marks.push_back({now, "test DaemonSet created"}); break;
            case TraceKind::TestPassed: t_.marks.push_back({now, "test passed: promote"}); break;
            case TraceKind::TestFailed: t_.marks.push_back({now, "test failed: the public DaemonSet is left alone"}); break;
            default: pod(r, [&](PodTrack& p) { container_state(p, r); }); break;
        }
    }

private:
    /// What a container's record does to a track (the pod's, for its modelled container, or
    /// another container's own).
    static void container_state(PodTrack& p, const model::TraceRecord& r) {
        switch (r.kind) {
            case TraceKind::ImagePull:
                p.pulling = true;
                p.pull_backoff = false;
                p.reason.clear();
                break;
            case TraceKind::ImagePullBackOff:
                p.pulling = false;
                p.pull_backoff = true;
                p.reason = std::string(r.text);
                break;
            case TraceKind::ImagePulled: p.pulling = false; break;
            case TraceKind::ContainerStarted:
                p.running = true;
                p.crash_backoff = p.pull_backoff = p.pulling = p.listening = p.serving = false;
                p.reason.clear();
                break;
            case TraceKind::Listening: p.listening = true; break;
            case TraceKind::Serving: p.serving = true; break;
            case TraceKind::PreStop: p.reason = "preStop hook"; break;
            case TraceKind::SigTerm:
                p.serving = p.listening = false;
                p.reason = "SIGTERM, shutting down";
                break;
            case TraceKind::ContainerExited:
                p.running = p.listening = p.serving = false;
                if (p.terminating) p.reason = p.container.empty() ? "exited; waiting to be terminal" : "exited";
                break;
            case TraceKind::BackOff:
                p.crash_backoff = true;
                p.reason = fmt::format("restart in {:g} s", static_cast<double>(r.a) / 1000.0);
                break;
            default: break;
        }
    }

    /// A record of a container other than the modelled one: its own track, beside the pod's.
    void container_record(const model::TraceRecord& r) {
        const auto pod = pods_.find(r.pod);
        if (pod == pods_.end() || pod->second.gone) return;
        auto [it, added] = containers_.try_emplace({r.pod, std::string(r.container)});
        PodTrack& c = it->second;
        if (added) {
            c = PodTrack{};
            c.node = pod->second.node;
            c.uid = r.pod;
            c.proposed = pod->second.proposed;
            c.test = pod->second.test;
            c.container = std::string(r.container);
            c.bound = true;
            // A live pod's container has run, served and been ready since before the change.
            const bool live = pod->second.baseline;
            c.running = c.listening = c.serving = c.ready = live;
            c.since = live ? SimTime::zero() : r.time;
            update(c, c.since);
            if (pod->second.terminating) {
                c.terminating = true;
                update(c, std::max(c.since, pod->second.deleted_at));
            }
        }
        if (r.kind == TraceKind::Ready || r.kind == TraceKind::NotReady) {
            c.ready = r.kind == TraceKind::Ready;  // its own readiness
        } else {
            container_state(c, r);
            if (r.kind == TraceKind::ContainerStarted) c.ready = false;
        }
        update(c, r.time);
    }

    /// The row of scenario node `node`. The Baseline records at t = 0 add every tracked node in
    /// scenario order; a node that joins later is added when first seen.
    std::int32_t row_of(std::uint32_t node) {
        if (row_[node] < 0) {
            row_[node] = static_cast<std::int32_t>(t_.nodes.size());
            t_.nodes.push_back(TimelineNode{names_[node], {}, {}, {}, {}, {}, {}, {}});
        }
        return row_[node];
    }

    PodTrack& track(const model::TraceRecord& r, std::int32_t row) {
        PodTrack& p = pods_[r.pod];
        p = PodTrack{};
        p.node = row;
        p.uid = r.pod;
        p.proposed = r.revision != 0 && r.revision != model::kOlderRevision;
        p.test = r.owner != 0;
        p.since = r.time;
        update(p, r.time);
        return p;
    }

    template <typename F>
    void pod(const model::TraceRecord& r, F change) {
        const auto it = pods_.find(r.pod);
        if (it == pods_.end() || it->second.gone) return;
        change(it->second);
        update(it->second, r.time);
    }

    void update(PodTrack& p, SimTime now) {
        const PodState s = pod_state(p);
        if (p.open && s == p.state && p.reason == p.detail) return;
        close(p, now);
        p.open = true;
        p.state = s;
        p.detail = p.reason;
        p.since = now;
    }

    /// Ends the pod's open span at `now`; a Ready span splits where the pod became available.
    void close(PodTrack& p, SimTime now) {
        if (!p.open) return;
        p.open = false;
        if (now <= p.since) return;
        TimelineNode& n = t_.nodes[static_cast<std::size_t>(p.node)];
        auto& lane = p.test ? n.test_pod : p.proposed ? n.new_pod : n.old_pod;
        if (p.state == PodState::Ready && p.container.empty()) {
            const SimTime available = p.ready_since + SimTime::seconds(t_.min_ready_seconds);
            if (available <= p.since) {
                lane.push_back({p.since, now, PodState::Available, p.uid, p.detail, {}});
                return;
            }
            if (available < now) {
                lane.push_back({p.since, available, PodState::Ready, p.uid, p.detail, {}});
                lane.push_back({available, now, PodState::Available, p.uid, p.detail, {}});
                return;
            }
        }
        lane.push_back({p.since, now, p.state, p.uid, p.detail, p.container});
    }

    void open_close(std::map<std::int32_t, SimTime>& open, const model::TraceRecord& r,
                    std::vector<Window> TimelineNode::*member) {
        const std::int32_t row = row_of(r.node);
        const auto it = open.find(row);
        if (it == open.end()) return;
        if (it->second < r.time) (t_.nodes[static_cast<std::size_t>(row)].*member).push_back({it->second, r.time});
        open.erase(it);
    }

    void node_mark(const model::TraceRecord& r) {
        t_.nodes[static_cast<std::size_t>(row_of(r.node))].marks.push_back({r.time, record_text(r)});
    }

    void point(SimTime now) {
        if (!t_.curve.empty() && t_.curve.back().time == now) {
            t_.curve.back().ready = ready_;
            t_.curve.back().serving = serving_;
        } else {
            t_.curve.push_back({now, ready_, serving_});
        }
    }

    void keep(const model::TraceRecord& r) {
        TimelineEvent e;
        e.time = r.time;
        e.kind = r.kind;
        if (model::about_node(r.kind) && r.node < names_.size()) e.node = row_of(r.node);
        e.pod = r.pod;
        e.proposed = r.revision != 0 && r.revision != model::kOlderRevision;
        e.test = r.owner != 0;
        e.a = r.a;
        e.b = r.b;
        e.text = record_text(r);
        e.container = std::string(r.container);
        if (r.kind == TraceKind::ProbeResult) {
            e.text = fmt::format("{} {}", model::to_string(static_cast<model::ProbeKind>(r.a)),
                                 model::to_string(static_cast<model::ProbeResult>(r.b)));
        }
        e.budget = std::string(r.budget);
        e.budget_max = r.budget_max;
        e.budget_used = r.budget_used;
        t_.events.push_back(std::move(e));
    }

    std::string scenario_;
    std::string mode_;
    std::vector<std::string> names_;
    std::vector<std::int32_t> row_;
    Timeline t_;
    const model::VariantModel* model_ = nullptr;  ///< the variant being recorded
    std::string modelled_;  ///< the container whose states are the pod's
    std::map<std::uint32_t, PodTrack> pods_;
    std::map<std::pair<std::uint32_t, std::string>, PodTrack> containers_;  ///< (uid, name): the others
    std::map<std::int32_t, SimTime> outage_since_, errors_since_, rotation_since_;
    std::int32_t ready_ = 0;
    std::int32_t serving_ = 0;
    std::vector<Timeline> done_;
};

}  // namespace

}  // namespace experiment

std::unique_ptr<Tracer> make_timeline_recorder(const ScenarioSpec& s) {
    return std::make_unique<experiment::TimelineRecorder>(s);
}

const std::vector<Timeline>& recorded_timelines(const Tracer& recorder) {
    return dynamic_cast<const experiment::TimelineRecorder&>(recorder).timelines();
}

}  // namespace rollsim
