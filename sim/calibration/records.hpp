#pragma once
/// @file records.hpp
/// Reading what a cluster recorded (kubectl's pods and events), for calibrate and backtest.

#include <cstdint>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "input/units.hpp"
#include "input/yaml_reader.hpp"

namespace rollsim::calibration {

/// A field's text, or "" when it is absent or null.
inline std::string text_of(const std::optional<input::YamlNode>& n) { return n && !n->is_null() ? n->str() : std::string(); }

/// An RFC 3339 time in milliseconds since the epoch; anything else fails with its file and line.
inline std::int64_t time_of(const input::YamlNode& n) {
    const auto ms = input::parse_rfc3339_ms(n.str());
    if (!ms) n.fail(fmt::format("\"{}\" is not an RFC 3339 time", n.str()));
    return *ms;
}

}  // namespace rollsim::calibration
