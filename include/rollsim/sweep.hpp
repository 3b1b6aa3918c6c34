#pragma once
/// @file sweep.hpp
/// Parameter sweeps (docs/sweep.md): every combination of the values a grid file gives for
/// scenario keys, each run as a full scenario; shards of them; merging shards; and the
/// Kubernetes Indexed Job that runs the shards on a cluster.
///
/// Example:
/// @code
///   rollsim::SweepGrid g = rollsim::load_grid("grid.yaml");
///   std::string shard0 = rollsim::run_sweep("scenario.yaml", g, {.shard = {{0, 4}}});
///   std::string merged = rollsim::merge_sweeps({"s0.json", "s1.json", "s2.json", "s3.json"});
/// @endcode

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rollsim/run.hpp"

namespace rollsim {

struct SweepGrid {
    std::string file;
    std::string sha256;
    std::vector<std::string> keys;                    ///< scenario key paths, as written
    std::vector<std::vector<std::string>> values;     ///< per key, each value as YAML text
    std::vector<int> lines;                           ///< per key, its line in the grid file
    /// Number of points: the product of the value counts.
    std::size_t points() const;
};

/// Reads a grid file (`grid: {PATH: [VALUES]}`). Throws InputError.
SweepGrid load_grid(const std::string& path);

struct SweepOptions {
    RunOptions run;
    /// (I, N): run the points whose index is I modulo N; the file says which shard it is.
    std::optional<std::pair<int, int>> shard;
};

/// Checks every point of the grid against the scenario (each must load), then runs them (or
/// one shard) and returns the sweep as JSON. Throws InputError for a point that does not load.
std::string run_sweep(const std::string& scenario_path, const SweepGrid& grid, const SweepOptions& options);

/// Merges shard files into the JSON of the unsharded sweep, byte for byte. Throws InputError
/// when a file cannot be read or is not a shard of the same sweep, or a point is missing or
/// repeated.
std::string merge_sweeps(const std::vector<std::string>& shard_files);

/// The heatmap of a sweep (run_sweep's or merge_sweeps' JSON): the first two grid keys across
/// and down, a panel per variant (and per value of any further key), each cell coloured by its
/// p90 harm (docs/sweep.md, "The heatmap").
std::string sweep_heatmap_svg(const std::string& sweep_json);

struct JobOptions {
    std::string image = "rollsim:0.1.0";
    unsigned threads = 2;
};

/// A ConfigMap holding the scenario, the grid and the manifests, and an Indexed Job
/// (completionMode: Indexed, JOB_COMPLETION_INDEX) that runs the `shards` shards, each writing
/// /results/shard-I.json to the PersistentVolumeClaim rollsim-sweep-results. Throws
/// InputError when a manifest lies outside the scenario's directory.
std::string sweep_job_yaml(const std::string& scenario_path, const std::string& grid_path, int shards,
                           const JobOptions& options);

}  // namespace rollsim
