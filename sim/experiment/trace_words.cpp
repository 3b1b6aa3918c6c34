#include "experiment/trace_words.hpp"

#include <fmt/format.h>

#include "model/eviction.hpp"
#include "rollsim/scenario.hpp"

namespace rollsim::experiment {

std::string record_text(const model::TraceRecord& r) {
    if (r.kind != model::TraceKind::NodeChanged) return std::string(r.text);
    using model::NodeChange;
    const auto kind = static_cast<ClusterEvent::Kind>(r.b);
    switch (static_cast<NodeChange>(r.a)) {
        case NodeChange::EventStart: return to_string(kind);
        case NodeChange::EventEnd: return fmt::format("end of {}", to_string(kind));
        case NodeChange::PressureCleared: return fmt::format("{} cleared", model::pressure_name(static_cast<std::uint8_t>(r.b)));
        case NodeChange::NodeLifecycle:
            return fmt::format("node lifecycle controller: Ready={}, taints {}:NoSchedule and NoExecute, pods marked NotReady",
                               r.b == 1 ? "Unknown" : "False",
                               r.b == 1 ? "node.kubernetes.io/unreachable" : "node.kubernetes.io/not-ready");
    }
    return std::string(r.text);
}

}  // namespace rollsim::experiment
