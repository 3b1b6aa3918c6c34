#include "input/units.hpp"

#include "rollsim/io.hpp"

#include <cctype>
#include <charconv>

#include <fmt/format.h>

namespace rollsim::input {

namespace {

__extension__ typedef __int128 i128;
constexpr i128 kLimit = static_cast<i128>(INT64_MAX);

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

DurationParse parse_duration(std::string_view text) {
    DurationParse out;
    if (text.empty()) {
        out.error = "a duration is empty";
        return out;
    }
    if (text.front() == '-') {
        out.error = "a duration cannot be negative";
        return out;
    }
    if (text.front() == '+') text.remove_prefix(1);
    // Exact arithmetic in microseconds so that "1.0005s" is caught as sub-millisecond.
    i128 total_us = 0;
    bool any = false;
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t start = i;
        i128 whole = 0;
        i128 frac = 0;
        i128 frac_scale = 1;
        bool digits = false;
        while (i < text.size() && is_digit(text[i])) {
            whole = whole * 10 + (text[i++] - '0');
            digits = true;
            if (whole > kLimit) {
                out.error = "a duration is too large";
                return out;
            }
        }
        if (i < text.size() && text[i] == '.') {
            ++i;
            while (i < text.size() && is_digit(text[i])) {
                if (frac_scale < 1'000'000'000'000LL) {
                    frac = frac * 10 + (text[i] - '0');
                    frac_scale *= 10;
                } else if (text[i] != '0') {
                    out.error = "a duration must be a whole number of milliseconds";
                    return out;
                }
                ++i;
                digits = true;
            }
        }
        if (!digits) {
            out.error = "expected a number in \"" + std::string(text) + "\"";
            return out;
        }
        const std::size_t unit_start = i;
        while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
        const std::string_view unit = text.substr(unit_start, i - unit_start);
        i128 unit_us = 0;
        if (unit.empty()) {
            if (start != 0 || i != text.size()) {
                out.error = "every part of \"" + std::string(text) + "\" needs a unit (ms, s, m, h)";
                return out;
            }
            unit_us = 1'000'000;  // a plain number is seconds
        } else if (unit == "ms") {
            unit_us = 1'000;
        } else if (unit == "s") {
            unit_us = 1'000'000;
        } else if (unit == "m") {
            unit_us = 60'000'000;
        } else if (unit == "h") {
            unit_us = 3'600'000'000LL;
        } else {
            out.error = "unknown unit \"" + std::string(unit) + "\" (use ms, s, m or h)";
            return out;
        }
        const i128 frac_us = frac * unit_us;
        if (frac_us % frac_scale != 0) {
            out.error = "a duration must be a whole number of milliseconds";
            return out;
        }
        total_us += whole * unit_us + frac_us / frac_scale;
        if (total_us / 1000 > kLimit / 4) {
            out.error = "a duration is too large";
            return out;
        }
        any = true;
    }
    if (!any) {
        out.error = "a duration is empty";
        return out;
    }
    if (total_us % 1000 != 0) {
        out.error = "a duration must be a whole number of milliseconds";
        return out;
    }
    out.value = SimTime::millis(static_cast<std::int64_t>(total_us / 1000));
    return out;
}

QuantityParse parse_quantity(std::string_view text) {
    QuantityParse out;
    const std::string original(text);
    const auto bad = [&](const std::string& why) {
        out.error = "\"" + original + "\" is not a Kubernetes quantity: " + why;
        return out;
    };
    if (text.empty()) return bad("it is empty");
    Quantity q;
    if (text.front() == '+' || text.front() == '-') {
        q.negative = text.front() == '-';
        text.remove_prefix(1);
    }
    std::string digits;
    std::size_t i = 0;
    bool any = false;
    while (i < text.size() && is_digit(text[i])) {
        digits += text[i++];
        any = true;
    }
    std::int32_t frac_digits = 0;
    if (i < text.size() && text[i] == '.') {
        ++i;
        while (i < text.size() && is_digit(text[i])) {
            digits += text[i++];
            ++frac_digits;
            any = true;
        }
    }
    if (!any) return bad("expected a number");
    q.exp10 = -frac_digits;
    const std::string_view suffix = text.substr(i);
    struct Si {
        std::string_view name;
        std::int32_t exp10, exp2;
    };
    static constexpr Si kSuffixes[] = {
        {"Ki", 0, 10}, {"Mi", 0, 20}, {"Gi", 0, 30}, {"Ti", 0, 40}, {"Pi", 0, 50}, {"Ei", 0, 60},
        {"n", -9, 0},  {"u", -6, 0},  {"m", -3, 0},  {"", 0, 0},    {"k", 3, 0},   {"M", 6, 0},
        {"G", 9, 0},   {"T", 12, 0},  {"P", 15, 0},  {"E", 18, 0},
    };
    bool matched = false;
    for (const Si& s : kSuffixes) {
        if (suffix == s.name) {
            q.exp10 += s.exp10;
            q.exp2 = s.exp2;
            matched = true;
            break;
        }
    }
    if (!matched) {
        if ((suffix.front() == 'e' || suffix.front() == 'E') && suffix.size() > 1) {
            std::int32_t e = 0;
            std::string_view num = suffix.substr(1);
            if (num.front() == '+') num.remove_prefix(1);
            const auto [ptr, ec] = std::from_chars(num.data(), num.data() + num.size(), e);
            if (ec != std::errc{} || ptr != num.data() + num.size() || e > 1000 || e < -1000) {
                return bad("the exponent must be an integer");
            }
            q.exp10 += e;
        } else {
            return bad("unknown suffix \"" + std::string(suffix) +
                       "\" (use m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent)");
        }
    }
    const std::size_t nz = digits.find_first_not_of('0');
    q.digits = nz == std::string::npos ? "" : digits.substr(nz);
    out.value = q;
    return out;
}

std::optional<std::int64_t> Quantity::scaled_ceil(std::int32_t scale) const {
    if (digits.empty()) return 0;
    if (digits.size() > 36) return std::nullopt;
    i128 m = 0;
    for (char c : digits) m = m * 10 + (c - '0');
    std::int32_t e10 = exp10 + scale;
    for (std::int32_t k = 0; k < exp2; ++k) {
        m *= 2;
        if (m > kLimit * 1000) return std::nullopt;
    }
    if (e10 >= 0) {
        for (std::int32_t k = 0; k < e10; ++k) {
            m *= 10;
            if (m > kLimit) return std::nullopt;
        }
        if (m > kLimit) return std::nullopt;
        return static_cast<std::int64_t>(negative ? -m : m);
    }
    if (-e10 > 36) return negative ? 0 : 1;  // a tiny positive amount rounds up to one unit
    i128 d = 1;
    for (std::int32_t k = 0; k < -e10; ++k) d *= 10;
    i128 r = m / d + (m % d != 0 ? 1 : 0);  // ceil for positive values
    if (negative) r = -(m / d);             // ceil toward +inf for negative values
    if (r > kLimit) return std::nullopt;
    return static_cast<std::int64_t>(r);
}

std::optional<DistributionSpec> parse_duration_range(const std::string& text, std::string& error) {
    const auto dots = text.find("..");
    const auto seconds = [&](const std::string& part) -> std::optional<double> {
        const DurationParse d = parse_duration(part);
        if (!d.value) {
            error = fmt::format("\"{}\": {}", part, d.error);
            return std::nullopt;
        }
        return d.value->to_seconds();
    };
    if (dots == std::string::npos) {
        const auto v = seconds(text);
        return v ? std::optional{DistributionSpec::constant(*v)} : std::nullopt;
    }
    const auto low = seconds(text.substr(0, dots));
    const auto high = low ? seconds(text.substr(dots + 2)) : std::nullopt;
    if (!high) return std::nullopt;
    if (*high < *low) {
        error = fmt::format("\"{}\": the maximum is below the minimum", text);
        return std::nullopt;
    }
    DistributionSpec d;
    d.kind = DistributionSpec::Kind::Uniform;
    d.low = *low;
    d.high = *high;
    return d;
}

}  // namespace rollsim::input

namespace rollsim {

std::optional<std::uint64_t> parse_byte_size(std::string_view text) {
    const input::QuantityParse q = input::parse_quantity(text);
    if (!q.value || q.value->negative) return std::nullopt;
    const auto bytes = q.value->scaled_ceil(0);
    if (!bytes || *bytes < 1) return std::nullopt;
    return static_cast<std::uint64_t>(*bytes);
}

}  // namespace rollsim
