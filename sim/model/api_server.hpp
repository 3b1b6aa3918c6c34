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

private:
    void apply_status(PodId pod);

    Trial& t_;
    Kubelet& kubelet_;
    Traffic& traffic_;
    Registry& registry_;
    ConfigBackend& config_;
};

}  // namespace rollsim::model
