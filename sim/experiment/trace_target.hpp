#pragma once
/// @file trace_target.hpp
/// What the runner needs of a public rollsim::Tracer: a model::TraceSink per traced trial.

#include <string>

#include "model/trace.hpp"
#include "rollsim/io.hpp"

namespace rollsim::experiment {

class TraceTarget : public Tracer {
public:
    /// The sink for trial `trial` of the variant (strategy, probes).
    virtual model::TraceSink& begin(const std::string& strategy, const std::string& probes,
                                    std::int32_t trial) = 0;
    virtual void end() = 0;
};

}  // namespace rollsim::experiment
