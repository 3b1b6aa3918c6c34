#pragma once
/// @file trace.hpp
/// Per-node state changes of one trial, for traces and timelines. The World calls a TraceSink
/// only when one is attached; nothing is formatted in the hot path otherwise.

#include <cstdint>
#include <string_view>

#include "rollsim/sim_time.hpp"

namespace rollsim::model {

enum class TraceKind : std::uint8_t {
    TemplateUpdated,   ///< the proposed template is applied (generation + 1)
    ControllerSync,    ///< a = creates, b = deletes (only syncs that acted); budget: see TraceRecord
    PodCreated,
    PodDeleted,        ///< a = grace period in ms
    PodPending,        ///< text = the scheduler's reason
    PodBound,
    ImagePull,         ///< a = pull duration in ms (starts after any queued pull)
    ImagePulled,
    ContainerStarted,  ///< a = start number (1 = cold start)
    Listening,
    Serving,
    ProbeResult,       ///< a = ProbeKind, b = ProbeResult (published changes only)
    Ready,
    NotReady,
    PreStop,           ///< a = hook duration in ms
    SigTerm,
    ContainerExited,   ///< a = 1 if the exit was clean
    BackOff,           ///< a = CrashLoopBackOff delay in ms
    PodTerminal,       ///< a = 1 Succeeded, 0 Failed
    PodRemoved,
    OutageStart,       ///< the node stops serving
    OutageEnd,
    RotationOut,       ///< the external health check takes the node out
    RotationIn,
    RolloutComplete,
    TestStarted,       ///< the test DaemonSet is created
    TestPassed,        ///< every chosen node's test pod serves: promote
    TestFailed,        ///< the test did not pass in time: the public DaemonSet is left alone
    NodeChanged,       ///< a cluster event or the node lifecycle controller; text = what
    Preemption,        ///< the scheduler preempts a pod for this one; text = the victim
    Evicted,           ///< the kubelet's eviction manager evicts a pod; text = which and why
    AdmissionRejected, ///< the kubelet rejects the pod (node pressure); text = why
    ImagePullBackOff,  ///< a = the image back-off in ms; text = why the pull failed
    OtherPodGone,      ///< a preempted, evicted or drained pod is gone; text = its name
    Baseline,          ///< t = 0, once per tracked node: its live pod (if any); a = serving, b = in errors
    ErrorsStart,       ///< clients reach this node's backend (hostPort) or pod (service), which cannot serve
    ErrorsEnd,
};
const char* to_string(TraceKind k);
/// Whether records of this kind are about the record's node (the rest are about a DaemonSet).
bool about_node(TraceKind k);

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
    /// ControllerSync of a rolling update: the budget that paced it ("maxUnavailable" or
    /// "maxSurge"), its size, and how much of it was in use when the sync began.
    std::string_view budget;
    std::int32_t budget_max = 0;
    std::int32_t budget_used = 0;
};

class TraceSink {
public:
    virtual ~TraceSink() = default;
    virtual void record(const TraceRecord& r) = 0;
};

}  // namespace rollsim::model
