#pragma once
/// @file scheduler.hpp
/// The default scheduler's part in a DaemonSet rollout (scheduler.cpp).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/trial.hpp"

namespace rollsim::model {

class ApiServer;
class NodeLifecycle;

class Scheduler {
public:
    Scheduler(Trial& t, ApiServer& api, NodeLifecycle& lifecycle) : t_(t), api_(api), lifecycle_(lifecycle) {}

    void reset() { preemptions_ = 0; }
    /// SchedAttempt, SchedBind, SchedObservePodGone.
    void handle(const kernel::Event& e);
    std::int32_t preemptions() const { return preemptions_; }
    /// A new pod reached the scheduler (its watch event): its first attempt.
    void first_attempt(PodId pod) { attempt(pod); }
    /// A pod on `node` is gone (its watch event): the pending pods there try again.
    void retry_pending_on(NodeId node);

private:
    void attempt(PodId pod);
    /// NodePorts and NodeResourcesFit for `pod` on its node. With a `preemptor` priority,
    /// running other pods of lower priority are left out unless reprieved (preemption's
    /// what-if).
    Unschedulable fit(PodId pod, std::optional<std::int32_t> preemptor);
    void preempt(PodId pod);
    void bind(PodId pod);

    Trial& t_;
    ApiServer& api_;
    NodeLifecycle& lifecycle_;
    std::vector<bool> victim_kept_;  ///< preemption scratch: candidates reprieved
    std::int32_t preemptions_ = 0;
};

/// The scheduler's message for a pod's last failed fit ("Insufficient cpu", "hostPort
/// TCP/0.0.0.0:80 held by the old pod", ...).
std::string unschedulable_message(const Trial& t, PodId pod);

}  // namespace rollsim::model
