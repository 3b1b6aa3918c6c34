#pragma once
/// @file io.hpp
/// Reading scenarios and writing what rollsim reports.
///
/// Example:
/// @code
///   rollsim::ScenarioSpec s = rollsim::load_scenario("scenarios/edge-proxy-single-node/scenario.yaml");
///   rollsim::Report r = rollsim::run(s, {});
///   rollsim::write_file_atomic("report.json", rollsim::report_json(r));
/// @endcode

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rollsim/report.hpp"
#include "rollsim/scenario.hpp"

namespace rollsim {

namespace experiment {
class Plan;  // rollsim::plan_scenario (run.hpp)
}

/// Loads a scenario file and the DaemonSet manifests it names, applies Kubernetes' defaults
/// and checks everything. Throws InputError naming the file, line and key.
ScenarioSpec load_scenario(const std::string& path);

/// The same from text; `path` names it in messages and anchors relative manifest paths.
ScenarioSpec load_scenario_text(const std::string& text, const std::string& path);

/// The DaemonSet in a manifest file (a DaemonSet, a List or a stream holding one). Throws
/// InputError naming the file, line and key.
DaemonSetSpec read_daemonset_manifest(const std::string& path);
/// The same from text; `path` names it in messages.
DaemonSetSpec read_daemonset_manifest_text(const std::string& text, const std::string& path);
/// A file's bytes, refused (InputError) when it is missing, a directory, or too large to read.
std::string read_input_text(const std::string& path);

/// The resolved scenario in words (what `rollsim validate` prints).
std::string describe_scenario(const ScenarioSpec& s, const experiment::Plan& plan);

/// Throws InputError when a variant's strategy is one the API server rejects (maxUnavailable over
/// 100%, maxSurge and maxUnavailable both zero, …), naming where that strategy was written: the
/// scenario's variant, or the proposed manifest's spec.updateStrategy. `rollsim validate --strict`
/// calls it; `run` and plain `validate` list such a variant as rejected (docs/report.md).
void require_accepted_variants(const ScenarioSpec& s);

/// The report as JSON (docs/report.md): stable key order, nothing from the wall clock.
std::string report_json(const Report& r);

/// The report as a table for a terminal.
std::string report_table(const Report& r);

/// The recommendation in words: the choice, the paragraph, any failed limits, the frontier.
std::string recommendation_text(const Report& r);

/// Pictures of many trials (docs/timeline.md, "Pictures of many trials"): the CDF of one
/// measure ("durationSeconds", "errorSeconds" or "gapNodeSeconds") for every variant, drawn
/// from the report's percentiles ...
std::string cdf_svg(const Report& r, std::string_view measure);
/// ... the trade-off of p90 duration against p90 harm with the limits and the recommended plan ...
std::string tradeoff_svg(const ScenarioSpec& s, const Report& r);
/// ... the heatmap of a probe grid (variants.probeGrid), "" when the report has none ...
std::string probe_grid_svg(const Report& r);
/// ... and the files `run --plots DIR` and `recommend --out DIR` write: cdf-duration.svg,
/// cdf-harm.svg (errors, or uncovered node-seconds in coverage mode), tradeoff.svg, and
/// heatmap-probe-grid.svg when the scenario has a probe grid.
std::vector<std::pair<std::string, std::string>> plot_files(const ScenarioSpec& s, const Report& r);

/// recommend's gate for CI (docs/recommend.md, "In CI"): SARIF 2.1.0 with a result at the
/// scenario line of every limit the chosen plan fails, and JUnit XML with a test case per limit.
std::string recommend_sarif(const ScenarioSpec& s, const Report& r);
std::string recommend_junit(const ScenarioSpec& s, const Report& r);

/// What `rollsim recommend --out DIR` writes beside report.json (docs/recommend.md).
struct PlanFiles {
    /// test-daemonset.yaml: the new revision on other host ports, when a copy of the DaemonSet
    /// beside the live one is isolated from it ...
    std::optional<std::string> test_daemonset;
    /// ... else canary-daemonset.yaml: the promotion with updateStrategy OnDelete, for trying the
    /// new revision on one labelled node first
    std::optional<std::string> canary_daemonset;
    std::string promotion_daemonset;  ///< promotion-daemonset.yaml: the proposed DaemonSet as recommended
    std::string runbook;              ///< runbook.md: the steps, the checklist with simulated numbers
};
/// The plan files for the report's recommendation (recommend() must have run). Throws
/// OutputError when nothing was recommended, InputError when the manifest cannot be given a
/// safe test twin (docs/recommend.md says when).
PlanFiles plan_files(const ScenarioSpec& s, const experiment::Plan& plan, const Report& r);

/// Writes `content` to `path` whole or not at all: a temporary file in the same directory,
/// renamed over `path` when complete. Throws OutputError.
void write_file_atomic(const std::string& path, const std::string& content);

/// An output file written while it is made (a --trace): to a temporary file beside `path`, which
/// write_files_atomic renames with the others. Until then it is removed on an error, on an
/// interrupt, and when this object is destroyed.
class StagedFile {
public:
    explicit StagedFile(const std::string& path);  ///< throws OutputError
    ~StagedFile();
    StagedFile(const StagedFile&) = delete;
    StagedFile& operator=(const StagedFile&) = delete;
    std::ostream& stream();

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
    friend void write_files_atomic(const std::vector<std::pair<std::string, std::string>>&,
                                   const std::vector<StagedFile*>&);
};

/// Writes several files all or none: each to a temporary file, then every rename together (the
/// `streamed` files' too), with SIGINT and SIGTERM held. On an error no file is changed. Throws
/// OutputError.
void write_files_atomic(const std::vector<std::pair<std::string, std::string>>& files,
                        const std::vector<StagedFile*>& streamed = {});

/// Makes SIGINT and SIGTERM remove the temporary files being written and exit with 130 or 143
/// (128 + the signal), so an interrupted command leaves no partial file. For programs.
void install_interrupt_cleanup();

/// Something that follows the traced trial of each variant (RunOptions::tracers).
class Tracer {
public:
    virtual ~Tracer() = default;
    /// Empty, or why what it wrote stops short (a size limit reached), in words.
    virtual std::string truncation() const { return {}; }
};

/// A size in bytes written as a Kubernetes quantity ("512Mi", "8Gi", "2G", "1e9"), rounded up
/// to a whole byte; nullopt when it is not one or is not positive.
std::optional<std::uint64_t> parse_byte_size(std::string_view text);

/// --trace's default limit: 1 GiB.
inline constexpr std::uint64_t kDefaultTraceLimit = std::uint64_t{1} << 30;

/// A trace of one trial per variant as JSON Lines, one per-node state change per line
/// (docs/report.md). Once `max_bytes` are written it writes one TraceTruncated line, says so in
/// truncation(), and writes nothing more.
std::unique_ptr<Tracer> make_jsonl_tracer(std::ostream& out, const ScenarioSpec& s,
                                          std::uint64_t max_bytes = kDefaultTraceLimit);

}  // namespace rollsim
