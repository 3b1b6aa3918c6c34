#pragma once
/// @file registry.hpp
/// The shared image registry (registry.cpp): every pull under way shares its bandwidth.

#include <cstdint>
#include <vector>

#include "model/trial.hpp"
#include "model/trial_outcome.hpp"

namespace rollsim::model {

class Kubelet;

class Registry {
public:
    Registry(Trial& t, Kubelet& kubelet) : t_(t), kubelet_(kubelet) {}

    void reset();
    /// RegistryProgress: the next shared pull completes.
    void handle(const kernel::Event& e);
    /// Whether `rev`'s pulls go through the shared registry.
    bool modelled(const ContainerModel& c) const { return t_.v->registry.bandwidth > 0 && c.behaviour->image_size > 0; }
    void pull(PodId pod);
    void abort(PodId pod);
    /// Records a pull's time (from when the kubelet asked for the image).
    void pull_finished(PodId pod);
    /// The pull measures into `o`.
    void finish(TrialOutcome& o) const;

private:
    /// The pod still waits for the image of the container it pulls for.
    bool pulling(PodId pod) const;
    /// One image transfer from the shared registry.
    struct Transfer {
        PodId pod = 0;
        std::uint32_t uid = 0;
        NodeId node = 0;
        double remaining = 0;  ///< bytes
    };
    void progress();
    void advance();
    void rebalance();
    void next_on(NodeId node);

    Trial& t_;
    Kubelet& kubelet_;
    std::vector<Transfer> transfers_;  ///< pulls under way
    SimTime last_;                     ///< when the transfers were last advanced
    std::int64_t pull_ms_sum_ = 0;
    std::int64_t pull_ms_max_ = 0;
    std::int32_t pulls_ = 0;
};

}  // namespace rollsim::model
