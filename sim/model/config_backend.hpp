#pragma once
/// @file config_backend.hpp
/// The configuration backend every starting process asks (config_backend.cpp).

#include <cstdint>
#include <deque>
#include <utility>

#include "model/trial.hpp"

namespace rollsim::model {

class Kubelet;

class ConfigBackend {
public:
    ConfigBackend(Trial& t, Kubelet& kubelet) : t_(t), kubelet_(kubelet) {}

    void reset() {
        busy_ = 0;
        queue_.clear();
    }
    /// KlInitDone (the process asks), BackendDone (its configuration is done).
    void handle(const kernel::Event& e);
    /// The container stops: it gives its place up.
    void release(PodId pod);

private:
    void ask(PodId pod);

    Trial& t_;
    Kubelet& kubelet_;
    std::int32_t busy_ = 0;  ///< requests being served
    std::deque<std::pair<PodId, std::uint32_t>> queue_;  ///< FIFO of (pod, uid); stale entries skipped
};

}  // namespace rollsim::model
