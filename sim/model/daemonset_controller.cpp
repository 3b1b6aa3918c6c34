#include "model/daemonset_controller.hpp"

#include <algorithm>

#include "kernel/assert.hpp"

namespace rollsim::model {

void DaemonSetController::reset(KubeVersion version, kernel::Rng rng, std::size_t node_count,
                                std::uint8_t owner) {
    version_ = version;
    owner_ = owner;
    rng_ = rng;
    pending_creates_ = 0;
    pending_deletes_ = 0;
    failed_backoff_.assign(node_count, BackoffEntry{});
    failed_backoff_generation_ = -1;
    stale_ = true;
}

DaemonSetController::NodeClass DaemonSetController::classify(const Cluster& c, NodeId node, SimTime now,
                                                             PodId* quiet_pod) const {
    const DaemonSetState& ds = c.daemonset(owner_);
    const Eligibility e = ds.eligibility[node];
    PodId only = kNoPod;
    int count = 0;
    for (PodId id : c.pods_on(node)) {
        if (mine(c.pod(id)) && c.pod(id).counted_by_controller()) {
            ++count;
            only = id;
        }
    }
    if (count == 0) return e.should_run ? NodeClass::Active : NodeClass::Inert;
    if (count > 1 || !e.should_run || !e.should_continue) return NodeClass::Active;
    const Pod& p = c.pod(only);
    *quiet_pod = only;
    if (p.terminating()) {
        // Still Ready only without minReadySeconds, where available is Ready whatever the time.
        const bool settled = !p.ready || ds.min_ready_seconds == 0;
        return settled && !allows_surge(ds.strategy) ? NodeClass::Draining : NodeClass::Active;
    }
    if (p.terminal()) return NodeClass::Active;
    if (!p.ready) return p.revision == ds.current_revision ? NodeClass::Waiting : NodeClass::Active;
    if (p.phase != PodPhase::Running || !is_pod_available(p, ds.min_ready_seconds, now)) return NodeClass::Active;
    return NodeClass::Quiet;
}

void DaemonSetController::set_class(const Cluster& c, NodeId node, NodeClass k, PodId quiet_pod) {
    if (incremental_) quiet_old_.set(node, false);
    switch (class_[node]) {
        case NodeClass::Quiet:
            --quiet_count_;
            if (quiet_updated_[node]) --quiet_current_;
            break;
        case NodeClass::Waiting: --waiting_count_; break;
        case NodeClass::Draining:
            --draining_count_;
            if (quiet_updated_[node]) --draining_current_;
            if (draining_ready_flag_[node]) --draining_ready_;
            break;
        default: break;
    }
    class_[node] = k;
    if (k == NodeClass::Active || k == NodeClass::Inert) return;
    quiet_pod_[node] = quiet_pod;
    quiet_updated_[node] = c.pod(quiet_pod).revision == c.daemonset(owner_).current_revision;
    switch (k) {
        case NodeClass::Quiet:
            ++quiet_count_;
            if (quiet_updated_[node]) {
                ++quiet_current_;
            } else {
                quiet_old_.set(node, true);
            }
            break;
        case NodeClass::Waiting: ++waiting_count_; break;
        case NodeClass::Draining:
            ++draining_count_;
            if (quiet_updated_[node]) ++draining_current_;
            draining_ready_flag_[node] = c.pod(quiet_pod).ready;
            if (draining_ready_flag_[node]) ++draining_ready_;
            break;
        default: break;
    }
}

void DaemonSetController::refresh(Cluster& c, SimTime now) {
    if (!incremental_) return;
    const DaemonSetState& ds = c.daemonset(owner_);
    const bool surge = allows_surge(ds.strategy);
    const std::size_t n = c.node_count();
    const auto examine = [&](NodeId node) {
        PodId q = kNoPod;
        const NodeClass k = classify(c, node, now, &q);
        set_class(c, node, k, q);
        if (k == NodeClass::Active) active_.push_back(node);
    };
    if (stale_ || class_.size() != n || ds.generation != seen_generation_ || ds.current_revision != seen_revision_ ||
        ds.min_ready_seconds != seen_min_ready_ || surge != seen_surge_) {
        // A new template, strategy or minReadySeconds: examine everything.
        class_.assign(n, NodeClass::Inert);
        quiet_pod_.assign(n, kNoPod);
        quiet_updated_.assign(n, false);
        listed_.assign(n, false);
        quiet_old_.reset(n);
        draining_ready_flag_.assign(n, false);
        quiet_count_ = quiet_current_ = waiting_count_ = draining_count_ = draining_current_ = draining_ready_ = 0;
        active_.clear();
        c.drain_touched(owner_, [](NodeId) {});
        for (NodeId node = 0; node < n; ++node) examine(node);
        stale_ = false;
        seen_generation_ = ds.generation;
        seen_revision_ = ds.current_revision;
        seen_min_ready_ = ds.min_ready_seconds;
        seen_surge_ = surge;
    } else {
        recheck_.clear();
        for (NodeId a : active_) {
            listed_[a] = true;
            recheck_.push_back(a);
        }
        c.drain_touched(owner_, [&](NodeId t) {
            if (listed_[t]) return;
            listed_[t] = true;
            recheck_.push_back(t);
        });
        active_.clear();
        for (NodeId node : recheck_) {
            listed_[node] = false;
            examine(node);
        }
        if (!std::is_sorted(active_.begin(), active_.end())) std::sort(active_.begin(), active_.end());
    }
    active_should_run_ = 0;
    for (NodeId a : active_) active_should_run_ += ds.eligibility[a].should_run ? 1 : 0;
#ifdef ROLLSIM_CHECKS
    if (n <= 512) {
        for (NodeId node = 0; node < n; ++node) {
            PodId q = kNoPod;
            ROLLSIM_ASSERT(classify(c, node, now, &q) == class_[node]);
            ROLLSIM_ASSERT(class_[node] == NodeClass::Active || class_[node] == NodeClass::Inert ||
                           q == quiet_pod_[node]);
        }
    }
#endif
}

template <class F>
void DaemonSetController::for_nodes(const Cluster& c, F f) const {
    if (incremental_) {
        for (NodeId node : active_) f(node);
    } else {
        for (NodeId node = 0; node < c.node_count(); ++node) f(node);
    }
}

template <class Key, class QuietItem>
void DaemonSetController::choose(std::vector<std::uint32_t>& examined, std::size_t k, Key key, QuietItem quiet_item) {
    const auto quiet = static_cast<std::size_t>(incremental_ ? quiet_old_.count() : 0);
    const std::size_t m = examined.size() + quiet;
    if (quiet == 0 || k == 0) {
        keep_random(examined, k);
        return;
    }
    // The examined candidates join the quiet ones in the tree for the time of the choice (their
    // nodes are Active, so not in it otherwise).
    for (std::uint32_t x : examined) quiet_old_.set(key(x), true);
    const auto at_rank = [&](std::size_t r) -> std::uint32_t {
        const auto node = static_cast<NodeId>(quiet_old_.find(static_cast<std::int64_t>(r)));
        if (class_[node] == NodeClass::Quiet) return quiet_item(node);
        const auto it = std::lower_bound(examined.begin(), examined.end(), node,
                                         [&](std::uint32_t x, NodeId n) { return key(x) < n; });
        return *it;
    };
    merged_.clear();
    if (k >= m) {
        // keep_random keeps them all, in order: list them by rank.
        for (std::size_t r = 0; r < m; ++r) merged_.push_back(at_rank(r));
        for (std::uint32_t x : examined) quiet_old_.set(key(x), false);
        examined.assign(merged_.begin(), merged_.end());  // a copy keeps each buffer's capacity
        return;
    }
    std::size_t cap = 16;
    while (cap < 4 * k) cap *= 2;
    displaced_key_.assign(cap, -1);
    displaced_val_.resize(cap);
    const auto slot = [&](std::size_t p) {
        std::size_t h = (p * 0x9E3779B97F4A7C15ull) & (cap - 1);
        while (displaced_key_[h] != -1 && displaced_key_[h] != static_cast<std::int64_t>(p)) h = (h + 1) & (cap - 1);
        return h;
    };
    const auto value = [&](std::size_t p) {
        const std::size_t h = slot(p);
        return displaced_key_[h] == -1 ? at_rank(p) : displaced_val_[h];
    };
    for (std::size_t i = 0; i < k; ++i) {
        // keep_random's step: swap positions i and j of the merged list, keep position i.
        const std::size_t j = i + static_cast<std::size_t>(rng_.below(m - i));
        const std::uint32_t chosen = value(j);
        const std::uint32_t moved = value(i);
        const std::size_t h = slot(j);
        displaced_key_[h] = static_cast<std::int64_t>(j);
        displaced_val_[h] = moved;
        merged_.push_back(chosen);
    }
    for (std::uint32_t x : examined) quiet_old_.set(key(x), false);
    examined.assign(merged_.begin(), merged_.end());
}


bool DaemonSetController::rollout_complete(const DaemonSetState& ds) {
    const DaemonSetStatus& s = ds.status;
    return ds.generation <= s.observed_generation &&
           s.updated_number_scheduled >= s.desired_number_scheduled &&
           s.number_available >= s.desired_number_scheduled;
}

SyncCounts DaemonSetController::sync(Cluster& c, SimTime now, PodControl& control) {
    SyncCounts counts;
    refresh(c, now);
    // syncDaemonSet: while our earlier creates/deletes are not observed, only the status is
    // refreshed (updateObservedGen = false).
    if (!expectations_satisfied()) {
        update_status(c, now, /*observed=*/false, control);
        return counts;
    }
    manage(c, now, control, counts);
    // rollingUpdate runs in the same sync only if manage's writes are already observed: always
    // in the unit-test harness, never in a cluster where observation takes a watch latency.
    if (expectations_satisfied() && c.daemonset(owner_).strategy.rolling()) {
        rolling_update(c, now, control, counts);
    }
    update_status(c, now, /*observed=*/true, control);
    return counts;
}

void DaemonSetController::counted_pods(const Cluster& c, NodeId node,
                                       std::vector<PodId>& out) const {
    out.clear();
    for (PodId id : c.pods_on(node)) {
        if (mine(c.pod(id)) && c.pod(id).counted_by_controller()) out.push_back(id);
    }
}

DaemonSetController::UpdatedPods DaemonSetController::find_updated_pods_on_node(
    const Cluster& c, NodeId node) const {
    UpdatedPods r;
    const std::uint16_t current = c.daemonset(owner_).current_revision;
    for (PodId id : c.pods_on(node)) {
        const Pod& p = c.pod(id);
        if (!mine(p) || !p.counted_by_controller() || p.terminating()) continue;
        PodId& slot = p.revision == current ? r.new_pod : r.old_pod;
        if (slot != kNoPod) return UpdatedPods{kNoPod, kNoPod, false};
        slot = id;
    }
    return r;
}

template <class T>
void DaemonSetController::keep_random(std::vector<T>& v, std::size_t k) {
    if (k >= v.size()) {
        // Order does not matter when all are kept; shuffle only when a subset is chosen.
        return;
    }
    for (std::size_t i = 0; i < k; ++i) {
        const std::size_t j = i + static_cast<std::size_t>(rng_.below(v.size() - i));
        std::swap(v[i], v[j]);
    }
    v.resize(k);
}

void DaemonSetController::manage(Cluster& c, SimTime now, PodControl& control,
                                 SyncCounts& counts) {
    counts.ran_manage = true;
    DaemonSetState& ds = c.daemonset(owner_);
    const bool surge = allows_surge(ds.strategy);
    // failedPodsBackoffKey is per DaemonSet, status.observedGeneration and node. Keyed here on
    // the generation, which observedGeneration equals from the first sync after a change on
    // (upstream's unit tests never advance it; see docs/model.md).
    if (failed_backoff_generation_ != ds.generation) {
        std::fill(failed_backoff_.begin(), failed_backoff_.end(), BackoffEntry{});
        failed_backoff_generation_ = ds.generation;
    }
    to_create_.clear();
    to_delete_.clear();
    const auto by_age = [&c](PodId a, PodId b) { return oldest_first(c.pod(a), c.pod(b)); };

    for_nodes(c, [&](NodeId node) {
        const Eligibility e = ds.eligibility[node];
        counted_pods(c, node, pods_);
        const bool exists = !pods_.empty();
        if (e.should_run && !exists) {
            to_create_.push_back(node);
        } else if (e.should_continue) {
            // podsShouldBeOnNode: failed pods are deleted (with backoff), succeeded pods
            // deleted, the rest are running.
            std::size_t running = 0;
            for (PodId id : pods_) {
                const Pod& p = c.pod(id);
                if (p.terminating()) continue;
                if (p.phase == PodPhase::Failed) {
                    BackoffEntry& b = failed_backoff_[node];
                    if (kFailedPodBackoff.in_backoff_since_update(b, now)) {
                        control.enqueue_after(b.backoff);
                        continue;
                    }
                    kFailedPodBackoff.next(b, now, now);
                    control.record_event(ControllerEventKind::FailedDaemonPod, id);
                    ++counts.events;
                    to_delete_.push_back(id);
                } else if (p.phase == PodPhase::Succeeded) {
                    control.record_event(ControllerEventKind::SucceededDaemonPod, id);
                    ++counts.events;
                    to_delete_.push_back(id);
                } else {
                    pods_[running++] = id;
                }
            }
            pods_.resize(running);
            if (!surge) {
                // More than one running pod: keep the oldest, delete the rest. A node whose only
                // pod is terminating gets no replacement here (TestDaemonSetRespectsTermination).
                if (pods_.size() <= 1) return;
                std::sort(pods_.begin(), pods_.end(), by_age);
                to_delete_.insert(to_delete_.end(), pods_.begin() + 1, pods_.end());
                return;
            }
            if (pods_.size() <= 1) {
                // Surging: a node needs one non-deleted pod, even while an old one terminates.
                if (pods_.empty() && e.should_run) to_create_.push_back(node);
                return;
            }
            // Keep the oldest new pod and the oldest old pod; delete every other pod. Then delete
            // the old one if it is not Ready, or if the new one is available.
            std::sort(pods_.begin(), pods_.end(), by_age);
            PodId oldest_new = kNoPod;
            PodId oldest_old = kNoPod;
            for (PodId id : pods_) {
                PodId& slot = c.pod(id).revision == ds.current_revision ? oldest_new : oldest_old;
                if (slot == kNoPod) {
                    slot = id;
                } else {
                    to_delete_.push_back(id);
                }
            }
            if (oldest_new != kNoPod && oldest_old != kNoPod) {
                if (!c.pod(oldest_old).ready ||
                    is_pod_available(c.pod(oldest_new), ds.min_ready_seconds, now)) {
                    to_delete_.push_back(oldest_old);
                }
            }
        } else if (exists) {
            // Should not even continue running (affinity no longer matches, an untolerated
            // NoExecute taint): delete every pod that is not already being deleted.
            for (PodId id : pods_) {
                if (!c.pod(id).terminating()) to_delete_.push_back(id);
            }
        }
    });
    sync_nodes(c, control, counts);
}

void DaemonSetController::sync_nodes([[maybe_unused]] Cluster& c, PodControl& control, SyncCounts& counts) {
    // The node list and the pod list come from informer caches in map order; when the burst cap
    // bites, which ones make it is therefore random.
    keep_random(to_create_, kBurstReplicas);
    keep_random(to_delete_, kBurstReplicas);
    pending_creates_ += static_cast<int>(to_create_.size());
    pending_deletes_ += static_cast<int>(to_delete_.size());
    for (NodeId node : to_create_) control.create_pod(node);
    for (PodId id : to_delete_) {
        ROLLSIM_ASSERT(c.pod(id).live());
        control.delete_pod(id);
    }
    counts.creates += static_cast<int>(to_create_.size());
    counts.deletes += static_cast<int>(to_delete_.size());
    to_create_.clear();
    to_delete_.clear();
}

void DaemonSetController::rolling_update(Cluster& c, SimTime now, PodControl& control,
                                         SyncCounts& counts) {
    counts.ran_rolling_update = true;
    const DaemonSetState& ds = c.daemonset(owner_);
    std::int32_t desired = 0;
    if (incremental_) {
        desired = quiet_count_ + waiting_count_ + draining_count_ + active_should_run_;  // Inert: none
    } else {
        for (const Eligibility& e : ds.eligibility) desired += e.should_run ? 1 : 0;
    }
    const Budgets b = resolve_budgets(ds.strategy, desired);
    to_create_.clear();
    to_delete_.clear();
    counts.surge = b.max_surge != 0;
    counts.budget_max = counts.surge ? b.max_surge : b.max_unavailable;
    counts.budget_used = counts.surge ? rolling_update_surge(c, now, b.max_surge, desired)
                                      : rolling_update_no_surge(c, now, b.max_unavailable);
    sync_nodes(c, control, counts);
}

std::int32_t DaemonSetController::rolling_update_no_surge(Cluster& c, SimTime now,
                                                  std::int32_t max_unavailable) {
    const DaemonSetState& ds = c.daemonset(owner_);
    // Waiting and Draining nodes are unavailable (node classes, in the header).
    std::int32_t num_unavailable = incremental_ ? waiting_count_ + draining_count_ : 0;
    candidates_.clear();
    for_nodes(c, [&](NodeId node) {
        // The map holds nodes with pods, plus an empty entry for every node that should run one.
        const bool has_entry = ds.eligibility[node].should_run ||
                               std::any_of(c.pods_on(node).begin(), c.pods_on(node).end(),
                                           [&](PodId id) { return mine(c.pod(id)) && c.pod(id).counted_by_controller(); });
        if (!has_entry) return;
        const UpdatedPods u = find_updated_pods_on_node(c, node);
        if (!u.ok) {
            ++num_unavailable;  // excess pods: manage prunes them; the node counts unavailable
            return;
        }
        if ((u.old_pod == kNoPod) == (u.new_pod == kNoPod)) {
            // Empty, terminating-only, or old and new side by side: unavailable.
            ++num_unavailable;
        } else if (u.new_pod != kNoPod) {
            if (!is_pod_available(c.pod(u.new_pod), ds.min_ready_seconds, now)) ++num_unavailable;
        } else if (!is_pod_available(c.pod(u.old_pod), ds.min_ready_seconds, now)) {
            // An unavailable old pod is replaced without limit; since PR #123233 it also uses
            // one unit of budget.
            to_delete_.push_back(u.old_pod);
            if (version_.unavailable_old_pods_use_budget()) ++num_unavailable;
        } else {
            candidates_.push_back(u.old_pod);
        }
    });
    // Upstream collects candidates in random map order and takes the first
    // max(0, maxUnavailable - numUnavailable); that is a uniformly random subset of that size of
    // the available old pods (see docs/model.md), which is what is drawn here.
    const std::int32_t remaining = std::max(0, max_unavailable - num_unavailable);
    choose(candidates_, static_cast<std::size_t>(remaining), [&c](PodId id) { return c.pod(id).node; },
           [this](NodeId node) { return quiet_pod_[node]; });
    to_delete_.insert(to_delete_.end(), candidates_.begin(), candidates_.end());
    return num_unavailable;
}

std::int32_t DaemonSetController::rolling_update_surge(Cluster& c, SimTime now, std::int32_t max_surge,
                                               std::int32_t desired) {
    const DaemonSetState& ds = c.daemonset(owner_);
    const bool check_should_run = version_.surge_skips_nodes_that_should_not_run();
    std::int32_t num_surge = 0;
    std::int32_t num_available = 0;
    candidate_nodes_.clear();
    should_not_run_.clear();
    for_nodes(c, [&](NodeId node) {
        const bool has_entry = ds.eligibility[node].should_run ||
                               std::any_of(c.pods_on(node).begin(), c.pods_on(node).end(),
                                           [&](PodId id) { return mine(c.pod(id)) && c.pod(id).counted_by_controller(); });
        if (!has_entry) return;
        const UpdatedPods u = find_updated_pods_on_node(c, node);
        if (!u.ok) {
            ++num_surge;
            return;
        }
        if (u.old_pod != kNoPod) {
            num_available += is_pod_available(c.pod(u.old_pod), ds.min_ready_seconds, now) ? 1 : 0;
        } else if (u.new_pod != kNoPod) {
            num_available += is_pod_available(c.pod(u.new_pod), ds.min_ready_seconds, now) ? 1 : 0;
        }
        if (u.old_pod == kNoPod) return;  // empty or new-only: manage's business
        const bool should_run = ds.eligibility[node].should_run;
        if (u.new_pod == kNoPod) {
            if (!is_pod_available(c.pod(u.old_pod), ds.min_ready_seconds, now)) {
                if (check_should_run && !should_run) {
                    to_delete_.push_back(u.old_pod);
                    return;
                }
                // An unavailable old pod gets its replacement now, beyond maxSurge.
                to_create_.push_back(node);
            } else {
                if (check_should_run && !should_run) {
                    should_not_run_.push_back(u.old_pod);
                    return;
                }
                candidate_nodes_.push_back(node);
            }
        } else if (!is_pod_available(c.pod(u.new_pod), ds.min_ready_seconds, now)) {
            ++num_surge;  // waiting for the surge pod: it holds a surge slot, Pending or not
        } else {
            to_delete_.push_back(u.old_pod);  // the new pod is available: retire the old one
        }
    });
    if (incremental_) num_available += quiet_count_;  // every Quiet node's pod is available
    if (check_should_run) {
        // Old available pods on nodes that should no longer run one go only while the pods
        // available elsewhere exceed desiredNumberScheduled.
        const std::int32_t deletable = num_available - desired;
        if (deletable > 0) {
            keep_random(should_not_run_, static_cast<std::size_t>(deletable));
            to_delete_.insert(to_delete_.end(), should_not_run_.begin(), should_not_run_.end());
        }
    }
    const std::int32_t remaining = std::max(0, max_surge - num_surge);
    choose(candidate_nodes_, static_cast<std::size_t>(remaining), [](NodeId n) { return n; },
           [](NodeId n) { return n; });
    to_create_.insert(to_create_.end(), candidate_nodes_.begin(), candidate_nodes_.end());
    return num_surge;
}

void DaemonSetController::update_status(Cluster& c, SimTime now, bool observed,
                                        PodControl& control) {
    DaemonSetState& ds = c.daemonset(owner_);
    DaemonSetStatus s;
    s.observed_generation = observed ? ds.generation : ds.status.observed_generation;
    if (incremental_) {
        // Every Quiet node: desired, scheduled, ready and available; updated if current.
        // Waiting and Draining nodes: desired and scheduled, not Ready (node classes, in the header).
        s.desired_number_scheduled = s.current_number_scheduled = quiet_count_ + waiting_count_ + draining_count_;
        // A Draining pod still Ready is available too (Draining allows it only without minReadySeconds).
        s.number_ready = s.number_available = quiet_count_ + draining_ready_;
        s.updated_number_scheduled = quiet_current_ + waiting_count_ + draining_current_;
    }
    for_nodes(c, [&](NodeId node) {
        // Only the oldest pod of a node counts (terminating pods included, until terminal).
        const Pod* oldest = nullptr;
        for (PodId id : c.pods_on(node)) {
            const Pod& p = c.pod(id);
            if (!mine(p) || !p.counted_by_controller()) continue;
            if (oldest == nullptr || oldest_first(p, *oldest)) oldest = &p;
        }
        if (ds.eligibility[node].should_run) {
            ++s.desired_number_scheduled;
            if (oldest == nullptr) return;
            ++s.current_number_scheduled;
            if (oldest->ready) {
                ++s.number_ready;
                if (is_pod_available(*oldest, ds.min_ready_seconds, now)) ++s.number_available;
            }
            if (oldest->revision == ds.current_revision) ++s.updated_number_scheduled;
        } else if (oldest != nullptr) {
            ++s.number_misscheduled;
        }
    });
    s.number_unavailable = s.desired_number_scheduled - s.number_available;
    ds.status = s;
    // A last line of defence against clock skew: resync after minReadySeconds while some
    // ready pods are not yet available.
    if (ds.min_ready_seconds > 0 && s.number_ready != s.number_available) {
        control.enqueue_after(SimTime::seconds(ds.min_ready_seconds));
    }
}

}  // namespace rollsim::model
