#include "input/units.hpp"

#include <cctype>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "rollsim/io.hpp"

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


std::optional<double> parse_go_duration(std::string_view text) {
    // time.Duration.String: [-]{number unit}+ with units h, m, s, ms, us (µs, μs), ns; "0s".
    static constexpr std::pair<std::string_view, double> kUnits[] = {
        {"ns", 1e-9}, {"us", 1e-6}, {"\u00b5s", 1e-6}, {"\u03bcs", 1e-6}, {"ms", 1e-3}, {"s", 1}, {"m", 60}, {"h", 3600}};
    if (text.empty() || text.front() == '-') return std::nullopt;
    double total = 0;
    while (!text.empty()) {
        std::size_t i = 0;
        while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) != 0 || text[i] == '.')) ++i;
        if (i == 0) return std::nullopt;
        double number = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + i, number);
        if (ec != std::errc() || end != text.data() + i) return std::nullopt;
        text.remove_prefix(i);
        // The longest unit that matches ("ms" before "m").
        double scale = 0;
        std::size_t len = 0;
        for (const auto& [unit, s] : kUnits) {
            if (text.substr(0, unit.size()) == unit && unit.size() > len && !(unit == "m" && text.substr(0, 2) == "ms")) {
                scale = s;
                len = unit.size();
            }
        }
        if (len == 0) return std::nullopt;
        total += number * scale;
        text.remove_prefix(len);
    }
    return total;
}

std::optional<std::int64_t> parse_rfc3339_ms(std::string_view t) {
    // YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)
    const auto digits = [&](std::size_t at, std::size_t n) -> std::optional<int> {
        if (at + n > t.size()) return std::nullopt;
        int v = 0;
        for (std::size_t i = at; i < at + n; ++i) {
            if (std::isdigit(static_cast<unsigned char>(t[i])) == 0) return std::nullopt;
            v = v * 10 + (t[i] - '0');
        }
        return v;
    };
    const auto y = digits(0, 4), mo = digits(5, 2), d = digits(8, 2), h = digits(11, 2), mi = digits(14, 2), s = digits(17, 2);
    if (!y || !mo || !d || !h || !mi || !s || t[4] != '-' || t[7] != '-' || (t[10] != 'T' && t[10] != 't') || t[13] != ':' ||
        t[16] != ':' || *mo < 1 || *mo > 12 || *d < 1 || *d > 31 || *h > 23 || *mi > 59 || *s > 60) {
        return std::nullopt;
    }
    std::size_t at = 19;
    double frac = 0;
    if (at < t.size() && t[at] == '.') {
        double scale = 0.1;
        ++at;
        const std::size_t start = at;
        while (at < t.size() && std::isdigit(static_cast<unsigned char>(t[at])) != 0) {
            frac += (t[at] - '0') * scale;
            scale /= 10;
            ++at;
        }
        if (at == start) return std::nullopt;
    }
    std::int64_t offset_min = 0;
    if (at < t.size() && (t[at] == 'Z' || t[at] == 'z')) {
        ++at;
    } else if (at < t.size() && (t[at] == '+' || t[at] == '-')) {
        const auto oh = digits(at + 1, 2), om = digits(at + 4, 2);
        if (!oh || !om || t[at + 3] != ':') return std::nullopt;
        offset_min = (t[at] == '+' ? 1 : -1) * (*oh * 60 + *om);
        at += 6;
    } else {
        return std::nullopt;
    }
    if (at != t.size()) return std::nullopt;
    // Days from the civil date (Howard Hinnant's algorithm), proleptic Gregorian.
    const int yy = *y - (*mo <= 2 ? 1 : 0);
    const int era = (yy >= 0 ? yy : yy - 399) / 400;
    const int yoe = yy - era * 400;
    const int doy = (153 * (*mo + (*mo > 2 ? -3 : 9)) + 2) / 5 + *d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    const std::int64_t days = static_cast<std::int64_t>(era) * 146097 + doe - 719468;
    const std::int64_t secs = days * 86400 + *h * 3600 + *mi * 60 + *s - offset_min * 60;
    return secs * 1000 + static_cast<std::int64_t>(std::llround(frac * 1000));
}

std::string format_rfc3339_ms(std::int64_t ms) {
    const std::int64_t secs = ms / 1000;
    std::int64_t days = secs / 86400;
    const std::int64_t rest = secs % 86400;
    // Civil date from days since the epoch (Howard Hinnant's algorithm).
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const std::int64_t doe = days - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", y, m, d, rest / 3600, rest / 60 % 60, rest % 60);
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
