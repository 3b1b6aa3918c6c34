// The rollsim commands about rollsim itself: version (with the commit and the libraries), man
// (the manual page from the commands' own help) and completion (bash, zsh, fish).

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "cli.hpp"
#include "rollsim/io.hpp"

namespace rollsim::cli {

namespace {

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

}  // namespace

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
    for (const Command& c : commands()) {
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
    std::vector<std::string> names = {"help", "version", "completion"};
    std::string cases;  // bash: the options of each command
    std::string fish;
    for (const Command& c : commands()) {
        names.emplace_back(c.name);
        const po::options_description desc = c.options();  // held: its options() is a reference into it
        std::vector<std::string> opts;
        for (const auto& o : desc.options()) opts.push_back("--" + o->long_name());
        cases += fmt::format("    {}) opts=\"{}\" ;;\n", c.name, fmt::join(opts, " "));
        for (const auto& o : desc.options()) {
            fish += fmt::format("complete -c rollsim -n '__fish_seen_subcommand_from {}' -l {}\n", c.name, o->long_name());
        }
    }
    const std::string all = fmt::format("{}", fmt::join(names, " "));
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

}  // namespace rollsim::cli
