#pragma once
/// @file api_server.hpp
/// The API server's side of a trial: pod objects created, deleted (gracefully or by force) and
/// removed, the kubelets' status writes landing, and the watch notifications they send the
/// DaemonSet controller, the scheduler, the kubelets and the endpoints.

#include <cstdint>

#include "model/trial.hpp"

namespace rollsim::model {

class ConfigBackend;
class Kubelet;
class Registry;
class Traffic;

/// One write's watch deliveries, due a watch latency after it, to the watchers that see it: the
/// kubelet (a graceful deletion), the scheduler (a pod gone from its node) and the controller's
/// informer. World::handle runs their handlers in turn, in their phases' order, as one event.
struct WatchDelivery {
    PodId deleted = kNoPod;  ///< the kubelet sees this pod's deletion ...
    std::uint32_t uid = 0;   ///< ... (or the scheduler its creation) if the slot still holds this pod
    PodId created = kNoPod;  ///< the scheduler sees this new pod: its first attempt
    NodeId gone_from = kNoNode;  ///< the scheduler sees a pod gone from this node
    Ev controller = Ev::CtlObserveUpdate;  ///< what the controller's informer observes ...
    std::uint8_t owner = 0;                ///< ... of this DaemonSet's pods
};

class ApiServer {
public:
    ApiServer(Trial& t, Kubelet& kubelet, Traffic& traffic, Registry& registry, ConfigBackend& config)
        : t_(t), kubelet_(kubelet), traffic_(traffic), registry_(registry), config_(config) {}

    /// ApiStatusWrite, ApiObjectDelete.
    void handle(const kernel::Event& e);
    /// A pod of `owner`'s current revision for `node`; the scheduler sees it a watch later.
    void create_pod(NodeId node, std::uint8_t owner);
    /// registry/core/pod CheckGracefulDelete and the store's Delete.
    void delete_pod(PodId pod);
    /// The object goes: whatever it held is released.
    void remove_pod_object(PodId pod);
    /// The status manager writes the kubelet's latest view of `pod`.
    void write_status(PodId pod);
    /// The controller's informer sees a change of `owner`'s pods or DaemonSet a watch later.
    void notify_controller(Ev kind, std::uint8_t owner);
    /// A new trial: no delivery pending.
    void reset() {
        deliveries_.clear();
        free_deliveries_.clear();
    }
    /// The delivery of a WatchDelivery event, which it hands over (its slot is free again).
    WatchDelivery take_delivery(std::uint32_t index) {
        free_deliveries_.push_back(index);
        return deliveries_[index];
    }

private:
    /// `d` a watch latency from now, in the phase of its first watcher.
    void deliver(const WatchDelivery& d);
    void apply_status(PodId pod);

    Trial& t_;
    Kubelet& kubelet_;
    Traffic& traffic_;
    Registry& registry_;
    ConfigBackend& config_;
    std::vector<WatchDelivery> deliveries_;
    std::vector<std::uint32_t> free_deliveries_;
};

}  // namespace rollsim::model
