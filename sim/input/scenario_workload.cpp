// How the DaemonSet's processes behave (docs/scenario.md, "workload"): the modelled container's
// behaviour per revision, and the pod's other containers' where they differ.

#include "input/scenario_workload.hpp"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "input/manifest_reader.hpp"
#include "input/scenario_cluster.hpp"

namespace rollsim::input {

Surface read_surface(const YamlNode& n) {
    const std::string s = n.str();
    if (s == "serving") return Surface::Serving;
    if (s == "listening") return Surface::Listening;
    n.fail(fmt::format("must be serving or listening, not \"{}\"", s));
}

namespace {

/// The behaviour keys shared by workload and workload.proposed.
void behaviour(const YamlNode& n, Behaviour& b) {
    if (auto v = n.get("imagePull")) b.image_pull = v->distribution();
    if (auto v = n.get("imageCheck")) b.image_check = v->distribution();
    if (auto v = n.get("listen")) b.listen = v->distribution();
    if (auto v = n.get("serve")) b.serve = v->distribution();
    if (auto v = n.get("shutdown")) b.shutdown = v->distribution();
    if (auto v = n.get("preStop")) b.pre_stop = v->distribution();
    if (auto v = n.get("preStopDrains")) b.pre_stop_drains = v->boolean();
    if (auto v = n.get("imageSize")) b.image_size = v->quantity(0);
    if (auto v = n.get("imageArchitectures")) {
        b.image_architectures.clear();
        for (const auto& a : v->items()) b.image_architectures.push_back(a.str());
        if (b.image_architectures.empty()) v->fail("list at least one architecture (amd64, arm64, ...)");
    }
    if (auto ps = n.get("probeSurface")) {
        ps->allow_keys({"readiness", "liveness", "startup"});
        if (auto v = ps->get("readiness")) b.readiness_surface = read_surface(*v);
        if (auto v = ps->get("liveness")) b.liveness_surface = read_surface(*v);
        if (auto v = ps->get("startup")) b.startup_surface = read_surface(*v);
    }
    if (auto f = n.get("faults")) {
        f->allow_keys({"crashOnStart", "crashOnStartAfter", "neverServes", "crashAfterServing", "crashAfter"});
        if (auto v = f->get("crashOnStart")) b.crash_on_start = v->probability();
        if (auto v = f->get("neverServes")) b.never_serves = v->probability();
        if (auto v = f->get("crashAfterServing")) b.crash_after_serving = v->probability();
        if (auto v = f->get("crashAfter")) b.crash_after = v->distribution();
        if (auto v = f->get("crashOnStartAfter")) b.crash_on_start_after = v->distribution();
    }
}

/// afterRestart: overrides for restarted containers, on top of `base`.
std::shared_ptr<const Behaviour> after_restart(const YamlNode& n, const Behaviour& base) {
    n.allow_keys({"imagePull", "imageCheck", "listen", "serve", "shutdown", "preStop", "faults"});
    auto b = std::make_shared<Behaviour>(base);
    b->after_restart.reset();
    behaviour(n, *b);
    return std::shared_ptr<const Behaviour>(std::move(b));
}

/// workload.containers: each named container (or sidecar) on top of the workload's behaviour;
/// its `proposed` on top of the workload's proposed behaviour and its own keys.
void read_container_workloads(const YamlNode& list, ScenarioSpec& s) {
    s.workload.containers_source = SourceRef{list.file(), list.line()};
    const std::string modelled = s.proposed.pod_template.find_container(s.workload.container)->name;
    for (const auto& [name, n] : list.entries()) {
        n.allow_keys({"imagePull", "imageCheck", "imageSize", "imageArchitectures", "listen", "serve", "shutdown",
                      "preStop", "preStopDrains", "probeSurface", "faults", "afterRestart", "proposed"});
        if (name == modelled) {
            n.fail(fmt::format("\"{}\" is the container rollsim models: its behaviour is workload's own keys; name "
                               "the pod's other containers here", name));
        }
        if (s.current.pod_template.find_any_container(name) == nullptr &&
            s.proposed.pod_template.find_any_container(name) == nullptr) {
            std::vector<std::string> names;
            for (const DaemonSetSpec* ds : {&s.current, &s.proposed}) {
                for (const auto& c : ds->pod_template.containers) names.push_back(c.name);
                for (const auto& c : ds->pod_template.init_containers) {
                    if (c.sidecar()) names.push_back(c.name + " (sidecar)");
                }
            }
            std::sort(names.begin(), names.end());
            names.erase(std::unique(names.begin(), names.end()), names.end());
            n.fail(fmt::format("the DaemonSet has no container or sidecar named \"{}\" (it has: {})", name,
                               fmt::join(names, ", ")));
        }
        Behaviour current = s.workload.current;
        current.after_restart.reset();  // workload.afterRestart is the modelled container's
        behaviour(n, current);
        if (auto ar = n.get("afterRestart")) current.after_restart = after_restart(*ar, current);
        Behaviour proposed = s.workload.proposed;
        proposed.after_restart.reset();
        behaviour(n, proposed);
        if (auto p = n.get("proposed")) {
            p->allow_keys({"imagePull", "imageCheck", "imageSize", "imageArchitectures", "listen", "serve", "shutdown",
                           "preStop", "preStopDrains", "probeSurface", "faults", "afterRestart"});
            behaviour(*p, proposed);
            if (auto ar = p->get("afterRestart")) proposed.after_restart = after_restart(*ar, proposed);
        }
        if (!proposed.after_restart) {
            if (auto ar = n.get("afterRestart")) proposed.after_restart = after_restart(*ar, proposed);
        }
        s.workload.current_containers.emplace(name, std::move(current));
        s.workload.proposed_containers.emplace(name, std::move(proposed));
    }
}

/// How the process behaves, per revision.
}  // namespace

void read_workload(const YamlNode& spec, ScenarioSpec& s) {
    if (auto w = spec.get("workload")) {
        w->allow_keys({"container", "kind", "imagePull", "imageCheck", "imageSize", "imageArchitectures", "listen",
                       "serve", "shutdown", "preStop", "preStopDrains", "probeSurface", "faults", "afterRestart", "configBackend",
                       "proposed", "containers"});
        if (auto c = w->get("container")) s.workload.container = c->str();
        if (auto k = w->get("kind")) {
            s.workload.kind = input::parse_workload_kind(k->str());
            if (!s.workload.kind) {
                k->fail(fmt::format("\"{}\": must be {}", k->str(), input::kWorkloadKinds));
            }
            s.workload.kind_source = SourceRef{k->file(), k->line()};
        }
        behaviour(*w, s.workload.current);
        s.workload.proposed = s.workload.current;
        if (auto ar = w->get("afterRestart")) s.workload.current.after_restart = after_restart(*ar, s.workload.current);
        if (auto p = w->get("proposed")) {
            p->allow_keys({"imagePull", "imageCheck", "imageSize", "imageArchitectures", "listen", "serve", "shutdown",
                           "preStop", "preStopDrains", "probeSurface", "faults", "afterRestart"});
            behaviour(*p, s.workload.proposed);
            if (auto ar = p->get("afterRestart")) {
                s.workload.proposed.after_restart = after_restart(*ar, s.workload.proposed);
            } else if (auto car = w->get("afterRestart")) {
                s.workload.proposed.after_restart = after_restart(*car, s.workload.proposed);
            }
        }
        if (auto cb = w->get("configBackend")) s.workload.config_backend = input::read_config_backend(*cb);
    }
    if (s.workload.container.empty()) {
        s.workload.container = default_modelled_container(s.current.pod_template, s.proposed.pod_template, s.traffic.mode);
    }
    for (const DaemonSetSpec* ds : {&s.current, &s.proposed}) {
        if (ds->pod_template.find_container(s.workload.container) == nullptr) {
            spec.require("workload").require("container").fail(
                fmt::format("the DaemonSet in {} has no container named \"{}\"", ds->source.file,
                            s.workload.container));
        }
    }
    if (auto w = spec.get("workload"); w && w->get("containers")) read_container_workloads(w->require("containers"), s);
}


}  // namespace rollsim::input
