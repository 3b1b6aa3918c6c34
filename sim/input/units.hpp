#pragma once
/// @file units.hpp
/// Durations and Kubernetes quantities, parsed exactly.
///
/// Durations: Go-style `500ms`, `90s`, `2m`, `1h30m`, `1.5s`, or a plain number of seconds;
/// whole milliseconds only; never negative.
/// Quantities: apimachinery resource.ParseQuantity's grammar: a signed decimal number with a
/// binary-SI (Ki … Ei), decimal-SI (n, u, m, "", k, M, G, T, P, E) or exponent (e3, E-2) suffix.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "rollsim/distribution.hpp"
#include "rollsim/sim_time.hpp"

namespace rollsim::input {

/// The duration, or an error message (what is wrong, without a location).
struct DurationParse {
    std::optional<SimTime> value;
    std::string error;
};
DurationParse parse_duration(std::string_view text);

/// A Go time.Duration as `%v` prints it (`6.248s`, `1m2.5s`, `850ms`, `1.5µs`, `2h0m0s`), in
/// seconds; nothing when the text is not one. Events carry these (the kubelet's Pulled message).
std::optional<double> parse_go_duration(std::string_view text);

/// An RFC 3339 time as the API writes it (`2026-11-30T10:00:05Z`, with fractional seconds or an
/// offset), in milliseconds since the Unix epoch; nothing when the text is not one.
std::optional<std::int64_t> parse_rfc3339_ms(std::string_view text);
/// The inverse, to whole seconds in UTC: `2026-11-30T10:00:05Z`.
std::string format_rfc3339_ms(std::int64_t ms);

/// `90s..180s` (uniform) or one duration such as `120s` (constant), in seconds, as the
/// rollsim.io/serve annotation and review's --serve take them; nothing, with `error` set, when
/// the text is neither.
std::optional<DistributionSpec> parse_duration_range(const std::string& text, std::string& error);

/// An exact quantity: mantissa × 10^exp10 × 2^exp2.
struct Quantity {
    bool negative = false;
    std::string digits;  ///< the mantissa's decimal digits, no leading zeros ("" for zero)
    std::int32_t exp10 = 0;
    std::int32_t exp2 = 0;

    /// ceil(q × 10^scale) as Kubernetes rounds (MilliValue: scale 3; Value: scale 0); nullopt
    /// when it does not fit in 63 bits.
    std::optional<std::int64_t> scaled_ceil(std::int32_t scale) const;
};

struct QuantityParse {
    std::optional<Quantity> value;
    std::string error;
};
QuantityParse parse_quantity(std::string_view text);

}  // namespace rollsim::input
