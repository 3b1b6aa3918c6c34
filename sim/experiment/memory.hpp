#pragma once
/// @file memory.hpp
/// What a run will hold in memory at its peak, estimated before it starts, and the memory the
/// machine has for it: a run that would not fit is refused up front (docs/performance.md, "Memory"), with the
/// estimate part by part and how to make each part smaller.
///
/// The estimate is linear in what the scenario and the options say (nodes, other pods,
/// variants, trials, threads, traced variants), with per-item costs measured on the bundled
/// scenarios (docs/performance.md, "Memory"). A rollout that stalls early uses less; one with
/// long crash loops records more.

#include <cstdint>
#include <string>
#include <vector>

#include "rollsim/scenario.hpp"

namespace rollsim::experiment {

class TraceTarget;

struct MemoryEstimate {
    struct Part {
        std::string what;    ///< "trial outcomes"
        std::uint64_t bytes = 0;
        std::string how;     ///< how it was counted: "1,000,000 trials × 12 variants × 328 B"
        std::string reduce;  ///< how to make it smaller, or empty
    };
    std::vector<Part> parts;
    std::uint64_t total() const;
};

struct RunShape {
    std::size_t variants = 0;  ///< accepted variants
    std::int32_t trials = 0;
    unsigned threads = 1;      ///< worker threads the run will start
    std::vector<const TraceTarget*> tracers;
};

MemoryEstimate estimate_memory(const ScenarioSpec& s, const RunShape& shape);

/// The memory this process can still take: MemAvailable (/proc/meminfo), capped by what the
/// cgroup v2 limit leaves (memory.max − memory.current); 0 when neither can be read.
std::uint64_t available_memory();

/// One line per part, largest first: "    1.1 GiB  the trial outcomes …: HOW; to reduce: …".
std::string parts_text(const MemoryEstimate& estimate);

/// Throws InputError naming the scenario file when `estimate` exceeds `limit` bytes (0: the
/// machine's available_memory(); nothing is checked when that is unknown).
void require_memory(const ScenarioSpec& s, const MemoryEstimate& estimate, std::uint64_t limit);

}  // namespace rollsim::experiment
