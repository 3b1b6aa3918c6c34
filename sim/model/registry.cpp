// Shared bottlenecks: what makes a large maxUnavailable slower than it looks.
//
//  - the image registry: every pull under way shares its bandwidth equally, each capped by
//    what one node can take (`nodeBandwidth`); a node still pulls one image at a time
//    (SerializeImagePulls, docs/model.md), so a second pod's pull on that node waits.
//    Transfers are fluid: when a pull starts or ends, every other one's rate changes, and only
//    the next completion is scheduled;
//  - the configuration backend: config_backend.cpp.

#include <algorithm>
#include <cmath>

#include "kernel/distribution.hpp"
#include "model/kubelet.hpp"
#include "model/registry.hpp"

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

void Registry::reset() {
    transfers_.clear();
    last_ = SimTime::zero();
    pull_ms_sum_ = pull_ms_max_ = 0;
    pulls_ = 0;
}

void Registry::handle(const kernel::Event& e) {
    ROLLSIM_ASSERT(static_cast<Ev>(e.kind) == Ev::RegistryProgress);
    progress();
}

void Registry::finish(TrialOutcome& o) const {
    o.pulls = pulls_;
    o.pull_seconds_mean = pulls_ > 0 ? static_cast<double>(pull_ms_sum_) / 1000.0 / pulls_ : 0;
    o.pull_seconds_max = static_cast<double>(pull_ms_max_) / 1000.0;
}

void Registry::pull(PodId pod) {
    const Pod& p = t_.cluster.pod(pod);
    NodeRuntime& nr = t_.nodes[p.node];
    const PodRuntime& r = t_.rt(pod);
    if (nr.pulling) {
        nr.pull_waiting.push_back(pod);
        return;
    }
    advance();
    nr.pulling = true;
    transfers_.push_back(
        Transfer{pod, p.uid, p.node, static_cast<double>(t_.revision_of(p).container(r.pulling).behaviour->image_size)});
    t_.trace_container(TraceKind::ImagePull, pod, r.pulling, 0, (t_.now() - r.pull_asked).ms());
    rebalance();
}

bool Registry::pulling(PodId pod) const {
    const PodRuntime& r = t_.rt(pod);
    return r.pulling < r.containers() && r.container(r.pulling).stage == ContainerStage::Pulling;
}

void Registry::advance() {
    const SimTime now = t_.now();
    if (!transfers_.empty() && now > last_) {
        const double moved = share(t_.v->registry, transfers_.size()) * (now - last_).to_seconds();
        for (Transfer& t : transfers_) t.remaining -= moved;
    }
    last_ = now;
}

void Registry::rebalance() {
    t_.sim.cancel(kTimerRegistry);
    if (transfers_.empty()) return;
    double least = transfers_.front().remaining;
    for (const Transfer& t : transfers_) least = std::min(least, t.remaining);
    const double seconds = std::max(least, 0.0) / share(t_.v->registry, transfers_.size());
    const auto ms = std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(seconds * 1000.0)));
    t_.sim.arm(kTimerRegistry, t_.now() + SimTime::millis(ms), kPhaseKubelet,
             static_cast<std::uint16_t>(Ev::RegistryProgress), 0);
}

void Registry::progress() {
    advance();
    // Rounding to whole milliseconds leaves at most a millisecond's worth of bytes.
    const double slack = share(t_.v->registry, transfers_.size()) / 1000.0 + 1.0;
    std::vector<Transfer> finished;
    for (std::size_t i = 0; i < transfers_.size();) {
        if (transfers_[i].remaining <= slack) {
            finished.push_back(transfers_[i]);
            transfers_[i] = transfers_.back();
            transfers_.pop_back();
        } else {
            ++i;
        }
    }
    // Finish in a stable order (pod id), whatever order the swaps left.
    std::sort(finished.begin(), finished.end(), [](const Transfer& a, const Transfer& b) { return a.pod < b.pod; });
    for (const Transfer& t : finished) {
        t_.nodes[t.node].pulling = false;
        if (t_.cluster.pod(t.pod).uid == t.uid && pulling(t.pod)) kubelet_.pull_done(t.pod, t_.rt(t.pod).pulling);
        next_on(t.node);
    }
    rebalance();
}

void Registry::next_on(NodeId node) {
    // The node's puller takes the next waiting pod (which may find the image cached by now).
    auto& waiting = t_.nodes[node].pull_waiting;
    while (!waiting.empty() && !t_.nodes[node].pulling && !t_.nodes[node].kubelet_down) {
        const PodId next = waiting.front();
        waiting.erase(waiting.begin());
        if (t_.cluster.pod(next).live() && pulling(next)) kubelet_.ensure_image_then_start(next, t_.rt(next).pulling);
    }
}

void Registry::abort(PodId pod) {
    auto& waiting = t_.nodes[t_.cluster.pod(pod).node].pull_waiting;
    waiting.erase(std::remove(waiting.begin(), waiting.end(), pod), waiting.end());
    const auto it = std::find_if(transfers_.begin(), transfers_.end(),
                                 [&](const Transfer& t) { return t.pod == pod && t.uid == t_.cluster.pod(pod).uid; });
    if (it == transfers_.end()) return;
    advance();
    const NodeId node = it->node;
    transfers_.erase(it);
    t_.nodes[node].pulling = false;
    next_on(node);
    rebalance();
}

void Registry::pull_finished(PodId pod) {
    const std::int64_t ms = (t_.now() - t_.rt(pod).pull_asked).ms();
    pull_ms_sum_ += ms;
    pull_ms_max_ = std::max(pull_ms_max_, ms);
    ++pulls_;
}

}  // namespace rollsim::model
