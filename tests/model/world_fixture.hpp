#pragma once
/// A small cluster and a DaemonSet built in code, for model tests that do not go through YAML.

#include <string>
#include <vector>

#include "model/world.hpp"

namespace rollsim::test {

/// Records every trace record.
struct TraceLog : model::TraceSink {
    std::vector<model::TraceRecord> records;
    std::vector<std::string> texts;  ///< each record's text (records' own views are not kept)
    std::vector<std::string> containers;  ///< each record's container (pods with several)
    void record(const model::TraceRecord& r) override {
        records.push_back(r);
        records.back().text = {};
        records.back().container = {};
        texts.emplace_back(r.text);
        containers.emplace_back(r.container);
    }
    /// The records of kind `k` about container `c` ("": the pod's own records).
    std::vector<model::TraceRecord> of(model::TraceKind k, const std::string& c) const {
        std::vector<model::TraceRecord> out;
        for (std::size_t i = 0; i < records.size(); ++i) {
            if (records[i].kind == k && containers[i] == c) out.push_back(records[i]);
        }
        return out;
    }
    /// The texts of the records of kind `k`.
    std::vector<std::string> texts_of(model::TraceKind k) const {
        std::vector<std::string> out;
        for (std::size_t i = 0; i < records.size(); ++i) {
            if (records[i].kind == k) out.push_back(texts[i]);
        }
        return out;
    }
    std::vector<model::TraceRecord> of(model::TraceKind k) const {
        std::vector<model::TraceRecord> out;
        for (const auto& r : records) {
            if (r.kind == k) out.push_back(r);
        }
        return out;
    }
};

/// A trial's outcome with its stall in the words the report uses (experiment/stall_words).
struct FixtureOutcome : model::TrialOutcome {
    std::string stall_key;
    std::string stall_reason;
};

/// One trial of `v` on a new World, its stall in words.
FixtureOutcome run_trial(const model::VariantModel& v, std::uint64_t seed = 1, std::uint64_t trial = 0,
                         model::TraceSink* trace = nullptr);

/// One trial of a loaded scenario's only variant (REQUIREs that it has one), traced into `log`.
FixtureOutcome run_only_variant(const ScenarioSpec& s, model::TraceSink* log, std::uint64_t trial = 0);

struct WorldFixture {
    std::vector<NodeSpec> nodes;
    PodTemplate old_template;
    PodTemplate new_template;
    Behaviour old_behaviour;
    Behaviour new_behaviour;
    UpdateStrategySpec strategy{"RollingUpdate", true, IntOrString::of(1), IntOrString::of(0)};
    std::int32_t min_ready_seconds = 0;
    Latencies latencies;
    TrafficSpec traffic;
    model::KubeVersion version;
    SimTime horizon = SimTime::hours(24);
    model::OperatorPlan plan;
    std::vector<ClusterEvent> events;
    RegistrySpec registry;
    ConfigBackendSpec config_backend;

    /// `n` nodes; an edge proxy on hostPort 8080 with a readiness probe every 10 s on the
    /// serving surface; image pulls instant; serve 25 s; shutdown 0 s.
    explicit WorldFixture(int n = 5);

    static ProbeSpec probe(std::int32_t period, std::int32_t failure = 3, Surface s = Surface::Serving);
    /// All latencies zero: the idealised timeline.
    void idealised() { latencies = Latencies{SimTime{}, SimTime{}, SimTime{}, SimTime{}, SimTime{}}; }
    ContainerSpec& new_container() { return new_template.containers.front(); }
    ContainerSpec& old_container() { return old_template.containers.front(); }

    model::VariantModel build() const;
    FixtureOutcome run(std::uint64_t seed = 1, std::uint64_t trial = 0,
                       model::TraceSink* trace = nullptr) const;
};

}  // namespace rollsim::test
