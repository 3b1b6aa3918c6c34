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
    /// A new container: every worker starts over.
    void new_container(PodId pod);
    /// A pod sync regenerates status; UpdatePodStatus may trigger a readiness probe.
    void pod_sync(PodId pod);
    /// Re-arms every worker whose tick could change something.
    void reschedule(PodId pod);
    /// The kubelet's container readiness.
    void set_ready(PodId pod, bool ready);
    /// StopLivenessAndStartup: a terminating pod keeps only its readiness worker.
    void stop_liveness_and_startup(PodId pod);

private:
    bool surface_up(const PodRuntime& r, Surface s) const;
    void attempt(PodId pod, ProbeKind kind);
    void reschedule(PodId pod, ProbeKind kind);
    void published(PodId pod, ProbeKind kind, ProbeResult r);

    Trial& t_;
    Kubelet& kubelet_;
    ApiServer& api_;
    Traffic& traffic_;
};

}  // namespace rollsim::model
