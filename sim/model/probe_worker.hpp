#pragma once
/// @file probe_worker.hpp
/// One kubelet probe worker (pkg/kubelet/prober/worker.go), as arithmetic instead of ticks.
///
/// Upstream, a worker goroutine runs doProbe at start, on every tick of a ticker with period
/// periodSeconds, and on manual triggers (readiness only; since v1.31 a trigger also resets the
/// ticker). A result is published after successThreshold consecutive successes or
/// failureThreshold consecutive failures. The simulation does not tick: between changes of the
/// checked surface every tick gives the same result, so only the ticks where `last` or
/// `published` would change are ever scheduled (ProbeWorker::wants_tick).

#include <cstdint>
#include <optional>

#include "model/revision.hpp"

namespace rollsim::model {

enum class ProbeResult : std::uint8_t { Unknown, Success, Failure };
const char* to_string(ProbeResult r);

struct ProbeWorker {
    SimTime anchor;  ///< ticks fall at anchor + k * period (worker start, or last manual trigger)
    ProbeResult published = ProbeResult::Unknown;
    ProbeResult last = ProbeResult::Unknown;
    std::int32_t run = 0;
    bool on_hold = false;   ///< after a published liveness/startup failure, until a new container
    bool stopped = false;   ///< liveness and startup stop when the pod is being deleted
    std::optional<SimTime> last_attempt;  ///< when doProbe last ran (a tick or a trigger)

    /// The cached result a new container starts from (worker.go newWorker initialValue):
    /// readiness Failure, liveness Success, startup Unknown.
    void reset_for_new_container(ProbeKind kind);

    /// The first tick at or after `t`, one period after the anchor at the earliest.
    SimTime tick_at_or_after(SimTime t, SimTime period) const;

    /// Whether a probe whose check currently passes (`up`) would change anything.
    bool wants_tick(bool up) const {
        const ProbeResult r = up ? ProbeResult::Success : ProbeResult::Failure;
        return r != published || r != last;
    }

    /// Records one probe result (doProbe's threshold logic). Returns the result if it was
    /// published and differs from the previous published result.
    std::optional<ProbeResult> record(ProbeKind kind, ProbeResult r, const ProbeParams& p);
};

}  // namespace rollsim::model
