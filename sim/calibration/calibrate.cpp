// rollsim calibrate (docs/calibration.md): what a cluster's records say about its DaemonSet's
// processes.
//
//  - image pulls: the kubelet's Pulled events (pkg/kubelet/images/image_manager.go
//    EnsureImageExists): `Successfully pulled image "IMG" in 6.248s (6.248s including waiting).
//    Image size: N bytes.` (v1.30 on), without the size before, and without the waiting time in
//    older kubelets; `Container image "IMG" already present on machine` is a cache hit;
//  - container start to Ready: containerStatuses[].state.running.startedAt and the pod's Ready
//    condition's lastTransitionTime (both whole seconds);
//  - restarts: restartCount; failed probes: Unhealthy events (prober.go: "Readiness probe
//    failed: ...", "Liveness probe failed: ...", "Startup probe failed: ..."), with their count;
//    crash-loops: BackOff events.

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "calibration/fit.hpp"
#include "calibration/records.hpp"
#include "input/manifest_reader.hpp"
#include "input/source.hpp"
#include "input/units.hpp"
#include "input/yaml_reader.hpp"
#include "rollsim/error.hpp"

namespace rollsim {

namespace {

using input::YamlNode;

constexpr std::size_t kFewSamples = 20;

std::optional<YamlNode> at(const std::optional<YamlNode>& n, std::string_view key) {
    return n && n->is_map() ? n->get(key) : std::nullopt;
}

using calibration::text_of;
using calibration::time_of;

/// The DaemonSet that owns a pod ("NS/NAME"), or "".
std::string owner_of(const YamlNode& meta) {
    const auto refs = meta.get("ownerReferences");
    if (!refs || !refs->is_seq()) return "";
    for (const auto& r : refs->items()) {
        if (text_of(r.get("kind")) == "DaemonSet") return text_of(meta.get("namespace")) + "/" + text_of(r.get("name"));
    }
    return "";
}

struct PodSeen {
    std::string image;
    std::optional<std::int64_t> started_ms;
    std::optional<std::int64_t> ready_ms;
    std::optional<YamlNode> ready_node;  ///< the Ready condition, for messages
};

class Reader {
public:
    explicit Reader(const CalibrateInput& in) : in_(in) {
        c_.pods_file = in.pods_file;
        c_.events_file = in.events_file;
    }

    Calibration run() {
        read_pods();
        if (!in_.events_file.empty()) read_events();
        fit_all();
        return std::move(c_);
    }

private:
    void read_pods() {
        const std::string text = input::read_input_file(in_.pods_file);
        const std::vector<YamlNode> pods = input::read_objects_text(text, in_.pods_file, "Pod");
        // Which DaemonSet: the one named, else the only one that owns pods here.
        std::set<std::string> owners;
        for (const YamlNode& p : pods) {
            if (const std::string o = owner_of(p.require("metadata")); !o.empty()) owners.insert(o);
        }
        if (in_.daemonset.empty()) {
            if (owners.empty()) {
                throw InputError(in_.pods_file, 0, "", "no pod here is owned by a DaemonSet (ownerReferences)");
            }
            if (owners.size() > 1) {
                throw InputError(in_.pods_file, 0, "",
                                 fmt::format("pods of {} DaemonSets ({}): say which with --daemonset NS/NAME", owners.size(),
                                             fmt::join(owners, ", ")));
            }
            c_.daemonset = *owners.begin();
        } else {
            const bool qualified = in_.daemonset.find('/') != std::string::npos;
            for (const std::string& o : owners) {
                if (qualified ? o == in_.daemonset : o.substr(o.find('/') + 1) == in_.daemonset) c_.daemonset = o;
            }
            if (c_.daemonset.empty()) {
                throw InputError("--daemonset", 0, "",
                                 fmt::format("no pod in {} is owned by DaemonSet {} (the DaemonSets there: {})", in_.pods_file,
                                             in_.daemonset, owners.empty() ? "none" : fmt::format("{}", fmt::join(owners, ", "))));
            }
        }
        for (const YamlNode& p : pods) {
            const YamlNode meta = p.require("metadata");
            if (owner_of(meta) != c_.daemonset) continue;
            read_pod(p, meta);
        }
        c_.counts.pods = pods_.size();
    }

    void read_pod(const YamlNode& p, const YamlNode& meta) {
        const YamlNode spec = p.require("spec");
        const YamlNode containers = spec.require("containers");
        if (c_.container.empty()) {
            c_.container = in_.container.empty() ? containers.items().front().require("name").str() : in_.container;
        }
        PodSeen seen;
        for (const auto& k : containers.items()) {
            if (k.require("name").str() == c_.container) seen.image = k.require("image").str();
        }
        if (seen.image.empty()) {
            containers.fail(fmt::format("pod {} has no container named \"{}\"", meta.require("name").str(), c_.container));
        }
        const auto status = p.get("status");
        if (const auto statuses = at(status, "containerStatuses"); statuses && statuses->is_seq()) {
            for (const auto& cs : statuses->items()) {
                if (text_of(cs.get("name")) != c_.container) continue;
                if (const auto rc = cs.get("restartCount"); rc && !rc->is_null()) c_.counts.restarts += rc->integer();
                if (const auto started = at(at(cs.get("state"), "running"), "startedAt"); started && !started->is_null()) {
                    seen.started_ms = time_of(*started);
                }
            }
        }
        if (const auto conditions = at(status, "conditions"); conditions && conditions->is_seq()) {
            for (const auto& cond : conditions->items()) {
                if (text_of(cond.get("type")) != "Ready" || text_of(cond.get("status")) != "True") continue;
                if (const auto t = cond.get("lastTransitionTime"); t && !t->is_null()) {
                    seen.ready_ms = time_of(*t);
                    seen.ready_node = *t;
                }
            }
        }
        const std::string key = text_of(meta.get("namespace")) + "/" + meta.require("name").str();
        pods_.emplace(key, std::move(seen));
    }

    void read_events() {
        const std::string text = input::read_input_file(in_.events_file);
        const std::vector<YamlNode> events = input::read_objects_text(text, in_.events_file, "Event");
        std::map<std::string, std::size_t> others;  ///< what the events are about instead
        for (const YamlNode& e : events) {
            const auto obj = e.get("involvedObject") ? e.get("involvedObject") : e.get("regarding");
            const std::string kind = text_of(at(obj, "kind"));
            const std::string key = text_of(at(obj, "namespace")) + "/" + text_of(at(obj, "name"));
            if (kind != "Pod" || pods_.count(key) == 0) {
                ++others[kind.empty() ? "?" : kind];
                continue;
            }
            ++c_.counts.events;
            // The container an event is about: fieldPath spec.containers{NAME}.
            const std::string field = text_of(at(obj, "fieldPath"));
            const auto open = field.find('{');
            const std::string container = open == std::string::npos ? "" : field.substr(open + 1, field.size() - open - 2);
            if (!container.empty() && container != c_.container) continue;
            const std::string reason = text_of(e.get("reason"));
            const std::string message = text_of(e.get("message")) + text_of(e.get("note"));
            std::int64_t count = 1;
            if (const auto n = e.get("count"); n && !n->is_null()) count = std::max<std::int64_t>(1, n->integer());
            if (reason == "Pulled") {
                pulled(e, message);
            } else if (reason == "Unhealthy") {
                for (const char* kind_of : {"Readiness", "Liveness", "Startup"}) {
                    if (message.rfind(std::string(kind_of) + " probe", 0) == 0) {
                        std::string k = kind_of;
                        k[0] = static_cast<char>(k[0] - 'A' + 'a');
                        c_.counts.unhealthy[k] += count;
                    }
                }
            } else if (reason == "BackOff" && message.find("restarting failed container") != std::string::npos) {
                c_.counts.back_offs += count;
            }
        }
        if (!events.empty() && c_.counts.events == 0) {
            std::vector<std::string> what;
            for (const auto& [kind, n] : others) what.push_back(fmt::format("{} {}", n, kind));
            throw InputError(in_.events_file, 0, "",
                             fmt::format("none of its {} events is about a pod of DaemonSet {} (they are about: {}); give "
                                         "the events of the DaemonSet's namespace",
                                         events.size(), c_.daemonset, fmt::join(what, ", ")));
        }
    }

    void pulled(const YamlNode& e, const std::string& message) {
        static constexpr std::string_view kPulled = "Successfully pulled image \"";
        static constexpr std::string_view kPresent = "Container image \"";
        if (message.rfind(kPresent, 0) == 0 && message.find("already present on machine") != std::string::npos) {
            ++c_.counts.cache_hits;
            return;
        }
        if (message.rfind(kPulled, 0) != 0) return;
        const auto close = message.find('"', kPulled.size());
        const auto in = close == std::string::npos ? close : message.find(" in ", close);
        if (in == std::string::npos) {
            e.require("message").fail("a Pulled event without its pull time (\"... in 6.2s\")");
        }
        const std::string image = message.substr(kPulled.size(), close - kPulled.size());
        const auto start = in + 4;
        const auto end = message.find(' ', start);
        const std::string token = message.substr(start, end == std::string::npos ? std::string::npos : end - start);
        const auto seconds = input::parse_go_duration(token);
        if (!seconds) e.require("message").fail(fmt::format("\"{}\" is not a Go duration", token));
        pulls_[image].push_back(*seconds);
        ++c_.counts.pulls;
    }

    void fit_all() {
        for (auto& [image, samples] : pulls_) {
            add("imagePull", image, std::move(samples),
                "a pull on a cache miss, from the kubelet's Pulled events: the pull itself, not the wait for earlier pulls");
        }
        std::map<std::string, std::vector<double>> to_ready;
        for (const auto& [name, p] : pods_) {
            if (!p.started_ms || !p.ready_ms) continue;
            if (*p.ready_ms < *p.started_ms) {
                p.ready_node->fail(fmt::format("pod {} is Ready {} s before its container {} started: the clocks "
                                               "disagree (clock skew), so its start to Ready cannot be measured",
                                               name, static_cast<double>(*p.started_ms - *p.ready_ms) / 1000.0, c_.container));
            }
            to_ready[p.image].push_back(static_cast<double>(*p.ready_ms - *p.started_ms) / 1000.0);
        }
        for (auto& [image, samples] : to_ready) {
            add("startToReady", image, std::move(samples),
                "container start to the pod's Ready condition (whole seconds): an upper bound of `serve` when the readiness "
                "probe checks the serving path (up to one probe period late), of `listen` when it checks the socket");
        }
        if (in_.events_file.empty()) {
            c_.not_observed.push_back("imagePull: no --events given (the kubelet's Pulled events say how long pulls take)");
        } else if (pulls_.empty()) {
            c_.not_observed.push_back(fmt::format(
                "imagePull: no Pulled event with a pull time ({} cache hit(s)); events expire after an hour by default "
                "(kube-apiserver --event-ttl)",
                c_.counts.cache_hits));
        }
        if (to_ready.empty()) {
            c_.not_observed.push_back("startToReady: no pod with both a running container's startedAt and a Ready condition");
        }
        c_.not_observed.push_back("listen: when the process accepts connections (no record shows it)");
        c_.not_observed.push_back("shutdown: SIGTERM to exit (a Killing event shows the kill, not the exit)");
        c_.not_observed.push_back("faults: which starts crash or never serve (restarts and failed probes only count them)");
    }

    void add(const char* name, const std::string& image, std::vector<double> samples, const char* meaning) {
        FittedQuantity q = calibration::fit_samples(std::move(samples));
        q.name = name;
        q.image = image;
        q.meaning = meaning;
        if (q.n < kFewSamples) {
            c_.warnings.push_back(fmt::format("only {} sample(s) of {} for {}: too few for a fit you can trust; record more "
                                              "pods or keep the events longer (docs/calibration.md)",
                                              q.n, name, image));
        }
        c_.quantities.push_back(std::move(q));
    }

    const CalibrateInput& in_;
    Calibration c_;
    std::map<std::string, PodSeen> pods_;  ///< NS/NAME -> what its status shows
    std::map<std::string, std::vector<double>> pulls_;  ///< image -> pull seconds
};

}  // namespace

Calibration calibrate(const CalibrateInput& in) { return Reader(in).run(); }

}  // namespace rollsim
