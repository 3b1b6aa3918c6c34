#pragma once
/// @file words.hpp
/// The few phrases that recommend, review and the runbook all say the same way.

#include <cstdint>
#include <string>
#include <vector>

#include "rollsim/daemonset.hpp"

namespace rollsim::experiment {

/// A duration in words: "1.5 h", "3.2 min", "45 s" ("45.0 s" with `tenths`).
std::string duration_words(double seconds, bool tenths = false);

/// A count and its noun, plural when it is not one: "1 node", "3 nodes", "1 old pod".
std::string count_words(std::int64_t n, const std::string& singular);

/// A count with thousands separators: "1,000,000".
std::string thousands(std::uint64_t n);

/// A size in bytes: "1.5 GiB", "340 MiB", "12 KiB", "360 B".
std::string bytes_words(std::uint64_t bytes);

/// "a", "a and b", "a, b and c".
std::string joined(const std::vector<std::string>& items);

/// A sum over nodes, never as wall time: "1,632 node-seconds" (a 6-minute rollout can add up
/// to far more).
std::string node_seconds_words(double node_seconds);

/// "never finishes" (no trial finished) or "does not finish in 12% of trials".
std::string unfinished_words(double completed_fraction);

/// The template's host ports as "8080/TCP" (hostNetwork defaulting already applied).
std::vector<std::string> host_port_texts(const PodTemplate& t);

}  // namespace rollsim::experiment
