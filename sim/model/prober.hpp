#pragma once
/// @file prober.hpp
/// The kubelet's probe workers and the readiness it derives from them (prober.cpp).

#include "model/trial.hpp"

namespace rollsim::model {

class ApiServer;
class Kubelet;
class Traffic;

class Prober {
public:
    Prober(Trial& t, Kubelet& kubelet, ApiServer& api, Traffic& traffic)
        : t_(t), kubelet_(kubelet), api_(api), traffic_(traffic) {}

    /// KlProbe, KlResync.
    void handle(const kernel::Event& e);
    /// prober_manager AddPod: the workers start, their ticks anchored now.
    void add_pod(PodId pod);
    /// A new container: its workers start over.
    void new_container(PodId pod, std::size_t c);
    /// A pod sync regenerates status; UpdatePodStatus may trigger a readiness probe.
    void pod_sync(PodId pod);
    /// Re-arms every worker of every container whose tick could change something.
    void reschedule(PodId pod);
    /// ... of container `c`.
    void reschedule(PodId pod, std::size_t c);
    /// The kubelet's readiness of container `c`; the pod's Ready condition follows (all ready).
    void set_ready(PodId pod, std::size_t c, bool ready);
    /// StopLivenessAndStartup: a terminating pod keeps only its readiness workers.
    void stop_liveness_and_startup(PodId pod);

private:
    bool surface_up(const ContainerRuntime& r, Surface s) const;
    /// UpdatePodStatus's readiness trigger for one container; whether a later one could pass.
    bool trigger_readiness(PodId pod, std::size_t c);
    void attempt(PodId pod, std::size_t c, ProbeKind kind);
    void reschedule(PodId pod, std::size_t c, ProbeKind kind);
    void published(PodId pod, std::size_t c, ProbeKind kind, ProbeResult r);

    Trial& t_;
    Kubelet& kubelet_;
    ApiServer& api_;
    Traffic& traffic_;
};

}  // namespace rollsim::model
