#pragma once
/// @file status_sink.hpp
/// A trace sink that keeps only the public DaemonSet's status writes of one trial: what
/// kube-state-metrics reads (docs/alerts.md).

#include "model/trace.hpp"
#include "rollsim/alerts.hpp"

namespace rollsim::experiment {

/// Whether the DaemonSet was steady before the change (StatusSeries::steady_before): no
/// starting pod of an earlier template.
bool steady_before(const ScenarioSpec& s);

struct StatusSink final : model::TraceSink {
    StatusSeries series;
    void record(const model::TraceRecord& r) override;
    std::uint64_t kinds() const override { return model::trace_bit(TraceKind::DaemonSetStatus); }
};

}  // namespace rollsim::experiment
