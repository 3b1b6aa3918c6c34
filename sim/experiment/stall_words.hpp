#pragma once
/// @file stall_words.hpp
/// A stalled trial's reason in words: a key without node names (trials are counted by it) and
/// the same reason naming the node.

#include <string>

#include "model/trial_outcome.hpp"
#include "model/variant_model.hpp"

namespace rollsim::experiment {

struct StallWords {
    std::string key;     ///< "new pod Pending: hostPort TCP/0.0.0.0:80 held by the old pod"
    std::string reason;  ///< "new pod Pending on node-7: hostPort TCP/0.0.0.0:80 held by the old pod"
};

/// Why the stalled trial `o` of `v` is stuck. Precondition: o.stalled.
StallWords stall_words(const model::TrialOutcome& o, const model::VariantModel& v);

}  // namespace rollsim::experiment
