#pragma once
/// @file cli.hpp
/// What the parts of the rollsim command share (main.cpp has the table of commands): exit
/// codes, usage errors, option parsing, the options of every command that runs trials, and
/// each command's options and handler.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include "rollsim/report.hpp"
#include "rollsim/run.hpp"
#include "rollsim/timeline.hpp"

namespace rollsim::cli {

namespace po = boost::program_options;

// Exit codes: 0 success; 1 internal error; 2 bad usage or bad input; 3 a gate failed.
constexpr int kOk = 0;
constexpr int kInternal = 1;
constexpr int kBadInput = 2;
constexpr int kGateFailed = 3;

/// Bad usage: its message, then "(see rollsim help)", exit 2.
struct Usage : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// Every command, once: its name, its lines in `rollsim help`, its options and what runs it.
struct Command {
    const char* name;
    const char* synopsis;
    po::options_description (*options)();
    int (*run)(const std::vector<std::string>&);
};
/// The table of commands (main.cpp), in the order help lists them.
const std::vector<Command>& commands();

// Option parsing (cli.cpp).
/// The options every command that runs trials takes.
void add_run_options(po::options_description& d);
/// The options, then the command's examples.
void print_help(const po::options_description& d);
/// The command's options (and its one positional argument, when `positional`), or nullopt when
/// --help was asked for (and printed). A mistyped option gets the nearest one suggested.
std::optional<po::variables_map> parse(const po::options_description& desc, const std::vector<std::string>& args,
                                       std::string* positional);
/// Whether one of the outputs is `-` (stdout): the command then prints nothing else there.
bool to_stdout(const std::vector<std::pair<std::string, std::string>>& files);
/// The FORMAT=PATH pairs of a repeatable --output-file, in order; a spec without both is a
/// usage error.
std::vector<std::pair<std::string, std::string>> output_file_specs(const po::variables_map& vm);
/// Creates `dir` (an OutputError when it cannot be) and adds each of `named` to `files` as
/// DIR/NAME: the outputs of --out, --plots and --promtool-test directories.
void add_in_directory(std::vector<std::pair<std::string, std::string>>& files, const std::string& dir,
                      std::vector<std::pair<std::string, std::string>> named);
/// A size option such as 8Gi, in bytes.
std::uint64_t byte_size(const po::variables_map& vm, const char* name);
/// RunOptions from the options of add_run_options.
/// The precision recommend and review run to unless --precision says otherwise.
constexpr double kDefaultPrecision = 0.05;
rollsim::RunOptions run_options_from(const po::variables_map& vm, std::optional<double> default_precision = std::nullopt);
/// What was traced (a timeline, a status series) of `wanted` ("STRATEGY" or "STRATEGY/PROBES"),
/// else of the recommended variant, else of the first: one rule for every output of one trial.
template <class Traced>
const Traced& pick_traced(const std::vector<Traced>& ts, const rollsim::Report& report, const std::optional<std::string>& wanted) {
    if (ts.empty()) throw Usage("no variant was accepted, so there is no trial to show");
    const auto named = [&](const std::string& strategy, const std::string& probes) -> const Traced* {
        for (const auto& t : ts) {
            if (t.strategy == strategy && (probes.empty() || t.probes == probes)) return &t;
        }
        return nullptr;
    };
    if (wanted) {
        const auto slash = wanted->rfind('/');
        const Traced* t = named(*wanted, "");
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

// The commands that simulate a scenario (simulate_commands.cpp).
po::options_description init_options();
po::options_description run_options();
po::options_description explain_options();
po::options_description recommend_options();
po::options_description sweep_options();
po::options_description merge_options();
po::options_description validate_options();
int cmd_init(const std::vector<std::string>& args);
int cmd_run(const std::vector<std::string>& args);
int cmd_explain(const std::vector<std::string>& args);
int cmd_recommend(const std::vector<std::string>& args);
int cmd_sweep(const std::vector<std::string>& args);
int cmd_merge(const std::vector<std::string>& args);
int cmd_validate(const std::vector<std::string>& args);

// The commands that read what a cluster is or recorded (cluster_commands.cpp).
po::options_description review_options();
po::options_description calibrate_options();
po::options_description backtest_options();
int cmd_review(const std::vector<std::string>& args);
int cmd_calibrate(const std::vector<std::string>& args);
int cmd_backtest(const std::vector<std::string>& args);

// The commands about rollsim itself (about_commands.cpp).
int cmd_version(const std::vector<std::string>& args);
int cmd_man(const std::vector<std::string>& args);
int cmd_completion(const std::vector<std::string>& args);

}  // namespace rollsim::cli
