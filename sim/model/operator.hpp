#pragma once
/// @file operator.hpp
/// The operator (operator.cpp): a person or a script who drives the rollout through the API in
/// batches, a canary, or a test DaemonSet before the public change.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/stall.hpp"
#include "model/trial.hpp"

namespace rollsim::model {

class ApiServer;
class ControllerLoop;
class NodeLifecycle;
class Traffic;

/// How often a pipeline's rollback condition looks at its metrics.
inline constexpr SimTime kRollbackPoll = SimTime::seconds(10);

class Operator {
public:
    Operator(Trial& t, ApiServer& api, ControllerLoop& controller, NodeLifecycle& lifecycle, Traffic& traffic)
        : t_(t), api_(api), controller_(controller), lifecycle_(lifecycle), traffic_(traffic) {}

    /// A new trial; the batch keeps its memory. Schedules the scenario's rollbacks.
    void reset();
    /// OpCheck, OpSoakDone, OpTimeout, OpVerify, OpRollback, OpRollbackWatch.
    void handle(const kernel::Event& e);
    /// TestThenPromote: the test DaemonSet is created.
    void test_start();
    /// Something the operator watches changed: it looks at its next step.
    void poke();

    bool test_active() const { return s_.test_active; }
    /// Why the operator stopped (BatchTimeout or TestCaught), if it did.
    const std::optional<Stall>& failure() const { return s_.failure; }
    std::optional<SimTime> test_ended_at() const { return s_.test_ended_at; }
    std::optional<SimTime> rolled_back_at() const { return rolled_back_at_; }
    std::uint32_t rolled_back_by() const { return rolled_back_by_; }  ///< the action, when rolled back

private:
    void check();
    void next_batch();
    bool batch_ready() const;
    void timeout();
    void test_check();
    void test_verify();
    bool test_all_serving() const;
    void test_remove();  ///< deletes the test DaemonSet: its pods go
    // Rollbacks (rollback.cpp)
    void rollback_due(std::uint32_t index);
    void rollback_watch(std::uint32_t index);
    bool rollback_condition(std::uint32_t index);
    void roll_back(std::uint32_t index);

    /// What the operator has done so far in a trial.
    struct State {
        bool queued = false;   ///< a check is scheduled
        bool soaking = false;
        bool done = false;
        bool patched = false;  ///< Canary: the rolling strategy is in
        std::optional<Stall> failure;
        std::vector<NodeId> batch;
        std::size_t next = 0;  ///< Batches: the next node to consider, in cluster order
        bool test_active = false;  ///< TestThenPromote: the test DaemonSet exists
        std::optional<SimTime> test_ended_at;
    };

    Trial& t_;
    ApiServer& api_;
    ControllerLoop& controller_;
    NodeLifecycle& lifecycle_;
    Traffic& traffic_;
    State s_;
    std::optional<SimTime> rolled_back_at_;
    std::uint32_t rolled_back_by_ = 0;
    std::vector<std::optional<SimTime>> unavailable_since_;  ///< per rollback: its condition holds since
};

}  // namespace rollsim::model
