#pragma once
/// @file backoff.hpp
/// client-go's flowcontrol.Backoff (util/flowcontrol/backoff.go), without jitter: the policy
/// here, the per-key entries with their owners (a node for the DaemonSet controller's failed-pod
/// backoff, a container for the kubelet's CrashLoopBackOff and image-pull backoff).

#include "rollsim/sim_time.hpp"

namespace rollsim::model {

struct BackoffEntry {
    SimTime backoff;
    SimTime last_update;
    bool present = false;
};

struct BackoffPolicy {
    SimTime initial;
    SimTime max;

    /// hasExpired: an entry untouched for more than twice the maximum is forgotten.
    bool expired(const BackoffEntry& e, SimTime event_time) const {
        return event_time - e.last_update > max * 2;
    }
    /// Next(id, eventTime): start at `initial`, or double up to `max`; lastUpdate = now.
    void next(BackoffEntry& e, SimTime event_time, SimTime now) const;
    /// IsInBackOffSince(id, eventTime) (kubelet): now - eventTime < backoff.
    bool in_backoff_since(const BackoffEntry& e, SimTime event_time, SimTime now) const;
    /// IsInBackOffSinceUpdate(id, now) (DaemonSet controller): now - lastUpdate < backoff.
    bool in_backoff_since_update(const BackoffEntry& e, SimTime now) const;
};

/// cmd/kube-controller-manager/app/apps.go: flowcontrol.NewBackOff(1s, 15min).
inline constexpr BackoffPolicy kFailedPodBackoff{SimTime::seconds(1), SimTime::minutes(15)};
/// pkg/kubelet/kubelet.go: backOffPeriod 10s, MaxContainerBackOff 300s.
inline constexpr BackoffPolicy kCrashLoopBackoff{SimTime::seconds(10), SimTime::seconds(300)};
/// pkg/kubelet/kubelet.go: imageBackOff = flowcontrol.NewBackOff(backOffPeriod, MaxContainerBackOff).
inline constexpr BackoffPolicy kImagePullBackoff{SimTime::seconds(10), SimTime::seconds(300)};

}  // namespace rollsim::model
