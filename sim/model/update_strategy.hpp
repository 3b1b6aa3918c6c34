#pragma once
/// @file update_strategy.hpp
/// The API server's defaulting and validation of a DaemonSet's updateStrategy, and the
/// controller's budget arithmetic:
///  - apps/v1/defaults.go SetDefaults_DaemonSet (RollingUpdate; maxUnavailable 1; maxSurge 0);
///  - apps/validation/validation.go ValidateDaemonSetUpdateStrategy,
///    ValidateRollingUpdateDaemonSet, ValidatePositiveIntOrPercent, IsNotMoreThan100Percent;
///  - daemon/update.go updatedDesiredNodeCounts with util.UnavailableCount / util.SurgeCount
///    (intstr.GetScaledValueFromIntOrPercent, rounding up) and the 0/0 fallback.

#include <string>
#include <vector>

#include "rollsim/daemonset.hpp"

namespace rollsim::model {

/// An update strategy after defaulting and validation.
struct UpdateStrategy {
    enum class Type : std::uint8_t { RollingUpdate, OnDelete };
    Type type = Type::RollingUpdate;
    IntOrPercent max_unavailable{1, false};
    IntOrPercent max_surge{0, false};

    bool rolling() const { return type == Type::RollingUpdate; }
    bool operator==(const UpdateStrategy&) const = default;
    /// "RollingUpdate(maxUnavailable=1, maxSurge=0)" or "OnDelete".
    std::string describe() const;
};

/// The strategy, or the API server's field errors in its own words, e.g.
/// `spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0,
/// IntVal:1, StrVal:""}: may not be set when maxUnavailable is non-zero`.
struct StrategyCheck {
    UpdateStrategy strategy;
    std::vector<std::string> errors;
    bool ok() const { return errors.empty(); }
};

StrategyCheck default_and_validate(const UpdateStrategySpec& spec);

/// What kubectl prints for an invalid DaemonSet: `The DaemonSet "NAME" is invalid: ERR`, or one
/// error per line after `is invalid: ` when there are several.
std::string api_invalid_message(const std::string& ds_name, const std::vector<std::string>& errors);

/// GetScaledValueFromIntOrPercent(v, total, roundUp = true).
std::int32_t scaled_value(const IntOrPercent& v, std::int32_t total);

/// util.AllowsSurge: a RollingUpdate whose maxSurge resolves to more than 0 for one node.
bool allows_surge(const UpdateStrategy& s);

struct Budgets {
    std::int32_t max_surge = 0;
    std::int32_t max_unavailable = 0;
};

/// updatedDesiredNodeCounts: budgets against desiredNumberScheduled, with the fallback to
/// maxUnavailable = 1 when both resolve to 0 and some node wants the pod.
Budgets resolve_budgets(const UpdateStrategy& s, std::int32_t desired);

}  // namespace rollsim::model
