#pragma once
/// @file trace.hpp
/// Per-node state changes of one trial, for traces and timelines. The World calls a TraceSink
/// only when one is attached; nothing is formatted in the hot path otherwise.

#include <cstdint>
#include <string_view>

#include "rollsim/sim_time.hpp"
#include "rollsim/trace_kind.hpp"

namespace rollsim::model {

struct DaemonSetStatus;
using rollsim::TraceKind;
/// Whether records of this kind are about the record's node (the rest are about a DaemonSet).
bool about_node(TraceKind k);

/// What a NodeChanged record is about (its `a`; its `b` says which).
enum class NodeChange : std::int64_t {
    EventStart = 1,       ///< b: the ClusterEvent::Kind
    EventEnd = 2,         ///< b: the ClusterEvent::Kind undone (`for`)
    PressureCleared = 3,  ///< b: the pressure bit (eviction.hpp)
    NodeLifecycle = 4,    ///< b: 1 Unreachable (Ready=Unknown), 0 NotReady (Ready=False)
};

struct TraceRecord {
    SimTime time;
    std::uint32_t node = 0;
    std::uint32_t pod = 0;  ///< pod uid; 0 when the record is not about a pod
    std::uint16_t revision = 0;
    std::uint8_t owner = 0;  ///< the pod's DaemonSet: 0 the public one, 1 the test twin
    TraceKind kind = TraceKind::TemplateUpdated;
    std::int64_t a = 0;
    std::int64_t b = 0;
    std::string_view text;
    /// The container a container's record is about, when its pod has several; empty otherwise.
    std::string_view container;
    /// ControllerSync of a rolling update: the budget that paced it ("maxUnavailable" or
    /// "maxSurge"), its size, and how much of it was in use when the sync began.
    std::string_view budget;
    std::int32_t budget_max = 0;
    std::int32_t budget_used = 0;
    /// DaemonSetStatus: the counts the controller wrote (valid during record() only).
    const DaemonSetStatus* status = nullptr;
};

class TraceSink {
public:
    virtual ~TraceSink() = default;
    virtual void record(const TraceRecord& r) = 0;
    /// The kinds it wants, one bit per TraceKind (every kind by default): the trial makes no
    /// record of the others.
    virtual std::uint64_t kinds() const { return ~std::uint64_t{0}; }
};

constexpr std::uint64_t trace_bit(TraceKind k) { return std::uint64_t{1} << static_cast<unsigned>(k); }

}  // namespace rollsim::model
