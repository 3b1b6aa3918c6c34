#pragma once
/// @file eviction.hpp
/// Node pressure (eviction.cpp): the kubelet's admission check, its eviction manager and its
/// ranking.

#include <cstdint>

#include "model/trial.hpp"

namespace rollsim::model {

class ApiServer;
class Kubelet;
class NodeLifecycle;

/// Pressure conditions, as bits.
enum Pressure : std::uint8_t { kMemoryPressure = 1, kDiskPressure = 2, kPidPressure = 4 };

/// "MemoryPressure", "DiskPressure" or "PIDPressure" for a Pressure bit.
const char* pressure_name(std::uint8_t bit);

class Eviction {
public:
    Eviction(Trial& t, NodeLifecycle& lifecycle, Kubelet& kubelet, ApiServer& api)
        : t_(t), lifecycle_(lifecycle), kubelet_(kubelet), api_(api) {}

    void reset() { evictions_ = rejections_ = 0; }
    /// EvictionTick, PressureEnd.
    void handle(const kernel::Event& e);
    /// Kubelet admission under pressure; false: rejected (Failed).
    bool admit(PodId pod);
    void pressure_start(NodeId node, std::uint8_t bit, std::int64_t reclaim);
    void pressure_signal_end(NodeId node, std::uint8_t bit);

    std::int32_t evictions() const { return evictions_; }
    std::int32_t rejections() const { return rejections_; }

private:
    void pressure_end(NodeId node, std::uint8_t bit);
    void tick(NodeId node);

    Trial& t_;
    NodeLifecycle& lifecycle_;
    Kubelet& kubelet_;
    ApiServer& api_;
    std::int32_t evictions_ = 0;
    std::int32_t rejections_ = 0;
};

}  // namespace rollsim::model
