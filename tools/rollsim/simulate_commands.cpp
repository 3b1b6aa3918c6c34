// The rollsim commands that simulate a scenario: init, run, explain, recommend, sweep, merge,
// validate. Each parses its options, loads, runs, and writes every output whole or not at all.

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <utility>

#include <fmt/format.h>

#include "cli.hpp"
#include "rollsim/alerts.hpp"
#include "rollsim/error.hpp"
#include "rollsim/html.hpp"
#include "rollsim/init.hpp"
#include "rollsim/io.hpp"
#include "rollsim/run.hpp"
#include "rollsim/sweep.hpp"
#include "rollsim/timeline.hpp"

namespace rollsim::cli {

po::options_description run_options() {
    po::options_description d("rollsim run SCENARIO [options]");
    d.add_options()
        ("help,h", "show this help")
        ("report", po::value<std::string>()->value_name("FILE.json"), "write the report as JSON to this file")
        ("trace", po::value<std::string>()->value_name("FILE.jsonl"), "write every per-node state change of one trial of each variant (JSON Lines)")
        ("svg", po::value<std::string>()->value_name("FILE.svg"), "draw one trial of one variant as an SVG timeline (see --variant)")
        ("csv", po::value<std::string>()->value_name("FILE.csv"), "write the per-node windows of one trial of every variant as CSV")
        ("markdown", po::value<std::string>()->value_name("FILE.md"), "write the comparison, the recommendation and a gantt chart as Markdown")
        ("variant", po::value<std::string>()->value_name("STRATEGY[/PROBES]"), "the variant --svg draws: STRATEGY or STRATEGY/PROBES (default: the recommended one)")
        ("trace-trial", po::value<int>()->value_name("K")->default_value(0), "which trial --trace, --svg, --csv and --markdown show")
        ("trace-limit", po::value<std::string>()->value_name("SIZE")->default_value("1Gi"),
         "--trace stops at this size with a TraceTruncated line, e.g. 256Mi")
        ("per-trial", po::value<std::string>()->value_name("FILE.csv"), "write every trial's values of every variant as CSV")
        ("html", po::value<std::string>()->value_name("FILE.html"),
         "write one self-contained HTML report: the table, the pictures of many trials and the timeline of --trace-trial")
        ("promtool-test", po::value<std::string>()->value_name("DIR"),
         "write the kube-state-metrics series of trial --trace-trial of --variant as DIR/series.om (OpenMetrics) and "
         "DIR/series-test.yaml (promtool test rules)")
        ("scrape-interval", po::value<int>()->value_name("SECONDS")->default_value(30), "--promtool-test: the scrape interval")
        ("alerts", "evaluate the alerting rules over every trial: which alerts fire, when and for how long")
        ("alert-rules", po::value<std::string>()->value_name("FILE"),
         "with --alerts or --promtool-test: these alerting rules (a Prometheus rule file or PrometheusRule manifests) "
         "instead of the kubernetes-mixin's DaemonSet alerts")
        ("plots", po::value<std::string>()->value_name("DIR"),
         "draw DIR/cdf-duration.svg, DIR/cdf-harm.svg and DIR/tradeoff.svg from every trial (the directory is created)");
    add_run_options(d);
    return d;
}

po::options_description recommend_options() {
    po::options_description d("rollsim recommend SCENARIO [options]");
    d.add_options()
        ("help,h", "show this help")
        ("out", po::value<std::string>()->value_name("PATH"),
         "write DIR/report.json, DIR/timeline.svg (trial 0 of the chosen variant), the pictures of many trials "
         "(DIR/cdf-duration.svg, DIR/cdf-harm.svg, DIR/tradeoff.svg), and for the chosen plan "
         "DIR/test-daemonset.yaml, DIR/promotion-daemonset.yaml and DIR/runbook.md (the directory is created)")
        ("output,o", po::value<std::string>()->value_name("FORMAT")->default_value("text"),
         "stdout's format: text (the table and the recommendation), json (the report), sarif or junit (the gate)")
        ("output-file", po::value<std::vector<std::string>>()->value_name("FORMAT=PATH"), "FORMAT=PATH: also write that format there (repeatable)")
        ("html", po::value<std::string>()->value_name("FILE.html"),
         "write one self-contained HTML report: the recommendation, the table, the pictures and trial 0 of the chosen plan")
        ("alert-rules", po::value<std::string>()->value_name("FILE"),
         "the alerting rules spec.limits.noAlerts names (a rule file or PrometheusRules; default: the kubernetes-mixin's "
         "DaemonSet alerts), evaluated over every trial");
    add_run_options(d);
    return d;
}

po::options_description sweep_options() {
    po::options_description d("rollsim sweep SCENARIO --grid GRID.yaml [options]");
    d.add_options()
        ("help,h", "show this help")
        ("grid", po::value<std::string>()->value_name("FILE"), "the grid file: grid: {KEY.PATH: [VALUES]}")
        ("shard", po::value<std::string>()->value_name("I/N"), "I/N: run only the points whose index is I modulo N")
        ("out", po::value<std::string>()->value_name("PATH"), "write the sweep (JSON), or with --emit-job the manifests (YAML)")
        ("emit-job", po::value<int>()->value_name("N"), "write a ConfigMap and an Indexed Job that run N shards")
        ("image", po::value<std::string>()->value_name("IMAGE")->default_value("rollsim:0.1.0"), "--emit-job: the rollsim image")
        ("heatmap", po::value<std::string>()->value_name("FILE.svg"), "also draw the sweep as a heatmap of p90 harm (a panel per variant)");
    add_run_options(d);
    return d;
}

po::options_description merge_options() {
    po::options_description d("rollsim merge SHARD.json... --out FILE.json");
    d.add_options()
        ("help,h", "show this help")
        ("out", po::value<std::string>()->value_name("PATH"), "the merged sweep")
        ("heatmap", po::value<std::string>()->value_name("FILE.svg"), "also draw the merged sweep as a heatmap of p90 harm")
        ("quiet,q", "print nothing on stdout");
    return d;
}

po::options_description explain_options() {
    po::options_description d("rollsim explain SCENARIO [options]");
    d.add_options()
        ("help,h", "show this help")
        ("variant", po::value<std::string>()->value_name("STRATEGY[/PROBES]"), "STRATEGY or STRATEGY/PROBES (default: the recommended variant)")
        ("trial", po::value<int>()->value_name("K")->default_value(0), "which trial to tell")
        ("alert-rules", po::value<std::string>()->value_name("FILE"),
         "tell when these alerting rules' alerts fire (default: the kubernetes-mixin's DaemonSet alerts)")
        ("svg", po::value<std::string>()->value_name("FILE.svg"), "also draw the trial as an SVG timeline");
    add_run_options(d);
    return d;
}

po::options_description validate_options() {
    po::options_description d("rollsim validate SCENARIO");
    d.add_options()("help,h", "show this help")(
        "strict", "also refuse (exit 2) a variant the API server would reject, naming where its "
                  "strategy is written; without it such a variant is listed as REJECTED");
    return d;
}

po::options_description init_options() {
    po::options_description d("rollsim init --current DS.yaml [--proposed NEW.yaml] [--out SCENARIO.yaml]");
    d.add_options()("help,h", "show this help")
        ("current", po::value<std::string>()->value_name("FILE"), "the live DaemonSet (required)")
        ("proposed", po::value<std::string>()->value_name("FILE"), "the changed one")
        ("nodes", po::value<std::string>()->value_name("FILE"), "the cluster's nodes (kubectl get nodes -o json)")
        ("pods", po::value<std::string>()->value_name("FILE"), "the pods on them (kubectl get pods -A -o json)")
        ("out", po::value<std::string>()->value_name("PATH"), "write the scenario here (default: stdout)");
    return d;
}

int cmd_validate(const std::vector<std::string>& args) {
    const auto desc = validate_options();
    std::string file;
    const auto parsed = parse(desc, args, &file);
    if (!parsed) return kOk;
    const rollsim::ScenarioSpec s = rollsim::load_scenario(file);
    if (parsed->count("strict") != 0) rollsim::require_accepted_variants(s);
    const auto plan = rollsim::plan_scenario(s);
    std::cout << rollsim::describe_scenario(s, *plan) << "  " << rollsim::memory_estimate_text(s, *plan, {}) << "\n";
    return kOk;
}

int cmd_sweep(const std::vector<std::string>& args) {
    const auto desc = sweep_options();
    std::string file;
    const auto parsed = parse(desc, args, &file);
    if (!parsed) return kOk;
    const po::variables_map& vm = *parsed;
    if (vm.count("grid") == 0) throw Usage("--grid GRID.yaml is required");
    const std::string grid_path = vm["grid"].as<std::string>();
    if (vm.count("emit-job") != 0) {
        const int n = vm["emit-job"].as<int>();
        if (n < 1 || n > 10000) throw Usage("--emit-job N needs 1 <= N <= 10000");
        rollsim::JobOptions job;
        job.image = vm["image"].as<std::string>();
        const std::string yaml = rollsim::sweep_job_yaml(file, grid_path, n, job);
        if (vm.count("out") != 0) {
            rollsim::write_file_atomic(vm["out"].as<std::string>(), yaml);
        } else {
            std::cout << yaml;
        }
        return kOk;
    }
    if (vm.count("out") == 0) throw Usage("--out FILE.json is required");
    const rollsim::SweepGrid grid = rollsim::load_grid(grid_path);
    rollsim::SweepOptions opt;
    opt.run = run_options_from(vm);
    opt.run.progress = nullptr;
    if (vm.count("shard") != 0) {
        const std::string sh = vm["shard"].as<std::string>();
        int i = -1, n = 0;
        char slash = 0;
        std::istringstream in(sh);
        if (!(in >> i >> slash >> n) || slash != '/' || !in.eof() || n < 1 || i < 0 || i >= n) {
            throw Usage(fmt::format("--shard {}: expected I/N with 0 <= I < N", sh));
        }
        opt.shard = std::pair{i, n};
    }
    const std::string json = rollsim::run_sweep(file, grid, opt);
    std::vector<std::pair<std::string, std::string>> files = {{vm["out"].as<std::string>(), json}};
    if (vm.count("heatmap") != 0) files.emplace_back(vm["heatmap"].as<std::string>(), rollsim::sweep_heatmap_svg(json));
    rollsim::write_files_atomic(files);
    if (vm.count("quiet") == 0 && vm["out"].as<std::string>() != "-") {
        // A shard runs the points whose index is its own modulo the shard count (sweep.cpp).
        const std::size_t all = grid.points();
        const std::size_t mine = opt.shard ? (all + static_cast<std::size_t>(opt.shard->second - opt.shard->first - 1)) /
                                                 static_cast<std::size_t>(opt.shard->second)
                                           : all;
        std::cout << fmt::format("{} grid point{}{}: {}\n", mine, mine == 1 ? "" : "s",
                                 opt.shard ? fmt::format(" of {} (shard {}/{})", all, opt.shard->first, opt.shard->second) : "",
                                 vm["out"].as<std::string>());
    }
    return kOk;
}

int cmd_merge(const std::vector<std::string>& args) {
    const auto desc = merge_options();
    po::options_description all(desc);  // with the positional shard files, which help does not list
    all.add_options()("shards", po::value<std::vector<std::string>>()->multitoken(), "");
    po::positional_options_description pos;
    pos.add("shards", -1);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw Usage(e.what());
    }
    if (vm.count("help") != 0) {
        print_help(desc);
        return kOk;
    }
    if (vm.count("shards") == 0) throw Usage("give the shard files to merge");
    if (vm.count("out") == 0) throw Usage("--out FILE.json is required");
    const auto shards = vm["shards"].as<std::vector<std::string>>();
    const std::string json = rollsim::merge_sweeps(shards);
    std::vector<std::pair<std::string, std::string>> files = {{vm["out"].as<std::string>(), json}};
    if (vm.count("heatmap") != 0) files.emplace_back(vm["heatmap"].as<std::string>(), rollsim::sweep_heatmap_svg(json));
    rollsim::write_files_atomic(files);
    if (vm.count("quiet") == 0 && vm["out"].as<std::string>() != "-") {
        std::cout << fmt::format("{} shard file{} merged: {}\n", shards.size(), shards.size() == 1 ? "" : "s", vm["out"].as<std::string>());
    }
    return kOk;
}

int cmd_recommend(const std::vector<std::string>& args) {
    const auto desc = recommend_options();
    std::string file;
    const auto parsed = parse(desc, args, &file);
    if (!parsed) return kOk;
    const po::variables_map& vm = *parsed;
    // Each format of the gate; stdout's and the files' are checked before anything runs.
    using Writer = std::string (*)(const rollsim::ScenarioSpec&, const rollsim::Report&);
    const auto writer = [](const std::string& format) -> Writer {
        if (format == "text") return [](const rollsim::ScenarioSpec&, const rollsim::Report& r) {
            return rollsim::report_table(r) + rollsim::recommendation_text(r);
        };
        if (format == "json") return [](const rollsim::ScenarioSpec&, const rollsim::Report& r) { return rollsim::report_json(r); };
        if (format == "sarif") return rollsim::recommend_sarif;
        if (format == "junit") return rollsim::recommend_junit;
        throw Usage(fmt::format("{}: the formats are text, json, sarif and junit", format));
    };
    const Writer stdout_format = writer(vm["output"].as<std::string>());
    std::vector<std::pair<std::string, Writer>> outputs;
    for (const auto& [format, path] : output_file_specs(vm)) outputs.emplace_back(path, writer(format));
    const rollsim::ScenarioSpec s = rollsim::load_scenario(file);
    rollsim::RunOptions opt = run_options_from(vm, kDefaultPrecision);
    if (vm.count("alert-rules") != 0) opt.alerts = rollsim::ScrapeOptions{.rules_file = vm["alert-rules"].as<std::string>()};
    auto recorder = rollsim::make_timeline_recorder(s);
    if (vm.count("out") + vm.count("html") != 0) opt.tracers.push_back(recorder.get());
    const auto variants = rollsim::plan_scenario(s);
    rollsim::Report report = rollsim::run(s, *variants, opt);
    report.recommendation = rollsim::recommend(s, report, opt);
    // Every file is built before the first is written: a plan that cannot be written leaves
    // the directory as it was.
    std::vector<std::pair<std::string, std::string>> files;
    if (vm.count("out") != 0) {
        std::vector<std::pair<std::string, std::string>> plan_dir = {{"report.json", rollsim::report_json(report)}};
        const auto& ts = rollsim::recorded_timelines(*recorder);
        if (!ts.empty()) plan_dir.emplace_back("timeline.svg", rollsim::timeline_svg(pick_traced(ts, report, std::nullopt)));
        for (auto& plot : rollsim::plot_files(s, report)) plan_dir.push_back(std::move(plot));
        if (!report.recommendation->strategy.empty()) {
            const rollsim::PlanFiles plan = rollsim::plan_files(s, *variants, report);
            if (plan.test_daemonset) plan_dir.emplace_back("test-daemonset.yaml", *plan.test_daemonset);
            if (plan.canary_daemonset) plan_dir.emplace_back("canary-daemonset.yaml", *plan.canary_daemonset);
            plan_dir.emplace_back("promotion-daemonset.yaml", plan.promotion_daemonset);
            plan_dir.emplace_back("runbook.md", plan.runbook);
        }
        add_in_directory(files, vm["out"].as<std::string>(), std::move(plan_dir));
    }
    for (const auto& [path, write] : outputs) files.emplace_back(path, write(s, report));
    if (vm.count("html") != 0) {
        const auto& ts = rollsim::recorded_timelines(*recorder);
        files.emplace_back(vm["html"].as<std::string>(),
                           rollsim::report_html({&s, &report, ts.empty() ? nullptr : &pick_traced(ts, report, std::nullopt), nullptr}));
    }
    rollsim::write_files_atomic(files);
    if (vm.count("quiet") == 0 && !to_stdout(files)) std::cout << stdout_format(s, report);
    return report.recommendation->acceptable ? kOk : kGateFailed;
}

int cmd_run(const std::vector<std::string>& args) {
    const auto desc = run_options();
    std::string file;
    const auto parsed = parse(desc, args, &file);
    if (!parsed) return kOk;
    const po::variables_map& vm = *parsed;
    const rollsim::ScenarioSpec s = rollsim::load_scenario(file);
    rollsim::RunOptions opt = run_options_from(vm);
    opt.trace_trial = vm["trace-trial"].as<int>();
    const bool quiet = vm.count("quiet") != 0;
    if (opt.trace_trial < 0 || opt.trace_trial >= opt.trials.value_or(s.trials)) {
        throw Usage("--trace-trial must name one of the trials run");
    }
    const auto wanted = vm.count("variant") != 0 ? std::optional(vm["variant"].as<std::string>()) : std::nullopt;
    // The trace goes to its file as it is made (renamed into place with the other outputs).
    std::unique_ptr<rollsim::StagedFile> trace_file;
    std::unique_ptr<rollsim::Tracer> tracer;
    if (vm.count("trace") != 0) {
        const std::uint64_t limit = byte_size(vm, "trace-limit");
        trace_file = std::make_unique<rollsim::StagedFile>(vm["trace"].as<std::string>());
        tracer = rollsim::make_jsonl_tracer(trace_file->stream(), s, limit);
        opt.tracers.push_back(tracer.get());
    }
    const bool timelines = vm.count("svg") + vm.count("csv") + vm.count("markdown") + vm.count("html") != 0;
    std::unique_ptr<rollsim::Tracer> recorder;
    if (timelines) {
        recorder = rollsim::make_timeline_recorder(s);
        opt.tracers.push_back(recorder.get());
    }
    std::string per_trial;
    if (vm.count("per-trial") != 0) opt.per_trial_csv = &per_trial;
    std::unique_ptr<rollsim::Tracer> status;
    if (vm.count("alert-rules") != 0 && vm.count("promtool-test") + vm.count("alerts") == 0) {
        throw Usage("--alert-rules goes with --alerts or --promtool-test DIR");
    }
    if (vm.count("alerts") != 0) {
        rollsim::ScrapeOptions a;
        a.interval = rollsim::SimTime::seconds(std::max(1, vm["scrape-interval"].as<int>()));
        if (vm.count("alert-rules") != 0) a.rules_file = vm["alert-rules"].as<std::string>();
        opt.alerts = a;
    }
    if (vm.count("promtool-test") != 0) {
        if (vm["scrape-interval"].as<int>() < 1) throw Usage("--scrape-interval must be at least 1 second");
        if (vm.count("alert-rules") != 0) rollsim::check_alert_rules(vm["alert-rules"].as<std::string>());
        status = rollsim::make_status_recorder(s);
        opt.tracers.push_back(status.get());
    }
    rollsim::Report report = rollsim::run(s, opt);
    // Every output is made before the first is written.
    std::vector<std::pair<std::string, std::string>> files;
    if (vm.count("report") != 0) files.emplace_back(vm["report"].as<std::string>(), rollsim::report_json(report));
    if (vm.count("per-trial") != 0) files.emplace_back(vm["per-trial"].as<std::string>(), per_trial);
    // The JSON report of `run` (made above) has no recommendation; the pictures show it.
    if (timelines || vm.count("plots") + vm.count("promtool-test") != 0) report.recommendation = rollsim::recommend(s, report);
    if (status) {
        rollsim::ScrapeOptions scrape;
        scrape.interval = rollsim::SimTime::seconds(vm["scrape-interval"].as<int>());
        if (vm.count("alert-rules") != 0) scrape.rules_file = vm["alert-rules"].as<std::string>();
        add_in_directory(files, vm["promtool-test"].as<std::string>(),
                         rollsim::promtool_files(s, pick_traced(rollsim::recorded_status(*status), report, wanted), scrape));
    }
    if (vm.count("plots") != 0) {
        add_in_directory(files, vm["plots"].as<std::string>(), rollsim::plot_files(s, report));
    }
    if (timelines) {
        const auto& ts = rollsim::recorded_timelines(*recorder);
        // With every variant rejected there is no trial to draw: --svg is an error, the others
        // are written without it.
        const rollsim::Timeline* shown =
            ts.empty() && vm.count("svg") == 0 ? nullptr : &pick_traced(ts, report, wanted);
        if (vm.count("svg") != 0) files.emplace_back(vm["svg"].as<std::string>(), rollsim::timeline_svg(*shown));
        if (vm.count("csv") != 0) files.emplace_back(vm["csv"].as<std::string>(), rollsim::timeline_csv(ts));
        if (vm.count("markdown") != 0) {
            files.emplace_back(vm["markdown"].as<std::string>(), rollsim::report_markdown(report, shown));
        }
        if (vm.count("html") != 0) {
            files.emplace_back(vm["html"].as<std::string>(), rollsim::report_html({&s, &report, shown, nullptr}));
        }
    }
    std::vector<rollsim::StagedFile*> streamed;
    if (trace_file) streamed.push_back(trace_file.get());
    rollsim::write_files_atomic(files, streamed);
    if (tracer && !tracer->truncation().empty()) std::cerr << "rollsim: " << tracer->truncation() << "\n";
    if (!quiet && !to_stdout(files) && !(trace_file && vm["trace"].as<std::string>() == "-")) {
        const auto recommendation = std::exchange(report.recommendation, std::nullopt);  // run's table marks none
        std::cout << rollsim::report_table(report);
        report.recommendation = recommendation;
        // One rule for every picture of one trial (run, explain, recommend --out): --variant,
        // else the recommended variant, else the first accepted one; said where it is drawn.
        if (timelines && (vm.count("svg") + vm.count("markdown") + vm.count("html")) != 0 &&
            !rollsim::recorded_timelines(*recorder).empty()) {
            const rollsim::Timeline& t = pick_traced(rollsim::recorded_timelines(*recorder), report, wanted);
            std::cout << fmt::format("\nThe timeline shows {} × {}, trial {} ({}).\n", t.strategy, t.probes, t.trial,
                                     wanted ? "--variant" : report.recommendation && !report.recommendation->strategy.empty()
                                                                ? "the recommended variant"
                                                                : "the first accepted variant");
        }
    }
    return kOk;
}

int cmd_explain(const std::vector<std::string>& args) {
    const auto desc = explain_options();
    std::string file;
    const auto parsed = parse(desc, args, &file);
    if (!parsed) return kOk;
    const po::variables_map& vm = *parsed;
    const rollsim::ScenarioSpec s = rollsim::load_scenario(file);
    rollsim::RunOptions opt = run_options_from(vm);
    opt.trace_trial = vm["trial"].as<int>();
    if (opt.trace_trial < 0) throw Usage("--trial must be 0 or more");
    // Only the told trial is needed: run trials 0..K, or --trials (the recommendation below is
    // made from those trials alone, which is why --variant is the way to pick one for sure).
    if (!opt.trials) opt.trials = opt.trace_trial + 1;
    if (opt.trace_trial >= *opt.trials) throw Usage("--trial must name one of the --trials run");
    auto recorder = rollsim::make_timeline_recorder(s);
    opt.tracers.push_back(recorder.get());
    rollsim::ScrapeOptions scrape;
    if (vm.count("alert-rules") != 0) {
        scrape.rules_file = vm["alert-rules"].as<std::string>();
        rollsim::check_alert_rules(scrape.rules_file);
    }
    auto status = rollsim::make_status_recorder(s);
    opt.tracers.push_back(status.get());
    rollsim::Report report = rollsim::run(s, opt);
    report.recommendation = rollsim::recommend(s, report);
    const auto wanted = vm.count("variant") != 0 ? std::optional(vm["variant"].as<std::string>()) : std::nullopt;
    const rollsim::Timeline& t = pick_traced(rollsim::recorded_timelines(*recorder), report, wanted);
    if (vm.count("svg") != 0) rollsim::write_file_atomic(vm["svg"].as<std::string>(), rollsim::timeline_svg(t));
    if (vm.count("quiet") == 0 && (vm.count("svg") == 0 || vm["svg"].as<std::string>() != "-")) {
        std::cout << rollsim::explain_text(t)
                  << rollsim::alerts_text(s, pick_traced(rollsim::recorded_status(*status), report, wanted), scrape);
    }
    return kOk;
}

int cmd_init(const std::vector<std::string>& args) {
    const auto desc = init_options();
    const auto parsed = parse(desc, args, nullptr);
    if (!parsed) return kOk;
    const po::variables_map& vm = *parsed;
    if (vm.count("current") == 0) throw Usage("--current DS.yaml is required");
    rollsim::InitInput in;
    in.current_file = vm["current"].as<std::string>();
    if (vm.count("proposed") != 0) in.proposed_file = vm["proposed"].as<std::string>();
    if (vm.count("nodes") != 0) in.nodes_file = vm["nodes"].as<std::string>();
    if (vm.count("pods") != 0) in.pods_file = vm["pods"].as<std::string>();
    if (vm.count("out") != 0) in.out_file = vm["out"].as<std::string>();
    const std::string scenario = rollsim::init_scenario(in);
    if (in.out_file.empty()) {
        std::cout << scenario;
    } else {
        rollsim::write_file_atomic(in.out_file, scenario);
    }
    return kOk;
}

}  // namespace rollsim::cli
