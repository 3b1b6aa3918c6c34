#include "conformance/controller_harness.hpp"

#include <doctest/doctest.h>

#include "model/eligibility.hpp"

namespace rollsim::test {

UpdateStrategySpec ControllerHarness::max_unavailable(IntOrString v) {
    return UpdateStrategySpec{"RollingUpdate", true, v, IntOrString::of(0)};
}

UpdateStrategySpec ControllerHarness::max_surge(IntOrString v) {
    return UpdateStrategySpec{"RollingUpdate", true, IntOrString::of(0), v};
}

ControllerHarness::ControllerHarness(int nodes, UpdateStrategySpec strategy,
                                     model::KubeVersion version) {
    for (int i = 0; i < nodes; ++i) {
        NodeSpec n;
        n.name = "node-" + std::to_string(i);
        n.allocatable = Resources{4000, 8LL << 30, 100};
        nodes_.push_back(n);
    }
    cluster_.reset(nodes_.size());
    dsc_.reset(version, kernel::Rng{7}, nodes_.size());
    set_strategy(strategy);
    recompute_eligibility();
}

void ControllerHarness::set_strategy(const UpdateStrategySpec& s) {
    const auto check = model::default_and_validate(s);
    REQUIRE_MESSAGE(check.ok(), "harness strategy must be valid");
    cluster_.daemonset().strategy = check.strategy;
}

void ControllerHarness::update_template() {
    auto& ds = cluster_.daemonset();
    ++ds.current_revision;
    ++ds.generation;
}

void ControllerHarness::recompute_eligibility() {
    const auto tolerations = model::daemon_pod_tolerations(template_);
    auto& e = cluster_.daemonset().eligibility;
    e.clear();
    for (const auto& n : nodes_) e.push_back(model::node_should_run_daemon_pod(n, template_, tolerations));
}

void ControllerHarness::set_taints(NodeId n, std::vector<Taint> taints) {
    nodes_[n].taints = std::move(taints);
    recompute_eligibility();
}

void ControllerHarness::set_template_tolerations(std::vector<Toleration> t) {
    template_.tolerations = std::move(t);
    recompute_eligibility();
}

void ControllerHarness::set_node_selector(std::map<std::string, std::string> s) {
    template_.node_selector = std::move(s);
    recompute_eligibility();
}

model::SyncCounts ControllerHarness::sync() { return dsc_.sync(cluster_, now_, *this); }

void ControllerHarness::mark_pods_ready() {
    for (std::size_t id = 0; id < cluster_.pod_slots(); ++id) {
        auto& p = cluster_.pod(static_cast<PodId>(id));
        if (!p.live() || p.ready) continue;
        p.ready = true;
        p.ready_since = now_.floor_to_second();
        p.phase = PodPhase::Running;
    }
}

PodId ControllerHarness::add_pod(NodeId node, PodPhase phase, bool ready) {
    const PodId id = cluster_.add_pod(node, cluster_.daemonset().current_revision, now_, ++names_);
    auto& p = cluster_.pod(id);
    p.phase = phase;
    p.scheduled = true;
    p.ready = ready;
    p.ready_since = now_.floor_to_second();
    direct_uids_.insert(p.uid);
    return id;
}

PodId ControllerHarness::add_old_pod(NodeId node, bool ready) {
    const PodId id = add_pod(node, PodPhase::Running, ready);
    cluster_.pod(id).revision = 0xffff;  // a revision that is never current
    return id;
}

int ControllerHarness::live_pods() const {
    int n = 0;
    for (std::size_t id = 0; id < cluster_.pod_slots(); ++id) n += cluster_.pod(static_cast<PodId>(id)).live();
    return n;
}

void ControllerHarness::create_pod(NodeId node) {
    // fakePodControl.CreatePods: in the store at once, no status; CreationObserved at once.
    cluster_.add_pod(node, cluster_.daemonset().current_revision, now_, ++names_);
    dsc_.creation_observed();
}

void ControllerHarness::delete_pod(PodId pod) {
    // fakePodControl.DeletePod: gone from the store at once (no terminating phase), unless the
    // pod was put there directly with podStore.Add.
    if (direct_uids_.count(cluster_.pod(pod).uid) == 0) cluster_.remove_pod(pod);
    dsc_.deletion_observed();
}

}  // namespace rollsim::test
