// Option parsing shared by the rollsim command's parts: the run options, help with examples,
// did-you-mean for a mistyped option, and the timeline a picture shows.

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "cli.hpp"
#include "rollsim/error.hpp"
#include "rollsim/io.hpp"

namespace rollsim::cli {

namespace {

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

}  // namespace

/// The options every command that runs trials takes.
void add_run_options(po::options_description& d) {
    d.add_options()
        ("trials", po::value<int>()->value_name("N"), "trials per variant (default: the scenario's)")
        ("precision", po::value<std::string>()->value_name("P"),
         "run trials in batches until every measure the limits and the ranking use is known to within P, "
         "e.g. 5% (--trials is then the cap); off: every trial (default: 5% for recommend and review, off otherwise)")
        ("seed", po::value<unsigned long long>()->value_name("S"), "master seed (default: the scenario's)")
        ("threads", po::value<unsigned>()->value_name("T")->default_value(0), "worker threads (0: every core); results do not depend on it")
        ("max-memory", po::value<std::string>()->value_name("SIZE"),
         "refuse a run estimated to need more memory than this, e.g. 8Gi (default: what the machine has available)")
        ("quiet,q", "print nothing on stdout");
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

/// Whether one of the outputs is `-` (stdout): the command then prints nothing else there.
bool to_stdout(const std::vector<std::pair<std::string, std::string>>& files) {
    return std::any_of(files.begin(), files.end(), [](const auto& f) { return f.first == "-"; });
}

std::vector<std::pair<std::string, std::string>> output_file_specs(const po::variables_map& vm) {
    std::vector<std::pair<std::string, std::string>> out;
    if (vm.count("output-file") == 0) return out;
    for (const auto& spec : vm["output-file"].as<std::vector<std::string>>()) {
        const auto eq = spec.find('=');
        if (eq == 0 || eq == std::string::npos || eq + 1 == spec.size()) {
            throw Usage(fmt::format("--output-file {}: expected FORMAT=PATH", spec));
        }
        out.emplace_back(spec.substr(0, eq), spec.substr(eq + 1));
    }
    return out;
}

void add_in_directory(std::vector<std::pair<std::string, std::string>>& files, const std::string& dir,
                      std::vector<std::pair<std::string, std::string>> named) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw rollsim::OutputError(fmt::format("{}: cannot create the directory: {}", dir, ec.message()));
    for (auto& [name, text] : named) files.emplace_back((std::filesystem::path(dir) / name).string(), std::move(text));
}

/// A size option such as 8Gi, in bytes.
std::uint64_t byte_size(const po::variables_map& vm, const char* name) {
    const std::string text = vm[name].as<std::string>();
    const auto bytes = rollsim::parse_byte_size(text);
    if (!bytes) throw Usage(fmt::format("--{} {}: expected a size such as 512Mi or 8Gi", name, text));
    return *bytes;
}

/// --precision: "5%", "0.05" or "off".
std::optional<double> precision_from(const po::variables_map& vm, std::optional<double> by_default) {
    if (vm.count("precision") == 0) return by_default;
    const std::string text = vm["precision"].as<std::string>();
    if (text == "off") return std::nullopt;
    const bool percent = !text.empty() && text.back() == '%';
    char* end = nullptr;
    const std::string number = percent ? text.substr(0, text.size() - 1) : text;
    const double x = std::strtod(number.c_str(), &end);
    const double p = percent ? x / 100 : x;
    if (number.empty() || end != number.c_str() + number.size() || !(p > 0) || !(p < 1)) {
        throw Usage(fmt::format("--precision {}: expected a share above 0 and below 1, such as 5% or 0.05, or off", text));
    }
    return p;
}

/// RunOptions from the options of add_run_options (run, recommend, review, sweep).
rollsim::RunOptions run_options_from(const po::variables_map& vm, std::optional<double> default_precision) {
    rollsim::RunOptions opt;
    opt.precision = precision_from(vm, default_precision);
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
}  // namespace rollsim::cli
