#pragma once
/// @file termination_fix.hpp
/// How a host-port or Service-backed daemon should stop so that no client is still sent to it:
/// the preStop hook and the grace period review and recommend propose, sized from the scenario,
/// and weighed by simulating the same change with the fix already live (docs/recommend.md,
/// "The termination fix").

#include <optional>

#include "rollsim/report.hpp"
#include "rollsim/run.hpp"
#include "rollsim/scenario.hpp"

namespace rollsim::experiment {

/// The fix the proposed DaemonSet's modelled container needs, without its evidence; nothing
/// when it needs none or cannot have one:
///  - hostPort traffic behind a health check: the node leaves rotation only when the check
///    fails, and the process serves until SIGTERM, so the hook must drain (fail the check while
///    it still serves) for longer than the detection (interval x unhealthyThreshold). Only the
///    user knows the daemon's drain endpoint: never written;
///  - service traffic: the endpoint goes a watch plus endpointPropagation after the deletion,
///    the kubelet starts the hook a watch after it: a sleep longer than the propagation;
///  - terminationGracePeriodSeconds 0 (a force deletion, as the user intends): none.
std::optional<TerminationFix> termination_fix(const ScenarioSpec& s);

/// `s` with the fix live in both revisions: what the same change would do once it has shipped.
ScenarioSpec with_fix_live(const ScenarioSpec& s, const TerminationFix& fix);

/// The fix with its evidence for plan `v` of `s` (one more run of that plan alone, the same
/// seeds), or nothing when the plan has no errors to remove or the fix does not remove them.
std::optional<TerminationFix> weigh_termination_fix(const ScenarioSpec& s, const VariantReport& v,
                                                    const RunOptions& options);

}  // namespace rollsim::experiment
