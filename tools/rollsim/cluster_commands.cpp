// The rollsim commands that read what a cluster is or recorded: review (a change against the
// live DaemonSet, for pull requests and CI), calibrate (the workload its records imply) and
// backtest (a recorded rollout against its prediction).

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "cli.hpp"
#include "rollsim/calibration.hpp"
#include "rollsim/error.hpp"
#include "rollsim/html.hpp"
#include "rollsim/io.hpp"
#include "rollsim/review.hpp"

namespace rollsim::cli {

po::options_description review_options() {
    po::options_description d("rollsim review --current A.yaml --proposed B.yaml [options]");
    d.add_options()
        ("help,h", "show this help")
        ("current", po::value<std::string>()->value_name("FILE"), "the live DaemonSet (a manifest, or kubectl get ds -o yaml)")
        ("proposed", po::value<std::string>()->value_name("FILE"), "the changed DaemonSet")
        ("nodes", po::value<std::string>()->value_name("FILE"), "the cluster's nodes (kubectl get nodes -o yaml|json)")
        ("pods", po::value<std::string>()->value_name("FILE"), "the pods on them (kubectl get pods -A -o yaml|json)")
        ("scenario", po::value<std::string>()->value_name("FILE"), "take the workload, traffic, cluster and limits from this scenario")
        ("serve", po::value<std::string>()->value_name("DURATION"), "the new revision's time to serve: 90s..180s (uniform) or 120s")
        ("name", po::value<std::string>()->value_name("NAME"), "the DaemonSet to review, when the files hold several")
        ("namespace", po::value<std::string>()->value_name("NS"), "... and its namespace")
        ("workload", po::value<std::string>()->value_name("KIND"),
         "what the DaemonSet is, instead of what rollsim infers: host-port-service, host-network-service, node-agent "
         "or host-agent")
        ("markdown", po::value<std::string>()->value_name("FILE.md"), "write the Markdown here instead of stdout")
        ("json", po::value<std::string>()->value_name("FILE.json"), "also write the review as JSON")
        ("output,o", po::value<std::string>()->value_name("FORMAT")->default_value("markdown"), "stdout's format: markdown, json, sarif or junit")
        ("output-file", po::value<std::vector<std::string>>()->value_name("FORMAT=PATH"), "FORMAT=PATH: also write that format there (repeatable)")
        ("fail-on", po::value<std::string>()->value_name("SEVERITY")->default_value("blocking"),
         "exit 3 on an unsuppressed finding of this severity or worse: blocking, warning or never")
        ("config", po::value<std::string>()->value_name("FILE"), "suppressions (ignore: [{finding, reason}]) (default: ./.rollsim.yaml)")
        ("html", po::value<std::string>()->value_name("FILE.html"), "also write one self-contained HTML report: the verdict, the findings, the table and the pictures")
        ("alert-rules", po::value<std::string>()->value_name("FILE"),
         "the alerting rules to predict (a rule file or PrometheusRules; default: the kubernetes-mixin's DaemonSet alerts)");
    add_run_options(d);
    return d;
}

po::options_description calibrate_options() {
    po::options_description d("rollsim calibrate --pods PODS.json [--events EVENTS.json]");
    d.add_options()("help,h", "show this help")
        ("pods", po::value<std::string>()->value_name("FILE"), "kubectl get pods -o json (or yaml): the DaemonSet's pods (required)")
        ("events", po::value<std::string>()->value_name("FILE"), "kubectl get events -o json (or yaml) of their namespace: pulls, failed probes")
        ("daemonset", po::value<std::string>()->value_name("NS/NAME"), "NAME or NS/NAME of the DaemonSet (default: the only one owning pods there)")
        ("container", po::value<std::string>()->value_name("NAME"), "the container measured (default: the pods' first)")
        ("out", po::value<std::string>()->value_name("PATH"), "write the workload block here (default: stdout)")
        ("json", po::value<std::string>()->value_name("FILE.json"), "also write every fit as JSON here");
    return d;
}

po::options_description backtest_options() {
    po::options_description d("rollsim backtest --events E.json --pods P.json --current A.yaml --proposed B.yaml");
    d.add_options()("help,h", "show this help")
        ("events", po::value<std::string>()->value_name("FILE"), "kubectl get events -o json of the DaemonSet's namespace, from the rollout (required)")
        ("pods", po::value<std::string>()->value_name("FILE"), "kubectl get pods -o json after it (required)")
        ("current", po::value<std::string>()->value_name("FILE"), "the DaemonSet before the change (required)")
        ("proposed", po::value<std::string>()->value_name("FILE"), "... and after it (required)")
        ("scenario", po::value<std::string>()->value_name("FILE"), "the workload (e.g. from calibrate), traffic and limits to predict with")
        ("nodes", po::value<std::string>()->value_name("FILE"), "kubectl get nodes -o json (default: as many nodes as the rollout reached)")
        ("trials", po::value<int>()->value_name("N"), "predicted trials (default: the scenario's, 200 without one)")
        ("seed", po::value<unsigned long long>()->value_name("S"), "master seed")
        ("json", po::value<std::string>()->value_name("FILE.json"), "write the comparison as JSON")
        ("svg", po::value<std::string>()->value_name("FILE.svg"), "draw the actual rollout over the predicted band");
    return d;
}

int cmd_review(const std::vector<std::string>& args) {
    const auto desc = review_options();
    const auto parsed = parse(desc, args, nullptr);
    if (!parsed) return kOk;
    const po::variables_map& vm = *parsed;
    rollsim::ReviewInput in;
    if (vm.count("current") == 0 || vm.count("proposed") == 0) throw Usage("--current and --proposed are required");
    in.current_file = vm["current"].as<std::string>();
    in.proposed_file = vm["proposed"].as<std::string>();
    if (vm.count("nodes") != 0) in.nodes_file = vm["nodes"].as<std::string>();
    if (vm.count("pods") != 0) in.pods_file = vm["pods"].as<std::string>();
    if (vm.count("scenario") != 0) in.scenario_file = vm["scenario"].as<std::string>();
    if (vm.count("serve") != 0) in.serve = vm["serve"].as<std::string>();
    if (vm.count("name") != 0) in.name = vm["name"].as<std::string>();
    if (vm.count("namespace") != 0) in.namespace_ = vm["namespace"].as<std::string>();
    if (vm.count("workload") != 0) in.workload = vm["workload"].as<std::string>();
    if (vm.count("config") != 0) in.config_file = vm["config"].as<std::string>();
    const std::string fail_on = vm["fail-on"].as<std::string>();
    if (fail_on != "blocking" && fail_on != "warning" && fail_on != "never") {
        throw Usage(fmt::format("--fail-on {}: must be blocking, warning or never", fail_on));
    }
    // Each format's writer; stdout's and the files' are checked before anything runs.
    const auto writer = [](const std::string& format) -> std::string (*)(const rollsim::Review&) {
        if (format == "markdown") return rollsim::review_markdown;
        if (format == "json") return rollsim::review_json;
        if (format == "sarif") return rollsim::review_sarif;
        if (format == "junit") return rollsim::review_junit;
        throw Usage(fmt::format("{}: the formats are markdown, json, sarif and junit", format));
    };
    const auto stdout_format = writer(vm["output"].as<std::string>());
    std::vector<std::pair<std::string, std::string (*)(const rollsim::Review&)>> outputs;
    if (vm.count("json") != 0) outputs.emplace_back(vm["json"].as<std::string>(), rollsim::review_json);
    if (vm.count("markdown") != 0) outputs.emplace_back(vm["markdown"].as<std::string>(), rollsim::review_markdown);
    for (const auto& [format, path] : output_file_specs(vm)) outputs.emplace_back(path, writer(format));
    const rollsim::ReviewSetup setup = rollsim::review_scenario(in);
    // Review always says which alerts the rollout will fire (docs/alerts.md).
    rollsim::RunOptions opt = run_options_from(vm, kDefaultPrecision);
    opt.alerts = rollsim::ScrapeOptions{};
    if (vm.count("alert-rules") != 0) opt.alerts->rules_file = vm["alert-rules"].as<std::string>();
    const rollsim::Review r = rollsim::review(setup, opt);
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto& [path, write] : outputs) files.emplace_back(path, write(r));
    if (vm.count("html") != 0) files.emplace_back(vm["html"].as<std::string>(), rollsim::report_html({&setup.scenario, &r.report, nullptr, &r}));
    rollsim::write_files_atomic(files);
    // --markdown FILE takes the Markdown off stdout unless -o names a format for it.
    const bool moved = vm.count("markdown") != 0 && vm["output"].defaulted();
    if (!moved && vm.count("quiet") == 0 && !to_stdout(files)) std::cout << stdout_format(r);
    return r.fails(fail_on) ? kGateFailed : kOk;
}

int cmd_calibrate(const std::vector<std::string>& args) {
    const auto desc = calibrate_options();
    const auto parsed = parse(desc, args, nullptr);
    if (!parsed) return kOk;
    const po::variables_map& vm = *parsed;
    if (vm.count("pods") == 0) throw Usage("--pods FILE is required (kubectl get pods -o json)");
    rollsim::CalibrateInput in;
    in.pods_file = vm["pods"].as<std::string>();
    if (vm.count("events") != 0) in.events_file = vm["events"].as<std::string>();
    if (vm.count("daemonset") != 0) in.daemonset = vm["daemonset"].as<std::string>();
    if (vm.count("container") != 0) in.container = vm["container"].as<std::string>();
    const rollsim::Calibration c = rollsim::calibrate(in);
    const std::string yaml = rollsim::calibration_yaml(c);
    std::vector<std::pair<std::string, std::string>> files;
    if (vm.count("out") != 0) files.emplace_back(vm["out"].as<std::string>(), yaml);
    if (vm.count("json") != 0) files.emplace_back(vm["json"].as<std::string>(), rollsim::calibration_json(c));
    rollsim::write_files_atomic(files);
    if (vm.count("out") == 0 && !to_stdout(files)) std::cout << yaml;
    for (const auto& w : c.warnings) std::cerr << "rollsim: warning: " << w << "\n";
    return kOk;
}

int cmd_backtest(const std::vector<std::string>& args) {
    const auto desc = backtest_options();
    const auto parsed = parse(desc, args, nullptr);
    if (!parsed) return kOk;
    const po::variables_map& vm = *parsed;
    for (const char* key : {"events", "pods", "current", "proposed"}) {
        if (vm.count(key) == 0) throw Usage(fmt::format("--{} is required", key));
    }
    rollsim::BacktestInput in;
    in.events_file = vm["events"].as<std::string>();
    in.pods_file = vm["pods"].as<std::string>();
    in.current_file = vm["current"].as<std::string>();
    in.proposed_file = vm["proposed"].as<std::string>();
    if (vm.count("scenario") != 0) in.scenario_file = vm["scenario"].as<std::string>();
    if (vm.count("nodes") != 0) in.nodes_file = vm["nodes"].as<std::string>();
    if (vm.count("trials") != 0) {
        if (vm["trials"].as<int>() < 1) throw Usage("--trials must be at least 1");
        in.trials = vm["trials"].as<int>();
    }
    if (vm.count("seed") != 0) in.seed = vm["seed"].as<unsigned long long>();
    const rollsim::Backtest b = rollsim::backtest(in);
    std::vector<std::pair<std::string, std::string>> files;
    if (vm.count("json") != 0) files.emplace_back(vm["json"].as<std::string>(), rollsim::backtest_json(b));
    if (vm.count("svg") != 0) files.emplace_back(vm["svg"].as<std::string>(), rollsim::backtest_svg(b));
    rollsim::write_files_atomic(files);
    if (!to_stdout(files)) std::cout << rollsim::backtest_text(b);
    return kOk;
}

}  // namespace rollsim::cli
