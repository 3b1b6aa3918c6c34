// The DaemonSet status writes of each variant's traced trial (include/rollsim/alerts.hpp): what
// kube-state-metrics reads from the API server.

#include <algorithm>

#include "experiment/status_sink.hpp"
#include "experiment/trace_target.hpp"
#include "experiment/variants.hpp"
#include "model/cluster.hpp"
#include "rollsim/alerts.hpp"

namespace rollsim {

namespace experiment {

bool steady_before(const ScenarioSpec& s) {
    return std::none_of(s.starting_pods.begin(), s.starting_pods.end(), [](const StartingPods& p) { return p.older; });
}

void StatusSink::record(const model::TraceRecord& r) {
    if (r.kind != TraceKind::DaemonSetStatus || r.owner != 0) return;  // the public DaemonSet only
    const model::DaemonSetStatus& st = *r.status;
    series.writes.push_back({r.time, r.a, st.observed_generation, st.desired_number_scheduled, st.current_number_scheduled,
                             st.number_ready, st.number_available, st.number_unavailable, st.updated_number_scheduled,
                             st.number_misscheduled});
}

namespace {

class StatusRecorder final : public TraceTarget {
public:
    explicit StatusRecorder(const ScenarioSpec& s)
        : steady_(steady_before(s)) {}

    const std::vector<StatusSeries>& series() const { return done_; }

    /// A status write is about 48 B, and a rollout writes a few per node.
    Footprint footprint(std::uint64_t variants, std::uint64_t nodes) const override {
        constexpr std::uint64_t kPerNodeVariant = 4 * sizeof(StatusWrite);
        return {"the recorded DaemonSet status (--promtool-test)", variants * nodes * kPerNodeVariant, kPerNodeVariant,
                "fewer nodes, or leave --promtool-test out"};
    }

    model::TraceSink& begin(const PlannedVariant& v, std::int32_t trial) override {
        sink_.series = StatusSeries{v.strategy_name, v.probes_name, trial, SimTime::zero(), {}, steady_};
        return sink_;
    }

    void end(const model::TrialOutcome& o) override {
        sink_.series.end = o.end;
        done_.push_back(std::move(sink_.series));
    }

private:
    bool steady_;
    StatusSink sink_;
    std::vector<StatusSeries> done_;
};

}  // namespace
}  // namespace experiment

std::unique_ptr<Tracer> make_status_recorder(const ScenarioSpec& s) { return std::make_unique<experiment::StatusRecorder>(s); }

const std::vector<StatusSeries>& recorded_status(const Tracer& recorder) {
    return dynamic_cast<const experiment::StatusRecorder&>(recorder).series();
}

}  // namespace rollsim
