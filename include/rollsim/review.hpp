#pragma once
/// @file review.hpp
/// Pre-change review (docs/review.md): the current and proposed DaemonSets, checked for the
/// known traps statically and confirmed by simulation, as findings with a severity, the
/// evidence and the fix.
///
/// Example:
/// @code
///   rollsim::ReviewInput in;
///   in.current_file = "live.yaml";
///   in.proposed_file = "change.yaml";
///   const rollsim::ReviewSetup setup = rollsim::review_scenario(in);
///   const rollsim::Review r = rollsim::review(setup, {});
///   std::cout << rollsim::review_markdown(r);
///   return r.blocking() ? 3 : 0;
/// @endcode

#include <optional>
#include <string>
#include <vector>

#include "rollsim/report.hpp"
#include "rollsim/run.hpp"
#include "rollsim/scenario.hpp"

namespace rollsim {

struct ReviewInput {
    std::string current_file;   ///< the live DaemonSet (kubectl get ds -o yaml, or the repo's manifest)
    std::string proposed_file;  ///< the changed one
    std::string nodes_file;     ///< optional: kubectl get nodes -o yaml|json
    std::string pods_file;      ///< optional: kubectl get pods -A -o yaml|json
    std::string scenario_file;  ///< optional: workload, traffic, cluster and limits from a scenario
    /// optional: the new revision's start-to-serving time, `90s..180s` (uniform) or `120s`
    std::string serve;
    std::string name;        ///< optional: the DaemonSet to review, in files that hold several
    std::string namespace_;  ///< optional: ... and its namespace
    /// optional: what the DaemonSet is (host-port-service, host-network-service, node-agent,
    /// host-agent), instead of what rollsim infers
    std::string workload;
    /// Without a node list or scenario: how many synthetic nodes the live DaemonSet selects.
    int synthetic_nodes = 3;
    /// optional: suppressions (`.rollsim.yaml`, docs/review.md "Suppressing a finding"); empty:
    /// `.rollsim.yaml` in the current directory when there is one
    std::string config_file;
};

/// A finding the user has accepted, with why (the rollsim.io/ignore annotation, .rollsim.yaml).
struct Suppression {
    std::string finding;  ///< its id
    std::string reason;
    SourceRef source;     ///< where it was written
};

/// The scenario a review simulates: the scenario's (or rollsim's default) workload, traffic
/// and limits; the nodes of the node list, the scenario, or three synthetic nodes that the
/// live DaemonSet selects; the proposed strategy and probes beside the safe alternatives.
struct ReviewSetup {
    ScenarioSpec scenario;
    std::string assumptions;  ///< what was assumed for lack of a scenario or node list ("" if nothing)
    std::vector<Suppression> suppressions;
};
/// Throws InputError.
ReviewSetup review_scenario(const ReviewInput& in);

struct Finding {
    enum class Severity : std::uint8_t { Blocking, Warning, Info };
    std::string id;        ///< stable, e.g. "surge-with-host-port"
    Severity severity = Severity::Warning;
    std::string title;     ///< one line, naming the field and value
    std::string evidence;  ///< what the simulation (or the rule) shows, with numbers
    std::string fix;       ///< what to change
    std::string field;     ///< the key of the proposed manifest it is about, e.g. spec.updateStrategy.rollingUpdate.maxSurge
    SourceRef location;    ///< that key's file and line (the deepest part of it the manifest has)
    std::string suppressed;  ///< why it was accepted (a suppression's reason); empty: it counts
};

/// Every finding id review can report (a suppression must name one).
const std::vector<std::string>& finding_ids();

struct Review {
    std::string target;        ///< namespace/name
    std::string assumptions;   ///< what the review assumed for lack of a scenario
    std::vector<Finding> findings;  ///< blocking first
    bool simulated = false;    ///< false when the change cannot be applied at all, or changes nothing
    std::string workload_kind;  ///< what the DaemonSet is (host-port-service, ..., host-agent)
    std::vector<std::string> workload_reasons;  ///< why, each naming the field (or who stated it)
    bool test_copy_isolated = true;  ///< whether a test copy on moved ports is isolated from the live pod
    std::vector<std::string> not_isolated;  ///< why not
    Report report;             ///< every simulated variant; the first is the change as proposed
    /// A blocking finding that is not suppressed.
    bool blocking() const;
    /// What --fail-on decides: "blocking" (the default), "warning" (a warning fails too), "never".
    bool fails(const std::string& fail_on) const;
};

Review review(const ReviewSetup& setup, const RunOptions& options);

/// A pull-request comment: the verdict and summary, the findings, the simulated outage table.
std::string review_markdown(const Review& r);
/// The same as JSON (docs/review.md).
std::string review_json(const Review& r);
/// SARIF 2.1.0 for code scanning: one rule per finding id, each result at its manifest line.
std::string review_sarif(const Review& r);
/// JUnit XML: one test case per finding id that review checks, failed by its unsuppressed findings.
std::string review_junit(const Review& r);

}  // namespace rollsim
