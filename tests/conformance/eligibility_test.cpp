// Conformance: NodeShouldRunDaemonPod (daemon_controller.go), the controller's default
// tolerations (daemonset_util.go AddOrUpdateDaemonPodTolerations) and node affinity matching.

#include <doctest/doctest.h>

#include "model/eligibility.hpp"

namespace rollsim::test {

using model::Eligibility;
using model::node_should_run_daemon_pod;

namespace {
Eligibility eligibility(const NodeSpec& n, const PodTemplate& t) {
    return node_should_run_daemon_pod(n, t, model::daemon_pod_tolerations(t));
}
NodeSpec node(std::map<std::string, std::string> labels = {}, std::vector<Taint> taints = {}) {
    NodeSpec n;
    n.name = "node-0";
    n.labels = std::move(labels);
    n.taints = std::move(taints);
    return n;
}
}  // namespace

TEST_SUITE("eligibility.TestNodeShouldRunDaemonPod") {

TEST_CASE("plain node: should run and continue") {
    CHECK(eligibility(node(), PodTemplate{}) == Eligibility{true, true});
}

TEST_CASE("nodeSelector mismatch: (false, false)") {
    PodTemplate t;
    t.node_selector = {{"role", "edge"}};
    CHECK(eligibility(node({{"role", "core"}}), t) == Eligibility{false, false});
    CHECK(eligibility(node({{"role", "edge"}}), t) == Eligibility{true, true});
}

TEST_CASE("untolerated NoSchedule: (false, true), untolerated NoExecute: (false, false)") {
    CHECK(eligibility(node({}, {Taint{"k", "v", "NoSchedule"}}), PodTemplate{}) ==
          Eligibility{false, true});
    CHECK(eligibility(node({}, {Taint{"k", "v", "NoExecute"}}), PodTemplate{}) ==
          Eligibility{false, false});
    CHECK(eligibility(node({}, {Taint{"k", "v", "PreferNoSchedule"}}), PodTemplate{}) ==
          Eligibility{true, true});
}

TEST_CASE("default tolerations: NotReady node (both taints) keeps pods but gets none") {
    const auto n = node({}, {Taint{"node.kubernetes.io/not-ready", "", "NoSchedule"},
                             Taint{"node.kubernetes.io/not-ready", "", "NoExecute"}});
    CHECK(eligibility(n, PodTemplate{}) == Eligibility{false, true});
}

TEST_CASE("network-unavailable is tolerated only with hostNetwork") {
    const auto n = node({}, {Taint{"node.kubernetes.io/network-unavailable", "", "NoSchedule"}});
    PodTemplate t;
    CHECK(eligibility(n, t) == Eligibility{false, true});
    t.host_network = true;
    CHECK(eligibility(n, t) == Eligibility{true, true});
}

TEST_CASE("a toleration with operator Exists and no key tolerates everything") {
    PodTemplate t;
    t.tolerations = {Toleration{"", "Exists", "", "", {}}};
    CHECK(eligibility(node({}, {Taint{"a", "b", "NoExecute"}}), t) == Eligibility{true, true});
}

TEST_CASE("Equal toleration needs the value, effect must match when given") {
    PodTemplate t;
    t.tolerations = {Toleration{"dedicated", "Equal", "edge", "NoSchedule", {}}};
    CHECK(eligibility(node({}, {Taint{"dedicated", "edge", "NoSchedule"}}), t).should_run);
    CHECK_FALSE(eligibility(node({}, {Taint{"dedicated", "core", "NoSchedule"}}), t).should_run);
    CHECK_FALSE(eligibility(node({}, {Taint{"dedicated", "edge", "NoExecute"}}), t).should_continue);
}

TEST_CASE("required node affinity: In, NotIn, Exists, DoesNotExist, Gt, Lt") {
    const auto with = [](std::string op, std::vector<std::string> values) {
        PodTemplate t;
        t.required_node_affinity = {
            NodeSelectorTerm{{NodeSelectorRequirement{"k", std::move(op), std::move(values)}}, {}}};
        return t;
    };
    const auto n5 = node({{"k", "5"}});
    const auto none = node();
    CHECK(eligibility(n5, with("In", {"4", "5"})).should_run);
    CHECK_FALSE(eligibility(n5, with("In", {"4"})).should_run);
    CHECK(eligibility(none, with("NotIn", {"5"})).should_run);  // a missing key is NotIn
    CHECK_FALSE(eligibility(n5, with("NotIn", {"5"})).should_run);
    CHECK(eligibility(n5, with("Exists", {})).should_run);
    CHECK(eligibility(none, with("DoesNotExist", {})).should_run);
    CHECK(eligibility(n5, with("Gt", {"4"})).should_run);
    CHECK_FALSE(eligibility(n5, with("Gt", {"5"})).should_run);
    CHECK(eligibility(n5, with("Lt", {"6"})).should_run);
    CHECK_FALSE(eligibility(node({{"k", "x"}}), with("Lt", {"6"})).should_run);  // not an integer
    CHECK_FALSE(eligibility(none, with("Gt", {"1"})).should_run);
}

TEST_CASE("affinity terms are ORed, expressions within a term ANDed, matchFields on metadata.name") {
    PodTemplate t;
    t.required_node_affinity = {
        NodeSelectorTerm{{NodeSelectorRequirement{"a", "Exists", {}},
                          NodeSelectorRequirement{"b", "Exists", {}}},
                         {}},
        NodeSelectorTerm{{}, {NodeSelectorRequirement{"metadata.name", "In", {"node-0"}}}}};
    CHECK(eligibility(node({{"a", "1"}}), t).should_run);  // second term, by name
    NodeSpec other = node({{"a", "1"}});
    other.name = "node-9";
    CHECK_FALSE(eligibility(other, t).should_run);
    other.labels["b"] = "2";
    CHECK(eligibility(other, t).should_run);
}

TEST_CASE("template spec.nodeName pins the pod to one node") {
    PodTemplate t;
    t.node_name = "node-1";
    CHECK(eligibility(node(), t) == Eligibility{false, false});
}

}  // TEST_SUITE

}  // namespace rollsim::test
