#include "model/cluster.hpp"

#include <algorithm>

#include "kernel/assert.hpp"

namespace rollsim::model {

const char* to_string(PodPhase p) {
    switch (p) {
        case PodPhase::Pending: return "Pending";
        case PodPhase::Running: return "Running";
        case PodPhase::Succeeded: return "Succeeded";
        case PodPhase::Failed: return "Failed";
    }
    return "?";
}

void Cluster::reset(std::size_t node_count) {
    for (Pod& p : pods_) p = Pod{};
    free_.clear();
    for (std::size_t i = pods_.size(); i-- > 0;) free_.push_back(static_cast<PodId>(i));
    if (node_pods_.size() < node_count) node_pods_.resize(node_count);
    node_pods_.resize(node_count);
    for (auto& v : node_pods_) {
        v.clear();
        v.reserve(3);  // old, new and a terminating one: no growth in the event loop
    }
    next_uid_ = 1;
    for (std::uint8_t o = 0; o < kMaxDaemonSets; ++o) {
        touched_[o].clear();
        touched_flag_[o].assign(node_count, false);
    }
    // The DaemonSets start afresh; their eligibility vectors keep their memory for the caller.
    for (auto& ds : ds_) {
        auto eligibility = std::move(ds.eligibility);
        eligibility.clear();
        ds = DaemonSetState{};
        ds.eligibility = std::move(eligibility);
    }
}

PodId Cluster::add_pod(NodeId node, std::uint16_t revision, SimTime now, std::uint64_t name_key,
                       std::uint8_t owner) {
    PodId id;
    if (!free_.empty()) {
        id = free_.back();
        free_.pop_back();
    } else {
        id = static_cast<PodId>(pods_.size());
        pods_.emplace_back();
    }
    Pod& p = pods_[id];
    p = Pod{};
    p.uid = next_uid_++;
    p.node = node;
    p.revision = revision;
    p.owner = owner;
    p.created = now.floor_to_second();
    p.name_key = name_key;
    node_pods_[node].push_back(id);
    touch(node);
    return id;
}

void Cluster::remove_pod(PodId id) {
    Pod& p = pods_[id];
    ROLLSIM_ASSERT(p.live());
    auto& list = node_pods_[p.node];
    list.erase(std::find(list.begin(), list.end(), id));
    touch(p.node);
    p = Pod{};
    free_.push_back(id);
}

}  // namespace rollsim::model
