// The `rollsim` command: parse the subcommand's options, load, run, write. Exit codes:
// 0 success; 1 internal error; 2 bad usage or bad input; 3 a gate failed (later issues).

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include "rollsim/error.hpp"
#include "rollsim/io.hpp"
#include "rollsim/run.hpp"

namespace po = boost::program_options;

namespace {

constexpr int kOk = 0;
constexpr int kInternal = 1;
constexpr int kBadInput = 2;
constexpr int kGateFailed = 3;

constexpr const char* kUsage = R"(rollsim — replay DaemonSet rollouts before you run them

usage: rollsim <command> [options]

commands:
  run SCENARIO        simulate every variant; a table on stdout, --report FILE.json,
                      --trace FILE.jsonl
  recommend SCENARIO  run, then choose the plan that meets spec.limits; --out DIR writes
                      DIR/report.json; exit 3 when no plan meets the limits
  validate SCENARIO   load and check a scenario; print it resolved
  version             print the version
  help [COMMAND]      this text, or a command's options

Exit codes: 0 success, 2 bad usage or bad input (the message names file, line and key),
3 no plan meets the limits (recommend), 1 internal error. Docs: README.md and docs/ in the source tree.
)";

struct Usage : std::runtime_error {
    using std::runtime_error::runtime_error;
};

po::options_description run_options() {
    po::options_description d("rollsim run SCENARIO [options]");
    d.add_options()
        ("help,h", "show this help")
        ("report", po::value<std::string>(), "write the report as JSON to this file")
        ("trace", po::value<std::string>(), "write every per-node state change of one trial of each variant (JSON Lines)")
        ("trace-trial", po::value<int>()->default_value(0), "which trial --trace records")
        ("trials", po::value<int>(), "trials per variant (default: the scenario's)")
        ("seed", po::value<unsigned long long>(), "master seed (default: the scenario's)")
        ("threads", po::value<unsigned>()->default_value(0), "worker threads (0: every core); the report does not depend on it")
        ("quiet,q", "print nothing on stdout");
    return d;
}

po::options_description recommend_options() {
    po::options_description d("rollsim recommend SCENARIO [options]");
    d.add_options()
        ("help,h", "show this help")
        ("out", po::value<std::string>(), "write DIR/report.json (the directory is created)")
        ("trials", po::value<int>(), "trials per variant (default: the scenario's)")
        ("seed", po::value<unsigned long long>(), "master seed (default: the scenario's)")
        ("threads", po::value<unsigned>()->default_value(0), "worker threads (0: every core)")
        ("quiet,q", "print nothing on stdout");
    return d;
}

po::options_description validate_options() {
    po::options_description d("rollsim validate SCENARIO");
    d.add_options()("help,h", "show this help");
    return d;
}

po::variables_map parse(const po::options_description& desc, const std::vector<std::string>& args,
                        std::string* positional) {
    po::options_description all(desc);
    all.add_options()("scenario", po::value<std::string>(), "");
    po::positional_options_description pos;
    pos.add("scenario", 1);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw Usage(e.what());
    }
    if (vm.count("help") != 0) return vm;
    if (positional != nullptr) {
        if (vm.count("scenario") == 0) throw Usage("a SCENARIO file is required");
        *positional = vm["scenario"].as<std::string>();
    }
    return vm;
}

void print_help(const po::options_description& d) { std::cout << d << "\n"; }

int cmd_validate(const std::vector<std::string>& args) {
    const auto desc = validate_options();
    std::string file;
    const auto vm = parse(desc, args, &file);
    if (vm.count("help") != 0) {
        print_help(desc);
        return kOk;
    }
    const rollsim::ScenarioSpec s = rollsim::load_scenario(file);
    std::cout << rollsim::describe_scenario(s);
    return kOk;
}

/// The options run and recommend share.
rollsim::RunOptions run_options_from(const po::variables_map& vm) {
    rollsim::RunOptions opt;
    if (vm.count("trials") != 0) {
        const int t = vm["trials"].as<int>();
        if (t < 1) throw Usage("--trials must be at least 1");
        opt.trials = t;
    }
    if (vm.count("seed") != 0) opt.seed = vm["seed"].as<unsigned long long>();
    opt.threads = vm["threads"].as<unsigned>();
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

int cmd_recommend(const std::vector<std::string>& args) {
    const auto desc = recommend_options();
    std::string file;
    const auto vm = parse(desc, args, &file);
    if (vm.count("help") != 0) {
        print_help(desc);
        return kOk;
    }
    const rollsim::ScenarioSpec s = rollsim::load_scenario(file);
    rollsim::Report report = rollsim::run(s, run_options_from(vm));
    rollsim::recommend(s, report);
    if (vm.count("out") != 0) {
        const std::string dir = vm["out"].as<std::string>();
        std::error_code ec;
        std::filesystem::create_directories(dir, ec);
        if (ec) throw rollsim::OutputError(fmt::format("{}: cannot create the directory: {}", dir, ec.message()));
        rollsim::write_file_atomic((std::filesystem::path(dir) / "report.json").string(),
                                   rollsim::report_json(report));
    }
    if (vm.count("quiet") == 0) std::cout << rollsim::report_table(report) << rollsim::recommendation_text(report);
    return report.recommendation->acceptable ? kOk : kGateFailed;
}

int cmd_run(const std::vector<std::string>& args) {
    const auto desc = run_options();
    std::string file;
    const auto vm = parse(desc, args, &file);
    if (vm.count("help") != 0) {
        print_help(desc);
        return kOk;
    }
    const rollsim::ScenarioSpec s = rollsim::load_scenario(file);
    rollsim::RunOptions opt = run_options_from(vm);
    opt.trace_trial = vm["trace-trial"].as<int>();
    const bool quiet = vm.count("quiet") != 0;
    if (opt.trace_trial < 0 || opt.trace_trial >= opt.trials.value_or(s.trials)) {
        throw Usage("--trace-trial must name one of the trials run");
    }
    std::ostringstream trace_text;
    std::unique_ptr<rollsim::Tracer> tracer;
    if (vm.count("trace") != 0) {
        tracer = rollsim::make_jsonl_tracer(trace_text, s);
        opt.tracer = tracer.get();
    }
    const rollsim::Report report = rollsim::run(s, opt);
    if (vm.count("report") != 0) {
        rollsim::write_file_atomic(vm["report"].as<std::string>(), rollsim::report_json(report));
    }
    if (vm.count("trace") != 0) {
        rollsim::write_file_atomic(vm["trace"].as<std::string>(), trace_text.str());
    }
    if (!quiet) std::cout << rollsim::report_table(report);
    return kOk;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        std::cerr << kUsage;
        return kBadInput;
    }
    const std::string command = args.front();
    args.erase(args.begin());
    try {
        if (command == "run") return cmd_run(args);
        if (command == "validate") return cmd_validate(args);
        if (command == "recommend") return cmd_recommend(args);
        if (command == "version" || command == "--version") {
            std::cout << "rollsim " << rollsim::version() << "\n";
            return kOk;
        }
        if (command == "help" || command == "--help" || command == "-h") {
            if (!args.empty() && args.front() == "run") print_help(run_options());
            else if (!args.empty() && args.front() == "validate") print_help(validate_options());
            else if (!args.empty() && args.front() == "recommend") print_help(recommend_options());
            else std::cout << kUsage;
            return kOk;
        }
        throw Usage(fmt::format("unknown command \"{}\"", command));
    } catch (const Usage& e) {
        std::cerr << "rollsim: " << e.what() << "\n(see rollsim help)\n";
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
