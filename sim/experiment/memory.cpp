#include "experiment/memory.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <optional>
#include <sstream>

#include <fmt/format.h>

#include "experiment/trace_target.hpp"
#include "experiment/words.hpp"
#include "experiment/trial_records.hpp"
#include "rollsim/error.hpp"

namespace rollsim::experiment {

namespace {

// Per-item costs, from peak resident sizes of `rollsim run` (release build) on node-exporter-100
// grown to 10,000 and 100,000 nodes and to 400,000 trials, and on busy-nodes grown to 20,000
// nodes (docs/performance.md, "Memory"). Each is rounded up: the estimate should not come out
// below what the run takes.
constexpr std::uint64_t kFixedBytes = 8u << 20;        ///< the program, its libraries, small tables
constexpr std::uint64_t kScenarioNodeBytes = 320;      ///< a NodeSpec with its name and labels
constexpr std::uint64_t kVariantNodeBytes = 64;        ///< a variant's eligibility of one node
constexpr std::uint64_t kPodBytes = 256;               ///< another pod, in the scenario and in a world
constexpr std::uint64_t kWorldNodeBytes = 1400;        ///< one node in a thread's World
/// A trial's record at its widest (every measure varying, none in whole milliseconds), and its
/// share of the one measure's values being sorted for the percentiles.
constexpr std::uint64_t kOutcomeBytes = TrialRecords::kMaxBytesPerTrial + sizeof(double);

std::uint64_t saturating_product(std::initializer_list<std::uint64_t> factors) {
    std::uint64_t p = 1;
    for (std::uint64_t f : factors) {
        if (f != 0 && p > UINT64_MAX / f) return UINT64_MAX;
        p *= f;
    }
    return p;
}

/// A number from a "key value [kB]" line of /proc/meminfo, in bytes.
std::uint64_t meminfo(const std::string& key) {
    std::ifstream in("/proc/meminfo");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(key + ":", 0) != 0) continue;
        std::istringstream fields(line.substr(key.size() + 1));
        std::uint64_t value = 0;
        std::string unit;
        fields >> value >> unit;
        return unit == "kB" ? value * 1024 : value;
    }
    return 0;
}

/// A number from a one-line cgroup file; nullopt for "max", a missing file or anything else.
std::optional<std::uint64_t> cgroup_number(const char* path) {
    std::ifstream in(path);
    std::string word;
    if (!(in >> word)) return std::nullopt;
    std::uint64_t value = 0;
    const auto [end, err] = std::from_chars(word.data(), word.data() + word.size(), value);
    if (err != std::errc() || end != word.data() + word.size()) return std::nullopt;
    return value;
}

}  // namespace

std::uint64_t MemoryEstimate::total() const {
    std::uint64_t sum = 0;
    for (const Part& p : parts) sum = p.bytes > UINT64_MAX - sum ? UINT64_MAX : sum + p.bytes;
    return sum;
}

MemoryEstimate estimate_memory(const ScenarioSpec& s, const RunShape& shape) {
    const std::uint64_t nodes = s.nodes.size();
    std::uint64_t pods = 0;
    for (const auto& n : s.nodes) pods += n.pods.size();
    const std::uint64_t variants = shape.variants;
    MemoryEstimate e;
    e.parts.push_back({"the scenario",
                       kFixedBytes + saturating_product({nodes, kScenarioNodeBytes + variants * kVariantNodeBytes}) +
                           saturating_product({pods, kPodBytes}),
                       fmt::format("{} node{}{}, {} variant{}", thousands(nodes), nodes == 1 ? "" : "s",
                                   pods == 0 ? "" : fmt::format(", {} other pods", thousands(pods)), variants,
                                   variants == 1 ? "" : "s"),
                       ""});
    e.parts.push_back({"the simulated clusters",
                       saturating_product({shape.threads, nodes * kWorldNodeBytes + pods * kPodBytes}),
                       fmt::format("{} threads × {} nodes × {}", shape.threads, thousands(nodes),
                                   bytes_words(kWorldNodeBytes)),
                       "fewer threads (--threads)"});
    e.parts.push_back({"the trial records kept for the percentiles",
                       saturating_product({static_cast<std::uint64_t>(std::max(shape.trials, 0)), variants, kOutcomeBytes}),
                       fmt::format("{} trials × {} variants × {}", thousands(static_cast<std::uint64_t>(shape.trials)),
                                   variants, bytes_words(kOutcomeBytes)),
                       "fewer trials (--trials, spec.trials), or fewer variants"});
    for (const TraceTarget* t : shape.tracers) {
        const TraceTarget::Footprint f = t->footprint(variants, nodes);
        if (f.bytes == 0) continue;
        e.parts.push_back({f.what, f.bytes,
                           fmt::format("{} variants × {} nodes × {}", variants, thousands(nodes),
                                       bytes_words(f.bytes_per_node_variant)),
                           f.reduce});
    }
    return e;
}

std::uint64_t available_memory() {
    std::uint64_t available = meminfo("MemAvailable");
    const auto limit = cgroup_number("/sys/fs/cgroup/memory.max");
    const auto used = cgroup_number("/sys/fs/cgroup/memory.current");
    if (limit && used) {
        const std::uint64_t left = *limit > *used ? *limit - *used : 0;
        available = available == 0 ? left : std::min(available, left);
    }
    return available;
}

std::string parts_text(const MemoryEstimate& estimate) {
    std::vector<MemoryEstimate::Part> parts = estimate.parts;
    std::stable_sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.bytes > b.bytes; });
    std::string text;
    for (const auto& p : parts) {
        text += fmt::format("\n  {:>9}  {}: {}{}", bytes_words(p.bytes), p.what, p.how,
                            p.reduce.empty() ? "" : "; to reduce: " + p.reduce);
    }
    return text;
}

void require_memory(const ScenarioSpec& s, const MemoryEstimate& estimate, std::uint64_t limit) {
    const bool machine = limit == 0;
    if (machine) limit = available_memory();
    if (limit == 0 || estimate.total() <= limit) return;
    std::string text = fmt::format("the run needs about {} of memory, more than the {} {}:", bytes_words(estimate.total()),
                                   bytes_words(limit), machine ? "this machine has available" : "--max-memory allows");
    text += parts_text(estimate);
    text += machine ? "\n(--max-memory SIZE sets the limit instead, for example to run anyway on swap)" : "";
    throw InputError(s.file, 0, "", text);
}

}  // namespace rollsim::experiment
