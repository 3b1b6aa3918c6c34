#include "experiment/variants.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include <fmt/ranges.h>

#include "experiment/words.hpp"
#include "kernel/distribution.hpp"
#include "rollsim/error.hpp"

#include "model/eligibility.hpp"
#include "model/update_strategy.hpp"

namespace rollsim::experiment {

namespace {

std::string probe_text(const std::optional<ProbeSpec>& p) {
    if (!p) return "none";
    return fmt::format("{}:{}:{}:{}:{}:{}:{}:{}:{}:{}", static_cast<int>(p->handler), p->path,
                       p->port, p->initial_delay_seconds, p->period_seconds, p->timeout_seconds,
                       p->success_threshold, p->failure_threshold,
                       p->termination_grace_period_seconds.value_or(-1),
                       p->surface ? static_cast<int>(*p->surface) : -1);
}

/// Probes sized by rollsim: startup and readiness every `period`, the startup budget covering
/// p99.9 of `serve` times the margin, on a handler the user's manifests already give the
/// container (user_probe_handler); liveness is left as it is.
void size_probes(const ScenarioSpec& s, const ProbeVariant& pv, const ProbeSpec& handler, ContainerSpec& c) {
    ProbeSpec base = handler;
    base.initial_delay_seconds = 0;
    base.period_seconds = pv.sized_period_seconds;
    base.failure_threshold = 3;
    base.success_threshold = 1;
    ProbeSpec startup = base;
    // The startup probe's clock starts at StartedAt, after the image pull: it covers `serve`.
    // Its ticks keep the worker's phase, so the first may come as the container starts: N
    // failed checks are sure to span only N - 1 periods, and one more check is needed.
    const double budget = sampled_quantile(s.workload.proposed.serve, 0.999, "probe-sizing") * *pv.sized_margin;
    startup.failure_threshold =
        static_cast<std::int32_t>(std::ceil(budget / static_cast<double>(pv.sized_period_seconds))) + 1;
    c.startup_probe = startup;
    c.readiness_probe = base;
}

/// The surface a probe of the user's sees, as the scenario states it for that kind of probe; a
/// TCP check never sees more than the listening socket.
Surface user_surface(const ScenarioSpec& s, const ProbeSpec& p, const char* kind) {
    if (p.handler == ProbeSpec::Handler::TcpSocket) return Surface::Listening;
    const Behaviour& b = s.workload.proposed;
    const std::string_view k = kind;
    return k == "readiness" ? b.readiness_surface : k == "startup" ? b.startup_surface : b.liveness_surface;
}

/// The proposed template with a probe variant applied to the modelled container.
/// `handler` is user_probe_handler(s), present whenever `pv` is sized.
PodTemplate with_probes(const ScenarioSpec& s, const ProbeVariant& pv, const std::optional<ProbeSpec>& handler) {
    PodTemplate t = s.proposed.pod_template;
    if (pv.as_proposed) return t;
    for (auto& c : t.containers) {
        if (!(s.workload.container.empty() ? &c == &t.containers.front() : c.name == s.workload.container)) {
            continue;
        }
        if (pv.sized_margin) size_probes(s, pv, *handler, c);
        if (pv.startup) c.startup_probe = *pv.startup;
        if (pv.readiness) c.readiness_probe = *pv.readiness;
        if (pv.liveness) c.liveness_probe = *pv.liveness;
        // The probes are part of the template: they change its hash.
        t.canonical += "|probes:" + probe_text(c.startup_probe) + "|" + probe_text(c.readiness_probe) +
                       "|" + probe_text(c.liveness_probe);
    }
    return t;
}

}  // namespace

std::optional<ProbeSpec> user_probe_handler(const ScenarioSpec& s) {
    const ContainerSpec* proposed = s.proposed.pod_template.find_container(s.workload.container);
    const ContainerSpec* live = proposed == nullptr ? nullptr : s.current.pod_template.find_container(proposed->name);
    for (const ContainerSpec* c : {proposed, live}) {
        if (c == nullptr) continue;
        const std::pair<const char*, const std::optional<ProbeSpec>*> probes[] = {
            {"readiness", &c->readiness_probe}, {"startup", &c->startup_probe}, {"liveness", &c->liveness_probe}};
        for (const auto& [kind, probe] : probes) {
            if (!*probe) continue;
            ProbeSpec h = **probe;
            h.surface = user_surface(s, h, kind);
            h.termination_grace_period_seconds.reset();
            return h;
        }
    }
    return std::nullopt;
}


std::optional<std::string> certain_failure(const ScenarioSpec& s, const model::WorkloadProfile& profile,
                                           const model::UpdateStrategy& strategy) {
    if (!strategy.rolling() || strategy.max_surge.value == 0) return std::nullopt;
    const PodTemplate& t = s.proposed.pod_template;
    const auto ports = host_port_texts(t);
    if (!ports.empty() && !profile.undeclared_ports.empty()) {
        return fmt::format("maxSurge {}: the surge pod needs hostPort {} where the old pod holds it, and binds port(s) {} "
                           "that no container declares",
                           strategy.max_surge.text(), joined(ports), fmt::join(profile.undeclared_ports, ", "));
    }
    if (!ports.empty()) {
        return fmt::format("maxSurge {}: the surge pod needs hostPort {} where the old pod holds it, so it stays Pending "
                           "and the old pod is never replaced",
                           strategy.max_surge.text(), joined(ports));
    }
    bool declared = false;
    for (const auto& c : t.containers) declared = declared || !c.ports.empty();
    if (t.host_network && !declared) {
        return fmt::format("maxSurge {}: with the host network and no declared ports nothing keeps the surge pod from "
                           "starting beside the old one on the ports it binds",
                           strategy.max_surge.text());
    }
    if (t.host_network && !profile.undeclared_ports.empty()) {
        return fmt::format("maxSurge {}: with the host network the surge pod starts beside the old one and cannot bind "
                           "port(s) {}, which no container declares, so the scheduler cannot keep it away",
                           strategy.max_surge.text(), fmt::join(profile.undeclared_ports, ", "));
    }
    return std::nullopt;
}

double sampled_quantile(const DistributionSpec& d, double p, std::string_view key) {
    return sampled_quantiles({&d}, {p}, key).front();
}

std::vector<double> sampled_quantiles(const std::vector<const DistributionSpec*>& sum, const std::vector<double>& ps,
                                      std::string_view key) {
    kernel::Rng rng = kernel::Rng::stream(0, 0, kernel::stream_key(key), 0);
    std::vector<double> draws(200'000);
    for (double& x : draws) {
        x = 0;
        for (const DistributionSpec* d : sum) x += kernel::sample(*d, rng);
    }
    // The draw at each quantile's rank in sorted order, found by selection (linear, not a sort):
    // ranks in ascending order, each selection within what the previous one left above it.
    std::vector<std::size_t> ranks, order(ps.size());
    for (double p : ps) ranks.push_back(static_cast<std::size_t>(p * static_cast<double>(draws.size() - 1)));
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return ranks[a] < ranks[b]; });
    std::vector<double> out(ps.size());
    auto from = draws.begin();
    for (const std::size_t i : order) {
        const auto at = draws.begin() + static_cast<std::ptrdiff_t>(ranks[i]);
        std::nth_element(from, at, draws.end());
        out[i] = *at;
        from = at;
    }
    return out;
}

std::optional<std::string> strategy_rejection(const ScenarioSpec& s, const StrategyVariant& sv) {
    const model::StrategyCheck check =
        model::default_and_validate(sv.as_proposed ? s.proposed.update_strategy : sv.update_strategy);
    if (!check.ok()) return model::api_invalid_message(s.proposed.name, check.errors);
    const OperatorSpec& op = sv.operator_plan;
    if (op.kind == OperatorSpec::Kind::Canary || op.kind == OperatorSpec::Kind::TestThenPromote) {
        const model::StrategyCheck then = model::default_and_validate(op.then);
        if (!then.ok()) return model::api_invalid_message(s.proposed.name, then.errors);
    }
    return std::nullopt;
}

namespace {

/// Resolves accepted variant `v` (its new template and minReadySeconds set) into the model its
/// trials run: revisions, eligibility, the operator's plan, a test DaemonSet's revision.
/// spec.events' Apply for one variant: its revision, eligibility and strategy.
void resolve_second_change(const ScenarioSpec& s, const ScenarioSpec::SecondChange& sc, const OperatorSpec& op,
                           model::VariantModel& m) {
    if (op.kind != OperatorSpec::Kind::None) {
        throw InputError(sc.source.file, sc.source.line, sc.path,
                         "Apply with an operator plan (batches, canary, test-then-promote): not modelled yet");
    }
    model::SecondChangeModel c;
    c.at = sc.at;
    const DaemonSetSpec& ds = sc.daemonset;
    c.revision = model::make_revision(model::kSecondRevision, ds.pod_template, s.workload.container, s.workload.proposed,
                                      &s.workload.proposed_containers);
    c.pod_template = ds.pod_template;
    c.tolerations = model::daemon_pod_tolerations(ds.pod_template);
    for (const auto& n : s.nodes) c.eligibility.push_back(model::node_should_run_daemon_pod(n, ds.pod_template, c.tolerations));
    c.strategy = m.strategy;
    if (!(ds.update_strategy == s.proposed.update_strategy)) {
        const model::StrategyCheck check = model::default_and_validate(ds.update_strategy);
        if (!check.ok()) {
            throw InputError(sc.source.file, sc.source.line, sc.path + ".change.updateStrategy",
                             model::api_invalid_message(ds.name, check.errors));
        }
        c.strategy = check.strategy;
    }
    c.min_ready_seconds = ds.min_ready_seconds == s.proposed.min_ready_seconds ? m.min_ready_seconds : ds.min_ready_seconds;
    m.second = std::move(c);
}

void resolve_model(const ScenarioSpec& s, const StrategyVariant& sv, const model::StrategyCheck& check,
                   const model::StrategyCheck& then, const model::KubeVersion& version,
                   const std::vector<model::Eligibility>& old_eligibility,
                   const std::vector<Toleration>& old_tolerations, PlannedVariant* v) {
    const OperatorSpec& op = sv.operator_plan;
    model::VariantModel& m = v->model;
    m.version = version;
    m.latencies = s.latencies;
    m.traffic = s.traffic;
    m.nodes = &s.nodes;
    m.horizon = s.horizon;
    m.strategy = check.strategy;
    m.min_ready_seconds = v->min_ready_seconds;
    m.old_revision = model::make_revision(0, s.current.pod_template, s.workload.container,
                                          s.workload.current, &s.workload.current_containers);
    m.older_revision = m.old_revision;
    m.older_revision.id = model::kOlderRevision;
    if (v->template_changed) {
        m.new_revision = model::make_revision(1, v->new_template, s.workload.container,
                                              s.workload.proposed, &s.workload.proposed_containers);
    } else {
        m.new_revision = m.old_revision;
    }
    m.old_eligibility = old_eligibility;
    if (s.second_change) resolve_second_change(s, *s.second_change, op, m);
    const auto tolerations = model::daemon_pod_tolerations(v->new_template);
    m.events = &s.events;
    m.starting_pods = &s.starting_pods;
    m.rollbacks = &s.rollbacks;
    m.registry = s.registry;
    m.config_backend = s.workload.config_backend;
    if (!s.events.empty()) {
        m.old_template = s.current.pod_template;
        m.new_template = v->new_template;
        m.old_tolerations = old_tolerations;
        m.new_tolerations = tolerations;
    }
    for (const auto& n : s.nodes) {
        m.new_eligibility.push_back(
            model::node_should_run_daemon_pod(n, v->new_template, tolerations));
    }
    m.plan.kind = op.kind;
    m.plan.soak = op.soak;
    m.plan.timeout = op.timeout;
    if (op.kind == OperatorSpec::Kind::Batches) {
        const auto b = model::default_and_validate(
            UpdateStrategySpec{"RollingUpdate", true, op.batch_size, IntOrString::of(0)});
        m.plan.batch = b.strategy.max_unavailable;
    }
    if (op.kind == OperatorSpec::Kind::Canary || op.kind == OperatorSpec::Kind::TestThenPromote) {
        m.plan.then = then.strategy;
        m.plan.poll = op.poll;
        // The chosen nodes: by label, or the first N eligible ones (0: all of them).
        for (model::NodeId n = 0; n < s.nodes.size(); ++n) {
            if (!m.new_eligibility[n].should_run) continue;
            const bool chosen =
                op.canary_selector.empty()
                    ? op.canary_count == 0 ||
                          m.plan.canary_nodes.size() < static_cast<std::size_t>(op.canary_count)
                    : std::all_of(op.canary_selector.begin(), op.canary_selector.end(), [&](const auto& kv) {
                          const auto it = s.nodes[n].labels.find(kv.first);
                          return it != s.nodes[n].labels.end() && it->second == kv.second;
                      });
            if (chosen) m.plan.canary_nodes.push_back(n);
        }
        // A first N that misses an architecture gets the first node of each one it
        // misses: an image built for one platform fails on the others.
        if (op.canary_selector.empty() && op.canary_count > 0) {
            const auto arch = [&](model::NodeId n) {
                const auto it = s.nodes[n].labels.find("kubernetes.io/arch");
                return it == s.nodes[n].labels.end() ? std::string() : it->second;
            };
            std::set<std::string> covered;
            for (model::NodeId n : m.plan.canary_nodes) covered.insert(arch(n));
            for (model::NodeId n = 0; n < s.nodes.size(); ++n) {
                if (m.new_eligibility[n].should_run && covered.insert(arch(n)).second) {
                    m.plan.canary_nodes.push_back(n);
                }
            }
        }
    }
    if (op.kind == OperatorSpec::Kind::TestThenPromote) {
        // The test DaemonSet: the new template with every host port moved.
        PodTemplate test = v->new_template;
        for (auto& c : test.containers) {
            for (auto& p : c.ports) {
                if (p.host_port > 0) p.host_port += op.port_offset;
            }
        }
        m.test_revision = model::make_revision(2, test, s.workload.container, s.workload.proposed,
                                               &s.workload.proposed_containers);
        m.test_eligibility.assign(s.nodes.size(), model::Eligibility{});
        for (model::NodeId n : m.plan.canary_nodes) m.test_eligibility[n] = m.new_eligibility[n];
    } else {
        m.test_eligibility.assign(s.nodes.size(), model::Eligibility{});
    }
    model::assign_image_bits(m);
}

}  // namespace

std::size_t Plan::accepted() const {
    return static_cast<std::size_t>(std::count_if(variants_.begin(), variants_.end(), [](const auto& v) { return v->accepted; }));
}

const PlannedVariant* Plan::find(std::string_view strategy, std::string_view probes) const {
    for (const auto& v : variants_) {
        if (v->strategy_name == strategy && v->probes_name == probes) return v.get();
    }
    return nullptr;
}

namespace {
/// The starting pods fit the nodes that run the live DaemonSet's pod.
void check_starting_pods(const ScenarioSpec& s, const std::vector<model::Eligibility>& eligible) {
    std::size_t total = 0, asked = 0;
    for (std::size_t n = 0; n < s.nodes.size(); ++n) total += s.nodes[n].present && eligible[n].should_run ? 1 : 0;
    const auto& containers = s.current.pod_template.containers;
    const auto main = std::find_if(containers.begin(), containers.end(), [&](const ContainerSpec& c) {
        return s.workload.container.empty() || c.name == s.workload.container;
    });
    for (const StartingPods& sp : s.starting_pods) {
        if (sp.state == StartingPods::State::NotReady && main != containers.end() && !main->readiness_probe) {
            throw InputError(sp.source.file, sp.source.line, sp.path + ".state",
                             fmt::format("NotReady: container {} has no readinessProbe, so a running pod of the live "
                                         "DaemonSet is Ready; give CrashLoopBackOff or Missing, or add the probe",
                                         main->name));
        }
        for (std::uint32_t n : sp.nodes) {
            if (sp.imported) continue;  // wherever it is: the controller judges it as upstream does
            if (sp.state == StartingPods::State::Misscheduled) {
                if (eligible[n].should_run) {
                    throw InputError(sp.source.file, sp.source.line, sp.path + ".nodes",
                                     fmt::format("node \"{}\" runs the DaemonSet's pod: a pod there is not misscheduled",
                                                 s.nodes[n].name));
                }
                continue;
            }
            if (!eligible[n].should_run) {
                throw InputError(sp.source.file, sp.source.line, sp.path + ".nodes",
                                 fmt::format("node \"{}\" does not run the DaemonSet's pod (its selector, affinity or "
                                             "taints keep it off)",
                                             s.nodes[n].name));
            }
        }
        const bool mis = sp.state == StartingPods::State::Misscheduled;
        std::size_t candidates = 0;
        for (std::size_t n = 0; n < s.nodes.size(); ++n) {
            candidates += s.nodes[n].present && eligible[n].should_run != mis && (sp.pool.empty() || s.nodes[n].pool == sp.pool);
        }
        if (static_cast<std::size_t>(sp.count) > candidates) {
            throw InputError(sp.source.file, sp.source.line, sp.path + ".count",
                             fmt::format("{} pods, but only {} node(s){} {} the DaemonSet's pod", sp.count, candidates,
                                         sp.pool.empty() ? "" : " of pool " + sp.pool, mis ? "do not run" : "run"));
        }
        if (!sp.imported && !mis) {
            asked += sp.nodes.size() + static_cast<std::size_t>(sp.count);
        }
        if (asked > total) {
            throw InputError(sp.source.file, sp.source.line, sp.path + (sp.nodes.empty() ? ".count" : ".nodes"),
                             fmt::format("the entries so far ask for {} pods, but only {} node(s) run the DaemonSet's pod",
                                         asked, total));
        }
    }
}
}  // namespace

Plan plan_variants(const ScenarioSpec& s) {
    std::vector<std::unique_ptr<PlannedVariant>> out;
    const auto old_tolerations = model::daemon_pod_tolerations(s.current.pod_template);
    std::vector<model::Eligibility> old_eligibility;
    for (const auto& n : s.nodes) {
        old_eligibility.push_back(
            model::node_should_run_daemon_pod(n, s.current.pod_template, old_tolerations));
    }
    check_starting_pods(s, old_eligibility);
    const auto version = model::KubeVersion::parse(s.kubernetes_version).value_or(model::KubeVersion{});
    const model::WorkloadProfile profile = model::workload_profile(s);
    const std::optional<ProbeSpec> handler = user_probe_handler(s);
    // The accepted variants without an operator, by probe variant, with their strategy: a later
    // one with the same strategy and minReadySeconds is the same simulation.
    struct Simulated {
        std::size_t probes;
        model::UpdateStrategy strategy;
        std::int32_t min_ready_seconds;
        std::size_t index;
    };
    std::vector<Simulated> simulated;
    for (const StrategyVariant& sv : s.strategies) {
        for (std::size_t pi = 0; pi < s.probes.size(); ++pi) {
            const ProbeVariant& pv = s.probes[pi];
            auto v = std::make_unique<PlannedVariant>();
            v->strategy_name = sv.name;
            v->probes_name = pv.name;
            const UpdateStrategySpec& spec = sv.as_proposed ? s.proposed.update_strategy : sv.update_strategy;
            v->min_ready_seconds = sv.min_ready_seconds.value_or(s.proposed.min_ready_seconds);
            const model::StrategyCheck check = model::default_and_validate(spec);
            const OperatorSpec& op = sv.operator_plan;
            model::StrategyCheck then;
            if (op.kind == OperatorSpec::Kind::Canary || op.kind == OperatorSpec::Kind::TestThenPromote) {
                then = model::default_and_validate(op.then);
            }
            v->strategy_text = !check.ok() || !then.ok() ? "invalid" : check.strategy.describe();
            if (op.kind == OperatorSpec::Kind::Batches) {
                v->strategy_text = fmt::format("OnDelete, operator batches of {}{}", op.batch_size.text(),
                                               op.soak > SimTime::zero()
                                                   ? fmt::format(", soak {}s", op.soak.whole_seconds())
                                                   : "");
            } else if (op.kind == OperatorSpec::Kind::Canary && then.ok()) {
                v->strategy_text = fmt::format("canary on {}, soak {}s, then {}",
                                               op.canary_selector.empty()
                                                   ? experiment::count_words(op.canary_count, "node")
                                                   : std::string("the selected nodes"),
                                               op.soak.whole_seconds(), then.strategy.describe());
            }
            if (op.kind == OperatorSpec::Kind::TestThenPromote && then.ok()) {
                v->strategy_text = fmt::format("test on hostPorts +{} on {}, then {}", op.port_offset,
                                               !op.canary_selector.empty() ? std::string("the selected nodes")
                                               : op.canary_count > 0      ? experiment::count_words(op.canary_count, "node")
                                                                          : std::string("every node"),
                                               then.strategy.describe());
            }
            if (auto why = strategy_rejection(s, sv)) {
                v->accepted = false;
                v->rejection = std::move(why);
                out.push_back(std::move(v));
                continue;
            }
            // Like an API rejection, a plan that is not safe to offer is neither simulated nor
            // recommended: a test copy that shares ports, host paths or kubelet registrations
            // with the live pod tests the live pod (or breaks the host), and sized probes need a
            // handler of the user's, since only the user knows what the daemon serves.
            if (op.kind == OperatorSpec::Kind::TestThenPromote && !profile.isolated()) {
                v->not_applicable = fmt::format("a test copy beside the live pod would not be isolated: {}",
                                                fmt::join(profile.not_isolated, "; "));
            } else if (pv.sized_margin && !handler) {
                v->not_applicable = fmt::format(
                    "container {} has no probe in either manifest, and rollsim writes no probe endpoint of its own: "
                    "add the readiness endpoint the daemon really serves, then size it",
                    s.proposed.pod_template.find_container(s.workload.container)->name);
            }
            if (v->not_applicable) {
                v->accepted = false;
                out.push_back(std::move(v));
                continue;
            }
            // The strategy the controller rolls with: the variant's own, or the one a canary or
            // test ends with (operator batches replace pods by hand, one batch at a time).
            if (op.kind == OperatorSpec::Kind::None) v->certain_failure = certain_failure(s, profile, check.strategy);
            if (op.kind == OperatorSpec::Kind::Canary || op.kind == OperatorSpec::Kind::TestThenPromote) {
                v->certain_failure = certain_failure(s, profile, then.strategy);
            }
            v->new_template = with_probes(s, pv, handler);
            // Sized probes also size a soak where the new revision can fail after it serves:
            // minReadySeconds covering the p99 of that delay with the margin, so the
            // controller does not move on before such a crash would show.
            if (pv.sized_margin && s.workload.proposed.crash_after_serving > 0) {
                const double p99 = sampled_quantile(s.workload.proposed.crash_after, 0.99, "soak-sizing");
                v->min_ready_seconds =
                    std::max(v->min_ready_seconds, static_cast<std::int32_t>(std::ceil(p99 * *pv.sized_margin)));
            }
            v->template_changed = v->new_template.canonical != s.current.pod_template.canonical;
            if (s.second_change && v->new_template.canonical != s.proposed.pod_template.canonical) {
                throw InputError(s.second_change->source.file, s.second_change->source.line, s.second_change->path,
                                 fmt::format("Apply with probe variant {}: the second change would land on that "
                                             "variant's probes, which is not modelled yet",
                                             pv.name));
            }
            if (!v->template_changed && !s.rollbacks.empty()) {
                const SourceRef& at = s.rollbacks.front().source;
                throw InputError(at.file, at.line, s.rollbacks.front().path,
                                 fmt::format("Rollback: variant {} x {} does not change the pod template, so there is no "
                                             "previous template to roll back to",
                                             sv.name, pv.name));
            }
            resolve_model(s, sv, check, then, version, old_eligibility, old_tolerations, v.get());
            if (op.kind == OperatorSpec::Kind::None) {
                const auto same = std::find_if(simulated.begin(), simulated.end(), [&](const Simulated& x) {
                    return x.probes == pi && x.strategy == check.strategy && x.min_ready_seconds == v->min_ready_seconds;
                });
                if (same != simulated.end()) {
                    v->same_as = same->index;
                } else {
                    simulated.push_back({pi, check.strategy, v->min_ready_seconds, out.size()});
                }
            }
            out.push_back(std::move(v));
        }
    }
    return Plan(std::move(out));
}

}  // namespace rollsim::experiment

namespace rollsim {

void require_accepted_variants(const ScenarioSpec& s) {
    for (const StrategyVariant& sv : s.strategies) {
        const auto why = experiment::strategy_rejection(s, sv);
        if (!why) continue;
        const bool own = !sv.as_proposed && !sv.strategy_source.file.empty();
        const SourceRef& where = own ? sv.strategy_source
                                 : !s.proposed.update_strategy_source.file.empty() ? s.proposed.update_strategy_source
                                                                                    : s.proposed.source;
        throw InputError(where.file, where.line, own ? sv.strategy_path : "spec.updateStrategy",
                         fmt::format("the API server rejects strategy variant \"{}\": {}", sv.name, *why));
    }
}

}  // namespace rollsim
