// Rollbacks during the rollout: `kubectl rollout undo` at a time, or the automated rollback a
// pipeline does when a condition holds (docs/scenario.md, "Rollback"). The pipeline polls its
// metrics every 10 s (kRollbackPoll) and stops once the rollout is complete or rolled back. When
// nothing else is left to happen, the metric can only move by its integral, so the time its
// threshold is crossed is computed instead of polled for.

#include <cmath>

#include "model/controller_loop.hpp"
#include "model/operator.hpp"
#include "model/traffic.hpp"

namespace rollsim::model {

void Operator::rollback_due(std::uint32_t index) {
    const RollbackAction& a = (*t_.v->rollbacks)[index];
    if (a.not_complete_after && controller_.completed_at()) return;  // it completed in time
    if ((a.error_seconds_over || a.unavailable_nodes_over) && !rollback_condition(index)) return;
    roll_back(index);
}

void Operator::rollback_watch(std::uint32_t index) {
    if (rolled_back_at_ || controller_.completed_at()) return;  // the pipeline stops watching
    if (rollback_condition(index)) {
        roll_back(index);
        return;
    }
    if (t_.sim.pending() > 0) {
        t_.at(t_.now() + kRollbackPoll, kPhaseOperator, Ev::OpRollbackWatch, index);
        return;
    }
    const RollbackAction& a = (*t_.v->rollbacks)[index];
    if (a.error_seconds_over && traffic_.broken_backends() > 0) {
        const double left_ms = (*a.error_seconds_over - traffic_.error_seconds()) * 1000.0 / traffic_.broken_backends();
        const auto ms = static_cast<std::int64_t>(std::ceil(left_ms)) + 1;
        t_.at(t_.now() + SimTime::millis(std::max<std::int64_t>(ms, 1)), kPhaseOperator, Ev::OpRollback, index);
    } else if (a.unavailable_nodes_over && unavailable_since_[index]) {
        t_.at(std::max(t_.now(), *unavailable_since_[index] + a.for_), kPhaseOperator, Ev::OpRollback, index);
    }
}

bool Operator::rollback_condition(std::uint32_t index) {
    const RollbackAction& a = (*t_.v->rollbacks)[index];
    if (a.error_seconds_over) return traffic_.error_seconds() > *a.error_seconds_over;
    if (a.unavailable_nodes_over) {
        auto& since = unavailable_since_[index];
        if (t_.cluster.daemonset().status.number_unavailable <= *a.unavailable_nodes_over) {
            since.reset();
            return false;
        }
        if (!since) since = t_.now();
        return t_.now() - *since >= a.for_;
    }
    return true;
}

void Operator::roll_back(std::uint32_t index) {
    // Before the public DaemonSet has the new template there is nothing to undo; once rolled
    // back, the operator's own plan stops.
    if (rolled_back_at_ || !controller_.promoted_at()) return;
    rolled_back_at_ = t_.now();
    rolled_back_by_ = index;
    s_.done = true;
    controller_.roll_back();
    traffic_.rolled_back();
}

}  // namespace rollsim::model
