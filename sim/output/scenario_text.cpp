// `rollsim validate`: a scenario as rollsim resolved it, and the variants it will run.

#include <map>

#include <fmt/format.h>

#include "experiment/variants.hpp"
#include "rollsim/io.hpp"

namespace rollsim {

namespace {

/// The cluster events, the second change and the rollbacks.
std::string events_text(const ScenarioSpec& s) {
    std::string out;
    for (const auto& e : s.events) {
        std::vector<std::string> names;
        for (std::uint32_t n : e.nodes) names.push_back(s.nodes[n].name);
        if (names.size() > 5) names.resize(5), names.push_back("…");
        out += fmt::format("  event: {} {} on {}{}\n", to_string(e.kind),
                           e.rate_per_hour ? fmt::format("{}/h per node", *e.rate_per_hour)
                                           : fmt::format("at {}s", e.at.to_seconds()),
                           fmt::join(names, ", "),
                           e.duration ? fmt::format(", for {}s", e.duration->to_seconds()) : std::string());
    }
    if (s.second_change) {
        const auto& c = s.second_change->daemonset.pod_template.containers;
        std::vector<std::string> images;
        for (const auto& k : c) images.push_back(k.name + ": " + k.image);
        out += fmt::format("  event: Apply a second change at {}s ({})\n", s.second_change->at.to_seconds(),
                           fmt::join(images, ", "));
    }
    for (const auto& r : s.rollbacks) {
        std::string when;
        if (r.at) {
            when = fmt::format("at {}s", r.at->to_seconds());
        } else if (r.not_complete_after) {
            when = fmt::format("if the rollout is not complete after {}s", r.not_complete_after->to_seconds());
        } else if (r.error_seconds_over) {
            when = fmt::format("once client errors pass {} node-seconds (checked every 10 s)", *r.error_seconds_over);
        } else if (r.unavailable_nodes_over) {
            when = fmt::format("once more than {} node(s) are unavailable for {}s (checked every 10 s)",
                               *r.unavailable_nodes_over, r.for_.to_seconds());
        }
        out += fmt::format("  event: Rollback (kubectl rollout undo) {}\n", when);
    }
    return out;
}

/// How the live pods stand when the change lands (startingPods, or the pods file's own pods).
std::string starting_pods_text(const ScenarioSpec& s, const experiment::Plan& plan) {
    std::string out;
    if (!s.starting_pods.empty()) {
        out += "  live pods when the change is applied (the rest Ready):\n";
        // Imported pods, one entry per node, grouped by state; nodes that do not run the pod
        // (no Missing pod there) left out.
        const model::VariantModel* m = plan.begin() == plan.end() ? nullptr : &(*plan.begin())->model;
        std::map<std::string, std::vector<std::string>> from_list;
        for (const StartingPods& sp : s.starting_pods) {
            if (!sp.imported) continue;
            const std::uint32_t n = sp.nodes.front();
            if (sp.state == StartingPods::State::Missing && m != nullptr && !m->old_eligibility[n].should_run) continue;
            std::string how = to_string(sp.state);
            if (sp.state == StartingPods::State::CrashLoopBackOff) how += fmt::format(" ({} restarts)", sp.restarts);
            if (sp.older) how += ", of an earlier template";
            from_list[how].push_back(s.nodes[n].name);
        }
        for (const auto& [how, names] : from_list) {
            const std::size_t shown = std::min<std::size_t>(names.size(), 5);
            out += fmt::format("    {}: {} node(s) in cluster.podsFile: {}{}\n", how, names.size(),
                               fmt::join(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(shown), ", "),
                               names.size() > shown ? fmt::format(" and {} more", names.size() - shown) : "");
        }
        for (const StartingPods& sp : s.starting_pods) {
            if (sp.imported) continue;
            std::string how = to_string(sp.state);
            if (sp.state == StartingPods::State::CrashLoopBackOff) how += fmt::format(" ({} restarts)", sp.restarts);
            if (sp.older) how += ", of an earlier template";
            if (sp.state == StartingPods::State::Terminating) {
                how += sp.grace_left ? fmt::format(" ({} of grace left)", sp.grace_left->to_seconds()) : " (just deleted)";
            }
            if (!sp.nodes.empty()) {
                std::vector<std::string> names;
                for (std::uint32_t n : sp.nodes) names.push_back(s.nodes[n].name);
                out += fmt::format("    {}: on {}\n", how, fmt::join(names, ", "));
            } else {
                const std::string of = sp.pool.empty() ? "the eligible nodes" : "the eligible nodes of pool " + sp.pool;
                out += fmt::format("    {}: {} of {}, drawn in each trial\n", how,
                                   sp.percent ? fmt::format("{}%", *sp.percent) : std::to_string(sp.count), of);
            }
        }
    }
    return out;
}

}  // namespace

std::string describe_scenario(const ScenarioSpec& s, const experiment::Plan& plan) {
    std::string out;
    out += fmt::format("scenario {} ({})\n", s.name, s.file);
    out += fmt::format("  kubernetes {}, seed {}, {} trials, horizon {}s\n", s.kubernetes_version,
                       s.seed, s.trials, s.horizon.to_seconds());
    out += fmt::format("  cluster: {} nodes\n", s.nodes.size());
    for (const auto& p : s.node_pools) {
        out += fmt::format("    pool {}: {} x (cpu {}m, memory {}Mi, pods {}; reserved cpu {}m, memory {}Mi)\n",
                           p.name, p.count, p.allocatable.cpu_milli, p.allocatable.memory_bytes >> 20,
                           p.allocatable.pods, p.reserved.cpu_milli, p.reserved.memory_bytes >> 20);
    }
    std::size_t imported = 0;
    for (const auto& n : s.nodes) {
        if (n.pool != "imported") continue;
        if (++imported > 20) continue;
        const auto arch = n.labels.find("kubernetes.io/arch");
        std::string taints;
        for (const auto& t : n.taints) taints += fmt::format("{}{}:{}", taints.empty() ? "" : ", ", t.key, t.effect);
        std::string held;
        for (const auto& p : n.pods) {
            for (const auto& h : p.host_ports) held += fmt::format(", hostPort {}/{} held by {}", h.port, h.protocol, p.name);
        }
        const Resources others = n.requested_by_others();
        out += fmt::format("    node {} ({}): cpu {}m, memory {}Mi, pods {}; reserved cpu {}m, memory {}Mi, pods {}{}{}\n",
                           n.name, arch == n.labels.end() ? "no arch label" : arch->second, n.allocatable.cpu_milli,
                           n.allocatable.memory_bytes >> 20, n.allocatable.pods, others.cpu_milli,
                           others.memory_bytes >> 20, others.pods, taints.empty() ? "" : "; taints " + taints, held);
    }
    if (imported > 20) out += fmt::format("    … and {} more imported nodes\n", imported - 20);
    std::size_t other_pods = 0;
    for (const auto& n : s.nodes) other_pods += n.pods.size();
    if (other_pods > 0) out += fmt::format("  other pods: {} on {} nodes\n", other_pods, s.nodes.size());
    if (s.priority_classes.size() > 2) {
        out += "  priority classes:";
        for (std::size_t i = 2; i < s.priority_classes.size(); ++i) {
            const auto& c = s.priority_classes[i];
            out += fmt::format(" {} ({}{}{})", c.name, c.value, c.global_default ? ", globalDefault" : "",
                               c.preempt_never ? ", preemptionPolicy Never" : "");
        }
        out += "\n";
    }
    out += fmt::format("  DaemonSet priority: {}{}\n", s.proposed.pod_template.priority,
                       s.proposed.pod_template.priority_class_name.empty()
                           ? ""
                           : " (" + s.proposed.pod_template.priority_class_name + ")");
    if (s.registry.bandwidth > 0) {
        out += fmt::format("  registry: {}Mi/s shared{}\n", s.registry.bandwidth >> 20,
                           s.registry.node_bandwidth > 0 ? fmt::format(", {}Mi/s per node", s.registry.node_bandwidth >> 20)
                                                         : std::string());
    }
    if (s.workload.config_backend.concurrency > 0) {
        out += fmt::format("  config backend: {} at a time, {} each\n", s.workload.config_backend.concurrency,
                           s.workload.config_backend.time.describe());
    }
    out += events_text(s);
    out += fmt::format("  latencies: watch {}ms, schedule {}ms, sandbox {}ms, statusUpdate {}ms, pleg {}ms\n",
                       s.latencies.watch.ms(), s.latencies.schedule.ms(), s.latencies.sandbox.ms(),
                       s.latencies.status_update.ms(), s.latencies.pleg.ms());
    for (const auto* ds : {&s.current, &s.proposed}) {
        out += fmt::format("  {} DaemonSet {}/{} ({}):\n", ds == &s.current ? "current" : "proposed",
                           ds->namespace_, ds->name, ds->source.file);
        // In the kubelet's start order: the sidecars, then the regular containers.
        std::vector<const ContainerSpec*> order;
        for (const auto& c : ds->pod_template.init_containers) {
            if (c.sidecar()) order.push_back(&c);
        }
        for (const auto& c : ds->pod_template.containers) order.push_back(&c);
        const ContainerSpec* modelled = ds->pod_template.find_container(s.workload.container);
        for (const ContainerSpec* c : order) {
            out += fmt::format("    {} {}{}: {} ({})", c->sidecar() ? "sidecar" : "container", c->name,
                               order.size() > 1 && c == modelled ? " (its traffic is measured)" : "", c->image,
                               c->image_pull_policy);
            for (const auto& p : c->ports) {
                if (p.host_port > 0) out += fmt::format(", hostPort {}/{}", p.host_port, p.protocol);
            }
            for (const auto& [label, probe] : {std::pair{"startup", &c->startup_probe},
                                               std::pair{"readiness", &c->readiness_probe},
                                               std::pair{"liveness", &c->liveness_probe}}) {
                if (*probe) {
                    out += fmt::format(", {} every {}s (delay {}s, failureThreshold {})", label,
                                       (*probe)->period_seconds, (*probe)->initial_delay_seconds,
                                       (*probe)->failure_threshold);
                }
            }
            out += "\n";
        }
    }
    out += starting_pods_text(s, plan);
    const auto behaviour_text = [](const Behaviour& b) {
        std::string text = fmt::format("imagePull {}, listen {}, serve {}, shutdown {}", b.image_pull.describe(),
                                       b.listen.describe(), b.serve.describe(), b.shutdown.describe());
        if (b.image_size > 0) text += fmt::format(", image {}Mi", b.image_size >> 20);
        if (!b.image_architectures.empty()) text += fmt::format(", image for {} only", fmt::join(b.image_architectures, ", "));
        if (b.after_restart) text += ", behaves differently after a restart";
        return text;
    };
    out += "  workload (current): " + behaviour_text(s.workload.current) + "\n";
    out += "  workload (proposed): " + behaviour_text(s.workload.proposed) + "\n";
    for (const auto& [name, b] : s.workload.current_containers) {
        out += fmt::format("  workload, container {} (current): {}\n", name, behaviour_text(b));
        out += fmt::format("  workload, container {} (proposed): {}\n", name,
                           behaviour_text(s.workload.proposed_containers.at(name)));
    }
    const char* modes[] = {"hostPort", "service", "coverage"};
    out += fmt::format("  traffic: {}", modes[static_cast<int>(s.traffic.mode)]);
    if (s.traffic.mode == TrafficMode::HostPort) {
        const auto& h = s.traffic.health_check;
        out += h.enabled ? fmt::format(", health check every {}s ({} down, {} up, {})", h.interval.to_seconds(),
                                       h.unhealthy_threshold, h.healthy_threshold,
                                       h.surface == Surface::Serving ? "serving" : "listening")
                         : ", no health check";
    }
    out += "\n  variants:\n";
    for (const auto& v : plan) {
        out += fmt::format("    {} x {}: ", v->strategy_name, v->probes_name);
        if (!v->accepted) {
            out += v->not_applicable ? "NOT APPLICABLE: " + *v->not_applicable + "\n" : "REJECTED: " + *v->rejection + "\n";
        } else {
            out += v->strategy_text;
            if (v->min_ready_seconds > 0) out += fmt::format(", minReadySeconds {}", v->min_ready_seconds);
            out += v->template_changed ? "\n" : " (template unchanged: nothing to roll)\n";
        }
    }
    return out;
}

}  // namespace rollsim
