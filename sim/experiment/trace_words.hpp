#pragma once
/// @file trace_words.hpp
/// A trace record's words. The model traces typed records; those whose text is rollsim's own
/// (a node's changes) get it here. Other records carry the Kubernetes component's own message
/// (the scheduler's, the kubelet's), which is their text.

#include <string>

#include "model/trace.hpp"

namespace rollsim::experiment {

/// "Unreachable", "end of Drain", "DiskPressure cleared", "node lifecycle controller: ...".
std::string record_text(const model::TraceRecord& r);

}  // namespace rollsim::experiment
