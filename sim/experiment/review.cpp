// Pre-change review (docs/review.md): each trap checked where its rule lives (the API
// server's validation, the controller's eligibility, the kubelet's probes and grace period),
// then confirmed with the simulated numbers.

#include "rollsim/review.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "experiment/termination_fix.hpp"
#include "experiment/variants.hpp"
#include "experiment/words.hpp"
#include "input/source.hpp"
#include "input/yaml_reader.hpp"
#include "model/eligibility.hpp"
#include "model/revision.hpp"
#include "model/workload_profile.hpp"
#include "model/update_strategy.hpp"

namespace rollsim {

namespace {

using Severity = Finding::Severity;

std::string secs(double s) { return experiment::duration_words(s); }

double p99(const DistributionSpec& d, const char* key) { return experiment::sampled_quantile(d, 0.99, key); }

/// The time from container start that a probe of this kind is sure to allow before it can fail
/// the container: the checks keep the probe worker's phase, so the first may come as soon as
/// initialDelaySeconds have passed, and failureThreshold failures span one period fewer:
/// initialDelaySeconds + periodSeconds × (failureThreshold − 1).
double budget(const ProbeSpec& p) {
    return p.initial_delay_seconds + static_cast<double>(p.period_seconds) * (p.failure_threshold - 1);
}

/// How the change as proposed went, in one sentence.
std::string outcome(const VariantReport& v) {
    if (!v.accepted) return "the API server rejects it";
    if (!v.template_changed) return "the pod template does not change, so nothing rolls";
    std::string out;
    if (v.completed_fraction < 1.0) {
        out = "it " + experiment::unfinished_words(v.completed_fraction);
        if (!v.stall_examples.empty()) out += " (" + v.stall_examples.begin()->second + ")";
        if (v.completed_fraction <= 0) return out;
        out += "; otherwise it ";
    } else {
        out = "it ";
    }
    out += fmt::format("finishes in {} at p50 and {} at p90", secs(v.duration_seconds.p50), secs(v.duration_seconds.p90));
    return out;
}

std::string traffic_words(const VariantReport& v, bool coverage) {
    if (coverage) {
        return fmt::format("{} uncovered at once at worst, {} uncovered on average",
                           experiment::count_words(std::llround(v.max_concurrent_uncovered.max), "node"), experiment::node_seconds_words(v.gap_node_seconds.mean));
    }
    return fmt::format("clients see {} of errors on average ({} at p90), {} out",
                       experiment::node_seconds_words(v.error_seconds.mean),
                       experiment::node_seconds_words(v.error_seconds.p90),
                       experiment::node_seconds_words(v.outage_node_seconds.mean));
}

/// The key of the proposed manifest a finding is about; `container` names the one it concerns.
std::string field_of(const std::string& id, const std::string& container) {
    const std::string c = "spec.template.spec.containers[" + container + "]";
    if (id == "selector-change") return "spec.selector";
    if (id == "nothing-to-roll-out") return "spec.template";
    if (id.rfind("surge-", 0) == 0) return "spec.updateStrategy.rollingUpdate.maxSurge";
    if (id == "invalid-update-strategy" || id == "on-delete" || id == "better-plan" || id == "limits-exceeded" || id == "alert-fires") {
        return "spec.updateStrategy";
    }
    if (id == "startup-budget-short") return c + ".startupProbe";
    if (id.rfind("liveness-", 0) == 0) return c + ".livenessProbe";
    if (id.rfind("readiness-", 0) == 0) return c + ".readinessProbe";
    if (id == "no-readiness-probe") return c;
    if (id.rfind("grace-", 0) == 0) return "spec.template.spec.terminationGracePeriodSeconds";
    if (id.rfind("pre-stop-", 0) == 0) return c + ".lifecycle";
    if (id == "requests-over-allocatable") return c + ".resources";
    if (id == "single-node-host-port") return c + ".ports";
    if (id == "nodes-dropped") return "spec.template.spec.nodeSelector";
    return "spec";
}

/// The findings of a simulated review, one group per member function, in the order they are
/// reported. It reads the scenario and the simulated report; add() appends to the review.
class Reviewer {
public:
    Reviewer(const ScenarioSpec& scenario, Review& review, const RunOptions& options,
             const model::WorkloadProfile& workload)
        : s(scenario),
          r(review),
          options_(options),
          profile(workload),
          as(*find("as-proposed", "as-proposed")),
          // Traffic evidence comes from the change as proposed, or, when it never finishes,
          // from the same change rolled one node at a time.
          ref(as.completed_fraction > 0 || find("one-at-a-time", "as-proposed") == nullptr
                  ? as
                  : *find("one-at-a-time", "as-proposed")),
          ref_note(&ref == &as ? "" : " (rolled one node at a time, since the change as proposed never finishes)"),
          coverage(r.report.traffic_mode == "coverage"),
          p(s.proposed),
          c(*p.pod_template.find_container(s.workload.container)),
          b(s.workload.proposed),
          ports(experiment::host_port_texts(p.pod_template)),
          check(model::default_and_validate(p.update_strategy)) {}

    void strategy();
    void probes();
    void placement();
    void termination();
    void pages();
    void alternatives();

private:
    void kill_budgets(const ContainerSpec& k, const Behaviour& kb, bool name_it);
    const VariantReport* find(std::string_view strategy, std::string_view probes) const {
        return r.report.find(strategy, probes);
    }
    /// A finding about `container` (default: the modelled one), at its key of the manifest.
    void add(const char* id, Severity sev, std::string title, std::string evidence, std::string fix,
             const std::string& container = {}) {
        r.findings.push_back(Finding{id, sev, std::move(title), std::move(evidence), std::move(fix),
                                     field_of(id, container.empty() ? c.name : container), {}, {}});
    }

    const ScenarioSpec& s;
    Review& r;
    const RunOptions& options_;
    const model::WorkloadProfile& profile;
    const VariantReport& as;
    const VariantReport& ref;
    const std::string ref_note;
    const bool coverage;
    const DaemonSetSpec& p;
    const ContainerSpec& c;
    const Behaviour& b;
    const std::vector<std::string> ports;
    const model::StrategyCheck check;
};

/// The API server's validation of the strategy, and what a surge would do.
void Reviewer::strategy() {
    if (!check.ok()) {
        add("invalid-update-strategy", Severity::Blocking, "the API server rejects the updateStrategy",
            "`kubectl apply` prints: " + model::api_invalid_message(p.name, check.errors),
            "Set either maxSurge or maxUnavailable, not both (with a host port: maxUnavailable 1, maxSurge 0).");
    }
    const bool surges = check.ok() && check.strategy.rolling() && check.strategy.max_surge.value > 0;
    if (surges && !ports.empty() && as.certain_failure) {
        add("surge-with-host-port", Severity::Blocking,
            fmt::format("maxSurge {} with hostPort {}: the surge pod can never be scheduled",
                        check.strategy.max_surge.text(), experiment::joined(ports)),
            fmt::format("The new pod needs hostPort {} on a node where the old pod holds it, so it stays Pending "
                        "(NodePorts) and the old pod is only deleted once the new one is available: {}.",
                        experiment::joined(ports), outcome(as)),
            fmt::format("Use maxSurge 0 with maxUnavailable 1 (simulated: {}), or test the new revision on other "
                        "host ports first (rollsim recommend writes that plan).",
                        find("one-at-a-time", "as-proposed") ? outcome(*find("one-at-a-time", "as-proposed")) : "-"));
    }
    bool declared = false;
    for (const auto& ct : p.pod_template.containers) declared = declared || !ct.ports.empty();
    if (surges && ports.empty() && as.certain_failure) {
        add("surge-host-network-undeclared", Severity::Blocking,
            declared ? fmt::format("maxSurge {} with hostNetwork and port(s) {} that no container declares",
                                   check.strategy.max_surge.text(), fmt::join(profile.undeclared_ports, ", "))
                     : fmt::format("maxSurge {} with hostNetwork and no declared ports", check.strategy.max_surge.text()),
            "The scheduler cannot see ports that are not declared, so the surge pod starts beside the old one and "
            "fails to bind its port; it restarts in CrashLoopBackOff (10 s doubling to 5 min) until the old pod "
            "goes, which a surge rollout never does. rollsim does not simulate undeclared ports.",
            "Declare the container ports (with hostNetwork they become host ports) and use maxSurge 0.");
    }
    if (surges && !profile.shared_host_paths.empty()) {
        add("surge-shares-host-path", Severity::Warning,
            fmt::format("maxSurge {} runs the old and new pods on a node at once, and both write host path {}",
                        check.strategy.max_surge.text(), experiment::joined(profile.shared_host_paths)),
            "For the length of the surge two processes share what is there: a position database, a lock file, a "
            "socket or a cache.",
            "Make sure two versions can share it, or roll with maxSurge 0 (maxUnavailable 1).");
    }
}

/// The kubelet's kills of one container (startup and liveness budgets) against its start.
void Reviewer::kill_budgets(const ContainerSpec& k, const Behaviour& kb, bool name_it) {
    const std::string who = name_it ? fmt::format("container {}: ", k.name) : std::string();
    const double listen99 = p99(kb.listen, "review-listen");
    const double serve99 = p99(kb.serve, "review-serve");
    const auto surface_time = [&](Surface sf) { return sf == Surface::Serving ? serve99 : listen99; };
    if (k.startup_probe) {
        const double need = surface_time(kb.startup_surface);
        const double have = budget(*k.startup_probe);
        if (have < need) {
            const auto per = std::max(k.startup_probe->period_seconds, 1);
            add("startup-budget-short", Severity::Blocking,
                fmt::format("{}startupProbe allows {} ({}s + ({} − 1) × {}s) but the p99 start takes {}", who, secs(have),
                            k.startup_probe->initial_delay_seconds, k.startup_probe->failure_threshold, per, secs(need)),
                fmt::format("The kubelet kills the container when the budget runs out and it starts again from scratch: "
                            "{} restarts per rollout on average; {}.",
                            fmt::format("{:.1f}", as.restarts.mean), outcome(as)),
                fmt::format("failureThreshold: {} (p99 × 1.25 at periodSeconds {}, and one check more: the first "
                            "may come as the container starts).",
                            static_cast<int>(std::ceil(need * 1.25 / per)) + 1, per),
                k.name);
        }
    }
    if (!k.startup_probe && k.liveness_probe) {
        const double need = surface_time(kb.liveness_surface);
        const double have = budget(*k.liveness_probe);
        if (have < need) {
            add("liveness-kills-slow-start", Severity::Blocking,
                fmt::format("{}livenessProbe without a startupProbe fails after {} but the p99 start takes {}", who,
                            secs(have), secs(need)),
                fmt::format("The container is killed before it can pass: {:.1f} restarts per rollout on average; {}.",
                            as.restarts.mean, outcome(as)),
                fmt::format("Add a startupProbe with a budget of {} (liveness only starts once it passes).",
                            secs(std::ceil(need * 1.25))), k.name);
        } else if (need > 30) {
            add("liveness-without-startup-probe", Severity::Warning,
                fmt::format("{}livenessProbe without a startupProbe on a service that needs up to {} to start", who,
                            secs(need)),
                fmt::format("The liveness budget of {} covers the p99 start only by {}: a slower start than modelled "
                            "is killed and restarted.",
                            secs(have), secs(have - need)),
                "Add a startupProbe sized for the start (rollsim's `sized` probes), and keep liveness tight.", k.name);
        }
    }
}

/// Probes against the startup distribution: every container's kills, the modelled one's
/// readiness (what clients feel).
void Reviewer::probes() {
    const double listen99 = p99(b.listen, "review-listen");
    const double serve99 = p99(b.serve, "review-serve");
    // In the kubelet's start order: the sidecars, then the regular containers.
    std::vector<const ContainerSpec*> all;
    for (const auto& k : p.pod_template.init_containers) {
        if (k.sidecar()) all.push_back(&k);
    }
    for (const auto& k : p.pod_template.containers) all.push_back(&k);
    for (const ContainerSpec* k : all) {
        const auto own = s.workload.proposed_containers.find(k->name);
        kill_budgets(*k, k == &c || own == s.workload.proposed_containers.end() ? b : own->second, all.size() > 1);
    }
    if (!c.readiness_probe) {
        // Harm, not absence, blocks: an agent without a readiness probe is how most agents ship.
        const bool harm = !coverage && s.limits.max_error_seconds && as.error_seconds.p90 > *s.limits.max_error_seconds;
        if (serve99 > listen99 + 2) {
            add("no-readiness-probe", harm ? Severity::Blocking : Severity::Warning,
                fmt::format("no readinessProbe, and the {} needs up to {} to {}", coverage ? "agent" : "service",
                            secs(serve99), coverage ? "work" : "serve"),
                fmt::format("Without a readiness probe a pod is Ready when its container starts, so the controller moves "
                            "on before it {}: {} Ready before {} on average; {}{}.",
                            coverage ? "works" : "serves", experiment::node_seconds_words(as.false_ready_node_seconds.mean),
                            coverage ? "working" : "serving", traffic_words(as, coverage),
                            harm ? fmt::format(", beyond maxErrorSeconds {}", *s.limits.max_error_seconds) : ""),
                "Add a readinessProbe on an endpoint that answers only once the daemon really works: which endpoint "
                "is yours to choose (rollsim writes no probe handler of its own).");
        }
    } else {
        const ProbeSpec& rp = *c.readiness_probe;
        const double earliest = rp.initial_delay_seconds + static_cast<double>(rp.period_seconds);
        const bool shallow = b.readiness_surface == Surface::Listening;
        const VariantReport* what_if = shallow ? &as : find("as-proposed", "if-readiness-is-shallow");
        // A startup probe on the serving path holds readiness back until the service serves.
        const bool gated = c.startup_probe && b.startup_surface == Surface::Serving;
        if (!gated && earliest < serve99 && what_if != nullptr && (shallow || serve99 > listen99 + rp.period_seconds)) {
            const std::string numbers = fmt::format(
                "pods report Ready for {} before they serve on average ({} at p99); {}",
                experiment::node_seconds_words(what_if->false_ready_node_seconds.mean),
                experiment::node_seconds_words(what_if->false_ready_node_seconds.p99), traffic_words(*what_if, coverage));
            if (shallow) {
                add("readiness-before-serving", Severity::Blocking,
                    fmt::format("readinessProbe can pass {} after the start ({}s delay + {}s period) because it sees only "
                                "the listening socket; the service serves only after up to {}",
                                secs(std::max(earliest, listen99)), rp.initial_delay_seconds, rp.period_seconds,
                                secs(serve99)),
                    "Simulated: " + numbers + ".",
                    "Point the readiness probe at an endpoint that fails until the request path works (which endpoint "
                    "is yours to choose), or gate it with a startupProbe on such an endpoint that covers the p99 start.");
            } else {
                add("readiness-budget-short", Severity::Warning,
                    fmt::format("readinessProbe can pass after {} ({}s delay + {}s period) on a service that needs up to "
                                "{} to serve",
                                secs(earliest), rp.initial_delay_seconds, rp.period_seconds, secs(serve99)),
                    "If its endpoint answers before the request path works, simulated: " + numbers + ".",
                    "Make sure the readiness endpoint fails until the service really serves, or use rollsim's `sized` "
                    "probes.");
            }
        }
    }
}

/// Where the DaemonSet runs.
void Reviewer::placement() {
    const auto old_tol = model::daemon_pod_tolerations(s.current.pod_template);
    const auto new_tol = model::daemon_pod_tolerations(p.pod_template);
    std::vector<std::string> dropped;
    std::vector<std::string> too_small;  // a pod that asks for more than a node has at all never schedules there
    const Resources requested = model::pod_requests(p.pod_template);
    std::size_t eligible = 0;
    for (const auto& n : s.nodes) {
        const bool before = model::node_should_run_daemon_pod(n, s.current.pod_template, old_tol).should_run;
        const bool after = model::node_should_run_daemon_pod(n, p.pod_template, new_tol).should_run;
        eligible += after ? 1 : 0;
        if (before && !after) dropped.push_back(n.name);
        if (after && (requested.cpu_milli > n.allocatable.cpu_milli || requested.memory_bytes > n.allocatable.memory_bytes)) {
            too_small.push_back(fmt::format("{} (allocatable cpu {}m, memory {} MiB)", n.name, n.allocatable.cpu_milli,
                                            n.allocatable.memory_bytes >> 20));
        }
    }
    if (!too_small.empty()) {
        const auto shown = std::min<std::size_t>(3, too_small.size());
        add("requests-over-allocatable", Severity::Blocking,
            fmt::format("the new pod requests cpu {}m and memory {} MiB, more than {} node(s) can ever give",
                        requested.cpu_milli, requested.memory_bytes >> 20, too_small.size()),
            fmt::format("The scheduler's NodeResourcesFit filter compares requests with the node's allocatable: the pod "
                        "stays Pending there whatever else is freed, and the rollout stalls on it: {}{}.",
                        experiment::joined({too_small.begin(), too_small.begin() + static_cast<std::ptrdiff_t>(shown)}),
                        too_small.size() > shown ? fmt::format(" and {} more", too_small.size() - shown) : ""),
            "Lower the requests to what the nodes allocate, or keep the DaemonSet off those nodes.");
    }
    if (!dropped.empty()) {
        std::vector<std::string> shown(dropped.begin(), dropped.begin() + std::min<std::ptrdiff_t>(5, std::ssize(dropped)));
        add("nodes-dropped", Severity::Blocking,
            fmt::format("the new nodeSelector, affinity or tolerations drop {} node(s) that run the DaemonSet now", dropped.size()),
            fmt::format("The controller deletes the pods on nodes that no longer qualify at once, outside maxUnavailable "
                        "(daemon/daemon_controller.go podsShouldBeOnNode): {}{}.",
                        experiment::joined(shown), dropped.size() > shown.size() ? fmt::format(" and {} more", dropped.size() - shown.size()) : ""),
            "If the nodes should keep the agent, keep the selector and tolerations; if not, drain them from the "
            "DaemonSet in a separate change you can watch.");
    }
    if (!ports.empty() && eligible == 1 && !coverage) {
        add("single-node-host-port", Severity::Warning,
            fmt::format("a single eligible node serves hostPort {}: every rollout of it is an outage", experiment::joined(ports)),
            fmt::format("The new pod cannot bind the port until the old one is gone: the service is down for {} on "
                        "average in the change as proposed.",
                        secs(as.total_outage_seconds.mean)),
            "Verify the new revision on another port first (test-then-promote), keep its start short, or run a "
            "second node.");
    }
}

/// Termination: the grace period, and the termination fix.
void Reviewer::termination() {
    const double pre_stop = c.pre_stop_sleep_seconds ? static_cast<double>(*c.pre_stop_sleep_seconds) : p99(b.pre_stop, "review-prestop");
    const double shutdown = p99(b.shutdown, "review-shutdown");
    const auto grace = p.pod_template.termination_grace_period_seconds;
    if (grace == 0) {
        add("grace-period-zero", Severity::Warning,
            "terminationGracePeriodSeconds 0: every deletion of these pods is a force deletion",
            "With a grace period of 0 the API server removes the pod object at once (pod strategy "
            "CheckGracefulDelete, the registry's graceful-deletion path), so the DaemonSet controller creates the "
            "replacement while the old container may still be running on the node: for a moment both run, and a "
            "process that does not exit on SIGTERM is killed without its preStop hook's time.",
            "If that is intended (an agent that must be replaced at once), keep it; rollsim does not advise a longer "
            "grace against it.");
    } else if (static_cast<double>(grace) < pre_stop + shutdown) {
        add("grace-shorter-than-shutdown", Severity::Warning,
            fmt::format("terminationGracePeriodSeconds {} is shorter than preStop and shutdown ({} at p99)", grace,
                        secs(pre_stop + shutdown)),
            "The kubelet sends SIGKILL when the grace period ends (the preStop hook's time counts against it), so "
            "in-flight requests are cut.",
            fmt::format("terminationGracePeriodSeconds: {}.", static_cast<int>(std::ceil(pre_stop + shutdown)) + 5));
    }
    // The termination fix, only with simulated evidence that it removes errors (the same rule
    // recommend applies: experiment/termination_fix.hpp).
    if (!coverage && grace != 0) {
        if (auto fix = experiment::weigh_termination_fix(s, ref, options_)) {
            const std::string live = fmt::format("the same change with it live sees {} of errors at p90 instead of {} "
                                                 "(simulated). It cannot help the rollout that ships it: a running "
                                                 "pod's hooks do not change",
                                                 experiment::node_seconds_words(fix->errors_with_fix_live.p90),
                                                 experiment::node_seconds_words(fix->errors_without.p90));
            if (fix->drains) {
                const HealthCheckSpec& hc = s.traffic.health_check;
                const double detect = hc.interval.to_seconds() * hc.unhealthy_threshold;
                add("pre-stop-shorter-than-detection", Severity::Warning,
                    fmt::format("no preStop hook drains the node for the load balancer's detection time ({} = {} × {})",
                                secs(detect), hc.unhealthy_threshold, secs(hc.interval.to_seconds())),
                    fmt::format("The process stops while the load balancer still sends it traffic: {}{}. A preStop "
                                "sleep alone changes nothing here: the process serves through it, so the checks keep "
                                "passing. With a hook that drains for {} s, {}.",
                                traffic_words(ref, false), ref_note, fix->pre_stop_seconds, live),
                    fmt::format("A preStop hook that makes the daemon fail the load balancer's health check (its own "
                                "drain endpoint) and then waits {} s, with terminationGracePeriodSeconds {}.",
                                fix->pre_stop_seconds, fix->grace_seconds));
            } else {
                add("pre-stop-shorter-than-propagation", Severity::Warning,
                    fmt::format("the preStop hook is shorter than the endpoint propagation ({})",
                                secs(s.traffic.endpoint_propagation.to_seconds())),
                    fmt::format("The process stops a watch after the deletion while proxies still route to its "
                                "endpoint: {}{}. With a preStop sleep of {} s, {}.",
                                traffic_words(ref, false), ref_note, fix->pre_stop_seconds, live),
                    fix->written ? fmt::format("lifecycle.preStop.sleep.seconds: {} with terminationGracePeriodSeconds {}.",
                                               fix->pre_stop_seconds, fix->grace_seconds)
                                 : fmt::format("A preStop hook of {} s, with terminationGracePeriodSeconds {}: {}.",
                                               fix->pre_stop_seconds, fix->grace_seconds, fix->not_written));
            }
        }
    }
}

/// The alerts the change as proposed fires (docs/alerts.md): above 10% of trials a warning,
/// above limits.maxAlertFraction a blocking finding; the fix is a silence as long as the page
/// would last, or a plan that does not page.
void Reviewer::pages() {
    if (!as.accepted) return;
    const double allowed = s.limits.max_alert_fraction.value_or(0.1);
    for (const AlertSummary& a : as.alerts) {
        if (a.firing_fraction <= allowed) continue;
        // A silence from the change until the alert's p90 start plus its p90 firing time,
        // rounded up to whole minutes.
        const auto minutes = static_cast<std::int64_t>(std::ceil((a.start_seconds.p90 + a.firing_seconds.p90) / 60.0));
        std::vector<std::string> quiet;
        for (const auto& v : r.report.variants) {
            if (!v.accepted || v.certain_failure || v.completed_fraction < 1) continue;
            const auto same = std::find_if(v.alerts.begin(), v.alerts.end(), [&](const AlertSummary& x) { return x.alert == a.alert; });
            if (same != v.alerts.end() && same->firing_fraction <= allowed) quiet.push_back(v.strategy + " × " + v.probes);
        }
        // OnDelete: nothing replaces a pod until someone deletes it, so the page lasts as long as
        // the deletions take, which no simulation can know: no duration is guessed.
        const bool on_delete = check.ok() && !check.strategy.rolling();
        const std::string on_delete_fix = fmt::format(
            "With updateStrategy OnDelete nothing replaces a pod until someone deletes it, so the page lasts until "
            "every old pod has been deleted and its replacement is Ready, which rollsim cannot time (the simulated "
            "{} is only where the trials stop). Silence it while you delete the pods (`amtool silence add "
            "alertname={} namespace={} daemonset={} --duration=<as long as the deletions take>`) and expire the "
            "silence once `kubectl get daemonset {} -n {}` shows UP-TO-DATE equal to DESIRED (`kubectl rollout "
            "status` refuses OnDelete DaemonSets){}",
            secs(a.firing_seconds.p90), a.alert, p.namespace_, p.name, p.name, p.namespace_,
            quiet.empty() ? "." : fmt::format(", or roll with a plan that does not page: {}.", experiment::joined(quiet)));
        add("alert-fires", s.limits.max_alert_fraction ? Severity::Blocking : Severity::Warning,
            fmt::format("the rollout pages: {} fires in {:.0f}% of trials", a.alert, 100 * a.firing_fraction),
            fmt::format("Simulated over {}, with the DaemonSet's kube-state-metrics series scraped every {} s: {} "
                        "fires {} after the change at p50 ({} at p90) and fires for {} at p50 ({} at p90, to the last "
                        "evaluation); {:.0f}% of trials is more than the {:.0f}% {}.",
                        r.report.trials_words(), options_.alerts ? options_.alerts->interval.whole_seconds() : 30, a.alert,
                        secs(a.start_seconds.p50), secs(a.start_seconds.p90), secs(a.firing_seconds.p50), secs(a.firing_seconds.p90),
                        100 * a.firing_fraction, 100 * allowed,
                        s.limits.max_alert_fraction ? "limits.maxAlertFraction allows" : "review accepts without a limit"),
            on_delete ? on_delete_fix
                      : fmt::format("Silence it for the rollout, {} minutes from the change (`amtool silence add alertname={} "
                                    "namespace={} daemonset={} --duration={}m`){}",
                                    minutes, a.alert, p.namespace_, p.name, minutes,
                                    quiet.empty() ? ", since no simulated plan that finishes avoids it."
                                                  : fmt::format(", or roll with a plan that does not page: {}.", experiment::joined(quiet))));
    }
}

/// What rollsim would do instead, and the limits.
void Reviewer::alternatives() {
    // What rollsim would do instead.
    // Offered only with simulated evidence that it meets the same limits (recommend chooses
    // nothing review would block: experiment::certain_failure, not-applicable plans).
    std::vector<LimitFailure> beyond = as.accepted ? limit_failures(s, as) : std::vector<LimitFailure>{};
    if (check.ok() && !check.strategy.rolling()) {
        // OnDelete replaces a pod only when someone deletes it: not finishing is what it means.
        std::erase_if(beyond, [](const LimitFailure& f) { return f.limit == "completion"; });
        add("on-delete", Severity::Info, "updateStrategy OnDelete: no pod is replaced until it is deleted",
            "The controller creates a new pod only where the old one is gone (daemon/update.go: OnDelete does not "
            "roll); the simulated rollout of the proposed strategy therefore never finishes by itself.",
            "Delete the pods node by node (the runbook of `rollsim recommend` with operator batches says how), or "
            "switch to RollingUpdate.");
    }
    if (!beyond.empty() && !r.blocking()) {
        std::vector<std::string> texts;
        for (const auto& f : beyond) texts.push_back(f.limit == "completion" ? "it " + f.text : f.text);
        add("limits-exceeded", Severity::Blocking, "the change as proposed goes beyond the limits",
            fmt::format("Simulated over {}: {}.", r.report.trials_words(), experiment::joined(texts)),
            "See the other simulated plans below; `rollsim recommend` says which meets the limits.");
    }
    const bool proposed_fails = !as.accepted || as.certain_failure || !beyond.empty();
    if (proposed_fails && r.report.recommendation && r.report.recommendation->acceptable &&
        !r.report.recommendation->strategy.empty() &&
        !(r.report.recommendation->strategy == "as-proposed" && r.report.recommendation->probes == "as-proposed")) {
        add("better-plan", Severity::Info,
            fmt::format("rollsim recommends {} with the {} probes", r.report.recommendation->strategy,
                        r.report.recommendation->probes),
            r.report.recommendation->why, "`rollsim recommend` writes its manifests and runbook.");
    }
    std::stable_sort(r.findings.begin(), r.findings.end(),
                     [](const Finding& a, const Finding& b2) { return a.severity < b2.severity; });
}

}  // namespace

Review review_findings(const ReviewSetup& setup, const RunOptions& options);

const std::vector<std::string>& finding_ids() {
    static const std::vector<std::string> ids = {
        "alert-fires", "better-plan", "grace-period-zero", "grace-shorter-than-shutdown", "invalid-update-strategy", "limits-exceeded",
        "liveness-kills-slow-start", "liveness-without-startup-probe", "no-readiness-probe", "nodes-dropped",
        "nothing-to-roll-out", "on-delete", "pre-stop-shorter-than-detection", "pre-stop-shorter-than-propagation",
        "readiness-before-serving", "readiness-budget-short", "requests-over-allocatable", "selector-change",
        "single-node-host-port", "startup-budget-short", "surge-host-network-undeclared", "surge-shares-host-path",
        "surge-with-host-port"};
    return ids;
}

bool Review::blocking() const {
    return std::any_of(findings.begin(), findings.end(),
                       [](const Finding& f) { return f.severity == Severity::Blocking && f.suppressed.empty(); });
}

bool Review::fails(const std::string& fail_on) const {
    if (fail_on == "never") return false;
    const bool warnings = fail_on == "warning";
    return std::any_of(findings.begin(), findings.end(), [&](const Finding& f) {
        return f.suppressed.empty() && (f.severity == Severity::Blocking || (warnings && f.severity == Severity::Warning));
    });
}

namespace {

/// The line of `field` in the proposed manifest: the deepest part of the key path it has.
SourceRef locate(const DaemonSetSpec& ds, const std::string& field) {
    SourceRef at = ds.source;
    std::optional<input::YamlNode> node;
    try {
        for (const auto& doc : input::YamlNode::parse_all(input::read_input_file(ds.source.file), ds.source.file)) {
            if (doc.is_map() && doc.line() <= ds.source.line) node = doc.as_kubernetes();  // the DaemonSet's document
        }
    } catch (const InputError&) {
        return at;  // an inline or generated manifest: its own line
    }
    std::size_t pos = 0;
    while (node && pos < field.size()) {
        const std::size_t dot = field.find('.', pos);
        std::string key = field.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
        pos = dot == std::string::npos ? field.size() : dot + 1;
        std::string item;  // containers[NAME]
        if (const auto open = key.find('['); open != std::string::npos) {
            item = key.substr(open + 1, key.size() - open - 2);
            key = key.substr(0, open);
        }
        auto next = node->is_map() ? node->get(key) : std::nullopt;
        int line = next ? node->key_line(key) : 0;
        if (next && !item.empty() && next->is_seq()) {
            std::optional<input::YamlNode> found;
            for (const auto& e : next->items()) {
                if (e.is_map() && e.get("name") && e.require("name").str() == item) found = e;
            }
            next = found;
            line = next ? next->key_line("name") : 0;  // the list item: the name that picks it
        }
        if (!next) break;
        node = next;
        at = SourceRef{node->file(), line > 0 ? line : node->line()};
    }
    return at;
}

}  // namespace

Review review(const ReviewSetup& setup, const RunOptions& options) {
    Review r = review_findings(setup, options);
    const ScenarioSpec& s = setup.scenario;
    for (Finding& f : r.findings) {
        f.location = locate(s.proposed, f.field);
        for (const Suppression& sup : setup.suppressions) {
            if (sup.finding == f.id) f.suppressed = sup.reason;
        }
    }
    // Suppressed findings after the ones that count, each group in its order.
    std::stable_partition(r.findings.begin(), r.findings.end(), [](const Finding& f) { return f.suppressed.empty(); });
    return r;
}

Review review_findings(const ReviewSetup& setup, const RunOptions& options) {
    const ScenarioSpec& s = setup.scenario;
    Review r;
    r.target = s.proposed.namespace_ + "/" + s.proposed.name;
    r.assumptions = setup.assumptions;
    const auto add = [&](const char* id, Severity sev, std::string title, std::string evidence, std::string fix) {
        r.findings.push_back(Finding{id, sev, std::move(title), std::move(evidence), std::move(fix), field_of(id, ""), {}, {}});
    };

    // A selector change cannot be applied at all: nothing to simulate.
    if (s.current.selector != s.proposed.selector) {
        add("selector-change", Severity::Blocking, "spec.selector changes, and a DaemonSet's selector is immutable",
            "`kubectl apply` fails with `spec.selector: Invalid value: ...: field is immutable` "
            "(apps/validation ValidateDaemonSetUpdate). Deleting and recreating the DaemonSet to force it removes "
            "every pod at once, or with --cascade=orphan leaves the old pods unmanaged.",
            "Keep the selector. To move to new labels, create a second DaemonSet under another name beside the "
            "live one (on other host ports if it has any), verify it, then delete the old one.");
        return r;
    }
    const model::WorkloadProfile profile = model::workload_profile(s);
    r.workload_kind = to_string(profile.kind);
    r.workload_reasons = profile.reasons;
    r.test_copy_isolated = profile.isolated();
    r.not_isolated = profile.not_isolated;
    if (s.current.pod_template.canonical == s.proposed.pod_template.canonical) {
        add("nothing-to-roll-out", Severity::Info, "the pod template does not change: nothing to roll out",
            "The DaemonSet controller compares the template's hash (controller-revision-hash): with the same template "
            "no pod is replaced, whatever the update strategy says.",
            "Nothing to do; a change of the strategy alone takes effect at the next change of the template.");
        return r;
    }
    r.report = run(s, options);
    r.report.recommendation = recommend(s, r.report);
    r.simulated = true;
    Reviewer reviewer(s, r, options, profile);
    reviewer.strategy();
    reviewer.probes();
    reviewer.placement();
    reviewer.termination();
    reviewer.pages();
    reviewer.alternatives();
    return r;
}

}  // namespace rollsim
