#pragma once
/// @file stall.hpp
/// Why a rollout did not finish, as the components found it: data, not prose. The words are
/// experiment/stall_words.cpp's.

#include <cstdint>
#include <string>
#include <vector>

#include "model/cluster.hpp"

namespace rollsim::model {

/// What keeps one pod of the DaemonSet from serving.
enum class PodTrouble : std::uint8_t {
    None,
    Pending,           ///< the scheduler cannot place it (`message` is the scheduler's)
    ImageNeverPull,    ///< the image is absent and imagePullPolicy is Never
    ImagePullBackOff,  ///< no image for the node's platform (`message` is the kubelet's)
    CrashLoopBackOff,  ///< `restarts` so far
    StartupProbe,      ///< running, never passes its startup probe
    NeverReady,        ///< running, its readiness probe keeps failing
    RunningNotServing, ///< a test pod that runs but does not serve
    NotRunning,        ///< a test pod that does not run
};

struct Stall {
    enum class Kind : std::uint8_t {
        Incomplete,        ///< none of the below (the status counts say how far it got)
        OnDelete,          ///< `count` old pods wait for something to delete them
        NewPod,            ///< the first stuck new (or surge) pod, on `node`: `trouble`
        StuckTerminating,  ///< an old pod Terminating on a stopped `node` holds the budget
        BatchTimeout,      ///< the operator's batch (`nodes`) was not Ready within its timeout
        TestCaught,        ///< the test pods did not serve within the timeout (`node`: the first that did not)
        RolledBack,        ///< spec.events' Rollback number `count` undid the change before it completed
    };
    Kind kind = Kind::Incomplete;
    bool at_horizon = false;  ///< events were still pending at the horizon
    PodTrouble trouble = PodTrouble::None;  ///< NewPod, TestCaught
    bool surge = false;       ///< NewPod: an old pod is still on the node
    bool node_gone = false;   ///< StuckTerminating: the Node object was deleted
    NodeId node = kNoNode;
    std::vector<NodeId> nodes;
    std::int32_t count = 0;     ///< OnDelete: old pods; ImagePullBackOff: public pods stuck in it; RolledBack: the action
    std::int32_t restarts = 0;  ///< CrashLoopBackOff
    std::string message;  ///< Pending, ImagePullBackOff: the component's own message
    /// NewPod: the container in trouble, when its pod has several (empty otherwise).
    std::string container;
    /// NeverReady: what that container's readiness probe checks.
    Surface readiness_surface = Surface::Serving;
};

}  // namespace rollsim::model
