#pragma once
/// @file manifest_reader.hpp
/// Reading Kubernetes DaemonSet manifests (apps/v1) into DaemonSetSpec, applying the API
/// server's defaults (SetDefaults_DaemonSet, SetDefaults_PodSpec, SetDefaults_Container,
/// SetDefaults_Probe, defaultHostNetworkPorts) and rejecting what it would reject, with the
/// file, line and key path of the offending field. Fields rollsim does not model are kept in
/// DaemonSetSpec::original_json.

#include <string>
#include <string_view>
#include <vector>

#include "input/yaml_reader.hpp"
#include "rollsim/daemonset.hpp"

namespace rollsim::input {

/// Every object of `kind` in a file of Kubernetes YAML or JSON as kubectl, Helm or Kustomize
/// print it: a multi-document stream (empty documents skipped, other kinds ignored), and the
/// items of a List (`kind: List`, or `NodeList`, `PodList`, …).
std::vector<YamlNode> read_objects(const std::string& file, std::string_view kind);
/// The same from text already read (`file` names it in messages).
std::vector<YamlNode> read_objects_text(const std::string& text, const std::string& file, std::string_view kind);
/// The same, for a file that must hold at least one: fails at the first object of another
/// kind ("kind: Deployment, not a DaemonSet"), or on the file when it holds no object at all.
std::vector<YamlNode> require_objects_text(const std::string& text, const std::string& file, std::string_view kind);

/// Reads the DaemonSet in `file`; when the file holds several, `name` picks one.
DaemonSetSpec read_daemonset_file(const std::string& file, const std::string& name = "");
DaemonSetSpec read_daemonset_text(const std::string& text, const std::string& file, const std::string& name = "");

/// Picks one DaemonSet out of a stream by the review's --name and --namespace (either may be
/// empty); a stream of several with nothing to pick them by names them and the flags.
DaemonSetSpec pick_daemonset_text(const std::string& text, const std::string& file, const std::string& name,
                                  const std::string& namespace_);

/// Reads a DaemonSet from an already parsed node (an inline manifest in a scenario).
DaemonSetSpec read_daemonset(const YamlNode& node);

/// The workload kinds as users write them, for messages.
inline constexpr const char* kWorkloadKinds = "host-port-service, host-network-service, node-agent or host-agent";

/// `host-port-service`, `host-network-service`, `node-agent` or `host-agent`; nothing otherwise.
std::optional<WorkloadKind> parse_workload_kind(const std::string& text);

/// A probe (startupProbe, readinessProbe or livenessProbe) with Kubernetes' defaults.
/// `kind` is "startup", "readiness" or "liveness"; `allow_surface` admits rollsim's `surface`
/// key (scenario probe variants only).
ProbeSpec read_probe(const YamlNode& node, const std::string& kind, bool allow_surface);

/// A resource list (requests, limits, allocatable, capacity, overhead): cpu in millicores,
/// memory in bytes, pods; other resources are checked as quantities and not modelled.
Resources read_resources(const YamlNode& node);

/// A container's requests as the scheduler reads them (SetDefaults_ResourceList: a limit with
/// no request is the request).
Resources container_requests(const YamlNode& container);

/// The YAML as JSON: typed (null, bool, int, float, string) when `typed`, else every scalar a
/// string (for comparing templates).
std::string yaml_to_json(const YamlNode& node, bool typed);

}  // namespace rollsim::input
