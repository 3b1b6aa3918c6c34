#pragma once
/// @file daemonset_controller.hpp
/// The DaemonSet controller's sync (pkg/controller/daemon): daemon_controller.go syncDaemonSet,
/// manage, podsShouldBeOnNode, syncNodes, updateDaemonSetStatus; update.go rollingUpdate and
/// findUpdatedPodsOnNode. One sync reads the cluster, issues creates and deletes through a
/// PodControl, and writes the DaemonSet's status.
///
/// The same code runs in two harnesses: the simulation, whose PodControl writes to the API and
/// lets the controller observe its writes a watch latency later, and the conformance tests,
/// whose PodControl applies writes at once, as upstream's fakePodControl does
/// (docs/model.md). Which one decides whether rollingUpdate runs in the same sync as a
/// manage that acted: only when the expectations are already satisfied.

#include <cstdint>
#include <vector>

#include "kernel/fenwick.hpp"
#include "kernel/random.hpp"
#include "model/backoff.hpp"
#include "model/cluster.hpp"
#include "model/kube_version.hpp"

namespace rollsim::model {

/// The Kubernetes events the controller records.
enum class ControllerEventKind : std::uint8_t { FailedDaemonPod, SucceededDaemonPod };

/// The controller's writes. Implemented by the simulated API and by the test harness.
class PodControl {
public:
    virtual ~PodControl() = default;
    /// Creates a pod of the DaemonSet's current revision for `node` (CreatePods).
    virtual void create_pod(NodeId node) = 0;
    /// Deletes a pod (DeletePod with empty DeleteOptions: the API chooses the grace period).
    virtual void delete_pod(PodId pod) = 0;
    /// Re-enqueues the DaemonSet after `delay` (workqueue AddAfter).
    virtual void enqueue_after(SimTime delay) = 0;
    /// Records a Kubernetes event about `pod`.
    virtual void record_event(ControllerEventKind kind, PodId pod) = 0;
};

/// What one sync did, for tests and traces (upstream's expectSyncDaemonSets counts).
struct SyncCounts {
    int creates = 0;
    int deletes = 0;
    int events = 0;
    bool ran_manage = false;
    bool ran_rolling_update = false;
    /// The rolling update's budget: maxSurge when it surges, else maxUnavailable; `used` is
    /// numUnavailable (or the surge pods) counted before this sync's own deletes and creates.
    bool surge = false;
    std::int32_t budget_max = 0;
    std::int32_t budget_used = 0;
};

class DaemonSetController {
public:
    /// syncNodes' cap on creates and deletes per sync (BurstReplicas).
    static constexpr std::size_t kBurstReplicas = 250;

    /// Prepares for a new trial. `rng` is the named stream that stands in for Go's randomised
    /// map iteration and the informer's list order.
    /// `owner` is the DaemonSet this controller syncs (Cluster::daemonset(owner)); it sees only
    /// that DaemonSet's pods, as the real one sees only the pods its selector claims.
    void reset(KubeVersion version, kernel::Rng rng, std::size_t node_count, std::uint8_t owner = 0);

    /// syncDaemonSet at controller time `now`.
    SyncCounts sync(Cluster& cluster, SimTime now, PodControl& control);

    /// The status of the pods as they stand, written without acting: the steady state before a
    /// change when the live pods are not as a sync would leave them (starting pods).
    void write_status(Cluster& cluster, SimTime now, PodControl& control) {
        refresh(cluster, now);
        update_status(cluster, now, /*observed=*/true, control);
    }

    /// ControllerExpectations: the informer has seen one of our creates / deletes.
    void creation_observed() {
        if (pending_creates_ > 0) --pending_creates_;
    }
    void deletion_observed() {
        if (pending_deletes_ > 0) --pending_deletes_;
    }
    bool expectations_satisfied() const { return pending_creates_ == 0 && pending_deletes_ == 0; }

    /// kubectl rollout status (rollout_status.go DaemonSetStatusViewer): done when the status
    /// has observed the current generation and every desired node is updated and available.
    static bool rollout_complete(const DaemonSetState& ds);

    /// Incremental mode (the World's; see "Node classes" below): the caller reports every
    /// change through Cluster::touch. Off, every sync examines every node (the conformance
    /// harness, which writes pods directly).
    void set_incremental(bool on) { incremental_ = on; }

private:
    // ---- Node classes. Upstream's sync examines every node; so does this one, in effect, but
    // most nodes are in one of two states whose effect on every step of the sync is known:
    //  - Quiet: the node should run and continue running a pod, and has exactly one pod of this
    //    DaemonSet, Running, not deleted, and available. manage does nothing there; the rolling
    //    update counts it available, and an old-revision one is a candidate for replacement; the
    //    status counts it desired, scheduled, ready, available (and updated if current).
    //  - Waiting: the node should run and continue running a pod, and has exactly one pod of
    //    this DaemonSet, of the current revision, not deleted, not failed or succeeded, and not
    //    Ready (Pending, pulling, starting): manage does nothing, the rolling update counts it
    //    unavailable (and not as a surge pod or a candidate), the status desired, scheduled and
    //    updated.
    //  - Draining (without surge only): the node should run a pod, and its only pod of this
    //    DaemonSet is deleted, not yet terminal, and not Ready or Ready without minReadySeconds:
    //    manage waits for it, the rolling update counts the node unavailable, the status desired
    //    and scheduled (ready and available while it is Ready; updated if current).
    //  - Inert: no pod of this DaemonSet, and none should run: nothing anywhere.
    //  - Active: anything else, examined in full by every sync.
    // A node's class can change only when the node is touched, or, for an Active node, with
    // time (minReadySeconds, back-off): touched and Active nodes are re-examined at each sync,
    // and everything is when the template, the strategy or minReadySeconds changes. With
    // ROLLSIM_CHECKS, syncs of small clusters check every class against a fresh examination.
    enum class NodeClass : std::uint8_t { Active, Inert, Quiet, Waiting, Draining };
    NodeClass classify(const Cluster& c, NodeId node, SimTime now, PodId* quiet_pod) const;
    void refresh(Cluster& c, SimTime now);
    void set_class(const Cluster& c, NodeId node, NodeClass k, PodId quiet_pod);
    /// Calls f(node) for each node a sync must examine, in node order: every node, or in
    /// incremental mode the Active ones.
    template <class F>
    void for_nodes(const Cluster& c, F f) const;
    /// The rolling update's candidates are the examined ones (`examined`, in node order, each
    /// on node `key(item)`) and, unlisted, the Quiet old-revision nodes (item `quiet_item(node)`),
    /// merged in node order. choose() leaves in `examined` what keep_random(merged, k) would
    /// leave, drawing the same numbers, in O(k log nodes): a Fenwick tree ranks the nodes, and a
    /// small table holds the positions keep_random's swaps displace.
    template <class Key, class QuietItem>
    void choose(std::vector<std::uint32_t>& examined, std::size_t k, Key key, QuietItem quiet_item);

    void manage(Cluster& c, SimTime now, PodControl& control, SyncCounts& counts);
    void rolling_update(Cluster& c, SimTime now, PodControl& control, SyncCounts& counts);
    /// Both return the budget in use before this sync acts (numUnavailable, numSurge).
    std::int32_t rolling_update_no_surge(Cluster& c, SimTime now, std::int32_t max_unavailable);
    std::int32_t rolling_update_surge(Cluster& c, SimTime now, std::int32_t max_surge,
                              std::int32_t desired);
    void update_status(Cluster& c, SimTime now, bool observed, PodControl& control);
    /// syncNodes: issues the creates and deletes collected in `to_create_` / `to_delete_`,
    /// each capped at kBurstReplicas, and raises the expectations.
    void sync_nodes(Cluster& c, PodControl& control, SyncCounts& counts);

    /// The pods of `node` the controller's map holds (getNodesToDaemonPods), into `out`.
    void counted_pods(const Cluster& c, NodeId node, std::vector<PodId>& out) const;
    /// findUpdatedPodsOnNode over the non-deleted pods of a node.
    struct UpdatedPods {
        PodId new_pod = kNoPod;
        PodId old_pod = kNoPod;
        bool ok = true;
    };
    UpdatedPods find_updated_pods_on_node(const Cluster& c, NodeId node) const;
    /// Keeps a uniformly random `k` of `v` (in random order); stands in for taking the first k
    /// in Go's map iteration order.
    template <class T>
    void keep_random(std::vector<T>& v, std::size_t k);

    /// Whether a pod is one of this controller's DaemonSet's.
    bool mine(const Pod& p) const { return p.owner == owner_; }

    KubeVersion version_;
    std::uint8_t owner_ = 0;
    kernel::Rng rng_{0};
    int pending_creates_ = 0;
    int pending_deletes_ = 0;
    std::vector<BackoffEntry> failed_backoff_;  ///< per node, for the current observedGeneration
    std::int64_t failed_backoff_generation_ = -1;
    // Scratch, reused by every sync so that syncing does not allocate.
    std::vector<NodeId> to_create_;
    std::vector<PodId> to_delete_;
    std::vector<PodId> candidates_;
    std::vector<NodeId> candidate_nodes_;
    std::vector<PodId> should_not_run_;
    std::vector<PodId> pods_;
    // Node classes (incremental mode)
    bool incremental_ = false;
    bool stale_ = true;
    std::int64_t seen_generation_ = -1;
    std::uint16_t seen_revision_ = 0;
    std::int32_t seen_min_ready_ = 0;
    bool seen_surge_ = false;
    std::vector<NodeClass> class_;
    std::vector<PodId> quiet_pod_;      ///< per Quiet node: its pod
    std::vector<bool> quiet_updated_;   ///< per Quiet or Draining node: its pod has the current revision
    std::vector<bool> listed_;          ///< per node: in active_ (while refreshing)
    std::vector<NodeId> active_;        ///< the Active nodes, in node order
    std::vector<NodeId> recheck_;
    std::vector<std::uint32_t> merged_;
    kernel::FenwickFlags quiet_old_;             ///< Quiet nodes whose pod is of an old revision
    std::vector<std::int64_t> displaced_key_;    ///< choose(): open-addressing table, -1 = empty
    std::vector<std::uint32_t> displaced_val_;
    std::int32_t quiet_count_ = 0;
    std::int32_t quiet_current_ = 0;    ///< Quiet nodes whose pod has the current revision
    std::int32_t waiting_count_ = 0;
    std::int32_t draining_count_ = 0;
    std::int32_t draining_current_ = 0; ///< Draining nodes whose pod has the current revision
    std::int32_t draining_ready_ = 0;   ///< Draining nodes whose pod is still Ready
    std::vector<bool> draining_ready_flag_;
    std::int32_t active_should_run_ = 0;
};

}  // namespace rollsim::model
