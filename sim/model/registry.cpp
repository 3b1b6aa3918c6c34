// Shared bottlenecks: what makes a large maxUnavailable slower than it looks.
//
//  - the image registry: every pull under way shares its bandwidth equally, each capped by
//    what one node can take (`nodeBandwidth`); a node still pulls one image at a time
//    (SerializeImagePulls, docs/model.md), so a second pod's pull on that node waits.
//    Transfers are fluid: when a pull starts or ends, every other one's rate changes, and only
//    the next completion is scheduled;
//  - the configuration backend: after its own init (`serve`), each container start asks the
//    backend for its configuration; `concurrency` requests are served at once (FIFO), each for
//    `configBackend.time`; the process serves when its request is done. A container that
//    stops gives its place up.

#include <algorithm>
#include <cmath>

#include "kernel/distribution.hpp"
#include "model/world.hpp"

namespace rollsim::model {

using kernel::sample_duration;
using kernel::stream_key;

namespace {
double share(const RegistrySpec& reg, std::size_t pulls) {
    double rate = static_cast<double>(reg.bandwidth) / static_cast<double>(std::max<std::size_t>(pulls, 1));
    if (reg.node_bandwidth > 0) rate = std::min(rate, static_cast<double>(reg.node_bandwidth));
    return rate;  // bytes per second
}
}  // namespace

void World::registry_pull(PodId pod) {
    const Pod& p = cluster_.pod(pod);
    NodeRuntime& nr = nodes_[p.node];
    rt(pod).stage = Stage::Pulling;
    if (nr.pulling) {
        nr.pull_waiting.push_back(pod);
        return;
    }
    registry_advance();
    nr.pulling = true;
    backends_.transfers.push_back(Transfer{pod, p.uid, p.node, static_cast<double>(revision_of(p).behaviour->image_size)});
    trace(TraceKind::ImagePull, p.node, pod, 0, (sim_.now() - rt(pod).pull_asked).ms());
    registry_rebalance();
}

void World::registry_advance() {
    const SimTime now = sim_.now();
    if (!backends_.transfers.empty() && now > backends_.registry_last) {
        const double moved = share(v_->registry, backends_.transfers.size()) * (now - backends_.registry_last).to_seconds();
        for (Transfer& t : backends_.transfers) t.remaining -= moved;
    }
    backends_.registry_last = now;
}

void World::registry_rebalance() {
    sim_.cancel(kTimerRegistry);
    if (backends_.transfers.empty()) return;
    double least = backends_.transfers.front().remaining;
    for (const Transfer& t : backends_.transfers) least = std::min(least, t.remaining);
    const double seconds = std::max(least, 0.0) / share(v_->registry, backends_.transfers.size());
    const auto ms = std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(seconds * 1000.0)));
    sim_.arm(kTimerRegistry, sim_.now() + SimTime::millis(ms), kPhaseKubelet,
             static_cast<std::uint16_t>(Ev::RegistryProgress), 0);
}

void World::registry_progress() {
    registry_advance();
    // Rounding to whole milliseconds leaves at most a millisecond's worth of bytes.
    const double slack = share(v_->registry, backends_.transfers.size()) / 1000.0 + 1.0;
    std::vector<Transfer> finished;
    for (std::size_t i = 0; i < backends_.transfers.size();) {
        if (backends_.transfers[i].remaining <= slack) {
            finished.push_back(backends_.transfers[i]);
            backends_.transfers[i] = backends_.transfers.back();
            backends_.transfers.pop_back();
        } else {
            ++i;
        }
    }
    // Finish in a stable order (pod id), whatever order the swaps left.
    std::sort(finished.begin(), finished.end(), [](const Transfer& a, const Transfer& b) { return a.pod < b.pod; });
    for (const Transfer& t : finished) {
        nodes_[t.node].pulling = false;
        if (cluster_.pod(t.pod).uid == t.uid && rt(t.pod).stage == Stage::Pulling) pull_done(t.pod);
        registry_next_on(t.node);
    }
    registry_rebalance();
}

void World::registry_next_on(NodeId node) {
    // The node's puller takes the next waiting pod (which may find the image cached by now).
    auto& waiting = nodes_[node].pull_waiting;
    while (!waiting.empty() && !nodes_[node].pulling && !nodes_[node].kubelet_down) {
        const PodId next = waiting.front();
        waiting.erase(waiting.begin());
        if (cluster_.pod(next).live() && rt(next).stage == Stage::Pulling) ensure_image_then_start(next);
    }
}

void World::registry_abort(PodId pod) {
    auto& waiting = nodes_[cluster_.pod(pod).node].pull_waiting;
    waiting.erase(std::remove(waiting.begin(), waiting.end(), pod), waiting.end());
    const auto it = std::find_if(backends_.transfers.begin(), backends_.transfers.end(),
                                 [&](const Transfer& t) { return t.pod == pod && t.uid == cluster_.pod(pod).uid; });
    if (it == backends_.transfers.end()) return;
    registry_advance();
    const NodeId node = it->node;
    backends_.transfers.erase(it);
    nodes_[node].pulling = false;
    registry_next_on(node);
    registry_rebalance();
}

void World::pull_finished(PodId pod) {
    const std::int64_t ms = (sim_.now() - rt(pod).pull_asked).ms();
    backends_.pull_ms_sum += ms;
    backends_.pull_ms_max = std::max(backends_.pull_ms_max, ms);
    ++backends_.pulls;
}

// ---------------------------------------------------------------------------------------------
// The configuration backend

void World::config_ask(PodId pod) {
    PodRuntime& r = rt(pod);
    if (!r.running || r.sigterm) return;
    if (backends_.config_busy >= v_->config_backend.concurrency) {
        r.backend_waiting = true;
        backends_.config_queue.emplace_back(pod, r.uid);
        return;
    }
    ++backends_.config_busy;
    r.backend_busy = true;
    const Pod& p = cluster_.pod(pod);
    kernel::Rng rng = sim_.rng(stream_key("config-backend"), container_entity(p, r));
    arm_pod(pod, kSlotServe, sim_.now() + sample_duration(v_->config_backend.time, rng), kPhaseKubelet,
            Ev::BackendDone);
}

void World::config_done(PodId pod) {
    config_release(pod);
    process_serve(pod);
}

void World::config_release(PodId pod) {
    PodRuntime& r = rt(pod);
    r.backend_waiting = false;
    if (!r.backend_busy) return;
    r.backend_busy = false;
    --backends_.config_busy;
    while (backends_.config_busy < v_->config_backend.concurrency && !backends_.config_queue.empty()) {
        const auto [next, uid] = backends_.config_queue.front();
        backends_.config_queue.pop_front();
        if (next < runtime_.size() && rt(next).uid == uid && rt(next).backend_waiting) {
            rt(next).backend_waiting = false;
            config_ask(next);
        }
    }
}

}  // namespace rollsim::model
