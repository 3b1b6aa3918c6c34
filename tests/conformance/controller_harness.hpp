#pragma once
/// The conformance harness: the DaemonSet controller driven one sync at a time, like upstream's
/// daemon_controller_test.go (newTestController, fakePodControl, expectSyncDaemonSets). Its
/// PodControl applies creates and deletes at once and observes them at once, so rollingUpdate
/// runs in the same sync as manage (docs/model.md).

#include <set>
#include <string>
#include <vector>

#include "model/daemonset_controller.hpp"

namespace rollsim::test {

using model::Cluster;
using model::NodeId;
using model::PodId;
using model::PodPhase;

class ControllerHarness : public model::PodControl {
public:
    /// `nodes` plain nodes node-0 … node-N-1 (Ready, untainted, 100 pods), a DaemonSet whose
    /// template has no tolerations, and the strategy given (upstream's newDaemonSet: OnDelete).
    explicit ControllerHarness(int nodes, UpdateStrategySpec strategy = on_delete(),
                               model::KubeVersion version = {});

    static UpdateStrategySpec on_delete() { return UpdateStrategySpec{"OnDelete", false, {}, {}}; }
    static UpdateStrategySpec max_unavailable(IntOrString v);
    static UpdateStrategySpec max_surge(IntOrString v);

    /// One syncHandler call.
    model::SyncCounts sync();
    /// Sets the strategy without a template change (the hash stays).
    void set_strategy(const UpdateStrategySpec& s);
    /// A template change: a new revision becomes current; generation goes up.
    void update_template();
    /// Replaces node `n`'s taints / labels and recomputes eligibility for the template.
    void set_taints(NodeId n, std::vector<Taint> taints);
    void set_template_tolerations(std::vector<Toleration> t);
    void set_node_selector(std::map<std::string, std::string> s);

    /// markPodsReady / setPodReadiness: every live pod Ready since now.
    void mark_pods_ready();
    /// podStore.Add: a pod of `revision` (default: current) placed directly; deletes of such
    /// pods are counted but they stay in the store, as upstream's fake does.
    PodId add_pod(NodeId node, PodPhase phase = PodPhase::Running, bool ready = false);
    PodId add_old_pod(NodeId node, bool ready);

    void advance(SimTime d) { now_ += d; }
    SimTime now() const { return now_; }
    Cluster& cluster() { return cluster_; }
    int live_pods() const;
    const std::vector<SimTime>& requeues() const { return requeues_; }

    // PodControl
    void create_pod(NodeId node) override;
    void delete_pod(PodId pod) override;
    void enqueue_after(SimTime delay) override { requeues_.push_back(delay); }
    void record_event(model::ControllerEventKind, PodId) override {}

private:
    void recompute_eligibility();

    std::vector<NodeSpec> nodes_;
    PodTemplate template_;
    Cluster cluster_;
    model::DaemonSetController dsc_;
    std::set<std::uint32_t> direct_uids_;
    std::vector<SimTime> requeues_;
    SimTime now_ = SimTime::seconds(1000);
    std::uint64_t names_ = 0;
};

}  // namespace rollsim::test
