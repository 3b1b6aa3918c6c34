// Node pressure: the kubelet's admission check and its eviction manager (docs/model.md).
//
//  - admission (eviction_manager.go Admit): with no pressure every pod is admitted; critical
//    pods (priority >= 2000000000, kubelet/types IsCriticalPod) always are; under
//    MemoryPressure alone a pod is admitted unless it is BestEffort without the
//    memory-pressure toleration, which DaemonSet pods always have; under DiskPressure or
//    PIDPressure every other pod is rejected: phase Failed, reason Evicted. The DaemonSet
//    controller then deletes it with its 1 s -> 15 min back-off and creates another (#124388);
//  - eviction (eviction_manager.go synchronize, every 10 s): at most one pod per pass, never a
//    critical one, grace 0 for the default hard thresholds (killContainer still gives 2 s);
//    the evicted pod is Failed, not deleted;
//  - ranking (eviction/helpers.go): memory and disk: pods whose usage exceeds their request
//    first, then lower priority, then the larger usage above the request
//    (rankMemoryPressure, rankDiskPressureFunc); PID: lower priority first;
//  - the condition stays reported for evictionPressureTransitionPeriod (5 min) after the
//    signal is last over its threshold.
// A pressure's signal ends at the event's end (`for`), or once evictions have freed its
// `reclaim` bytes.

#include <algorithm>

#include <fmt/format.h>

#include "model/api_server.hpp"
#include "model/eviction.hpp"
#include "model/kubelet.hpp"
#include "model/node_lifecycle.hpp"

namespace rollsim {

const char* to_string(QosClass q) {
    switch (q) {
        case QosClass::BestEffort: return "BestEffort";
        case QosClass::Burstable: return "Burstable";
        case QosClass::Guaranteed: return "Guaranteed";
    }
    return "?";
}

}  // namespace rollsim

namespace rollsim::model {

using kernel::stream_key;

namespace {
constexpr SimTime kEvictionPeriod = SimTime::seconds(10);          // evictionMonitoringPeriod
constexpr SimTime kPressureTransition = SimTime::minutes(5);       // evictionPressureTransitionPeriod
int pressure_index(std::uint8_t bit) { return bit == kMemoryPressure ? 0 : bit == kDiskPressure ? 1 : 2; }
const char* pressure_taint(std::uint8_t bit) {
    return bit == kMemoryPressure ? "node.kubernetes.io/memory-pressure"
           : bit == kDiskPressure ? "node.kubernetes.io/disk-pressure"
                                  : "node.kubernetes.io/pid-pressure";
}

/// One eviction candidate, with the ranking keys of eviction/helpers.go.
struct Candidate {
    bool exceeds = false;
    std::int32_t priority = 0;
    std::int64_t above = 0;  ///< usage above the request
    std::int64_t usage = 0;
    std::uint32_t other = 0xffffffffu;  ///< index into the node's other pods, or
    PodId pod = kNoPod;                 ///< a DaemonSet pod
};
}  // namespace

const char* pressure_name(std::uint8_t bit) {
    return bit == kMemoryPressure ? "MemoryPressure" : bit == kDiskPressure ? "DiskPressure" : "PIDPressure";
}

void Eviction::handle(const kernel::Event& e) {
    switch (static_cast<Ev>(e.kind)) {
        case Ev::EvictionTick:
            tick(e.target);
            break;
        case Ev::PressureEnd:
            pressure_end(e.target, static_cast<std::uint8_t>(e.payload));
            break;
        default:
            ROLLSIM_ASSERT(false);  // World::handle sends the eviction manager only its kinds
            break;
    }
}

bool Eviction::admit(PodId pod) {
    const Pod& p = t_.cluster.pod(pod);
    const NodeRuntime& nr = t_.nodes[p.node];
    const std::uint8_t rejecting = nr.pressure & (kDiskPressure | kPidPressure);
    if (rejecting == 0 || t_.revision_of(p).critical()) return true;
    PodRuntime& r = t_.rt(pod);
    ++rejections_;
    if (t_.tracing(TraceKind::AdmissionRejected)) {
        t_.trace(TraceKind::AdmissionRejected, p.node, pod, 0, 0,
              fmt::format("Evicted: the node had condition: [{}]", pressure_name(rejecting & kDiskPressure ? kDiskPressure : kPidPressure)));
    }
    r.evicted = true;
    r.stage = Stage::Terminated;
    api_.write_status(pod);
    return false;
}

void Eviction::pressure_start(NodeId node, std::uint8_t bit, std::int64_t reclaim) {
    NodeRuntime& nr = t_.nodes[node];
    if (nr.kubelet_down || !nr.present) return;
    const int i = pressure_index(bit);
    nr.pressure |= bit;
    nr.evicting |= bit;
    nr.reclaimed[i] = 0;
    nr.reclaim[i] = reclaim;
    lifecycle_.set_taint(node, pressure_taint(bit), "NoSchedule", true);
    if (!nr.eviction_armed) {
        // The eviction manager sees the signal at its next pass, somewhere in the next 10 s.
        kernel::Rng rng = t_.rng(stream_key("eviction-phase"),
                                   (std::uint64_t{node} << 32) ^ static_cast<std::uint64_t>(t_.now().ms()));
        nr.eviction_armed = true;
        t_.at(t_.now() + SimTime::millis(static_cast<std::int64_t>(rng.below(kEvictionPeriod.ms()))), kPhaseKubelet,
           Ev::EvictionTick, node);
    }
}

void Eviction::pressure_signal_end(NodeId node, std::uint8_t bit) {
    NodeRuntime& nr = t_.nodes[node];
    if ((nr.evicting & bit) == 0) return;
    nr.evicting &= static_cast<std::uint8_t>(~bit);
    nr.pressure_seen[pressure_index(bit)] = t_.now();
    t_.at(t_.now() + kPressureTransition, kPhaseKubelet, Ev::PressureEnd, node, bit);
}

void Eviction::pressure_end(NodeId node, std::uint8_t bit) {
    NodeRuntime& nr = t_.nodes[node];
    if ((nr.evicting & bit) != 0) return;  // the signal came back
    if (t_.now() < nr.pressure_seen[pressure_index(bit)] + kPressureTransition) return;
    nr.pressure &= static_cast<std::uint8_t>(~bit);
    lifecycle_.set_taint(node, pressure_taint(bit), "NoSchedule", false);
    t_.trace(TraceKind::NodeChanged, node, kNoPod, static_cast<std::int64_t>(NodeChange::PressureCleared), bit);
}

void Eviction::tick(NodeId node) {
    NodeRuntime& nr = t_.nodes[node];
    nr.eviction_armed = false;
    if (nr.evicting == 0 || nr.kubelet_down) return;
    // The signal to act on: memory first, then disk, then PIDs.
    const std::uint8_t bit = (nr.evicting & kMemoryPressure)  ? kMemoryPressure
                             : (nr.evicting & kDiskPressure) ? kDiskPressure
                                                             : kPidPressure;
    const int i = pressure_index(bit);
    std::vector<Candidate> candidates;
    const auto& others = t_.node_spec(node).pods;
    for (std::uint32_t k = 0; k < others.size(); ++k) {
        const OtherPod& o = others[k];
        if (t_.others[nr.first_other + k] != OtherState::Running || o.critical()) continue;
        Candidate c;
        c.priority = o.priority;
        c.usage = bit == kMemoryPressure ? o.memory_usage : bit == kDiskPressure ? o.disk_usage : 0;
        const std::int64_t request = bit == kMemoryPressure ? o.requests.memory_bytes : bit == kDiskPressure ? o.disk_request : 0;
        c.exceeds = bit != kPidPressure && c.usage > request;
        c.above = c.usage - request;
        c.other = k;
        candidates.push_back(c);
    }
    for (PodId id : t_.cluster.pods_on(node)) {
        const Pod& p = t_.cluster.pod(id);
        const PodRuntime& r = t_.pods[id];
        if (!p.scheduled || p.terminal() || r.evicted || r.stage == Stage::None || r.stage == Stage::Terminated ||
            t_.revision_of(p).critical()) {
            continue;
        }
        // The DaemonSet's pod uses what it requests (memory; no ephemeral storage).
        Candidate c;
        c.priority = t_.revision_of(p).priority;
        c.usage = bit == kMemoryPressure ? t_.revision_of(p).requests.memory_bytes : 0;
        c.pod = id;
        candidates.push_back(c);
    }
    if (!candidates.empty()) {
        const auto victim = std::min_element(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
            if (a.exceeds != b.exceeds) return a.exceeds;
            if (a.priority != b.priority) return a.priority < b.priority;
            return a.above > b.above;
        });
        ++evictions_;
        nr.reclaimed[i] += victim->usage;
        if (victim->pod == kNoPod) {
            lifecycle_.other_pod_terminate(node, victim->other, SimTime::zero(),
                                fmt::format("evicted: the node was low on resource {}", pressure_name(bit)).c_str());
        } else {
            const PodId id = victim->pod;
            PodRuntime& r = t_.rt(id);
            r.evicted = true;
            if (t_.tracing(TraceKind::Evicted)) {
                t_.trace(TraceKind::Evicted, node, id, 0, 0,
                      fmt::format("DaemonSet pod evicted: the node was low on resource {}", pressure_name(bit)));
            }
            kubelet_.kill_pod(id, SimTime::zero());
        }
        if (nr.reclaim[i] > 0 && nr.reclaimed[i] >= nr.reclaim[i]) pressure_signal_end(node, bit);
    }
    if (nr.evicting != 0) {
        nr.eviction_armed = true;
        t_.at(t_.now() + kEvictionPeriod, kPhaseKubelet, Ev::EvictionTick, node);
    }
}

}  // namespace rollsim::model
