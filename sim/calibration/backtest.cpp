// rollsim backtest (docs/calibration.md, "Backtest"): what a recorded rollout did, and where it
// falls in rollsim's prediction of the same change.
//
// What happened, from the record:
//  - the DaemonSet controller's events on the DaemonSet (pkg/controller/daemon, PodControl):
//    SuccessfulDelete "Deleted pod: NAME" and SuccessfulCreate "Created pod: NAME";
//  - which node each pod was on: the kubelet's Killing event (its source host) for a deleted
//    pod, the scheduler's Scheduled event ("Successfully assigned NS/NAME to NODE") or
//    spec.nodeName for a created one;
//  - when each new pod became Ready: its Ready condition's lastTransitionTime, and available
//    minReadySeconds later.
// The rollout starts at the first pod the controller deleted or created, and ends when the last
// node's new pod is available.

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "calibration/fit.hpp"
#include "calibration/records.hpp"
#include "experiment/variants.hpp"
#include "input/manifest_reader.hpp"
#include "input/source.hpp"
#include "input/units.hpp"
#include "input/yaml_reader.hpp"
#include "model/world.hpp"
#include "rollsim/error.hpp"
#include "rollsim/io.hpp"
#include "rollsim/review.hpp"

namespace rollsim {

double PredictedSeconds::quantile(double p) const { return values.empty() ? 0 : calibration::quantile(values, p); }

double PredictedSeconds::mean() const {
    double sum = 0;
    for (double v : values) sum += v;
    return values.empty() ? 0 : sum / static_cast<double>(values.size());
}

namespace {

using input::YamlNode;

using calibration::text_of;
using calibration::time_of;

/// An event's time: eventTime, else firstTimestamp, else lastTimestamp.
std::optional<std::int64_t> event_ms(const YamlNode& e) {
    for (const char* key : {"eventTime", "firstTimestamp", "lastTimestamp"}) {
        const auto t = e.get(key);
        if (t && !t->is_null()) return time_of(*t);
    }
    return std::nullopt;
}

/// What the record says happened.
struct Record {
    std::map<std::string, std::int64_t> deleted, created;  ///< pod -> when the controller deleted / created it
    std::map<std::string, std::string> node_of;            ///< pod -> node
    std::map<std::string, std::int64_t> ready;             ///< new pod -> its Ready condition's time
};

Record read_record(const BacktestInput& in, const DaemonSetSpec& ds) {
    Record r;
    const std::string events_text = input::read_input_file(in.events_file);
    for (const YamlNode& e : input::read_objects_text(events_text, in.events_file, "Event")) {
        const auto obj = e.get("involvedObject") ? e.get("involvedObject") : e.get("regarding");
        if (!obj || text_of(obj->get("namespace")) != ds.namespace_) continue;
        const std::string kind = text_of(obj->get("kind")), name = text_of(obj->get("name"));
        const std::string reason = text_of(e.get("reason"));
        const std::string message = text_of(e.get("message")) + text_of(e.get("note"));
        if (kind == "DaemonSet" && name == ds.name && (reason == "SuccessfulDelete" || reason == "SuccessfulCreate")) {
            const auto colon = message.find(": ");
            const auto t = event_ms(e);
            if (colon == std::string::npos || !t) continue;
            (reason == "SuccessfulDelete" ? r.deleted : r.created)[message.substr(colon + 2)] = *t;
        } else if (kind == "Pod" && reason == "Killing") {
            std::string host = text_of(e.get("source") ? e.require("source").get("host") : std::nullopt);
            if (host.empty()) host = text_of(e.get("reportingInstance"));
            if (!host.empty()) r.node_of.emplace(name, host);
        } else if (kind == "Pod" && reason == "Scheduled") {
            const auto to = message.rfind(" to ");
            if (to != std::string::npos) r.node_of[name] = message.substr(to + 4);
        }
    }
    const std::string pods_text = input::read_input_file(in.pods_file);
    for (const YamlNode& p : input::read_objects_text(pods_text, in.pods_file, "Pod")) {
        const YamlNode meta = p.require("metadata");
        const std::string name = meta.require("name").str();
        if (r.created.count(name) == 0) continue;
        if (const auto node = p.require("spec").get("nodeName"); node && !node->is_null()) r.node_of[name] = node->str();
        const auto status = p.get("status");
        const auto conditions = status ? status->get("conditions") : std::nullopt;
        if (!conditions || !conditions->is_seq()) continue;
        for (const auto& c : conditions->items()) {
            if (text_of(c.get("type")) != "Ready" || text_of(c.get("status")) != "True") continue;
            const auto t = c.require("lastTransitionTime");
            const std::optional<std::int64_t> ms = time_of(t);
            if (*ms < r.created.at(name)) {
                t.fail(fmt::format("pod {} is Ready {} s before the controller created it: the clocks disagree (clock skew)",
                                   name, static_cast<double>(r.created.at(name) - *ms) / 1000.0));
            }
            r.ready[name] = *ms;
        }
    }
    if (r.deleted.empty() && r.created.empty()) {
        throw InputError(in.events_file, 0, "",
                         fmt::format("no SuccessfulDelete or SuccessfulCreate event of DaemonSet {}/{}: the record holds no "
                                     "rollout of it (events expire after an hour by default; docs/calibration.md)",
                                     ds.namespace_, ds.name));
    }
    return r;
}

/// The predicted rollout, trial by trial: per node its old pod's deletion and new pod's Ready.
class Predicted final : public model::TraceSink {
public:
    void begin() {
        deleted_.clear();
        ready_.clear();
    }
    void record(const model::TraceRecord& r) override {
        if (r.owner != 0 || !r.container.empty()) return;
        if (r.kind == TraceKind::PodDeleted && r.revision == 0) deleted_.try_emplace(r.node, r.time.to_seconds());
        if (r.kind == TraceKind::Ready && r.revision != 0) ready_.try_emplace(r.node, r.time.to_seconds());
    }
    /// Per node delete -> Ready, and the Ready times.
    void windows(std::vector<double>& out, std::vector<double>& ready) const {
        for (const auto& [node, t] : ready_) {
            ready.push_back(t);
            if (const auto d = deleted_.find(node); d != deleted_.end() && t >= d->second) out.push_back(t - d->second);
        }
        std::sort(ready.begin(), ready.end());
    }

private:
    std::map<std::uint32_t, double> deleted_, ready_;
};

double share_at_most(const std::vector<double>& sorted, double x, std::size_t of) {
    const auto k = static_cast<double>(std::upper_bound(sorted.begin(), sorted.end(), x + 1e-9) - sorted.begin());
    return of == 0 ? 0 : k / static_cast<double>(of);
}

}  // namespace

Backtest backtest(const BacktestInput& in) {
    Backtest b;
    const DaemonSetSpec proposed = read_daemonset_manifest(in.proposed_file);
    b.daemonset = proposed.namespace_ + "/" + proposed.name;
    const Record r = read_record(in, proposed);

    // What happened.
    std::int64_t start = INT64_MAX;
    for (const auto* m : {&r.deleted, &r.created}) {
        for (const auto& [pod, t] : *m) start = std::min(start, t);
    }
    const std::int64_t min_ready = std::int64_t{proposed.min_ready_seconds} * 1000;
    std::int64_t end = start;
    std::map<std::string, NodeWindow> by_node;
    for (const auto& [pod, t] : r.deleted) {
        const auto node = r.node_of.find(pod);
        if (node == r.node_of.end()) {
            b.notes.push_back(fmt::format("deleted pod {}: no Killing event says which node it was on", pod));
            continue;
        }
        by_node[node->second].node = node->second;
        by_node[node->second].deleted = static_cast<double>(t - start) / 1000.0;
    }
    b.complete = true;
    for (const auto& [pod, t] : r.created) {
        const auto node = r.node_of.find(pod);
        const auto ready = r.ready.find(pod);
        if (node == r.node_of.end() || ready == r.ready.end()) {
            b.complete = false;
            b.notes.push_back(fmt::format("created pod {}: {} at the end of the record", pod,
                                          node == r.node_of.end() ? "gone (not in the pods file)" : "not Ready"));
            continue;
        }
        NodeWindow& w = by_node[node->second];
        w.node = node->second;
        w.ready = static_cast<double>(ready->second - start) / 1000.0;
        end = std::max(end, ready->second + min_ready);
    }
    for (auto& [node, w] : by_node) {
        if (w.deleted >= 0 && w.ready < 0) b.complete = false;
        if (w.deleted >= 0 && w.ready >= 0) w.window = w.ready - w.deleted;
        b.nodes.push_back(w);
    }
    std::stable_sort(b.nodes.begin(), b.nodes.end(), [](const NodeWindow& x, const NodeWindow& y) {
        return (x.deleted >= 0 ? x.deleted : x.ready) < (y.deleted >= 0 ? y.deleted : y.ready);
    });
    b.start = input::format_rfc3339_ms(start);
    b.end = input::format_rfc3339_ms(end);
    b.duration = static_cast<double>(end - start) / 1000.0;

    // The prediction: the same change, as proposed, over as many nodes.
    ReviewInput ri;
    ri.current_file = in.current_file;
    ri.proposed_file = in.proposed_file;
    ri.scenario_file = in.scenario_file;
    ri.nodes_file = in.nodes_file;
    ri.synthetic_nodes = std::max<int>(1, static_cast<int>(by_node.size()));
    ReviewSetup setup = review_scenario(ri);
    ScenarioSpec& s = setup.scenario;
    b.assumptions = setup.assumptions;
    s.strategies.resize(1);  // as-proposed
    s.probes.resize(1);
    if (in.trials) s.trials = *in.trials;
    if (in.seed) s.seed = *in.seed;
    const experiment::Plan plan = experiment::plan_variants(s);
    const model::VariantModel& v = plan[0]->model;
    model::World world;
    Predicted sink;
    b.trials = s.trials;
    std::int32_t completed = 0;
    for (std::int32_t t = 0; t < s.trials; ++t) {
        sink.begin();
        const model::TrialOutcome o = world.run_trial(v, s.seed, static_cast<std::uint64_t>(t), &sink);
        std::vector<double> ready;
        sink.windows(b.predicted_window.values, ready);
        b.predicted_ready.push_back(std::move(ready));
        if (o.completed) {
            ++completed;
            b.predicted_duration.values.push_back(o.duration.to_seconds());
        }
    }
    std::sort(b.predicted_duration.values.begin(), b.predicted_duration.values.end());
    std::sort(b.predicted_window.values.begin(), b.predicted_window.values.end());
    b.completed_fraction = s.trials > 0 ? static_cast<double>(completed) / s.trials : 0;
    // Not-completed trials count as longer than any actual duration.
    b.percentile = share_at_most(b.predicted_duration.values, b.duration, static_cast<std::size_t>(s.trials));
    for (NodeWindow& w : b.nodes) {
        if (w.window >= 0) w.percentile = share_at_most(b.predicted_window.values, w.window, b.predicted_window.values.size());
    }
    if (!b.complete) b.notes.push_back("the recorded rollout did not complete: its duration is to the last Ready in the record");
    return b;
}

}  // namespace rollsim
