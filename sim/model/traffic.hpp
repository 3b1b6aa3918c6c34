#pragma once
/// @file traffic.hpp
/// What clients and node agents feel during a rollout (traffic.cpp): serving state, the
/// external load balancer's health checks, endpoints, and the measures.

#include <cstdint>
#include <optional>

#include "model/trial.hpp"
#include "model/trial_outcome.hpp"

namespace rollsim::model {

class Operator;

/// The traffic and coverage measures of one trial: piecewise-constant integrals over the
/// counters, advanced whenever one changes, and the windows' extremes. One value, so a trial's
/// reset is `meters_ = TrafficMeters{}`.
struct TrafficMeters {
    SimTime last_advance;
    std::int64_t error_ms = 0;  ///< milliseconds of node-time, like the four below
    std::int64_t outage_node_ms = 0;
    std::int64_t total_outage_ms = 0;
    std::int64_t false_ready_ms = 0;
    std::int64_t gap_node_ms = 0;
    std::int32_t tracked_nodes = 0;
    std::int32_t serving_nodes = 0;
    std::int32_t good_backends = 0;    ///< in rotation and serving
    std::int32_t broken_backends = 0;  ///< in rotation and not serving
    std::int32_t false_ready = 0;      ///< pods Ready in the API but not serving
    std::int32_t uncovered = 0;
    std::int32_t max_uncovered = 0;
    double min_serving_fraction = 1.0;
    std::int32_t outage_windows = 0;
    SimTime longest_outage;
    SimTime longest_gap;

    /// Integrates every measure up to `t`; the service is out altogether while no backend is
    /// good (not in coverage mode, where nothing is served).
    void advance_to(SimTime t, bool served);
    /// The measures into `o` (its end already set).
    void finish(TrialOutcome& o) const;
};

class Traffic {
public:
    Traffic(Trial& t, Operator& op) : t_(t), op_(op) {}

    /// A new trial, before the live pods are placed.
    void reset();
    /// After set-up: opens the windows of nodes that start uncovered.
    void start();
    /// LbCheck, EndpointSync, DetachedEndpointGone.
    void handle(const kernel::Event& e);
    /// Integrates the measures up to now.
    void advance();
    /// What `pod` adds to its node's and the world's counters may have changed.
    void pod_changed(PodId pod);
    /// A node's counters changed: its windows, its backend, its health checks.
    void node_changed(NodeId node);
    /// A force-deleted pod's process takes over the pod's share of the counters.
    void adopt(DetachedContainer& d, const PodRuntime& r);
    /// ... it got SIGTERM: it no longer serves.
    void detached_stopped(DetachedContainer& d);
    /// ... it exited.
    void detached_exited(DetachedContainer& d);
    /// Integrates up to the trial's end and writes the measures.
    void finish(TrialOutcome& o);

    /// Client errors so far (node-seconds), and the backends making more now.
    double error_seconds() {
        advance();
        return static_cast<double>(meters_.error_ms) / 1000.0;
    }
    std::int32_t broken_backends() const { return meters_.broken_backends; }
    /// The rollout was rolled back now: recovery is measured from here until every tracked
    /// node serves again.
    void rolled_back();

private:
    void advance_to(SimTime t);
    void backend_update(NodeId node);
    void lb_reschedule(NodeId node);
    /// Counts the checks of `n` before `before` that were not events.
    void lb_count_checks(NodeRuntime& n, SimTime before) const;
    void lb_check(NodeId node);
    static bool lb_sees_up(const NodeRuntime& n, const HealthCheckSpec& hc);
    void endpoint_sync(PodId pod);
    void detached_endpoint_gone(std::uint32_t index);

    Trial& t_;
    Operator& op_;
    TrafficMeters meters_;
    std::optional<SimTime> rolled_back_at_;
    std::optional<SimTime> recovered_at_;
};

}  // namespace rollsim::model
