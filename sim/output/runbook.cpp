// The files of `rollsim recommend --out DIR` beside report.json: the two DaemonSets and the
// runbook that says how to use them, with the simulated numbers (docs/recommend.md).

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "experiment/variants.hpp"
#include "experiment/words.hpp"
#include "output/manifest_writer.hpp"
#include "model/update_strategy.hpp"
#include "output/yaml_writer.hpp"
#include "rollsim/error.hpp"
#include "rollsim/io.hpp"
#include "rollsim/run.hpp"

namespace rollsim {

namespace {

std::string secs(double s) { return experiment::duration_words(s); }

/// A label selector as `kubectl -l` takes it.
std::string selector_text(const LabelSelector& sel) {
    std::vector<std::string> parts;
    for (const auto& [k, v] : sel.match_labels) parts.push_back(k + "=" + v);
    for (const auto& r : sel.match_expressions) {
        std::string values;
        for (const auto& v : r.values) values += (values.empty() ? "" : ",") + v;
        if (r.op == "In") parts.push_back(fmt::format("{} in ({})", r.key, values));
        else if (r.op == "NotIn") parts.push_back(fmt::format("{} notin ({})", r.key, values));
        else if (r.op == "Exists") parts.push_back(r.key);
        else parts.push_back("!" + r.key);
    }
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : ",") + p;
    return out;
}

std::string header(const ScenarioSpec& s, const Report& r, const char* what) {
    return fmt::format("# {} — written by rollsim {} `recommend` for scenario {} (sha256 {}):\n# plan {} × {}.\n",
                       what, r.tool_version, s.name, s.sha256.substr(0, 12), r.recommendation->strategy,
                       r.recommendation->probes);
}

/// Step 1 where a test copy would not be isolated: the new revision on one node first, with
/// OnDelete, then the rolling promotion.
std::string canary_step(const ScenarioSpec& s, const model::WorkloadProfile& profile, const output::PlanChoice& c,
                        const std::string& ns, const std::string& name, const std::string& live_sel, double ready_p99) {
    std::string m = "## 1. Try the new revision on one node first\n\n";
    m += fmt::format("rollsim writes no test DaemonSet for `{}`: a second copy beside the live pod would not be isolated "
                     "from it ({}). Instead, the new revision goes to one node you choose, and the rest follow once it "
                     "works there.\n\n",
                     name, fmt::join(profile.not_isolated, "; "));
    std::string node = "<node>";
    for (std::size_t n = 0; n < s.nodes.size(); ++n) {
        if (s.nodes[n].from_node_list && c.variant->model.new_eligibility[n].should_run) {
            node = s.nodes[n].name;
            break;
        }
    }
    m += fmt::format("```sh\nkubectl label node {} rollsim.io/canary=true\nkubectl apply -f canary-daemonset.yaml   # OnDelete: no pod changes yet\n"
                     "kubectl -n {} delete pod -l {} --field-selector spec.nodeName={}\n"
                     "kubectl -n {} wait pod -l {} --field-selector spec.nodeName={} --for=condition=Ready --timeout={}s\n```\n\n",
                     node, ns, live_sel, node, ns, live_sel, node,
                     static_cast<long long>(std::ceil(std::max(60.0, 2 * ready_p99))));
    m += "Check on that node before promoting: the pod is Running with no restarts, its logs end with the daemon's "
         "ready line, and what it does for the node (networking, volumes, devices, metrics, logs) works for a pod "
         "started after it.\n\n";
    return m;
}

/// The numbers and names the runbook's steps quote, worked out once.
struct Facts {
    std::string ns, name, live_sel;
    std::vector<double> to_serve, pulls;  ///< p50 and p99: scheduling to serving; the image pull
    std::int32_t period = 0;              ///< the readiness probe's
    std::set<std::string> archs;
    std::string arch_list;
    std::size_t eligible = 0;
    std::string path = "/";  ///< the readiness probe's httpGet path
    std::string port_text;   ///< the test DaemonSet's moved ports
    std::int32_t first_test_port = 0;
    OperatorSpec::Kind kind = OperatorSpec::Kind::None;
    double test_wait = 0;
    double rollout_p99 = 0;
    const VariantReport* vr = nullptr;
};

Facts facts(const ScenarioSpec& s, const output::PlanChoice& c, const std::optional<output::TestDaemonSet>& test,
            const VariantReport* vr) {
    Facts f;
    f.vr = vr;
    f.ns = s.proposed.namespace_;
    f.name = s.proposed.name;
    f.live_sel = selector_text(s.proposed.selector);
    const Behaviour& b = s.workload.proposed;
    f.to_serve = experiment::sampled_quantiles({&b.image_pull, &b.serve}, {0.5, 0.99}, "runbook-startup");
    f.pulls = experiment::sampled_quantiles({&b.image_pull}, {0.5, 0.99}, "runbook-pull");
    const ContainerSpec* ct = c.variant->new_template.find_container(s.workload.container);
    f.period = ct != nullptr && ct->readiness_probe ? ct->readiness_probe->period_seconds : 0;
    for (std::size_t n = 0; n < s.nodes.size(); ++n) {
        if (!c.variant->model.new_eligibility[n].should_run) continue;
        ++f.eligible;
        const auto it = s.nodes[n].labels.find("kubernetes.io/arch");
        f.archs.insert(it == s.nodes[n].labels.end() ? "amd64 (unlabelled)" : it->second);
    }
    for (const auto& a : f.archs) f.arch_list += (f.arch_list.empty() ? "" : ", ") + a;
    if (test) {
        for (const auto& [from, to] : test->moved_ports) f.port_text += fmt::format("{}{} → {}", f.port_text.empty() ? "" : ", ", from, to);
    }
    f.first_test_port = !test || test->moved_ports.empty() ? 0 : test->moved_ports.begin()->second;
    if (ct != nullptr && ct->readiness_probe && ct->readiness_probe->handler == ProbeSpec::Handler::HttpGet &&
        !ct->readiness_probe->path.empty()) {
        f.path = ct->readiness_probe->path;
    }
    f.kind = c.strategy->operator_plan.kind;
    f.test_wait = vr != nullptr && f.kind == OperatorSpec::Kind::TestThenPromote && vr->test_phase_seconds.n > 0
                                 ? vr->test_phase_seconds.max
                                 : f.to_serve[1] + f.period;
    f.rollout_p99 = vr != nullptr ? vr->duration_seconds.p99 : 0;
    return f;
}

/// Step 1 with a test copy: apply it, the checklist, remove it.
std::string test_step(const output::PlanChoice& c, const output::TestDaemonSet& t, const Facts& f) {
    std::string m;
    m += "## 1. Test the new revision on other ports\n\n";
    if (c.nodes_to_label > 0) {
        m += fmt::format("The test runs on the nodes you label `{}=true`: {} of them, as simulated{}. Pick nodes that "
                         "have room for a second pod:\n\n```sh\nkubectl label node <node> {}=true\n```\n\n",
                         output::kTestNodeLabel, c.nodes_to_label,
                         f.archs.size() > 1 ? fmt::format(" (one per architecture: {})", f.arch_list) : "",
                         output::kTestNodeLabel);
    }
    m += fmt::format("Each test node runs a second pod beside the live one: it needs room for both pods' requests.{}\n\n",
                     t.container_ports_moved
                         ? " The pods use the host network, so the test process listens on the moved ports itself: its "
                           "container ports, numeric probe ports, and the args and env values naming the port were moved too."
                         : " Only the host ports move: inside its own network namespace the test process listens on the same container ports.");
    m += fmt::format("```sh\nkubectl apply -f test-daemonset.yaml\nkubectl -n {} rollout status daemonset/{} --timeout={}s\n```\n\n",
                     f.ns, t.name, static_cast<long long>(std::ceil(std::max(60.0, 2 * f.test_wait))));
    m += "Check each item before promoting:\n\n";
    m += fmt::format("- [ ] **The image pulls on every architecture** ({}). Simulated pull: p50 {}, p99 {}.\n"
                     "  `kubectl -n {} get pods -l {} -o wide` shows every pod Running; "
                     "`kubectl -n {} get events --field-selector reason=Failed` shows no ErrImagePull.\n",
                     f.arch_list.empty() ? "none eligible" : f.arch_list, secs(f.pulls[0]), secs(f.pulls[1]), f.ns, t.selector, f.ns);
    m += fmt::format("- [ ] **The full init path finishes.** Simulated time from scheduling to serving: p50 {}, p99 {}; "
                     "a pod still starting after {} is slower than the model.\n"
                     "  `kubectl -n {} logs -l {} --tail=50` ends with the service's ready line.\n",
                     secs(f.to_serve[0]), secs(f.to_serve[1]), secs(f.to_serve[1]), f.ns, t.selector);
    m += fmt::format("- [ ] **The generated configuration exists** in every test pod, non-empty.\n"
                     "  `kubectl -n {} exec daemonset/{} -- ls -l <the path your init writes>`\n",
                     f.ns, t.name);
    m += fmt::format("- [ ] **Readiness turns green only after the real request path works.** With these probes, pods "
                     "report Ready before they serve for {} per rollout on average (summed over nodes, p99 {}).{}\n"
                     "  Watch `kubectl -n {} get pods -l {} -w` beside a request loop on the test port: READY 1/1 must not "
                     "come before the first good answer.\n",
                     secs(f.vr != nullptr ? f.vr->false_ready_node_seconds.mean : 0),
                     secs(f.vr != nullptr ? f.vr->false_ready_node_seconds.p99 : 0),
                     f.vr != nullptr && f.eligible > 0 &&
                             f.vr->false_ready_node_seconds.mean / static_cast<double>(f.eligible) > 2.0 * std::max(f.period, 1)
                         ? " That is more than two readiness periods per node: the probe passes before the service "
                           "serves. Fix it before promoting."
                         : "",
                     f.ns, t.selector);
    m += fmt::format("- [ ] **The process survives a restart, not only a cold start.** Delete one test pod; the new "
                     "one must be Ready again within p99 {}.\n"
                     "  `kubectl -n {} delete pod $(kubectl -n {} get pods -l {} -o name | head -1)`; restarts in the "
                     "simulated public rollout: mean {:.2f}.\n",
                     secs(f.to_serve[1] + f.period), f.ns, f.ns, t.selector, f.vr != nullptr ? f.vr->restarts.mean : 0.0);
    m += fmt::format("- [ ] **The test instance answers a real request on its alternate port.**\n"
                     "  `curl -fsS http://<node-ip>:{}{}` on each test node.\n\n",
                     f.first_test_port > 0 ? std::to_string(f.first_test_port) : std::string("<port>"), f.path);
    m += fmt::format("Then remove it: `kubectl delete -f test-daemonset.yaml`{}.\n\n",
                     c.nodes_to_label == 0 ? "" : fmt::format(", and the label: `kubectl label node <node> {}-`", output::kTestNodeLabel));
    return m;
}

/// Step 2: promote, what it costs, and the termination fix.
std::string promote_step(const output::PlanChoice& c, const Facts& f) {
    const TerminationFix* fix = c.termination_fix;
    std::string m;
    m += "## 2. Promote\n\n";
    const auto rollout = [&] {
        return fmt::format("Simulated: {} at p50, {} at p90, {} at p99; client-visible errors {} on average ({} at p90).\n\n",
                           secs(f.vr != nullptr ? f.vr->duration_seconds.p50 : 0), secs(f.vr != nullptr ? f.vr->duration_seconds.p90 : 0),
                           secs(f.rollout_p99), secs(f.vr != nullptr ? f.vr->error_seconds.mean : 0),
                           secs(f.vr != nullptr ? f.vr->error_seconds.p90 : 0));
    };
    if (f.kind == OperatorSpec::Kind::Batches || f.kind == OperatorSpec::Kind::Canary) {
        const OperatorSpec& op = c.strategy->operator_plan;
        m += fmt::format("The manifest is OnDelete: applying it changes no pod. Pods are replaced by deleting them, "
                         "{}.\n\n",
                         f.kind == OperatorSpec::Kind::Batches ? fmt::format("{} node(s) at a time", op.batch_size.text())
                                                             : "first on the canary nodes");
        m += fmt::format("```sh\nkubectl apply -f promotion-daemonset.yaml\n# for each node of the {}:\nkubectl -n {} delete pod -l {} --field-selector spec.nodeName=NODE\n"
                         "kubectl -n {} wait pod -l {} --field-selector spec.nodeName=NODE --for=condition=Ready --timeout={}s\n"
                         "sleep {}   # soak\n",
                         f.kind == OperatorSpec::Kind::Batches ? "batch" : "canary", f.ns, f.live_sel, f.ns, f.live_sel,
                         op.timeout.whole_seconds(), op.soak.whole_seconds());
        if (f.kind == OperatorSpec::Kind::Canary) {
            const nlohmann::ordered_json patch = {{"spec", {{"updateStrategy", output::strategy_json(op.then)}}}};
            m += fmt::format("# then roll the rest:\nkubectl -n {} patch daemonset {} --type merge -p '{}'\n", f.ns, f.name, patch.dump());
        }
        m += fmt::format("kubectl -n {} rollout status daemonset/{} --timeout={}s\n```\n\n", f.ns, f.name,
                         static_cast<long long>(std::ceil(std::max(60.0, 1.5 * f.rollout_p99))));
    } else {
        m += fmt::format("```sh\nkubectl apply -f promotion-daemonset.yaml\nkubectl -n {} rollout status daemonset/{} --timeout={}s\n```\n\n",
                         f.ns, f.name, static_cast<long long>(std::ceil(std::max(60.0, 1.5 * f.rollout_p99))));
    }
    m += rollout();
    m += fmt::format("Out of {} eligible node(s).\n\n", f.eligible);
    if (fix != nullptr) {
        m += fmt::format("The old pods stop without a hook that outlasts the traffic still sent to them, and a running "
                         "pod's hooks cannot change, so this rollout keeps those errors. With {} and "
                         "terminationGracePeriodSeconds {} live, the same change costs {} of errors at p90 instead of {} "
                         "(simulated).\n\n",
                         fix->drains ? fmt::format("a preStop hook that drains for {} s", fix->pre_stop_seconds)
                                     : fmt::format("a preStop sleep of {} s", fix->pre_stop_seconds),
                         fix->grace_seconds, secs(fix->errors_with_fix_live.p90), secs(fix->errors_without.p90));
        m += fix->written ? "The promotion manifest carries it.\n\n"
                          : fmt::format("- [ ] **Before the next rollout**, add it yourself: {}.\n\n", fix->not_written);
    }
    m += "## 3. Roll back\n\n";
    m += fmt::format("```sh\nkubectl -n {} rollout undo daemonset/{}\nkubectl -n {} rollout status daemonset/{}\n```\n\n", f.ns, f.name, f.ns, f.name);
    m += "A rollback is a rollout too: it replaces the pods under the same strategy and takes about as long.\n";
    return m;
}

}  // namespace

PlanFiles plan_files(const ScenarioSpec& s, const experiment::Plan& plan, const Report& r) {
    if (!r.recommendation || r.recommendation->strategy.empty()) {
        throw OutputError("there is no plan to write: no variant finishes in every trial");
    }
    const Recommendation& rec = *r.recommendation;
    output::PlanChoice c = output::choose_plan(s, plan, rec.strategy, rec.probes);
    if (rec.termination_fix) c.termination_fix = &*rec.termination_fix;
    const auto promotion = output::promotion_daemonset(s, c);
    const model::WorkloadProfile profile = model::workload_profile(s);
    // A test copy only where it is isolated from the live pod; else a canary on one node.
    const std::optional<output::TestDaemonSet> test =
        profile.isolated() ? std::optional{output::test_daemonset(s, c, promotion)} : std::nullopt;
    const VariantReport* vr = r.find(rec.strategy, rec.probes);

    PlanFiles files;
    files.promotion_daemonset = header(s, r, "The public DaemonSet to apply") + output::to_yaml(promotion);
    if (test) {
        files.test_daemonset =
            header(s, r, "A test DaemonSet: the new revision beside the live one, on other host ports") + output::to_yaml(test->manifest);
    } else {
        nlohmann::ordered_json canary = promotion;
        canary["spec"]["updateStrategy"] = output::strategy_json(UpdateStrategySpec{"OnDelete", false, {}, {}});
        files.canary_daemonset =
            header(s, r, "The new revision with updateStrategy OnDelete: applied, it replaces no pod by itself") +
            output::to_yaml(canary);
    }

    const Facts f = facts(s, c, test, vr);
    std::string m;
    m += fmt::format("# Runbook: {}/{} — {} × {}\n\n", f.ns, f.name, rec.strategy, rec.probes);
    m += fmt::format("Written by rollsim {} for scenario `{}` (sha256 `{}`), {}, seed {}, Kubernetes {}.\n\n",
                     r.tool_version, s.name, s.sha256.substr(0, 12), r.trials_words(), r.seed, r.kubernetes_version);
    m += rec.why + "\n\n";
    m += "| file | what it is |\n|---|---|\n";
    if (test) {
        m += fmt::format("| `test-daemonset.yaml` | `{}`: the new revision beside the live pods on {}, host ports {}; selector `{}`, disjoint from the live `{}` |\n",
                         test->name, c.test_nodes.empty() && c.test_node_labels.empty() ? "every eligible node" : "the test nodes",
                         f.port_text.empty() ? "(none)" : f.port_text, test->selector, f.live_sel);
    } else {
        m += fmt::format("| `canary-daemonset.yaml` | `{}` as promoted but with updateStrategy OnDelete: the new revision "
                         "on the one node whose pod you delete |\n",
                         f.name);
    }
    const TerminationFix* fix = c.termination_fix;
    m += fmt::format("| `promotion-daemonset.yaml` | `{}` with updateStrategy {}{}{}{} |\n", f.name,
                     model::default_and_validate(c.public_strategy).strategy.describe(),
                     c.variant->min_ready_seconds > 0 ? fmt::format(", minReadySeconds {}", c.variant->min_ready_seconds) : "",
                     c.probes->as_proposed ? ", probes as proposed" : fmt::format(", the `{}` probes", rec.probes),
                     fix != nullptr && fix->written
                         ? fmt::format(", a preStop sleep of {} s and terminationGracePeriodSeconds {}", fix->pre_stop_seconds,
                                       fix->grace_seconds)
                         : "");
    m += "| `report.json` | every variant's distributions (docs/report.md) |\n\n";

    if (!test) {
        m += canary_step(s, profile, c, f.ns, f.name, f.live_sel, f.to_serve[1] + f.period);
    } else {
    m += test_step(c, *test, f);
    }

    m += promote_step(c, f);
    files.runbook = m;
    return files;
}

}  // namespace rollsim
