#pragma once
/// @file kubelet.hpp
/// The kubelet on each node and the containers it runs (kubelet.cpp): pod start, image pulls,
/// restarts with CrashLoopBackOff, graceful and forced termination, and its machine stopping
/// and starting. Probes are the Prober's.

#include <cstdint>
#include <string>

#include "model/stall.hpp"
#include "model/trial.hpp"

namespace rollsim::model {

class ApiServer;
class ConfigBackend;
class Eviction;
class NodeLifecycle;
class Prober;
class Registry;
class Traffic;

class Kubelet {
public:
    Kubelet(Trial& t, ApiServer& api, Prober& prober, Traffic& traffic, Registry& registry,
            ConfigBackend& config, Eviction& eviction, NodeLifecycle& lifecycle)
        : t_(t), api_(api), prober_(prober), traffic_(traffic), registry_(registry), config_(config),
          eviction_(eviction), lifecycle_(lifecycle) {}

    void reset() { restarts_ = public_new_crashes_ = 0; }
    /// The pod's deletion reached this kubelet (its watch event): it starts terminating it.
    void see_deletion(PodId pod);
    /// The Kl* events but the prober's.
    void handle(const kernel::Event& e);

    /// EnsureImageExists for container `c`, then the container (for a pod whose sandbox is ready).
    void ensure_image_then_start(PodId pod, std::size_t c);
    void pull_done(PodId pod, std::size_t c);
    /// The main process's request path works (after its config, if it asks a backend).
    void process_serve(PodId pod, std::size_t c);
    /// killContainer: preStop, SIGTERM, SIGKILL at the end of `grace`.
    void kill_container(PodId pod, std::size_t c, SimTime grace, bool for_restart);
    /// SyncTerminatingPod: stops liveness and startup, kills the containers with `grace` (the
    /// regular ones first, then the sidecars in reverse order).
    void kill_pod(PodId pod, SimTime grace);
    /// The start sequence moves past container `c` if it waits on it (a sidecar once started).
    void start_next_after(PodId pod, std::size_t c);
    /// A force deletion: the process outlives its pod object until its kubelet kills it.
    void detach_container(PodId pod);
    /// The machine stops: every process on it dies; the kubelet neither acts nor writes.
    void stop_node(NodeId node);
    /// The machine is back: the kubelet adds its pods again.
    void start_node(NodeId node);

    std::int64_t restarts() const { return restarts_; }
    /// New-revision public containers that crashed or were killed by a probe.
    std::int32_t public_new_crashes() const { return public_new_crashes_; }

private:
    void pod_added(PodId pod);
    void sandbox_ready(PodId pod);
    /// The start sequence's next container (kuberuntime_manager.go SyncPod, step by step).
    void start_next(PodId pod);
    void start_container(PodId pod, std::size_t c);
    void container_seen(PodId pod, std::size_t c);
    void process_listen(PodId pod, std::size_t c);
    void process_exit(PodId pod, std::size_t c, bool ok);
    void container_died_seen(PodId pod, std::size_t c);
    void restart_retry(PodId pod, std::size_t c);
    void pull_retry(PodId pod, std::size_t c);
    void sigterm(PodId pod, std::size_t c);
    /// A terminating pod: the regular containers are killed (`first`: when the deletion is
    /// seen); once they have exited, the last sidecar still running; once nothing runs, the
    /// pod is terminal.
    void terminate_next(PodId pod, bool first);
    void detached_kill(std::uint32_t index);
    void detached_exit(std::uint32_t index, bool with_machine = false);

    Trial& t_;
    ApiServer& api_;
    Prober& prober_;
    Traffic& traffic_;
    Registry& registry_;
    ConfigBackend& config_;
    Eviction& eviction_;
    NodeLifecycle& lifecycle_;
    std::int64_t restarts_ = 0;
    std::int32_t public_new_crashes_ = 0;
};

/// Why a pod is in ImagePullBackOff: the image has no manifest for its node's platform.

/// Why a pod is in ImagePullBackOff: the image has no manifest for its node's platform.
std::string image_pull_message(const Trial& t, PodId pod);

/// Whether `pod` has not started for want of a node (Pending) or an image (never pulled, or
/// ImagePullBackOff); if so, fills `s.trouble` and `s.message`.
bool not_started(const Trial& t, PodId pod, Stall& s);

}  // namespace rollsim::model
