#include "experiment/stall_words.hpp"

#include <vector>

#include <fmt/format.h>

#include "experiment/words.hpp"

namespace rollsim::experiment {

using model::PodTrouble;
using model::Stall;

namespace {

/// A test pod's trouble, as the operator reports it.
std::string test_pod_words(const Stall& s) {
    switch (s.trouble) {
        case PodTrouble::Pending: return "Pending: " + s.message;
        case PodTrouble::ImageNeverPull: return "image absent and imagePullPolicy Never";
        case PodTrouble::ImagePullBackOff: return s.message;
        case PodTrouble::CrashLoopBackOff: return fmt::format("CrashLoopBackOff ({} restarts)", s.restarts);
        case PodTrouble::RunningNotServing: return "running, not serving";
        case PodTrouble::NotRunning: return "not running";
        default: return "no test pod";
    }
}

/// A stuck new pod's trouble: {key, reason with "{}" where the node's name goes}.
StallWords new_pod_words(const Stall& s) {
    const std::string who = std::string(s.surge ? "surge pod" : "new pod") +
                            (s.container.empty() ? "" : fmt::format(" (container {})", s.container));
    switch (s.trouble) {
        case PodTrouble::Pending:
            return {fmt::format("{} Pending: {}", who, s.message), fmt::format("{} Pending on {{}}: {}", who, s.message)};
        case PodTrouble::ImageNeverPull:
            return {"new pod cannot start: image absent and imagePullPolicy Never",
                    "new pod on {} cannot start: image absent and imagePullPolicy Never"};
        case PodTrouble::ImagePullBackOff:
            return {fmt::format("{} in {}", who, s.message),
                    fmt::format("{} on {{}} in {} ({} in ImagePullBackOff)", who, s.message, count_words(s.count, "node"))};
        case PodTrouble::CrashLoopBackOff:
            return {fmt::format("{} in CrashLoopBackOff", who),
                    fmt::format("{} on {{}} in CrashLoopBackOff ({} restarts)", who, s.restarts)};
        case PodTrouble::StartupProbe:
            return {fmt::format("{} never passes its startup probe", who),
                    fmt::format("{} on {{}} never passes its startup probe", who)};
        default: {
            const char* surface = s.readiness_surface == Surface::Serving ? "serving" : "listening";
            return {fmt::format("{} never becomes Ready: readiness probe ({}) keeps failing", who, surface),
                    fmt::format("{} on {{}} never becomes Ready: readiness probe ({}) keeps failing", who, surface)};
        }
    }
}

}  // namespace

StallWords stall_words(const model::TrialOutcome& o, const model::VariantModel& v) {
    const Stall& s = *o.stall;
    const auto& nodes = *v.nodes;
    const std::string horizon = s.at_horizon ? "not finished at the horizon: " : "";
    const auto same = [&](const std::string& text) { return StallWords{horizon + text, horizon + text}; };
    const auto naming = [&](const StallWords& w) {
        return StallWords{horizon + w.key, horizon + fmt::format(fmt::runtime(w.reason), nodes[s.node].name)};
    };
    switch (s.kind) {
        case Stall::Kind::BatchTimeout: {
            std::vector<std::string> names;
            for (model::NodeId node : s.nodes) names.push_back(nodes[node].name);
            return same(fmt::format("operator stopped: batch of {} not Ready after {}s ({})", s.nodes.size(),
                                    v.plan.timeout.whole_seconds(), fmt::join(names, ", ")));
        }
        case Stall::Kind::TestCaught:
            return same(fmt::format("the test caught the change before the public rollout: the test pods did not "
                                    "serve within {}s ({}: {})",
                                    v.plan.timeout.whole_seconds(), s.node == model::kNoNode ? "?" : nodes[s.node].name,
                                    test_pod_words(s)));
        case Stall::Kind::OnDelete:
            return {horizon + "OnDelete: old pods are replaced only when something deletes them",
                    horizon + fmt::format("OnDelete: {} {} replaced only when something deletes them",
                                          count_words(s.count, "old pod"), s.count == 1 ? "is" : "are")};
        case Stall::Kind::NewPod:
            return naming(new_pod_words(s));
        case Stall::Kind::StuckTerminating:
            return naming(
                {fmt::format("old pod stuck Terminating on a node that is {}: it holds the maxUnavailable budget",
                             s.node_gone ? "gone" : "unreachable"),
                 fmt::format("old pod stuck Terminating on {{}}, which is {}: it holds the maxUnavailable "
                             "budget until the node returns or its Node object is deleted",
                             s.node_gone ? "deleted (PodGC has not removed its pods)" : "unreachable")});
        case Stall::Kind::RolledBack: {
            const RollbackAction& a = (*v.rollbacks)[static_cast<std::size_t>(s.count)];
            const std::string why =
                a.at                   ? fmt::format("at {}s (kubectl rollout undo)", a.at->to_seconds())
                : a.not_complete_after ? fmt::format("not complete after {}s", a.not_complete_after->to_seconds())
                : a.error_seconds_over ? fmt::format("client errors passed {} node-seconds", *a.error_seconds_over)
                                       : fmt::format("more than {} unavailable for {}s", count_words(*a.unavailable_nodes_over, "node"),
                                                     a.for_.to_seconds());
            return same("rolled back: " + why);
        }
        case Stall::Kind::Incomplete:
            break;
    }
    return {horizon + "rollout incomplete",
            horizon + fmt::format("rollout incomplete: {} of {} nodes updated, {} unavailable", o.updated,
                                  o.desired, o.unavailable)};
}

}  // namespace rollsim::experiment
