#pragma once
/// @file trace_kind.hpp
/// What a trace record is about: the closed set of state changes a trial reports (the JSONL
/// trace's `event`, docs/report.md). Typed from the model to the writers, which name them.

#include <cstdint>

namespace rollsim {

enum class TraceKind : std::uint8_t {
    TemplateUpdated,   ///< the proposed template is applied (generation + 1)
    ControllerSync,    ///< a = creates, b = deletes (only syncs that acted); budget: see TraceRecord
    PodCreated,
    PodDeleted,        ///< a = grace period in ms
    PodPending,        ///< text = the scheduler's reason; a = 1: a host port held by the DaemonSet's own pod, 2: by another
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
    DaemonSetStatus,   ///< the controller wrote a changed status at a sync; a = metadata.generation (see TraceRecord::status)
};
const char* to_string(TraceKind k);

}  // namespace rollsim
