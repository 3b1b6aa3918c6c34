// The `rollsim` command: parse the subcommand's options, load, run, write. Exit codes:
// 0 success; 1 internal error; 2 bad usage or bad input; 3 a gate failed (recommend, review).

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include "kubectl_plugin.hpp"
#include "rollsim/calibration.hpp"
#include "rollsim/error.hpp"
#include "rollsim/init.hpp"
#include "rollsim/io.hpp"
#include "rollsim/review.hpp"
#include "rollsim/run.hpp"
#include "rollsim/sweep.hpp"
#include "rollsim/timeline.hpp"

namespace po = boost::program_options;

namespace {

constexpr int kOk = 0;
constexpr int kInternal = 1;
constexpr int kBadInput = 2;
constexpr int kGateFailed = 3;

/// The text `rollsim help` prints around the table of commands (kCommands, below).
constexpr const char* kUsageHead = R"(rollsim — replay DaemonSet rollouts before you run them

usage: rollsim <command> [options]

commands:
)";
constexpr const char* kUsageTail = R"(  completion SHELL    bash, zsh or fish completion of the commands and options
  man                 this manual as a man page (roff)
  version             print the version
  help [COMMAND]      this text, or a command's options

Exit codes: 0 success, 2 bad usage or bad input (the message names file, line and key) or a run
too large for memory (--max-memory),
3 a gate failed (recommend: no plan meets the limits; review: a blocking finding), 1 internal error. Docs: README.md and docs/ in the source tree.
)";

struct Usage : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// The options every command that runs trials takes.
void add_run_options(po::options_description& d) {
    d.add_options()
        ("trials", po::value<int>()->value_name("N"), "trials per variant (default: the scenario's)")
        ("seed", po::value<unsigned long long>()->value_name("S"), "master seed (default: the scenario's)")
        ("threads", po::value<unsigned>()->value_name("T")->default_value(0), "worker threads (0: every core); results do not depend on it")
        ("max-memory", po::value<std::string>()->value_name("SIZE"),
         "refuse a run estimated to need more memory than this, e.g. 8Gi (default: what the machine has available)")
        ("quiet,q", "print nothing on stdout");
}

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
         "--trace stops at this size with a TraceTruncated line, e.g. 256Mi");
    add_run_options(d);
    return d;
}

po::options_description recommend_options() {
    po::options_description d("rollsim recommend SCENARIO [options]");
    d.add_options()
        ("help,h", "show this help")
        ("out", po::value<std::string>()->value_name("PATH"),
         "write DIR/report.json, DIR/timeline.svg (trial 0 of the chosen variant), and for the chosen plan "
         "DIR/test-daemonset.yaml, DIR/promotion-daemonset.yaml and DIR/runbook.md (the directory is created)");
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
        ("image", po::value<std::string>()->value_name("IMAGE")->default_value("rollsim:0.1.0"), "--emit-job: the rollsim image");
    add_run_options(d);
    return d;
}

po::options_description merge_options() {
    po::options_description d("rollsim merge SHARD.json... --out FILE.json");
    d.add_options()
        ("help,h", "show this help")
        ("out", po::value<std::string>()->value_name("PATH"), "the merged sweep")
        ("quiet,q", "print nothing on stdout");
    return d;
}

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
        ("config", po::value<std::string>()->value_name("FILE"), "suppressions (ignore: [{finding, reason}]) (default: ./.rollsim.yaml)");
    add_run_options(d);
    return d;
}

po::options_description explain_options() {
    po::options_description d("rollsim explain SCENARIO [options]");
    d.add_options()
        ("help,h", "show this help")
        ("variant", po::value<std::string>()->value_name("STRATEGY[/PROBES]"), "STRATEGY or STRATEGY/PROBES (default: the recommended variant)")
        ("trial", po::value<int>()->value_name("K")->default_value(0), "which trial to tell")
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

/// Each command's examples, printed under its options.
const char* examples_of(const std::string& caption) {
    static const std::pair<const char*, const char*> kExamples[] = {
        {"rollsim init", "  rollsim init --current live.yaml --proposed new.yaml --out scenario.yaml\n"},
        {"rollsim run", "  rollsim run scenario.yaml\n  rollsim run scenario.yaml --trials 1000 --report report.json --svg timeline.svg\n"
                        "  rollsim run scenario.yaml --report - | jq .variants[0].rollout\n"},
        {"rollsim explain", "  rollsim explain scenario.yaml --variant one-at-a-time\n"},
        {"rollsim recommend", "  rollsim recommend scenario.yaml --out plan/\n"},
        {"rollsim review", "  rollsim review --current live.yaml --proposed new.yaml --serve 90s..180s\n"
                           "  rollsim review --current <(git show main:ds.yaml) --proposed ds.yaml -o sarif > rollsim.sarif\n"},
        {"rollsim sweep", "  rollsim sweep scenario.yaml --grid grid.yaml --out sweep.json\n"
                          "  rollsim sweep scenario.yaml --grid grid.yaml --shard 0/4 --out shard0.json\n"},
        {"rollsim merge", "  rollsim merge shard*.json --out sweep.json\n"},
        {"rollsim calibrate", "  kubectl get pods -n edge -o json > pods.json; kubectl get events -n edge -o json > events.json\n"
                              "  rollsim calibrate --pods pods.json --events events.json --out workload.yaml\n"},
        {"rollsim backtest", "  rollsim backtest --events events.json --pods pods.json --current v1.yaml --proposed v2.yaml\n"},
        {"rollsim validate", "  rollsim validate scenario.yaml --strict\n"},
    };
    for (const auto& [prefix, text] : kExamples) {
        if (caption.rfind(std::string(prefix) + " ", 0) == 0) return text;
    }
    return "";
}

void print_help(const po::options_description& d) {
    std::ostringstream text;
    text << d;
    std::cout << text.str() << "\n";
    // The caption is the first line (Boost 1.74 has no getter for it).
    if (const char* ex = examples_of(text.str().substr(0, text.str().find('\n'))); *ex != '\0') {
        std::cout << "Examples:\n" << ex << "\n";
    }
}

/// The option of `desc` nearest to the mistyped `given` (at most 3 edits away), or "".
std::string nearest_option(const po::options_description& desc, std::string given) {
    while (!given.empty() && given.front() == '-') given.erase(given.begin());
    std::string best;
    std::size_t best_d = 4;
    for (const auto& o : desc.options()) {
        const std::string name = o->long_name();
        std::vector<std::size_t> row(name.size() + 1);
        for (std::size_t j = 0; j <= name.size(); ++j) row[j] = j;
        for (std::size_t i = 1; i <= given.size(); ++i) {
            std::size_t diag = row[0];
            row[0] = i;
            for (std::size_t j = 1; j <= name.size(); ++j) {
                const std::size_t up = row[j];
                row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (given[i - 1] == name[j - 1] ? 0 : 1)});
                diag = up;
            }
        }
        if (row[name.size()] < best_d) {
            best_d = row[name.size()];
            best = name;
        }
    }
    return best;
}

/// The command's options, or nullopt when --help was asked for (and printed).
std::optional<po::variables_map> parse(const po::options_description& desc, const std::vector<std::string>& args,
                                       std::string* positional) {
    po::options_description all(desc);
    po::positional_options_description pos;
    if (positional != nullptr) {
        all.add_options()("scenario", po::value<std::string>()->value_name("FILE"), "");
        pos.add("scenario", 1);
    }
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
        po::notify(vm);
    } catch (const po::unknown_option& e) {
        const std::string near = nearest_option(desc, e.get_option_name());
        throw Usage(near.empty() ? std::string(e.what()) : fmt::format("{} (did you mean --{}?)", e.what(), near));
    } catch (const po::error& e) {
        throw Usage(e.what());
    }
    if (vm.count("help") != 0) {
        print_help(desc);
        return std::nullopt;
    }
    if (positional != nullptr) {
        if (vm.count("scenario") == 0) throw Usage("a SCENARIO file is required");
        *positional = vm["scenario"].as<std::string>();
    }
    return vm;
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

/// Whether one of the outputs is `-` (stdout): the command then prints nothing else there.
bool to_stdout(const std::vector<std::pair<std::string, std::string>>& files) {
    return std::any_of(files.begin(), files.end(), [](const auto& f) { return f.first == "-"; });
}

/// A size option such as 8Gi, in bytes.
std::uint64_t byte_size(const po::variables_map& vm, const char* name) {
    const std::string text = vm[name].as<std::string>();
    const auto bytes = rollsim::parse_byte_size(text);
    if (!bytes) throw Usage(fmt::format("--{} {}: expected a size such as 512Mi or 8Gi", name, text));
    return *bytes;
}

/// RunOptions from the options of add_run_options (run, recommend, review, sweep).
rollsim::RunOptions run_options_from(const po::variables_map& vm) {
    rollsim::RunOptions opt;
    if (vm.count("trials") != 0) {
        const int t = vm["trials"].as<int>();
        if (t < 1) throw Usage("--trials must be at least 1");
        opt.trials = t;
    }
    if (vm.count("seed") != 0) opt.seed = vm["seed"].as<unsigned long long>();
    opt.threads = vm["threads"].as<unsigned>();
    if (vm.count("max-memory") != 0) opt.max_memory = byte_size(vm, "max-memory");
    if (vm.count("quiet") == 0 && isatty(STDERR_FILENO) != 0) {
        // Trials done, rate and time left, on stderr, once the run has taken a second.
        const auto start = std::chrono::steady_clock::now();
        opt.progress = [start, shown = false](std::int64_t done, std::int64_t total) mutable {
            const double elapsed =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            if (done == total) {
                if (shown) std::fprintf(stderr, "\r%70s\r", "");
                return;
            }
            if (elapsed < 1.0) return;
            shown = true;
            const double rate = static_cast<double>(done) / elapsed;
            const double left = rate > 0 ? static_cast<double>(total - done) / rate : 0;
            std::fprintf(stderr, "\r  %lld / %lld trials, %.0f trials/s, %.0f s left   ",
                         static_cast<long long>(done), static_cast<long long>(total), rate, left);
        };
    }
    return opt;
}

/// The timeline of `wanted` ("STRATEGY" or "STRATEGY/PROBES"), or else of the recommended
/// variant, or else the first.
const rollsim::Timeline& pick_timeline(const std::vector<rollsim::Timeline>& ts, const rollsim::Report& report,
                                       const std::optional<std::string>& wanted) {
    if (ts.empty()) throw Usage("no variant was accepted, so there is no trial to show");
    const auto named = [&](const std::string& strategy, const std::string& probes) -> const rollsim::Timeline* {
        for (const auto& t : ts) {
            if (t.strategy == strategy && (probes.empty() || t.probes == probes)) return &t;
        }
        return nullptr;
    };
    if (wanted) {
        const auto slash = wanted->rfind('/');
        const rollsim::Timeline* t = named(*wanted, "");
        if (t == nullptr && slash != std::string::npos) t = named(wanted->substr(0, slash), wanted->substr(slash + 1));
        if (t != nullptr) return *t;
        std::string names;
        for (const auto& v : ts) names += fmt::format("\n  {}/{}", v.strategy, v.probes);
        throw Usage(fmt::format("--variant {}: no accepted variant has that name; the variants are:{}", *wanted, names));
    }
    if (report.recommendation && !report.recommendation->strategy.empty()) {
        if (const auto* t = named(report.recommendation->strategy, report.recommendation->probes)) return *t;
    }
    return ts.front();
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
    rollsim::write_file_atomic(vm["out"].as<std::string>(), json);
    if (vm.count("quiet") == 0 && vm["out"].as<std::string>() != "-") {
        // A shard runs the points whose index is its own modulo the shard count (sweep.cpp).
        const std::size_t all = grid.points();
        const std::size_t mine = opt.shard ? (all + static_cast<std::size_t>(opt.shard->second - opt.shard->first - 1)) /
                                                 static_cast<std::size_t>(opt.shard->second)
                                           : all;
        std::cout << fmt::format("{} grid point(s){}: {}\n", mine,
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
    rollsim::write_file_atomic(vm["out"].as<std::string>(), rollsim::merge_sweeps(shards));
    if (vm.count("quiet") == 0 && vm["out"].as<std::string>() != "-") {
        std::cout << fmt::format("{} shard file(s) merged: {}\n", shards.size(), vm["out"].as<std::string>());
    }
    return kOk;
}

int cmd_recommend(const std::vector<std::string>& args) {
    const auto desc = recommend_options();
    std::string file;
    const auto parsed = parse(desc, args, &file);
    if (!parsed) return kOk;
    const po::variables_map& vm = *parsed;
    const rollsim::ScenarioSpec s = rollsim::load_scenario(file);
    rollsim::RunOptions opt = run_options_from(vm);
    auto recorder = rollsim::make_timeline_recorder(s);
    if (vm.count("out") != 0) opt.tracers.push_back(recorder.get());
    const auto variants = rollsim::plan_scenario(s);
    rollsim::Report report = rollsim::run(s, *variants, opt);
    report.recommendation = rollsim::recommend(s, report, opt);
    if (vm.count("out") != 0) {
        const std::string dir = vm["out"].as<std::string>();
        std::error_code ec;
        std::filesystem::create_directories(dir, ec);
        if (ec) throw rollsim::OutputError(fmt::format("{}: cannot create the directory: {}", dir, ec.message()));
        const std::filesystem::path out(dir);
        // Every file is built before the first is written: a plan that cannot be written
        // leaves the directory as it was.
        std::vector<std::pair<std::string, std::string>> files = {{"report.json", rollsim::report_json(report)}};
        const auto& ts = rollsim::recorded_timelines(*recorder);
        if (!ts.empty()) files.emplace_back("timeline.svg", rollsim::timeline_svg(pick_timeline(ts, report, std::nullopt)));
        if (!report.recommendation->strategy.empty()) {
            const rollsim::PlanFiles plan = rollsim::plan_files(s, *variants, report);
            if (plan.test_daemonset) files.emplace_back("test-daemonset.yaml", *plan.test_daemonset);
            if (plan.canary_daemonset) files.emplace_back("canary-daemonset.yaml", *plan.canary_daemonset);
            files.emplace_back("promotion-daemonset.yaml", plan.promotion_daemonset);
            files.emplace_back("runbook.md", plan.runbook);
        }
        for (auto& f : files) f.first = (out / f.first).string();
        rollsim::write_files_atomic(files);
    }
    if (vm.count("quiet") == 0) std::cout << rollsim::report_table(report) << rollsim::recommendation_text(report);
    return report.recommendation->acceptable ? kOk : kGateFailed;
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
    if (vm.count("output-file") != 0) {
        for (const auto& spec : vm["output-file"].as<std::vector<std::string>>()) {
            const auto eq = spec.find('=');
            if (eq == std::string::npos || eq + 1 == spec.size()) throw Usage(fmt::format("--output-file {}: expected FORMAT=PATH", spec));
            outputs.emplace_back(spec.substr(eq + 1), writer(spec.substr(0, eq)));
        }
    }
    const rollsim::ReviewSetup setup = rollsim::review_scenario(in);
    const rollsim::Review r = rollsim::review(setup, run_options_from(vm));
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto& [path, write] : outputs) files.emplace_back(path, write(r));
    rollsim::write_files_atomic(files);
    // --markdown FILE takes the Markdown off stdout unless -o names a format for it.
    const bool moved = vm.count("markdown") != 0 && vm["output"].defaulted();
    if (!moved && vm.count("quiet") == 0 && !to_stdout(files)) std::cout << stdout_format(r);
    return r.fails(fail_on) ? kGateFailed : kOk;
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
    const bool timelines = vm.count("svg") + vm.count("csv") + vm.count("markdown") != 0;
    std::unique_ptr<rollsim::Tracer> recorder;
    if (timelines) {
        recorder = rollsim::make_timeline_recorder(s);
        opt.tracers.push_back(recorder.get());
    }
    rollsim::Report report = rollsim::run(s, opt);
    // Every output is made before the first is written.
    std::vector<std::pair<std::string, std::string>> files;
    if (vm.count("report") != 0) files.emplace_back(vm["report"].as<std::string>(), rollsim::report_json(report));
    if (timelines) {
        // The JSON report of `run` (made above) has no recommendation; the pictures show it.
        report.recommendation = rollsim::recommend(s, report);
        const auto& ts = rollsim::recorded_timelines(*recorder);
        // With every variant rejected there is no trial to draw: --svg is an error, the others
        // are written without it.
        const rollsim::Timeline* shown =
            ts.empty() && vm.count("svg") == 0 ? nullptr : &pick_timeline(ts, report, wanted);
        if (vm.count("svg") != 0) files.emplace_back(vm["svg"].as<std::string>(), rollsim::timeline_svg(*shown));
        if (vm.count("csv") != 0) files.emplace_back(vm["csv"].as<std::string>(), rollsim::timeline_csv(ts));
        if (vm.count("markdown") != 0) {
            files.emplace_back(vm["markdown"].as<std::string>(), rollsim::report_markdown(report, shown));
        }
    }
    std::vector<rollsim::StagedFile*> streamed;
    if (trace_file) streamed.push_back(trace_file.get());
    rollsim::write_files_atomic(files, streamed);
    if (tracer && !tracer->truncation().empty()) std::cerr << "rollsim: " << tracer->truncation() << "\n";
    if (!quiet && !to_stdout(files) && !(trace_file && vm["trace"].as<std::string>() == "-")) {
        std::cout << rollsim::report_table(report);
        // One rule for every picture of one trial (run, explain, recommend --out): --variant,
        // else the recommended variant, else the first accepted one; said where it is drawn.
        if (timelines && (vm.count("svg") + vm.count("markdown")) != 0 && !rollsim::recorded_timelines(*recorder).empty()) {
            const rollsim::Timeline& t = pick_timeline(rollsim::recorded_timelines(*recorder), report, wanted);
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
    rollsim::Report report = rollsim::run(s, opt);
    report.recommendation = rollsim::recommend(s, report);
    const auto wanted = vm.count("variant") != 0 ? std::optional(vm["variant"].as<std::string>()) : std::nullopt;
    const rollsim::Timeline& t = pick_timeline(rollsim::recorded_timelines(*recorder), report, wanted);
    if (vm.count("svg") != 0) rollsim::write_file_atomic(vm["svg"].as<std::string>(), rollsim::timeline_svg(t));
    if (vm.count("quiet") == 0 && (vm.count("svg") == 0 || vm["svg"].as<std::string>() != "-")) {
        std::cout << rollsim::explain_text(t);
    }
    return kOk;
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

/// Every command, once: its name, its lines in `rollsim help`, its options and what runs it.
struct Command {
    const char* name;
    const char* synopsis;
    po::options_description (*options)();
    int (*run)(const std::vector<std::string>&);
};

const Command kCommands[] = {
    {"init",
     "  init --current DS.yaml [--proposed NEW.yaml] [--nodes N.json] [--out SCENARIO.yaml]\n"
     "                      a commented first scenario for a DaemonSet, with what rollsim infers and TODOs\n",
     init_options, cmd_init},
    {"run",
     "  run SCENARIO        simulate every variant; a table on stdout, --report FILE.json,\n"
     "                      --trace FILE.jsonl, --svg FILE.svg, --csv FILE.csv, --markdown FILE.md\n",
     run_options, cmd_run},
    {"explain",
     "  explain SCENARIO [--variant STRATEGY[/PROBES]] [--trial K]\n"
     "                      one trial told in plain words, for teaching\n",
     explain_options, cmd_explain},
    {"recommend",
     "  recommend SCENARIO  run, then choose the plan that meets spec.limits; --out DIR writes\n"
     "                      report.json, timeline.svg, test-daemonset.yaml, promotion-daemonset.yaml,\n"
     "                      runbook.md;\n"
     "                      exit 3 when no plan meets the limits\n",
     recommend_options, cmd_recommend},
    {"review",
     "  review --current A.yaml --proposed B.yaml [--nodes N.yaml] [--scenario S.yaml] [--serve 90s..180s]\n"
     "         [--name NAME] [--namespace NS] [--workload KIND]\n"
     "                      pre-change review: findings with evidence and fixes, as Markdown (and --json);\n"
     "                      exit 3 when a finding is blocking\n",
     review_options, cmd_review},
    {"sweep",
     "  sweep SCENARIO --grid GRID.yaml [--shard I/N] --out FILE.json\n"
     "                      every combination of the grid's values, each a full run (or one shard)\n"
     "  sweep SCENARIO --grid GRID.yaml --emit-job N [--image IMG] [--out FILE.yaml]\n"
     "                      a ConfigMap and an Indexed Job that run the N shards on a cluster\n",
     sweep_options, cmd_sweep},
    {"merge",
     "  merge SHARD.json... --out FILE.json\n"
     "                      combine shard files; the result is the unsharded sweep, byte for byte\n",
     merge_options, cmd_merge},
    {"calibrate",
     "  calibrate --pods PODS.json [--events EVENTS.json] [--daemonset NS/NAME] [--out W.yaml] [--json F.json]\n"
     "                      the workload block a cluster's pods and events imply, fitted\n",
     calibrate_options, cmd_calibrate},
    {"backtest",
     "  backtest --events E.json --pods P.json --current A.yaml --proposed B.yaml [--scenario S.yaml]\n"
     "           [--json F.json] [--svg F.svg]\n"
     "                      a recorded rollout against rollsim's prediction of it: the percentile it fell at\n",
     backtest_options, cmd_backtest},
    {"validate",
     "  validate SCENARIO [--strict]\n"
     "                      load and check a scenario; print it resolved\n",
     validate_options, cmd_validate},
};

const Command* find_command(const std::string& name) {
    for (const Command& c : kCommands) {
        if (name == c.name) return &c;
    }
    return nullptr;
}

std::string usage() {
    std::string out = kUsageHead;
    for (const Command& c : kCommands) out += c.synopsis;
    return out + kUsageTail;
}

/// roff text: backslashes and leading dots escaped.
std::string roff(const std::string& text) {
    std::string out;
    bool line_start = true;
    for (char c : text) {
        if (c == '\\') out += "\\e";
        else if (line_start && (c == '.' || c == '\'')) out += "\\&" + std::string(1, c);
        else if (c == '-') out += "\\-";
        else out += c;
        line_start = c == '\n';
    }
    return out;
}

/// `rollsim version [-o json]`: the version, the commit it was built from, the libraries.
int cmd_version(const std::vector<std::string>& args) {
    const bool json = args == std::vector<std::string>{"-o", "json"} || args == std::vector<std::string>{"--output", "json"} ||
                      args == std::vector<std::string>{"--output=json"};
    if (!args.empty() && !json) throw Usage("rollsim version [-o json]");
    if (json) {
        // "boost 1.74.0, yaml-cpp 0.7.0, ..." as {"boost": "1.74.0", ...}
        std::vector<std::string> deps;
        std::istringstream list(ROLLSIM_DEPENDENCIES);
        for (std::string item; std::getline(list, item, ',');) {
            item.erase(0, item.find_first_not_of(' '));
            const auto space = item.find(' ');
            deps.push_back(fmt::format("\"{}\": \"{}\"", item.substr(0, space), space == std::string::npos ? "" : item.substr(space + 1)));
        }
        std::cout << fmt::format("{{\"name\": \"rollsim\", \"version\": \"{}\", \"commit\": \"{}\", \"dependencies\": {{{}}}}}\n",
                                 rollsim::version(), ROLLSIM_COMMIT, fmt::join(deps, ", "));
    } else {
        std::cout << fmt::format("rollsim {} (commit {})\n", rollsim::version(), ROLLSIM_COMMIT);
    }
    return kOk;
}

/// `rollsim man`: the manual page, made from the same help the commands print.
int cmd_man(const std::vector<std::string>&) {
    std::string m = fmt::format(".TH ROLLSIM 1 \"\" \"rollsim {}\" \"User Commands\"\n", rollsim::version());
    m += ".SH NAME\nrollsim \\- replay DaemonSet rollouts before you run them\n";
    m += ".SH SYNOPSIS\n.B rollsim\n.I command\n[options]\n.br\n.B kubectl rollsim\n.I command\n[options]\n";
    m += ".SH DESCRIPTION\nrollsim is an offline discrete-event simulator of DaemonSet rollouts: the DaemonSet controller, "
         "scheduling, probes, restarts, host ports and node pressure, over many seeded trials. It reports outage "
         "windows and coverage gaps as distributions, reviews a change, recommends a plan and writes its manifests. "
         "Installed as kubectl\\-rollsim it is also a kubectl plugin.\n";
    m += ".SH COMMANDS\n";
    for (const Command& c : kCommands) {
        std::ostringstream help;
        help << c.options();
        m += fmt::format(".SS {}\n.nf\n{}{}.fi\n", c.name, roff(c.synopsis), roff(help.str()));
    }
    m += ".SH EXIT STATUS\n0 success; 2 bad usage or bad input (the message names the file, line and key); 3 a gate "
         "failed (recommend: no plan meets the limits; review: a failing finding); 1 internal error.\n";
    m += ".SH FILES\n.TP\n.I .rollsim.yaml\nreview's suppressions (ignore: [{finding, reason}]).\n";
    m += ".SH SEE ALSO\n.BR kubectl (1).\nThe documents in /usr/share/doc/rollsim: scenario.md, review.md, "
         "report.md, calibration.md, kubectl\\-plugin.md and the others.\n";
    std::cout << m;
    return kOk;
}

/// `rollsim completion bash|zsh|fish`: shell completion of the commands and their options.
int cmd_completion(const std::vector<std::string>& args) {
    const std::string shell = args.empty() ? "" : args.front();
    std::vector<std::string> commands = {"help", "version", "completion"};
    std::string cases;  // bash: the options of each command
    std::string fish;
    for (const Command& c : kCommands) {
        commands.emplace_back(c.name);
        const po::options_description desc = c.options();  // held: its options() is a reference into it
        std::vector<std::string> opts;
        for (const auto& o : desc.options()) opts.push_back("--" + o->long_name());
        cases += fmt::format("    {}) opts=\"{}\" ;;\n", c.name, fmt::join(opts, " "));
        for (const auto& o : desc.options()) {
            fish += fmt::format("complete -c rollsim -n '__fish_seen_subcommand_from {}' -l {}\n", c.name, o->long_name());
        }
    }
    const std::string all = fmt::format("{}", fmt::join(commands, " "));
    if (shell == "bash") {
        std::cout << "# bash completion for rollsim (rollsim completion bash)\n_rollsim() {\n"
                     "  local cur=${COMP_WORDS[COMP_CWORD]} opts\n"
                     "  if [[ $COMP_CWORD -eq 1 ]]; then\n"
                  << "    COMPREPLY=($(compgen -W \"" << all << "\" -- \"$cur\"))\n"
                  << "    return\n  fi\n  case ${COMP_WORDS[1]} in\n"
                  << cases
                  << "    *) opts=\"\" ;;\n  esac\n"
                     "  if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\")); "
                     "else COMPREPLY=($(compgen -f -- \"$cur\")); fi\n}\ncomplete -F _rollsim rollsim\n";
    } else if (shell == "zsh") {
        std::cout << "#compdef rollsim\n# zsh completion for rollsim (rollsim completion zsh), through bash's\n"
                     "autoload -U +X bashcompinit && bashcompinit\n";
        cmd_completion({"bash"});
    } else if (shell == "fish") {
        std::cout << "# fish completion for rollsim (rollsim completion fish)\n"
                  << "complete -c rollsim -f -n '__fish_use_subcommand' -a '" << all << "'\n"
                  << fish;
    } else {
        throw Usage("rollsim completion bash|zsh|fish");
    }
    return kOk;
}

/// `kubectl rollsim ...`: read the cluster, then the file-based command on what was read.
int run_plugin(const std::vector<std::string>& args) {
    rollsim::cli::PluginCall call;
    try {
        call = rollsim::cli::kubectl_plugin(args);
    } catch (const std::invalid_argument& e) {
        throw Usage(e.what());
    }
    // A temporary directory (no --save) goes once the command is done, whatever happens.
    struct Scratch {
        std::string dir;
        ~Scratch() {
            std::error_code ec;
            if (!dir.empty()) std::filesystem::remove_all(dir, ec);
        }
    } scratch{call.scratch};
    if (call.command.empty()) {
        std::cout << call.text;
        return kOk;
    }
    return find_command(call.command)->run(call.args);
}

/// Runs `body`, turning each kind of failure into its message and exit code.
template <class Body>
int guarded(Body body, const char* help) {
    try {
        return body();
    } catch (const Usage& e) {
        std::cerr << "rollsim: " << e.what() << "\n(see " << help << ")\n";
        return kBadInput;
    } catch (const rollsim::InputError& e) {
        std::cerr << "rollsim: " << e.what() << "\n";
        return kBadInput;
    } catch (const rollsim::OutputError& e) {
        std::cerr << "rollsim: " << e.what() << "\n";
        return kBadInput;
    } catch (const std::exception& e) {
        std::cerr << "rollsim: internal error: " << e.what() << "\n";
        return kInternal;
    }
}

}  // namespace

int main(int argc, char** argv) {
    rollsim::install_interrupt_cleanup();
    std::vector<std::string> args(argv + 1, argv + argc);
    if (rollsim::cli::invoked_as_plugin(argv[0])) {
        return guarded([&] { return run_plugin(args); }, "kubectl rollsim help");
    }
    if (args.empty()) {
        std::cerr << usage();
        return kBadInput;
    }
    const std::string command = args.front();
    args.erase(args.begin());
    return guarded(
        [&] {
            if (const Command* c = find_command(command)) return c->run(args);
            if (command == "man") return cmd_man(args);
            if (command == "completion") return cmd_completion(args);
            if (command == "version" || command == "--version") return cmd_version(args);
            if (command == "help" || command == "--help" || command == "-h") {
                const Command* c = args.empty() ? nullptr : find_command(args.front());
                if (c != nullptr) {
                    print_help(c->options());
                } else {
                    std::cout << usage();
                }
                return kOk;
            }
            throw Usage(fmt::format("unknown command \"{}\"", command));
        },
        "rollsim help");
}
