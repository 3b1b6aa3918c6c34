// kubectl rollsim (docs/kubectl-plugin.md): read the live cluster through kubectl, save it, and
// run the file-based command on the saved files.

#include "kubectl_plugin.hpp"

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>

#include <fmt/format.h>

#include "kubectl.hpp"
#include "rollsim/error.hpp"
#include "rollsim/io.hpp"

namespace rollsim::cli {

namespace {

namespace fs = std::filesystem;

constexpr const char* kUsage = R"(kubectl rollsim: rollsim as a kubectl plugin, reading the live cluster through kubectl

  kubectl rollsim review -f PROPOSED.yaml [-n NS]          review a change against the live DaemonSet
  kubectl rollsim run|recommend --daemonset NS/NAME [-f PROPOSED.yaml]
                                                           simulate it (or choose a plan) on the live cluster
  kubectl rollsim calibrate --daemonset NS/NAME            the workload its pods and events imply

  --kubeconfig FILE, --context NAME, -n NS   as kubectl takes them; every call goes through the kubectl on PATH
  --save DIR       keep what was read (daemonset, nodes, pods, priority classes, events, controller
                   revisions) and a scenario or rerun.sh that reproduces the run offline
  Every other option is the file-based command's (rollsim help COMMAND).
)";

struct Flags {
    std::string command;
    std::string filename, ns, context, kubeconfig, daemonset, save;
    std::vector<std::string> rest;
};

Flags parse(const std::vector<std::string>& args) {
    Flags f;
    if (args.empty()) return f;
    f.command = args.front();
    const struct {
        const char* long_name;
        const char* short_name;
        std::string Flags::*field;
    } known[] = {{"--filename", "-f", &Flags::filename}, {"--namespace", "-n", &Flags::ns},
                 {"--context", nullptr, &Flags::context}, {"--kubeconfig", nullptr, &Flags::kubeconfig},
                 {"--daemonset", nullptr, &Flags::daemonset}, {"--save", nullptr, &Flags::save}};
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        bool matched = false;
        for (const auto& k : known) {
            const std::string l = k.long_name;
            const std::string s = k.short_name != nullptr ? k.short_name : "";
            if (a == l || (!s.empty() && a == s)) {
                if (i + 1 >= args.size()) throw std::invalid_argument(a + " needs a value");
                f.*k.field = args[++i];
            } else if (a.rfind(l + "=", 0) == 0) {
                f.*k.field = a.substr(l.size() + 1);
            } else if (!s.empty() && a.size() > 2 && a.rfind(s, 0) == 0 && a[1] != '-') {
                f.*k.field = a.substr(a[2] == '=' ? 3 : 2);  // -nedge, -n=edge
            } else {
                continue;
            }
            matched = true;
            break;
        }
        if (!matched) f.rest.push_back(a);
    }
    return f;
}

/// NS/NAME into its parts (NAME alone: the context's namespace, or -n).
std::pair<std::string, std::string> split_daemonset(const std::string& text, const std::string& ns) {
    const auto slash = text.find('/');
    if (slash == std::string::npos) return {ns, text};
    return {text.substr(0, slash), text.substr(slash + 1)};
}

std::string quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

}  // namespace

bool invoked_as_plugin(const char* argv0) {
    const std::string name = fs::path(argv0 == nullptr ? "" : argv0).filename().string();
    return name == "kubectl-rollsim";
}

PluginCall kubectl_plugin(const std::vector<std::string>& args) {
    const Flags f = parse(args);
    PluginCall call;
    if (f.command.empty() || f.command == "help" || f.command == "--help" || f.command == "-h") {
        call.text = kUsage;
        return call;
    }
    if (f.command != "review" && f.command != "run" && f.command != "recommend" && f.command != "calibrate") {
        throw std::invalid_argument(fmt::format("kubectl rollsim {}: not a plugin command (review, run, recommend, calibrate)",
                                                f.command));
    }
    // The DaemonSet: the proposed manifest's (review), or --daemonset.
    std::string ns = f.ns, name;
    std::optional<DaemonSetSpec> proposed;
    if (!f.filename.empty()) proposed = read_daemonset_manifest(f.filename);
    if (f.command == "review") {
        if (!proposed) throw std::invalid_argument("kubectl rollsim review needs -f PROPOSED.yaml");
        name = proposed->name;
        if (ns.empty() && proposed->namespace_written) ns = proposed->namespace_;
    } else {
        if (f.daemonset.empty()) throw std::invalid_argument(fmt::format("kubectl rollsim {} needs --daemonset NS/NAME", f.command));
        std::tie(ns, name) = split_daemonset(f.daemonset, ns);
    }
    // Where what is read goes.
    std::string dir = f.save;
    if (dir.empty()) {
        std::string tmpl = (fs::temp_directory_path() / "kubectl-rollsim-XXXXXX").string();
        if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("cannot make a temporary directory");
        dir = call.scratch = tmpl;
    } else {
        std::error_code ec;
        fs::create_directories(dir, ec);
        if (ec || !fs::is_directory(dir)) throw InputError("--save", 0, "", fmt::format("{}: not a directory ({})", dir, ec.message()));
    }
    const auto in_dir = [&](const char* file) { return (fs::path(dir) / file).string(); };
    const KubectlTarget target{f.kubeconfig, f.context};
    const std::vector<std::string> namespaced = ns.empty() ? std::vector<std::string>{} : std::vector<std::string>{"-n", ns};
    const auto get = [&](std::vector<std::string> what, bool in_namespace) {
        what.insert(what.begin(), "get");
        what.insert(what.end(), {"-o", "json"});
        if (in_namespace) what.insert(what.end(), namespaced.begin(), namespaced.end());
        return kubectl(target, what);
    };
    std::vector<std::pair<std::string, std::string>> files = {
        {in_dir("daemonset.json"), get({"daemonset", name}, true)},
        {in_dir("nodes.json"), get({"nodes"}, false)},
        {in_dir("pods.json"), get({"pods", "--all-namespaces"}, false)},
        {in_dir("priorityclasses.json"), get({"priorityclasses"}, false)},
        {in_dir("events.json"), get({"events"}, true)},
        {in_dir("controllerrevisions.json"), get({"controllerrevisions"}, true)},
    };
    // The live DaemonSet says its namespace when neither -n nor the manifest did.
    const DaemonSetSpec live = read_daemonset_manifest_text(files.front().second, "kubectl get daemonset " + name);
    if (ns.empty()) ns = live.namespace_;
    if (proposed) files.emplace_back(in_dir("proposed.yaml"), read_input_text(f.filename));
    if (f.command == "review") {
        call.command = "review";
        call.args = {"--current", in_dir("daemonset.json"), "--proposed", in_dir("proposed.yaml"), "--nodes", in_dir("nodes.json"),
                     "--pods", in_dir("pods.json"), "--name", name, "--namespace", ns};
    } else if (f.command == "calibrate") {
        call.command = "calibrate";
        call.args = {"--pods", in_dir("pods.json"), "--events", in_dir("events.json"), "--daemonset", ns + "/" + name};
    } else {
        // A scenario over the saved files, beside them.
        const std::string scenario = fmt::format(
            "# kubectl rollsim {}: the live DaemonSet {}/{} on the cluster as kubectl read it.\n"
            "apiVersion: rollsim.io/v1alpha1\nkind: Scenario\nmetadata: {{name: {}}}\nspec:\n"
            "  cluster:\n    nodesFile: nodes.json\n    podsFile: pods.json\n    priorityClassesFile: priorityclasses.json\n"
            "  daemonSet:\n    current: daemonset.json\n    proposed: {}\n",
            f.command, ns, name, name, proposed ? "proposed.yaml" : "daemonset.json");
        files.emplace_back(in_dir("scenario.yaml"), scenario);
        call.command = f.command;
        call.args = {in_dir("scenario.yaml")};
    }
    call.args.insert(call.args.end(), f.rest.begin(), f.rest.end());
    // rerun.sh: the same file-based command, from the same working directory.
    std::string rerun = "#!/bin/sh\n# The file-based command kubectl rollsim ran on these files.\ncd " + quote(fs::current_path().string()) +
                        " || exit 2\nexec rollsim " + call.command;
    for (const auto& a : call.args) rerun += " " + quote(a);
    files.emplace_back(in_dir("rerun.sh"), rerun + " \"$@\"\n");
    write_files_atomic(files);
    std::error_code ec;
    fs::permissions(in_dir("rerun.sh"), fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                    fs::perm_options::add, ec);
    return call;
}

}  // namespace rollsim::cli
