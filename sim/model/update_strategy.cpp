#include "model/update_strategy.hpp"

#include <charconv>

#include <fmt/format.h>

namespace rollsim::model {

namespace {

constexpr const char* kPercentMessage =
    "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or "
    "'93%', regex used for validation is '[0-9]+%')";

/// validation.IsValidPercent: ^[0-9]+%$
bool is_valid_percent(const std::string& s) {
    if (s.size() < 2 || s.back() != '%') return false;
    for (std::size_t i = 0; i + 1 < s.size(); ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
    }
    return true;
}

/// The value as field.Invalid prints it: Go's %#v of an intstr.IntOrString (String() has a
/// pointer receiver, so the API falls back to the raw struct).
std::string go_value(const IntOrString& v) {
    return fmt::format("intstr.IntOrString{{Type:{}, IntVal:{}, StrVal:\"{}\"}}",
                       v.is_string ? 1 : 0, v.is_string ? 0 : v.int_value, v.str_value);
}

/// strconv.Atoi, with Go's result of 0 on error.
std::int64_t atoi_or_zero(const std::string& s) {
    std::int64_t v = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || ptr != s.data() + s.size()) return 0;
    return v;
}

/// getPercentValue: (value, true) for a valid percent string.
std::pair<std::int64_t, bool> percent_value(const IntOrString& v) {
    if (!v.is_string || !is_valid_percent(v.str_value)) return {0, false};
    return {atoi_or_zero(v.str_value.substr(0, v.str_value.size() - 1)), true};
}

/// getIntOrPercentValue.
std::int64_t int_or_percent_value(const IntOrString& v) {
    const auto [pct, is_pct] = percent_value(v);
    if (is_pct) return pct;
    return v.is_string ? atoi_or_zero(v.str_value) : v.int_value;
}

void validate_positive_int_or_percent(const IntOrString& v, const std::string& path,
                                      std::vector<std::string>& errors) {
    if (v.is_string) {
        if (!is_valid_percent(v.str_value)) {
            errors.push_back(fmt::format("{}: Invalid value: {}: {}", path, go_value(v),
                                         kPercentMessage));
        }
    } else if (v.int_value < 0) {
        errors.push_back(fmt::format("{}: Invalid value: {}: must be greater than or equal to 0",
                                     path, go_value(v)));
    }
}

void validate_not_more_than_100_percent(const IntOrString& v, const std::string& path,
                                        std::vector<std::string>& errors) {
    const auto [pct, is_pct] = percent_value(v);
    if (is_pct && pct > 100) {
        errors.push_back(
            fmt::format("{}: Invalid value: {}: must not be greater than 100%", path, go_value(v)));
    }
}

IntOrPercent resolved(const IntOrString& v) {
    const auto [pct, is_pct] = percent_value(v);
    if (is_pct) return IntOrPercent{static_cast<std::int32_t>(pct), true};
    return IntOrPercent{static_cast<std::int32_t>(int_or_percent_value(v)), false};
}

}  // namespace

std::string UpdateStrategy::describe() const {
    if (type == Type::OnDelete) return "OnDelete";
    return fmt::format("RollingUpdate(maxUnavailable={}, maxSurge={})", max_unavailable.text(),
                       max_surge.text());
}

StrategyCheck default_and_validate(const UpdateStrategySpec& spec) {
    StrategyCheck out;
    const std::string type = spec.type.empty() ? "RollingUpdate" : spec.type;
    if (type == "OnDelete") {
        out.strategy.type = UpdateStrategy::Type::OnDelete;
        return out;
    }
    if (type != "RollingUpdate") {
        out.errors.push_back(fmt::format(
            "spec.updateStrategy.type: Unsupported value: \"{}\": supported values: \"OnDelete\", "
            "\"RollingUpdate\"",
            type));
        return out;
    }
    // SetDefaults_DaemonSet fills a missing rollingUpdate block and both fields.
    const IntOrString mu = spec.max_unavailable.value_or(IntOrString::of(1));
    const IntOrString ms = spec.max_surge.value_or(IntOrString::of(0));
    const std::string base = "spec.updateStrategy.rollingUpdate";
    validate_positive_int_or_percent(mu, base + ".maxUnavailable", out.errors);
    validate_positive_int_or_percent(ms, base + ".maxSurge", out.errors);
    validate_not_more_than_100_percent(mu, base + ".maxUnavailable", out.errors);
    validate_not_more_than_100_percent(ms, base + ".maxSurge", out.errors);
    const bool has_unavailable = int_or_percent_value(mu) != 0;
    const bool has_surge = int_or_percent_value(ms) != 0;
    if (has_unavailable && has_surge) {
        out.errors.push_back(fmt::format(
            "{}.maxSurge: Invalid value: {}: may not be set when maxUnavailable is non-zero", base,
            go_value(ms)));
    } else if (!has_unavailable && !has_surge) {
        out.errors.push_back(
            fmt::format("{}.maxUnavailable: Required value: cannot be 0 when maxSurge is 0", base));
    }
    out.strategy.type = UpdateStrategy::Type::RollingUpdate;
    out.strategy.max_unavailable = resolved(mu);
    out.strategy.max_surge = resolved(ms);
    return out;
}

std::string api_invalid_message(const std::string& ds_name, const std::vector<std::string>& errors) {
    // kubectl's rendering of the API server's StatusError.
    if (errors.size() == 1) {
        return fmt::format("The DaemonSet \"{}\" is invalid: {}", ds_name, errors.front());
    }
    std::string out = fmt::format("The DaemonSet \"{}\" is invalid: ", ds_name);
    for (const auto& e : errors) out += "\n* " + e;
    return out;
}

std::int32_t scaled_value(const IntOrPercent& v, std::int32_t total) {
    if (!v.percent) return v.value;
    // math.Ceil(value * total / 100), in integers.
    const std::int64_t num = std::int64_t{v.value} * total;
    return static_cast<std::int32_t>((num + 99) / 100);
}

bool allows_surge(const UpdateStrategy& s) {
    return s.rolling() && scaled_value(s.max_surge, 1) > 0;
}

Budgets resolve_budgets(const UpdateStrategy& s, std::int32_t desired) {
    Budgets b;
    if (s.rolling()) {
        b.max_unavailable = scaled_value(s.max_unavailable, desired);
        b.max_surge = scaled_value(s.max_surge, desired);
    }
    if (desired > 0 && b.max_unavailable == 0 && b.max_surge == 0) b.max_unavailable = 1;
    return b;
}

}  // namespace rollsim::model
