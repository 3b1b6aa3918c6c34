// The configuration backend: after its own init (`serve`), each container start asks the
// backend for its configuration; `concurrency` requests are served at once (FIFO), each for
// `configBackend.time`; the process serves when its request is done. A container that stops
// gives its place up. What makes a large maxUnavailable slower than it looks, with the
// registry (registry.cpp).

#include "kernel/distribution.hpp"
#include "model/config_backend.hpp"
#include "model/kubelet.hpp"

namespace rollsim::model {

using kernel::sample_duration;
using kernel::stream_key;

void ConfigBackend::handle(const kernel::Event& e) {
    switch (static_cast<Ev>(e.kind)) {
        case Ev::KlInitDone:
            ask(e.target);
            break;
        case Ev::BackendDone:
            release(e.target);
            kubelet_.process_serve(e.target, 0);  // the main process asked it
            break;
        default:
            ROLLSIM_ASSERT(false);  // World::handle sends the backend only its kinds
            break;
    }
}

void ConfigBackend::ask(PodId pod) {
    PodRuntime& r = t_.rt(pod);
    if (!r.main.running || r.main.sigterm) return;
    if (busy_ >= t_.v->config_backend.concurrency) {
        r.backend.waiting = true;
        queue_.emplace_back(pod, r.uid);
        return;
    }
    ++busy_;
    r.backend.busy = true;
    const Pod& p = t_.cluster.pod(pod);
    kernel::Rng rng = t_.rng(stream_key("config-backend"), container_entity(p, r));
    t_.arm_pod(pod, kSlotServe, t_.now() + sample_duration(t_.v->config_backend.time, rng), kPhaseKubelet,
            Ev::BackendDone);
}

void ConfigBackend::release(PodId pod) {
    PodRuntime& r = t_.rt(pod);
    r.backend.waiting = false;
    if (!r.backend.busy) return;
    r.backend.busy = false;
    --busy_;
    while (busy_ < t_.v->config_backend.concurrency && !queue_.empty()) {
        const auto [next, uid] = queue_.front();
        queue_.pop_front();
        if (next < t_.pods.size() && t_.rt(next).uid == uid && t_.rt(next).backend.waiting) {
            t_.rt(next).backend.waiting = false;
            ask(next);
        }
    }
}

}  // namespace rollsim::model
