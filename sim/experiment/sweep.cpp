// Sweeps (docs/sweep.md): grid points substituted into the scenario's YAML, loaded through the
// normal loader, run, and written as one JSON document; shards of it; merging; the Job.

#include "rollsim/sweep.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "input/manifest_reader.hpp"
#include "output/report_json.hpp"
#include "input/source.hpp"
#include "input/yaml_reader.hpp"
#include "output/yaml_writer.hpp"
#include "rollsim/error.hpp"
#include "rollsim/io.hpp"

namespace rollsim {

namespace {

using ojson = nlohmann::ordered_json;

/// A key path such as spec.cluster.nodePools[0].count, as (name, index or -1) steps.
struct Step {
    std::string name;
    int index = -1;
};

std::vector<Step> parse_path(const std::string& path, const std::string& file, int line) {
    std::vector<Step> steps;
    std::size_t i = 0;
    while (i < path.size()) {
        std::size_t end = path.find_first_of(".[", i);
        if (end == std::string::npos) end = path.size();
        Step st;
        st.name = path.substr(i, end - i);
        if (st.name.empty()) throw InputError(file, line, path, "is not a key path such as spec.workload.serve.max");
        i = end;
        steps.push_back(st);
        while (i < path.size() && path[i] == '[') {
            const std::size_t close = path.find(']', i);
            if (close == std::string::npos) throw InputError(file, line, path, "has an unclosed [");
            int idx = 0;
            try {
                idx = std::stoi(path.substr(i + 1, close - i - 1));
            } catch (...) {
                throw InputError(file, line, path, "has a list index that is not a number");
            }
            if (idx < 0) throw InputError(file, line, path, "has a negative list index");
            steps.push_back(Step{"", idx});
            i = close + 1;
        }
        if (i < path.size() && path[i] == '.') ++i;
    }
    return steps;
}

/// Sets `value` at `path` in the document; every step but the last must exist.
void set_path(YAML::Node root, const std::string& path, const YAML::Node& value, const SweepGrid& g, std::size_t k) {
    const auto steps = parse_path(path, g.file, g.lines[k]);
    YAML::Node node = root;
    for (std::size_t s = 0; s < steps.size(); ++s) {
        const bool last = s + 1 == steps.size();
        const Step& st = steps[s];
        if (st.index >= 0) {
            if (!node.IsSequence() || static_cast<std::size_t>(st.index) >= node.size()) {
                throw InputError(g.file, g.lines[k], path, fmt::format("the scenario has no item [{}] there", st.index));
            }
            if (last) {
                node[static_cast<std::size_t>(st.index)] = value;
                return;
            }
            node.reset(node[static_cast<std::size_t>(st.index)]);
        } else {
            if (!node.IsMap()) throw InputError(g.file, g.lines[k], path, fmt::format("\"{}\" is not inside a mapping", st.name));
            if (last) {
                node[st.name] = value;
                return;
            }
            if (!node[st.name]) throw InputError(g.file, g.lines[k], path, fmt::format("the scenario has no key \"{}\"", st.name));
            node.reset(node[st.name]);
        }
    }
}

/// The point's value index for each key (mixed radix, the last key fastest).
std::vector<std::size_t> digits(const SweepGrid& g, std::size_t point) {
    std::vector<std::size_t> d(g.keys.size());
    for (std::size_t k = g.keys.size(); k-- > 0;) {
        d[k] = point % g.values[k].size();
        point /= g.values[k].size();
    }
    return d;
}

std::string point_text(const std::string& scenario_text, const SweepGrid& g, std::size_t point) {
    YAML::Node root = YAML::Load(scenario_text);
    const auto d = digits(g, point);
    for (std::size_t k = 0; k < g.keys.size(); ++k) set_path(root, g.keys[k], YAML::Load(g.values[k][d[k]]), g, k);
    YAML::Emitter out;
    out << root;
    return std::string(out.c_str()) + "\n";
}

ojson point_values(const SweepGrid& g, std::size_t point) {
    ojson o = ojson::object();
    const auto d = digits(g, point);
    for (std::size_t k = 0; k < g.keys.size(); ++k) {
        const input::YamlNode v(YAML::Load(g.values[k][d[k]]), std::make_shared<const input::YamlNode::Doc>(input::YamlNode::Doc{g.file, input::Dialect::Rollsim}), g.keys[k]);
        o[g.keys[k]] = ojson::parse(input::yaml_to_json(v, true));
    }
    return o;
}

std::string describe_point(const SweepGrid& g, std::size_t point) {
    std::string out;
    const auto d = digits(g, point);
    for (std::size_t k = 0; k < g.keys.size(); ++k) {
        out += fmt::format("{}{}={}", k ? ", " : "", g.keys[k], g.values[k][d[k]]);
    }
    return out;
}

/// A string as YAML must write it to stay a string (output::plain_safe).
struct Str {
    const std::string& s;
};
YAML::Emitter& operator<<(YAML::Emitter& y, Str v) {
    if (!output::plain_safe(v.s)) return y << YAML::DoubleQuoted << v.s;
    return y << v.s;
}

}  // namespace

std::size_t SweepGrid::points() const {
    std::size_t n = 1;
    for (const auto& v : values) n *= v.size();
    return n;
}

SweepGrid load_grid(const std::string& path) {
    const std::string text = input::read_input_file(path);
    const input::YamlNode root = input::YamlNode::parse(text, path);
    if (!root.is_map()) root.fail("a grid file is a mapping with the key grid");
    root.allow_keys({"grid"});
    SweepGrid g;
    g.file = path;
    g.sha256 = input::sha256_hex(text);
    for (const auto& [key, values] : root.require("grid").entries()) {
        parse_path(key, path, values.line());
        g.keys.push_back(key);
        g.lines.push_back(values.line());
        std::vector<std::string> list;
        for (const auto& v : values.items()) {
            YAML::Emitter e;
            e << YAML::Flow << v.raw();
            list.emplace_back(e.c_str());
        }
        if (list.empty()) values.fail("must list at least one value");
        g.values.push_back(std::move(list));
    }
    if (g.keys.empty()) root.require("grid").fail("must name at least one scenario key");
    if (g.points() > 100'000) root.require("grid").fail(fmt::format("has {} points; at most 100,000", g.points()));
    return g;
}

std::string run_sweep(const std::string& scenario_path, const SweepGrid& g, const SweepOptions& options) {
    const std::string text = input::read_input_file(scenario_path);
    const ScenarioSpec base = load_scenario(scenario_path);
    const std::size_t total = g.points();
    // Every point must load before anything runs: a bad value fails the whole sweep up front.
    std::vector<ScenarioSpec> specs;
    std::vector<std::size_t> mine;
    for (std::size_t p = 0; p < total; ++p) {
        if (options.shard && static_cast<int>(p % static_cast<std::size_t>(options.shard->second)) != options.shard->first) {
            continue;
        }
        mine.push_back(p);
    }
    for (std::size_t p = 0; p < total; ++p) {
        try {
            ScenarioSpec s = load_scenario_text(point_text(text, g, p), scenario_path);
            if (std::find(mine.begin(), mine.end(), p) != mine.end()) specs.push_back(std::move(s));
        } catch (const InputError& e) {
            throw InputError(e.file(), e.line(), e.path(),
                             fmt::format("{} (grid point {}: {}; from {})", e.message(), p, describe_point(g, p), g.file));
        } catch (const YAML::Exception& e) {
            throw InputError(g.file, 0, "", fmt::format("grid point {} does not make valid YAML: {}", p, e.what()));
        }
    }
    ojson out;
    out["tool"] = {{"name", "rollsim"}, {"version", version()}};
    out["scenario"] = {{"name", base.name}, {"sha256", base.sha256}};
    out["grid"] = {{"sha256", g.sha256}, {"keys", g.keys}, {"points", total}};
    if (options.shard) out["shard"] = {{"index", options.shard->first}, {"count", options.shard->second}};
    ojson points = ojson::array();
    for (std::size_t i = 0; i < mine.size(); ++i) {
        const Report r = run(specs[i], options.run);
        points.push_back({{"index", mine[i]}, {"values", point_values(g, mine[i])}, {"report", output::report_object(r)}});
    }
    out["points"] = points;
    return out.dump(2) + "\n";
}

std::string merge_sweeps(const std::vector<std::string>& shard_files) {
    if (shard_files.empty()) throw InputError("merge", 0, "", "no shard files given");
    std::vector<ojson> docs;
    for (const std::string& name : shard_files) {
        const std::string text = input::read_input_file(name);
        try {
            docs.push_back(ojson::parse(text));
        } catch (const nlohmann::json::exception& e) {
            throw InputError(name, 0, "", fmt::format("is not JSON: {}", e.what()));
        }
        const ojson& d = docs.back();
        if (!d.is_object() || !d.contains("shard") || !d.contains("points") || !d.contains("grid")) {
            throw InputError(name, 0, "", "is not a shard of a rollsim sweep (written with --shard)");
        }
    }
    const ojson& first = docs.front();
    const int count = first["shard"]["count"].get<int>();
    std::set<int> shards;
    std::vector<ojson> points(first["grid"]["points"].get<std::size_t>());
    std::vector<bool> seen(points.size(), false);
    for (std::size_t f = 0; f < docs.size(); ++f) {
        const ojson& d = docs[f];
        const std::string& name = shard_files[f];
        if (d["tool"] != first["tool"] || d["scenario"] != first["scenario"] || d["grid"] != first["grid"] ||
            d["shard"]["count"].get<int>() != count) {
            throw InputError(name, 0, "", fmt::format("is a shard of another sweep than {}", shard_files.front()));
        }
        if (!shards.insert(d["shard"]["index"].get<int>()).second) {
            throw InputError(name, 0, "shard.index", "the same shard is given twice");
        }
        for (const auto& p : d["points"]) {
            const auto i = p["index"].get<std::size_t>();
            if (i >= points.size() || seen[i]) throw InputError(name, 0, "points", fmt::format("point {} is repeated or out of range", i));
            seen[i] = true;
            points[i] = p;
        }
    }
    for (std::size_t i = 0; i < seen.size(); ++i) {
        if (!seen[i]) {
            throw InputError("merge", 0, "", fmt::format("point {} is missing: {} of {} shards given", i, shards.size(), count));
        }
    }
    ojson out;
    out["tool"] = first["tool"];
    out["scenario"] = first["scenario"];
    out["grid"] = first["grid"];
    out["points"] = points;
    return out.dump(2) + "\n";
}

std::string sweep_job_yaml(const std::string& scenario_path, const std::string& grid_path, int shards,
                           const JobOptions& options) {
    namespace fs = std::filesystem;
    const ScenarioSpec s = load_scenario(scenario_path);
    load_grid(grid_path);
    const fs::path dir = fs::absolute(scenario_path).lexically_normal().parent_path();
    // The ConfigMap carries the scenario, the grid and each manifest at its path relative to the
    // scenario, so that the pod sees the same layout under /input.
    std::vector<std::pair<std::string, std::string>> files = {
        {"scenario.yaml", input::read_input_file(scenario_path)}, {"grid.yaml", input::read_input_file(grid_path)}};
    for (const DaemonSetSpec* ds : {&s.current, &s.proposed}) {
        if (ds->source.file == scenario_path) continue;  // inline
        const std::string rel =
            fs::absolute(ds->source.file).lexically_normal().lexically_relative(dir).generic_string();
        if (rel.empty() || rel.rfind("..", 0) == 0) {
            throw InputError(ds->source.file, 0, "",
                             "lies outside the scenario's directory; a Job can mount only that directory's files");
        }
        if (std::none_of(files.begin(), files.end(), [&](const auto& f) { return f.first == rel; })) {
            files.emplace_back(rel, input::read_input_file(ds->source.file));
        }
    }
    const auto key_of = [](std::string rel) {
        std::replace(rel.begin(), rel.end(), '/', '_');
        return rel;
    };
    std::string name = "rollsim-sweep-" + s.name;
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) {
        return std::isalnum(c) ? static_cast<char>(std::tolower(c)) : '-';
    });
    name = name.substr(0, 52);
    while (!name.empty() && name.back() == '-') name.pop_back();

    YAML::Emitter y;
    y << YAML::BeginMap;
    y << YAML::Key << "apiVersion" << YAML::Value << "v1" << YAML::Key << "kind" << YAML::Value << "ConfigMap";
    y << YAML::Key << "metadata" << YAML::Value << YAML::BeginMap << YAML::Key << "name" << YAML::Value
      << name + "-input" << YAML::EndMap;
    y << YAML::Key << "data" << YAML::Value << YAML::BeginMap;
    for (const auto& [rel, content] : files) y << YAML::Key << key_of(rel) << YAML::Value << YAML::Literal << content;
    y << YAML::EndMap << YAML::EndMap;
    y << YAML::EndDoc << YAML::BeginDoc;
    y << YAML::BeginMap;
    y << YAML::Key << "apiVersion" << YAML::Value << "batch/v1" << YAML::Key << "kind" << YAML::Value << "Job";
    y << YAML::Key << "metadata" << YAML::Value << YAML::BeginMap;
    y << YAML::Key << "name" << YAML::Value << name;
    y << YAML::Key << "labels" << YAML::Value << YAML::BeginMap << YAML::Key << "app.kubernetes.io/name"
      << YAML::Value << "rollsim" << YAML::Key << "app.kubernetes.io/component" << YAML::Value << "sweep"
      << YAML::EndMap;
    y << YAML::EndMap;
    y << YAML::Key << "spec" << YAML::Value << YAML::BeginMap;
    y << YAML::Key << "completionMode" << YAML::Value << "Indexed";
    y << YAML::Key << "completions" << YAML::Value << shards;
    y << YAML::Key << "parallelism" << YAML::Value << shards;
    y << YAML::Key << "backoffLimit" << YAML::Value << 3;
    y << YAML::Key << "template" << YAML::Value << YAML::BeginMap;
    y << YAML::Key << "metadata" << YAML::Value << YAML::BeginMap << YAML::Key << "labels" << YAML::Value
      << YAML::BeginMap << YAML::Key << "app.kubernetes.io/name" << YAML::Value << "rollsim" << YAML::EndMap
      << YAML::EndMap;
    y << YAML::Key << "spec" << YAML::Value << YAML::BeginMap;
    y << YAML::Key << "restartPolicy" << YAML::Value << "Never";
    y << YAML::Key << "containers" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
    y << YAML::Key << "name" << YAML::Value << "rollsim";
    y << YAML::Key << "image" << YAML::Value << options.image;
    // The kubelet expands $(JOB_COMPLETION_INDEX), which the Job controller sets for an
    // Indexed Job, in the command.
    y << YAML::Key << "command" << YAML::Value << YAML::Flow << YAML::BeginSeq << "rollsim" << "sweep"
      << "/input/scenario.yaml" << "--grid" << "/input/grid.yaml" << "--shard"
      << fmt::format("$(JOB_COMPLETION_INDEX)/{}", shards) << "--threads" << Str{std::to_string(options.threads)}
      << "--quiet" << "--out" << "/results/shard-$(JOB_COMPLETION_INDEX).json" << YAML::EndSeq;
    y << YAML::Key << "resources" << YAML::Value << YAML::BeginMap << YAML::Key << "requests" << YAML::Value
      << YAML::BeginMap << YAML::Key << "cpu" << YAML::Value << Str{std::to_string(options.threads)} << YAML::Key
      << "memory" << YAML::Value << "1Gi" << YAML::EndMap << YAML::Key << "limits" << YAML::Value << YAML::BeginMap
      << YAML::Key << "memory" << YAML::Value << "2Gi" << YAML::EndMap << YAML::EndMap;
    y << YAML::Key << "volumeMounts" << YAML::Value << YAML::BeginSeq;
    y << YAML::BeginMap << YAML::Key << "name" << YAML::Value << "input" << YAML::Key << "mountPath" << YAML::Value
      << "/input" << YAML::Key << "readOnly" << YAML::Value << true << YAML::EndMap;
    y << YAML::BeginMap << YAML::Key << "name" << YAML::Value << "results" << YAML::Key << "mountPath"
      << YAML::Value << "/results" << YAML::EndMap;
    y << YAML::EndSeq;
    y << YAML::EndMap << YAML::EndSeq;  // containers
    y << YAML::Key << "volumes" << YAML::Value << YAML::BeginSeq;
    y << YAML::BeginMap << YAML::Key << "name" << YAML::Value << "input" << YAML::Key << "configMap" << YAML::Value
      << YAML::BeginMap << YAML::Key << "name" << YAML::Value << name + "-input" << YAML::Key << "items"
      << YAML::Value << YAML::BeginSeq;
    for (const auto& [rel, content] : files) {
        y << YAML::BeginMap << YAML::Key << "key" << YAML::Value << key_of(rel) << YAML::Key << "path" << YAML::Value
          << rel << YAML::EndMap;
    }
    y << YAML::EndSeq << YAML::EndMap << YAML::EndMap;
    y << YAML::BeginMap << YAML::Key << "name" << YAML::Value << "results" << YAML::Key << "persistentVolumeClaim"
      << YAML::Value << YAML::BeginMap << YAML::Key << "claimName" << YAML::Value << "rollsim-sweep-results"
      << YAML::EndMap << YAML::EndMap;
    y << YAML::EndSeq;
    y << YAML::EndMap << YAML::EndMap << YAML::EndMap << YAML::EndMap;
    return std::string("# rollsim sweep: the inputs, and an Indexed Job running ") + std::to_string(shards) +
           " shards.\n# Results land in the PersistentVolumeClaim rollsim-sweep-results as shard-I.json;\n"
           "# combine them with: rollsim merge shard-*.json --out sweep.json\n---\n" + y.c_str() + "\n";
}

}  // namespace rollsim
