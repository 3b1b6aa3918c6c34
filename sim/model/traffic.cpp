// Traffic and coverage: what clients and node agents feel during the rollout.
//
//  - a node serves while one of its processes serves (the real request path works); a process
//    stops serving on SIGTERM (docs/model.md, "Process model");
//  - hostPort mode: clients reach NODE:hostPort through an external load balancer whose health
//    check (interval, unhealthy / healthy thresholds, checked surface) decides rotation; with
//    `healthCheck: none` every tracked node is always in rotation. A process in a draining
//    preStop hook (workload.preStopDrains) fails the check while it still serves. Kubernetes
//    readiness does not route this traffic (it only paces the rollout);
//  - service mode: each pod is an endpoint, ready while the pod is Ready and not terminating
//    (endpointslice utils.go podToEndpoint), applied a watch plus a propagation delay after the
//    API change;
//  - coverage mode: a node is covered from when an agent's process works (its serve time)
//    until its container exits.
// Every measure is a piecewise-constant integral, advanced whenever a counter changes.

#include <algorithm>

#include "model/world.hpp"

namespace rollsim::model {

void World::traffic_reset() {
    meters_ = TrafficMeters{};
    const HealthCheckSpec& hc = v_->traffic.health_check;
    for (NodeId n = 0; n < nodes_.size(); ++n) {
        NodeRuntime& nr = nodes_[n];
        if (!nr.tracked) continue;
        ++meters_.tracked_nodes;
        ++meters_.uncovered;
        nr.in_rotation = true;
        // An external checker's schedule has an arbitrary phase relative to the change.
        kernel::Rng rng = sim_.rng(kernel::stream_key("health-check-phase"), n);
        nr.lb_anchor = SimTime::millis(-static_cast<std::int64_t>(
            rng.below(static_cast<std::uint64_t>(std::max<std::int64_t>(hc.interval.ms(), 1)))));
        backend_update(n);
    }
}

void World::traffic_start() {
    const SimTime now = sim_.now();
    for (NodeRuntime& n : nodes_) {
        if (!n.tracked) continue;
        if (!n.c_serving) {
            n.outage_since = now;
        }
        if (!n.c_covered) n.gap_since = now;
    }
    if (meters_.tracked_nodes > 0) {
        meters_.min_serving_fraction = static_cast<double>(meters_.serving_nodes) / meters_.tracked_nodes;
    }
    meters_.max_uncovered = meters_.uncovered;
}

void World::traffic_advance() { traffic_advance_to(sim_.now()); }

void World::traffic_advance_to(SimTime t) { meters_.advance_to(t, v_->traffic.mode != TrafficMode::Coverage); }

void TrafficMeters::advance_to(SimTime t, bool served) {
    const std::int64_t dt = (t - last_advance).ms();
    if (dt <= 0) return;
    error_ms += broken_backends * dt;
    outage_node_ms += (tracked_nodes - serving_nodes) * dt;
    if (served && tracked_nodes > 0 && good_backends == 0) total_outage_ms += dt;
    false_ready_ms += false_ready * dt;
    gap_node_ms += uncovered * dt;
    last_advance = t;
}

void World::pod_traffic_changed(PodId pod) {
    const Pod& p = cluster_.pod(pod);
    if (p.owner != 0) {
        // A test pod serves no public traffic; the operator watches whether it serves.
        if (op_.test_active) operator_poke();
        return;
    }
    traffic_advance();
    PodRuntime& r = rt(pod);
    NodeRuntime& n = nodes_[p.node];
    const bool serving = r.running && r.serving;
    const bool listening = r.running && r.listening;
    // An agent covers its node from when it works (its serve time, whatever a startup probe
    // says) until its container exits; it drains after SIGTERM.
    const bool covered = r.running && r.served;
    const bool draining = r.running && r.draining;
    // Ready in the API but not serving; a pod being deleted is no endpoint and paces nothing.
    const bool false_ready = p.ready && !serving && !p.terminating();
    bool node_dirty = false;
    if (serving != r.c_serving) {
        n.serving += serving ? 1 : -1;
        r.c_serving = serving;
        node_dirty = true;
    }
    if (listening != r.c_listening) {
        n.listening += listening ? 1 : -1;
        r.c_listening = listening;
        node_dirty = true;
    }
    if (covered != r.c_covered) {
        n.covered += covered ? 1 : -1;
        r.c_covered = covered;
        node_dirty = true;
    }
    if (draining != r.c_draining) {
        n.draining += draining ? 1 : -1;
        r.c_draining = draining;
        node_dirty = true;
    }
    if (false_ready != r.c_false_ready) {
        meters_.false_ready += false_ready ? 1 : -1;
        r.c_false_ready = false_ready;
    }
    if (v_->traffic.mode == TrafficMode::Service) {
        const bool good = r.endpoint_ready && serving;
        const bool broken = r.endpoint_ready && !serving;
        if (good != r.c_good) {
            meters_.good_backends += good ? 1 : -1;
            r.c_good = good;
        }
        if (broken != r.c_broken) {
            meters_.broken_backends += broken ? 1 : -1;
            r.c_broken = broken;
            trace(broken ? TraceKind::ErrorsStart : TraceKind::ErrorsEnd, p.node, pod);
        }
    }
    if (node_dirty) node_changed(p.node);
}

void World::node_changed(NodeId node) {
    NodeRuntime& n = nodes_[node];
    if (!n.tracked) return;
    const SimTime now = sim_.now();
    const bool serving = n.serving > 0;
    if (serving != n.c_serving) {
        n.c_serving = serving;
        meters_.serving_nodes += serving ? 1 : -1;
        if (setting_up_) {
            // The live pods being placed: nothing opens or closes.
        } else if (!serving) {
            n.outage_since = now;
            trace(TraceKind::OutageStart, node, kNoPod);
        } else if (n.outage_since) {
            const SimTime len = now - *n.outage_since;
            ++meters_.outage_windows;
            meters_.longest_outage = std::max(meters_.longest_outage, len);
            trace(TraceKind::OutageEnd, node, kNoPod, len.ms());
            n.outage_since.reset();
        }
        if (!setting_up_) {
            meters_.min_serving_fraction =
                std::min(meters_.min_serving_fraction, static_cast<double>(meters_.serving_nodes) / meters_.tracked_nodes);
        }
    }
    const bool covered = n.covered > 0;
    if (covered != n.c_covered) {
        n.c_covered = covered;
        meters_.uncovered += covered ? -1 : 1;
        if (setting_up_) {
            // as above
        } else if (!covered) {
            meters_.max_uncovered = std::max(meters_.max_uncovered, meters_.uncovered);
            n.gap_since = now;
        } else if (n.gap_since) {
            meters_.longest_gap = std::max(meters_.longest_gap, now - *n.gap_since);
            n.gap_since.reset();
        }
    }
    backend_update(node);
    lb_reschedule(node);
}

void World::backend_update(NodeId node) {
    if (v_->traffic.mode != TrafficMode::HostPort) return;
    NodeRuntime& n = nodes_[node];
    const bool good = n.tracked && n.in_rotation && n.serving > 0;
    const bool broken = n.tracked && n.in_rotation && n.serving == 0;
    if (good != n.c_good || broken != n.c_broken) traffic_advance();
    if (good != n.c_good) {
        meters_.good_backends += good ? 1 : -1;
        n.c_good = good;
    }
    if (broken != n.c_broken) {
        meters_.broken_backends += broken ? 1 : -1;
        n.c_broken = broken;
        trace(broken ? TraceKind::ErrorsStart : TraceKind::ErrorsEnd, node, kNoPod);
    }
}

bool World::lb_sees_up(const NodeRuntime& n, const HealthCheckSpec& hc) {
    // A draining process fails the check while it still serves.
    return (hc.surface == Surface::Serving ? n.serving : n.listening) - n.draining > 0;
}

void World::lb_reschedule(NodeId node) {
    const HealthCheckSpec& hc = v_->traffic.health_check;
    if (!hc.enabled || v_->traffic.mode != TrafficMode::HostPort) return;
    NodeRuntime& n = nodes_[node];
    const bool up = lb_sees_up(n, hc);
    const ProbeResult r = up ? ProbeResult::Success : ProbeResult::Failure;
    const ProbeResult published = n.in_rotation ? ProbeResult::Success : ProbeResult::Failure;
    if (!n.tracked || (r == published && r == n.lb_last)) {  // every check would change nothing
        sim_.cancel(node_timer(node));
        return;
    }
    const std::int64_t period = hc.interval.ms();
    const std::int64_t since = (sim_.now() - n.lb_anchor).ms();
    const SimTime next = n.lb_anchor + SimTime::millis((since / period + 1) * period);
    sim_.keep_or_arm(node_timer(node), next, kPhaseTraffic, static_cast<std::uint16_t>(Ev::LbCheck), node);
}

void World::lb_check(NodeId node) {
    const HealthCheckSpec& hc = v_->traffic.health_check;
    NodeRuntime& n = nodes_[node];
    const bool up = lb_sees_up(n, hc);
    const ProbeResult r = up ? ProbeResult::Success : ProbeResult::Failure;
    if (r == n.lb_last) {
        ++n.lb_run;
    } else {
        n.lb_last = r;
        n.lb_run = 1;
    }
    if (r == ProbeResult::Failure && n.in_rotation && n.lb_run >= hc.unhealthy_threshold) {
        n.in_rotation = false;
        trace(TraceKind::RotationOut, node, kNoPod);
        backend_update(node);
    } else if (r == ProbeResult::Success && !n.in_rotation && n.lb_run >= hc.healthy_threshold) {
        n.in_rotation = true;
        trace(TraceKind::RotationIn, node, kNoPod);
        backend_update(node);
    }
    lb_reschedule(node);
}

void World::endpoint_sync(PodId pod) {
    const Pod& p = cluster_.pod(pod);
    rt(pod).endpoint_ready = p.ready && !p.terminating();
    pod_traffic_changed(pod);
}

void World::traffic_finish(TrialOutcome& o) {
    // Integrate up to the end of the trial (the horizon may be past the last event).
    traffic_advance_to(o.end);
    // Windows still open at the end count, cut at the end.
    for (const NodeRuntime& n : nodes_) {
        if (n.outage_since) {
            ++meters_.outage_windows;
            meters_.longest_outage = std::max(meters_.longest_outage, o.end - *n.outage_since);
        }
        if (n.gap_since) meters_.longest_gap = std::max(meters_.longest_gap, o.end - *n.gap_since);
    }
    meters_.finish(o);
}

void TrafficMeters::finish(TrialOutcome& o) const {
    o.error_seconds = static_cast<double>(error_ms) / 1000.0;
    o.outage_node_seconds = static_cast<double>(outage_node_ms) / 1000.0;
    o.total_outage_seconds = static_cast<double>(total_outage_ms) / 1000.0;
    o.false_ready_seconds = static_cast<double>(false_ready_ms) / 1000.0;
    o.min_serving_fraction = tracked_nodes > 0 ? min_serving_fraction : 1.0;
    o.gap_node_seconds = static_cast<double>(gap_node_ms) / 1000.0;
    o.max_concurrent_uncovered = max_uncovered;
    o.longest_gap_seconds = longest_gap.to_seconds();
    o.outage_windows = outage_windows;
    o.longest_outage_seconds = longest_outage.to_seconds();
}

}  // namespace rollsim::model
