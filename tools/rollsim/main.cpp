// The `rollsim` command: the table of commands, help, and main, which runs a command (or, as
// kubectl-rollsim, the kubectl plugin) and turns each kind of failure into its exit code:
// 0 success; 1 internal error; 2 bad usage or bad input; 3 a gate failed (recommend, review).
// The commands are in simulate_commands.cpp, cluster_commands.cpp and about_commands.cpp.

#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli.hpp"
#include "kubectl_plugin.hpp"
#include "rollsim/error.hpp"
#include "rollsim/io.hpp"

namespace rollsim::cli {

namespace {

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



const std::vector<Command> kCommands = {
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

const std::vector<Command>& commands() { return kCommands; }

}  // namespace rollsim::cli

int main(int argc, char** argv) {
    using namespace rollsim::cli;
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
