#pragma once
/// @file trace_target.hpp
/// What the runner needs of a public rollsim::Tracer: a model::TraceSink per traced trial.

#include <cstdint>
#include <string>
#include <vector>

#include "model/trace.hpp"
#include "model/trial_outcome.hpp"
#include "rollsim/io.hpp"

namespace rollsim::experiment {

struct PlannedVariant;

class TraceTarget : public Tracer {
public:
    /// The sink for trial `trial` of variant `v`.
    virtual model::TraceSink& begin(const PlannedVariant& v, std::int32_t trial) = 0;
    /// The trial is over; `o` is its outcome.
    virtual void end(const model::TrialOutcome& o) = 0;

    /// About how much it will hold in memory (experiment/memory.hpp).
    struct Footprint {
        std::string what;  ///< "the --trace text"
        std::uint64_t bytes = 0;
        std::uint64_t bytes_per_node_variant = 0;
        std::string reduce;  ///< how to make it smaller
    };
    virtual Footprint footprint(std::uint64_t variants, std::uint64_t nodes) const = 0;
};

/// Hands every record to each of several sinks.
struct TeeSink final : model::TraceSink {
    std::vector<model::TraceSink*> sinks;
    void record(const model::TraceRecord& r) override {
        for (auto* s : sinks) {
            if ((s->kinds() & model::trace_bit(r.kind)) != 0) s->record(r);
        }
    }
    std::uint64_t kinds() const override {
        std::uint64_t k = 0;
        for (const auto* s : sinks) k |= s->kinds();
        return k;
    }
};

}  // namespace rollsim::experiment
