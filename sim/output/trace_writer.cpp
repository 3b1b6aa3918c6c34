// The JSONL trace: one line per per-node state change of the traced trial of each variant.

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "experiment/trace_target.hpp"
#include "experiment/trace_words.hpp"
#include "experiment/variants.hpp"
#include "experiment/words.hpp"
#include "model/cluster.hpp"
#include "model/probe_worker.hpp"

namespace rollsim {

namespace {

class JsonlTracer final : public experiment::TraceTarget, public model::TraceSink {
public:
    JsonlTracer(std::ostream& out, const ScenarioSpec& s, std::uint64_t max_bytes) : out_(out), max_bytes_(max_bytes) {
        for (const auto& n : s.nodes) nodes_.push_back(n.name);
    }

    std::string truncation() const override { return truncation_; }

    /// The trace goes to its file as it is made: it takes disk, at most max_bytes_, not memory.
    Footprint footprint(std::uint64_t, std::uint64_t) const override { return {}; }

    model::TraceSink& begin(const experiment::PlannedVariant& v, std::int32_t trial) override {
        strategy_ = v.strategy_name;
        probes_ = v.probes_name;
        trial_ = trial;
        return *this;
    }
    void end(const model::TrialOutcome&) override { out_.flush(); }

    void record(const model::TraceRecord& r) override {
        if (!truncation_.empty()) return;
        nlohmann::ordered_json o = line_start(r.time, rollsim::to_string(r.kind));
        if (model::about_node(r.kind) && r.node < nodes_.size()) o["node"] = nodes_[r.node];
        if (r.pod != 0) {
            o["pod"] = r.pod;
            o["revision"] = r.revision == 0                       ? "current"
                            : r.revision == model::kOlderRevision  ? "older"
                            : r.revision == model::kSecondRevision ? "second"
                                                                   : "proposed";
        }
        if (!r.container.empty()) o["container"] = std::string(r.container);  // of a pod with several
        if (r.owner != 0) o["daemonSet"] = "test";  // a pod of, or a sync by, the test DaemonSet
        switch (r.kind) {
            case model::TraceKind::TemplateUpdated:
                o["generation"] = r.a;
                if (r.b == 1) o["rollback"] = true;
                if (r.b == 2) o["secondChange"] = true;
                break;
            case model::TraceKind::ControllerSync:
                o["creates"] = r.a;
                o["deletes"] = r.b;
                if (!r.budget.empty()) {
                    o["budget"] = std::string(r.budget);
                    o["budgetMax"] = r.budget_max;
                    o["budgetUsed"] = r.budget_used;
                }
                break;
            case model::TraceKind::DaemonSetStatus:
                o["generation"] = r.a;
                o["status"] = {{"observedGeneration", r.status->observed_generation},
                               {"desiredNumberScheduled", r.status->desired_number_scheduled},
                               {"currentNumberScheduled", r.status->current_number_scheduled},
                               {"numberReady", r.status->number_ready},
                               {"numberAvailable", r.status->number_available},
                               {"numberUnavailable", r.status->number_unavailable},
                               {"updatedNumberScheduled", r.status->updated_number_scheduled},
                               {"numberMisscheduled", r.status->number_misscheduled}};
                break;
            case model::TraceKind::Baseline:
                o["serving"] = r.a != 0;
                o["errors"] = r.b != 0;
                break;
            case model::TraceKind::PodDeleted: o["graceSeconds"] = static_cast<double>(r.a) / 1000.0; break;
            case model::TraceKind::PodPending: o["reason"] = std::string(r.text); break;
            case model::TraceKind::ImagePull:
                o["seconds"] = static_cast<double>(r.a) / 1000.0;
                o["queuedSeconds"] = static_cast<double>(r.b) / 1000.0;
                break;
            case model::TraceKind::ContainerStarted: o["start"] = r.a; break;
            case model::TraceKind::ProbeResult:
                o["probe"] = model::to_string(static_cast<model::ProbeKind>(r.a));
                o["result"] = model::to_string(static_cast<model::ProbeResult>(r.b));
                break;
            case model::TraceKind::PreStop: o["seconds"] = static_cast<double>(r.a) / 1000.0; break;
            case model::TraceKind::ContainerExited:
                o["clean"] = r.a != 0;
                if (r.b != 0) o["machineStopped"] = true;
                break;
            case model::TraceKind::BackOff: o["backoffSeconds"] = static_cast<double>(r.a) / 1000.0; break;
            case model::TraceKind::PodTerminal: o["phase"] = r.a != 0 ? "Succeeded" : "Failed"; break;
            case model::TraceKind::OutageEnd: o["seconds"] = static_cast<double>(r.a) / 1000.0; break;
            case model::TraceKind::NodeChanged:
            case model::TraceKind::Preemption:
            case model::TraceKind::Evicted:
            case model::TraceKind::AdmissionRejected:
            case model::TraceKind::OtherPodGone: o["what"] = experiment::record_text(r); break;
            case model::TraceKind::ImagePullBackOff:
                o["backoffSeconds"] = static_cast<double>(r.a) / 1000.0;
                o["reason"] = std::string(r.text);
                break;
            default: break;
        }
        std::string line = o.dump();
        line += '\n';
        if (written_ + line.size() > max_bytes_) {
            truncation_ = fmt::format("the trace reached --trace-limit ({}) at t={:.3f} s of {} × {}, trial {}: "
                                      "it ends with a TraceTruncated line",
                                      experiment::bytes_words(max_bytes_), r.time.to_seconds(), strategy_, probes_, trial_);
            nlohmann::ordered_json cut = line_start(r.time, "TraceTruncated");
            cut["limitBytes"] = max_bytes_;
            out_ << cut.dump() << '\n';
            return;
        }
        written_ += line.size();
        out_ << line;
    }

private:
    /// The keys every line starts with.
    nlohmann::ordered_json line_start(SimTime t, std::string_view event) const {
        nlohmann::ordered_json o;
        o["t"] = t.to_seconds();
        o["strategy"] = strategy_;
        o["probes"] = probes_;
        o["trial"] = trial_;
        o["event"] = event;
        return o;
    }

    std::ostream& out_;
    std::vector<std::string> nodes_;
    std::string strategy_;
    std::string probes_;
    std::int32_t trial_ = 0;
    std::uint64_t max_bytes_;
    std::uint64_t written_ = 0;
    std::string truncation_;
};

}  // namespace

std::unique_ptr<Tracer> make_jsonl_tracer(std::ostream& out, const ScenarioSpec& s, std::uint64_t max_bytes) {
    return std::make_unique<JsonlTracer>(out, s, max_bytes);
}

}  // namespace rollsim
