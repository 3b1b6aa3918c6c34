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

#include "model/operator.hpp"
#include "model/traffic.hpp"

namespace rollsim::model {

void Traffic::reset() {
    meters_ = TrafficMeters{};
    rolled_back_at_.reset();
    recovered_at_.reset();
    const HealthCheckSpec& hc = t_.v->traffic.health_check;
    for (NodeId n = 0; n < t_.nodes.size(); ++n) {
        NodeRuntime& nr = t_.nodes[n];
        if (!nr.tracked) continue;
        ++meters_.tracked_nodes;
        ++meters_.uncovered;
        nr.in_rotation = true;
        // An external checker's schedule has an arbitrary phase relative to the change.
        kernel::Rng rng = t_.rng(kernel::stream_key("health-check-phase"), n);
        nr.lb_anchor = SimTime::millis(-static_cast<std::int64_t>(
            rng.below(static_cast<std::uint64_t>(std::max<std::int64_t>(hc.interval.ms(), 1)))));
        backend_update(n);
    }
}

void Traffic::start() {
    const SimTime now = t_.now();
    for (NodeRuntime& n : t_.nodes) {
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

void Traffic::handle(const kernel::Event& e) {
    switch (static_cast<Ev>(e.kind)) {
        case Ev::LbCheck:
            lb_check(e.target);
            break;
        case Ev::EndpointSync:
            if (t_.pod_ok(e)) endpoint_sync(e.target);
            break;
        case Ev::DetachedEndpointGone:
            detached_endpoint_gone(e.target);
            break;
        default:
            ROLLSIM_ASSERT(false);  // World::handle sends traffic only its kinds
            break;
    }
}

void Traffic::advance() { advance_to(t_.now()); }

void Traffic::advance_to(SimTime t) { meters_.advance_to(t, t_.v->traffic.mode != TrafficMode::Coverage); }

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

void Traffic::pod_changed(PodId pod) {
    const Pod& p = t_.cluster.pod(pod);
    if (p.owner != 0) {
        // A test pod serves no public traffic; the operator watches whether it serves.
        if (op_.test_active()) op_.poke();
        return;
    }
    advance();
    PodRuntime& r = t_.rt(pod);
    NodeRuntime& n = t_.nodes[p.node];
    const bool serving = r.main.running && r.main.serving;
    const bool listening = r.main.running && r.main.listening;
    // An agent covers its node from when it works (its serve time, whatever a startup probe
    // says) until its container exits; it drains after SIGTERM.
    const bool covered = r.main.running && r.main.served;
    const bool draining = r.main.running && r.main.draining;
    // Ready in the API but not serving; a pod being deleted is no endpoint and paces nothing.
    const bool false_ready = p.ready && !serving && !p.terminating();
    bool node_dirty = false;
    if (serving != r.share.serving) {
        n.serving += serving ? 1 : -1;
        r.share.serving = serving;
        node_dirty = true;
    }
    if (listening != r.share.listening) {
        n.listening += listening ? 1 : -1;
        r.share.listening = listening;
        node_dirty = true;
    }
    if (covered != r.share.covered) {
        n.covered += covered ? 1 : -1;
        r.share.covered = covered;
        node_dirty = true;
    }
    if (draining != r.share.draining) {
        n.draining += draining ? 1 : -1;
        r.share.draining = draining;
        node_dirty = true;
    }
    if (false_ready != r.share.false_ready) {
        meters_.false_ready += false_ready ? 1 : -1;
        r.share.false_ready = false_ready;
    }
    if (t_.v->traffic.mode == TrafficMode::Service) {
        const bool good = r.share.endpoint_ready && serving;
        const bool broken = r.share.endpoint_ready && !serving;
        if (good != r.share.good) {
            meters_.good_backends += good ? 1 : -1;
            r.share.good = good;
        }
        if (broken != r.share.broken) {
            meters_.broken_backends += broken ? 1 : -1;
            r.share.broken = broken;
            t_.trace(broken ? TraceKind::ErrorsStart : TraceKind::ErrorsEnd, p.node, pod);
        }
    }
    if (node_dirty) node_changed(p.node);
}

void Traffic::node_changed(NodeId node) {
    NodeRuntime& n = t_.nodes[node];
    if (!n.tracked) return;
    const SimTime now = t_.now();
    const bool serving = n.serving > 0;
    if (serving != n.c_serving) {
        n.c_serving = serving;
        meters_.serving_nodes += serving ? 1 : -1;
        if (t_.setting_up) {
            // The live pods being placed: nothing opens or closes.
        } else if (!serving) {
            n.outage_since = now;
            t_.trace(TraceKind::OutageStart, node, kNoPod);
        } else if (n.outage_since) {
            const SimTime len = now - *n.outage_since;
            ++meters_.outage_windows;
            meters_.longest_outage = std::max(meters_.longest_outage, len);
            t_.trace(TraceKind::OutageEnd, node, kNoPod, len.ms());
            n.outage_since.reset();
        }
        if (serving && rolled_back_at_ && !recovered_at_ && meters_.serving_nodes == meters_.tracked_nodes) {
            recovered_at_ = now;
        }
        if (!t_.setting_up) {
            meters_.min_serving_fraction =
                std::min(meters_.min_serving_fraction, static_cast<double>(meters_.serving_nodes) / meters_.tracked_nodes);
        }
    }
    const bool covered = n.covered > 0;
    if (covered != n.c_covered) {
        n.c_covered = covered;
        meters_.uncovered += covered ? -1 : 1;
        if (t_.setting_up) {
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

void Traffic::backend_update(NodeId node) {
    if (t_.v->traffic.mode != TrafficMode::HostPort) return;
    NodeRuntime& n = t_.nodes[node];
    const bool good = n.tracked && n.in_rotation && n.serving > 0;
    const bool broken = n.tracked && n.in_rotation && n.serving == 0;
    if (good != n.c_good || broken != n.c_broken) advance();
    if (good != n.c_good) {
        meters_.good_backends += good ? 1 : -1;
        n.c_good = good;
    }
    if (broken != n.c_broken) {
        meters_.broken_backends += broken ? 1 : -1;
        n.c_broken = broken;
        t_.trace(broken ? TraceKind::ErrorsStart : TraceKind::ErrorsEnd, node, kNoPod);
    }
}

bool Traffic::lb_sees_up(const NodeRuntime& n, const HealthCheckSpec& hc) {
    // A draining process fails the check while it still serves.
    return (hc.surface == Surface::Serving ? n.serving : n.listening) - n.draining > 0;
}

// The checker's schedule is arithmetic: between two changes of a node what a check sees is
// constant, so the checks in between only count up a run. Only the check that moves the node in
// or out of rotation (or the one that first sees a change that moves nothing) is an event; the
// others are counted when the node next changes or that check arrives. A change at the time of
// a scheduled check comes first (traffic is the last phase), and the next check is the first
// one after it.

void Traffic::lb_count_checks(NodeRuntime& n, SimTime before) const {
    if (!n.lb_counting) return;
    const std::int64_t period = t_.v->traffic.health_check.interval.ms();
    // The checks at lb_anchor + k * period strictly between lb_counted and `before`.
    const std::int64_t first = (n.lb_counted - n.lb_anchor).ms() / period + 1;
    const std::int64_t last = ((before - n.lb_anchor).ms() - 1) / period;
    if (last < first) return;
    const auto checks = static_cast<std::int32_t>(last - first + 1);
    const ProbeResult r = n.lb_up ? ProbeResult::Success : ProbeResult::Failure;
    if (r == n.lb_last) {
        n.lb_run += checks;
    } else {
        n.lb_last = r;
        n.lb_run = checks;
    }
}

void Traffic::lb_reschedule(NodeId node) {
    const HealthCheckSpec& hc = t_.v->traffic.health_check;
    if (!hc.enabled || t_.v->traffic.mode != TrafficMode::HostPort) return;
    NodeRuntime& n = t_.nodes[node];
    lb_count_checks(n, t_.now());
    n.lb_counted = t_.now();
    n.lb_up = lb_sees_up(n, hc);
    const ProbeResult r = n.lb_up ? ProbeResult::Success : ProbeResult::Failure;
    const ProbeResult published = n.in_rotation ? ProbeResult::Success : ProbeResult::Failure;
    n.lb_counting = n.tracked && !(r == published && r == n.lb_last);
    if (!n.lb_counting) {  // every check would change nothing
        t_.sim.cancel(t_.node_timer(node));
        return;
    }
    // The first check after now; the one that moves the node is `need - 1` checks later.
    const std::int64_t period = hc.interval.ms();
    const std::int64_t since = (t_.now() - n.lb_anchor).ms();
    std::int32_t need = 1;  // a check that sees what is published only updates lb_last
    if (r != published) {
        const std::int32_t threshold = r == ProbeResult::Failure ? hc.unhealthy_threshold : hc.healthy_threshold;
        need = std::max(1, r == n.lb_last ? threshold - n.lb_run : threshold);
    }
    const SimTime next = n.lb_anchor + SimTime::millis((since / period + need) * period);
    t_.sim.keep_or_arm(t_.node_timer(node), next, kPhaseTraffic, static_cast<std::uint16_t>(Ev::LbCheck), node);
}

void Traffic::lb_check(NodeId node) {
    const HealthCheckSpec& hc = t_.v->traffic.health_check;
    NodeRuntime& n = t_.nodes[node];
    lb_count_checks(n, t_.now());
    const ProbeResult r = n.lb_up ? ProbeResult::Success : ProbeResult::Failure;
    if (r == n.lb_last) {
        ++n.lb_run;
    } else {
        n.lb_last = r;
        n.lb_run = 1;
    }
    n.lb_counted = t_.now();
    if (r == ProbeResult::Failure && n.in_rotation && n.lb_run >= hc.unhealthy_threshold) {
        n.in_rotation = false;
        t_.trace(TraceKind::RotationOut, node, kNoPod);
        backend_update(node);
    } else if (r == ProbeResult::Success && !n.in_rotation && n.lb_run >= hc.healthy_threshold) {
        n.in_rotation = true;
        t_.trace(TraceKind::RotationIn, node, kNoPod);
        backend_update(node);
    }
    lb_reschedule(node);
}

void Traffic::endpoint_sync(PodId pod) {
    const Pod& p = t_.cluster.pod(pod);
    t_.rt(pod).share.endpoint_ready = p.ready && !p.terminating();
    pod_changed(pod);
}

// ---------------------------------------------------------------------------------------------
// The processes of force-deleted pods (kubelet.cpp, detach_container)

void Traffic::adopt(DetachedContainer& d, const PodRuntime& r) {
    d.serving = r.share.serving;
    d.listening = r.share.listening;
    d.covered = r.share.covered;
    d.draining = r.share.draining;
    d.endpoint = r.share.good || r.share.broken;
    d.good = r.share.good;
    NodeRuntime& n = t_.nodes[d.node];
    n.serving += d.serving ? 1 : 0;
    n.listening += d.listening ? 1 : 0;
    n.covered += d.covered ? 1 : 0;
    n.draining += d.draining ? 1 : 0;
    if (d.endpoint) (d.good ? meters_.good_backends : meters_.broken_backends) += 1;
}

namespace {
/// The detached process no longer serves, listens or drains on its node.
void stop_serving(NodeRuntime& n, DetachedContainer& d) {
    n.serving -= d.serving ? 1 : 0;
    n.listening -= d.listening ? 1 : 0;
    n.draining -= d.draining ? 1 : 0;
    d.serving = d.listening = d.draining = false;
}
}  // namespace

void Traffic::detached_stopped(DetachedContainer& d) {
    advance();
    stop_serving(t_.nodes[d.node], d);
    if (d.endpoint && d.good) {
        --meters_.good_backends;
        ++meters_.broken_backends;
        d.good = false;
        t_.trace(TraceKind::ErrorsStart, d.node, kNoPod);
    }
}

void Traffic::detached_exited(DetachedContainer& d) {
    advance();
    NodeRuntime& n = t_.nodes[d.node];
    stop_serving(n, d);
    n.covered -= d.covered ? 1 : 0;
    d.covered = false;
}

void Traffic::detached_endpoint_gone(std::uint32_t index) {
    DetachedContainer& d = t_.detached[index];
    if (!d.endpoint) return;
    advance();
    d.endpoint = false;
    if (d.good) {
        --meters_.good_backends;
    } else {
        --meters_.broken_backends;
        t_.trace(TraceKind::ErrorsEnd, d.node, kNoPod);
    }
}

void Traffic::rolled_back() {
    rolled_back_at_ = t_.now();
    if (meters_.serving_nodes == meters_.tracked_nodes) recovered_at_ = t_.now();
}

void Traffic::finish(TrialOutcome& o) {
    o.rolled_back = rolled_back_at_.has_value();
    if (rolled_back_at_ && recovered_at_) o.recovery_seconds = (*recovered_at_ - *rolled_back_at_).to_seconds();
    // Integrate up to the end of the trial (the horizon may be past the last event).
    advance_to(o.end);
    // Windows still open at the end count, cut at the end.
    for (const NodeRuntime& n : t_.nodes) {
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
