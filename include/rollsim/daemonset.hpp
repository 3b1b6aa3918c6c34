#pragma once
/// @file daemonset.hpp
/// The parts of a Kubernetes DaemonSet (apps/v1) that the simulation reads, as plain structs
/// with Kubernetes' defaults already applied (pkg/apis/apps/v1/defaults.go,
/// pkg/apis/core/v1/defaults.go). The loader fills them from real manifests; the original YAML
/// is kept beside them so that generated manifests can keep every field the user wrote.

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "rollsim/distribution.hpp"

namespace rollsim {

/// How clients reach the DaemonSet's pods (docs/scenario.md, "Traffic").
enum class TrafficMode : std::uint8_t { HostPort, Service, Coverage };
const char* to_string(TrafficMode m);

/// What a DaemonSet is, for advice (docs/review.md, "What the DaemonSet is"): inferred from the
/// manifest by model::profile_workload, or stated by the user.
enum class WorkloadKind : std::uint8_t {
    HostPortService,     ///< serves clients on declared host ports, behind a load balancer or DNS
    HostNetworkService,  ///< serves clients on the node's own network (hostNetwork)
    NodeAgent,           ///< works on its node (metrics, logs): what matters is coverage
    HostAgent,           ///< changes its host: CNI, CSI node plugin, device plugin, kube-proxy
};
const char* to_string(WorkloadKind k);

/// A Kubernetes IntOrString used as "integer or percentage" (maxUnavailable, maxSurge).
struct IntOrPercent {
    std::int32_t value = 0;
    bool percent = false;
    bool operator==(const IntOrPercent&) const = default;
    /// "1" or "25%".
    std::string text() const { return std::to_string(value) + (percent ? "%" : ""); }
};

struct Taint {
    std::string key;
    std::string value;
    std::string effect;  ///< NoSchedule | PreferNoSchedule | NoExecute
    bool operator==(const Taint&) const = default;
};

struct Toleration {
    std::string key;       ///< empty with operator Exists: tolerates every key
    std::string op = "Equal";  ///< Equal | Exists
    std::string value;
    std::string effect;    ///< empty: every effect
    std::optional<std::int64_t> toleration_seconds;
    bool operator==(const Toleration&) const = default;
};

/// One requirement of a node selector term (matchExpressions).
struct NodeSelectorRequirement {
    std::string key;
    std::string op;  ///< In | NotIn | Exists | DoesNotExist | Gt | Lt
    std::vector<std::string> values;
    bool operator==(const NodeSelectorRequirement&) const = default;
};

/// A node selector term: all expressions must match (AND). Terms are ORed.
struct NodeSelectorTerm {
    std::vector<NodeSelectorRequirement> match_expressions;
    std::vector<NodeSelectorRequirement> match_fields;  ///< only metadata.name is meaningful
};

struct ContainerPort {
    std::int32_t container_port = 0;
    std::int32_t host_port = 0;  ///< 0: none (hostNetwork defaulting already applied)
    std::string protocol = "TCP";
    std::string host_ip;  ///< empty means 0.0.0.0
    std::string name;
};

/// Which part of the process a check exercises.
enum class Surface : std::uint8_t {
    Listening,  ///< passes once the process accepts connections
    Serving,    ///< passes only once the real request path works
};

/// A container probe with Kubernetes' defaults applied (SetDefaults_Probe).
struct ProbeSpec {
    enum class Handler : std::uint8_t { HttpGet, TcpSocket, Exec, Grpc };
    Handler handler = Handler::HttpGet;
    std::string path;   ///< httpGet path
    std::string port;   ///< port number or name, as written
    std::vector<std::string> command;  ///< exec command
    std::int32_t initial_delay_seconds = 0;
    std::int32_t period_seconds = 10;
    std::int32_t timeout_seconds = 1;
    std::int32_t success_threshold = 1;
    std::int32_t failure_threshold = 3;
    std::optional<std::int64_t> termination_grace_period_seconds;
    /// What the probe exercises; from the scenario's workload.probeSurface unless a probe
    /// variant states it.
    std::optional<Surface> surface;
};

/// Kubernetes resource amounts in the units the scheduler compares.
struct Resources {
    std::int64_t cpu_milli = 0;
    std::int64_t memory_bytes = 0;
    std::int64_t pods = 0;
    Resources& operator+=(const Resources& o) {
        cpu_milli += o.cpu_milli;
        memory_bytes += o.memory_bytes;
        pods += o.pods;
        return *this;
    }
};

/// Where a value came from, for messages that name the file and line.
struct SourceRef {
    std::string file;
    int line = 0;  ///< 1-based; 0 when unknown
};

/// A volumeMount of a container.
struct VolumeMount {
    std::string name;
    std::string mount_path;
    bool read_only = false;
    std::string mount_propagation;  ///< empty (None), HostToContainer or Bidirectional
};

struct ContainerSpec {
    std::string name;
    std::string image;
    std::vector<std::string> command;  ///< as written
    std::vector<std::string> args;     ///< as written
    std::vector<std::pair<std::string, std::string>> env;  ///< name, literal value (valueFrom: "")
    std::vector<VolumeMount> volume_mounts;
    bool privileged = false;                 ///< securityContext.privileged
    std::vector<std::string> capabilities;   ///< securityContext.capabilities.add
    std::string image_pull_policy;  ///< defaulted: Always for :latest or no tag, else IfNotPresent
    std::vector<ContainerPort> ports;
    Resources requests;
    std::optional<ProbeSpec> startup_probe;
    std::optional<ProbeSpec> readiness_probe;
    std::optional<ProbeSpec> liveness_probe;
    /// preStop hook: present, and for the sleep action its length in seconds.
    bool has_pre_stop = false;
    std::optional<std::int64_t> pre_stop_sleep_seconds;
    /// An init container's restartPolicy: "Always" makes it a sidecar (it starts before the
    /// regular containers and runs beside them); empty otherwise.
    std::string restart_policy;
    bool sidecar() const { return restart_policy == "Always"; }
};

/// A hostPath volume of the pod template (other volume types do not reach the host).
struct HostPathVolume {
    std::string name;
    std::string path;
    std::string type;  ///< as written: "", DirectoryOrCreate, Socket, FileOrCreate, ...
};

/// The pod template (spec.template) as far as scheduling and the kubelet are concerned.
struct PodTemplate {
    std::map<std::string, std::string> labels;
    std::map<std::string, std::string> node_selector;
    std::vector<NodeSelectorTerm> required_node_affinity;  ///< terms ORed; empty: no affinity
    std::vector<Toleration> tolerations;  ///< as written; the controller's defaults are added later
    std::vector<ContainerSpec> containers;
    std::vector<ContainerSpec> init_containers;
    std::vector<HostPathVolume> host_path_volumes;
    bool host_network = false;
    bool host_pid = false;
    std::string node_name;  ///< spec.nodeName in the template (rare)
    std::int64_t termination_grace_period_seconds = 30;
    std::string priority_class_name;
    /// Resolved from priorityClassName by the loader (Priority admission); 0 without one.
    std::int32_t priority = 0;
    bool preempt_never = false;  ///< the class's preemptionPolicy is Never
    std::string restart_policy = "Always";
    bool has_active_deadline_seconds = false;
    /// A canonical serialisation of the whole template; equal strings mean equal revisions.
    std::string canonical;

    /// The container named `name`, or the first when `name` is empty; nullptr when none is.
    const ContainerSpec* find_container(const std::string& name) const {
        for (const auto& c : containers) {
            if (name.empty() || c.name == name) return &c;
        }
        return nullptr;
    }
    /// The first container that declares a hostPort (the one clients reach through it);
    /// empty when none does.
    std::string host_port_container() const {
        for (const auto& c : containers) {
            if (std::any_of(c.ports.begin(), c.ports.end(), [](const ContainerPort& p) { return p.host_port > 0; })) return c.name;
        }
        return {};
    }
    /// The regular container or sidecar named `name`; nullptr when none is.
    const ContainerSpec* find_any_container(const std::string& name) const {
        if (const ContainerSpec* c = find_container(name); c != nullptr && !name.empty()) return c;
        for (const auto& c : init_containers) {
            if (c.sidecar() && c.name == name) return &c;
        }
        return nullptr;
    }
    bool has_host_port() const {
        return std::any_of(containers.begin(), containers.end(), [](const ContainerSpec& c) {
            return std::any_of(c.ports.begin(), c.ports.end(), [](const ContainerPort& p) { return p.host_port > 0; });
        });
    }
};

/// The container rollsim's measures follow when a scenario does not name one: in hostPort mode
/// the one clients reach through the host port, when both revisions have it; else "" (the first).
inline std::string default_modelled_container(const PodTemplate& current, const PodTemplate& proposed, TrafficMode mode) {
    const std::string owner = proposed.host_port_container();
    return mode == TrafficMode::HostPort && !owner.empty() && current.find_container(owner) != nullptr ? owner : "";
}

struct LabelSelector {
    std::map<std::string, std::string> match_labels;
    std::vector<NodeSelectorRequirement> match_expressions;  ///< In | NotIn | Exists | DoesNotExist

    /// labels.SelectorFromSet + the expressions' requirements (apimachinery labels.Selector).
    bool matches(const std::map<std::string, std::string>& labels) const {
        for (const auto& [k, v] : match_labels) {
            const auto it = labels.find(k);
            if (it == labels.end() || it->second != v) return false;
        }
        for (const auto& r : match_expressions) {
            const auto it = labels.find(r.key);
            const bool has = it != labels.end();
            const bool in = has && std::find(r.values.begin(), r.values.end(), it->second) != r.values.end();
            if ((r.op == "In" && !in) || (r.op == "NotIn" && in) || (r.op == "Exists" && !has) ||
                (r.op == "DoesNotExist" && has)) {
                return false;
            }
        }
        return true;
    }
    bool operator==(const LabelSelector&) const = default;
};

/// A Kubernetes IntOrString exactly as written (validation decides what it means).
struct IntOrString {
    bool is_string = false;
    std::int64_t int_value = 0;
    std::string str_value;
    bool operator==(const IntOrString&) const = default;
    static IntOrString of(std::int64_t v) { return IntOrString{false, v, {}}; }
    static IntOrString of(std::string s) { return IntOrString{true, 0, std::move(s)}; }
    /// As Kubernetes prints it: the string, or the integer.
    std::string text() const { return is_string ? str_value : std::to_string(int_value); }
};

/// spec.updateStrategy as written, before the API server's defaulting and validation
/// (sim/model/update_strategy.cpp applies both).
struct UpdateStrategySpec {
    std::string type;  ///< empty: defaulted to RollingUpdate
    bool has_rolling_update = false;
    std::optional<IntOrString> max_unavailable;
    std::optional<IntOrString> max_surge;
    bool operator==(const UpdateStrategySpec&) const = default;
};

/// What the user says about the workload in `rollsim.io/` annotations on the DaemonSet
/// (docs/review.md, "Workload hints"), each with where it was written.
struct WorkloadHints {
    std::optional<WorkloadKind> kind;        ///< rollsim.io/workload
    std::optional<TrafficMode> traffic;      ///< rollsim.io/traffic
    std::optional<DistributionSpec> serve;   ///< rollsim.io/serve: `90s..180s` or `120s`
    std::optional<DistributionSpec> listen;  ///< rollsim.io/listen
    std::optional<DistributionSpec> shutdown;  ///< rollsim.io/shutdown
    /// rollsim.io/ignore: `FINDING: reason` entries, separated by `;` or new lines.
    std::vector<std::pair<std::string, std::string>> ignore;
    SourceRef ignore_source;
    SourceRef kind_source;
};

struct DaemonSetSpec {
    std::string name;
    std::string namespace_ = "default";
    bool namespace_written = false;  ///< metadata.namespace is in the manifest (else kubectl's context decides)
    LabelSelector selector;
    PodTemplate pod_template;
    UpdateStrategySpec update_strategy;
    std::int32_t min_ready_seconds = 0;
    std::int32_t revision_history_limit = 10;
    SourceRef source;
    SourceRef update_strategy_source;  ///< where spec.updateStrategy was written, if it was
    WorkloadHints hints;
    /// The manifest as the user wrote it, serialised as JSON, to be kept by generated manifests.
    std::string original_json;
};

}  // namespace rollsim
