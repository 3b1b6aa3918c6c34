#include "model/probe_worker.hpp"

namespace rollsim::model {

const char* to_string(ProbeResult r) {
    switch (r) {
        case ProbeResult::Unknown: return "Unknown";
        case ProbeResult::Success: return "Success";
        case ProbeResult::Failure: return "Failure";
    }
    return "?";
}

void ProbeWorker::reset_for_new_container(ProbeKind kind) {
    switch (kind) {
        case ProbeKind::Readiness: published = ProbeResult::Failure; break;
        case ProbeKind::Liveness: published = ProbeResult::Success; break;
        case ProbeKind::Startup: published = ProbeResult::Unknown; break;
    }
    // worker.go keeps lastResult/resultRun across containers; only a published liveness or
    // startup failure zeroes the run. A new container ID lifts the hold.
    on_hold = false;
}

SimTime ProbeWorker::tick_at_or_after(SimTime t, SimTime period) const {
    // The run at the anchor itself is the worker's first doProbe (before any container exists)
    // or a manual trigger, which has already happened: ticks that can count are anchor + k *
    // period with k >= 1.
    if (t <= anchor + period) return anchor + period;
    const std::int64_t p = period.ms();
    const std::int64_t k = (t - anchor).ms() / p;
    SimTime tick = anchor + SimTime::millis(k * p);
    if (tick < t) tick += period;
    return tick;
}

std::optional<ProbeResult> ProbeWorker::record(ProbeKind kind, ProbeResult r, const ProbeParams& p) {
    if (r == last) {
        ++run;
    } else {
        last = r;
        run = 1;
    }
    if ((r == ProbeResult::Failure && run < p.failure_threshold) ||
        (r == ProbeResult::Success && run < p.success_threshold)) {
        return std::nullopt;  // below threshold: the published state is unchanged
    }
    const bool changed = published != r;
    published = r;
    if ((kind == ProbeKind::Liveness || kind == ProbeKind::Startup) && r == ProbeResult::Failure) {
        on_hold = true;  // the container will be restarted; wait for the new one
        run = 0;
    }
    return changed ? std::optional<ProbeResult>{r} : std::nullopt;
}

}  // namespace rollsim::model
