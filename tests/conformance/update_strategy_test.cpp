// Conformance: the API server's defaulting and validation of spec.updateStrategy
// (apps/v1 SetDefaults_DaemonSet, apps/validation ValidateRollingUpdateDaemonSet).

#include <doctest/doctest.h>

#include "model/update_strategy.hpp"

namespace rollsim::test {

using model::default_and_validate;

namespace {
UpdateStrategySpec rolling(std::optional<IntOrString> mu, std::optional<IntOrString> ms) {
    return UpdateStrategySpec{"RollingUpdate", true, std::move(mu), std::move(ms)};
}
}  // namespace

TEST_SUITE("update_strategy.validation") {

TEST_CASE("SetDefaults_DaemonSet: RollingUpdate with maxUnavailable 1 and maxSurge 0") {
    const auto c = default_and_validate(UpdateStrategySpec{});
    REQUIRE(c.ok());
    CHECK(c.strategy.rolling());
    CHECK(c.strategy.max_unavailable == IntOrPercent{1, false});
    CHECK(c.strategy.max_surge == IntOrPercent{0, false});
}

TEST_CASE("both non-zero: rejected on maxSurge with the API's message") {
    const auto c = default_and_validate(rolling(IntOrString::of(1), IntOrString::of(1)));
    REQUIRE(c.errors.size() == 1);
    CHECK(c.errors[0] ==
          "spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, "
          "IntVal:1, StrVal:\"\"}: may not be set when maxUnavailable is non-zero");
    CHECK(model::api_invalid_message("edge", c.errors) ==
          "The DaemonSet \"edge\" is invalid: " + c.errors[0]);
}

TEST_CASE("maxSurge alone: maxUnavailable defaults to 1, so the API rejects it") {
    const auto c = default_and_validate(rolling(std::nullopt, IntOrString::of(1)));
    REQUIRE(c.errors.size() == 1);
    CHECK(c.errors[0].find("may not be set when maxUnavailable is non-zero") != std::string::npos);
}

TEST_CASE("both zero, including \"0%\": rejected on maxUnavailable") {
    for (const auto& mu : {IntOrString::of(0), IntOrString::of("0%")}) {
        const auto c = default_and_validate(rolling(mu, IntOrString::of(0)));
        REQUIRE(c.errors.size() == 1);
        CHECK(c.errors[0] ==
              "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when "
              "maxSurge is 0");
    }
}

TEST_CASE("percentages over 100% are rejected, integers above the node count are not") {
    const auto over = default_and_validate(rolling(IntOrString::of("101%"), IntOrString::of(0)));
    REQUIRE(over.errors.size() == 1);
    CHECK(over.errors[0].find("must not be greater than 100%") != std::string::npos);
    CHECK(default_and_validate(rolling(IntOrString::of(5000), IntOrString::of(0))).ok());
    CHECK(default_and_validate(rolling(IntOrString::of("100%"), IntOrString::of(0))).ok());
}

TEST_CASE("a string that is not a percentage, and a negative integer") {
    const auto s = default_and_validate(rolling(IntOrString::of("1"), IntOrString::of(0)));
    REQUIRE(!s.ok());
    CHECK(s.errors[0].find("a valid percent string must be a numeric string followed by an "
                           "ending '%'") != std::string::npos);
    const auto n = default_and_validate(rolling(IntOrString::of(-1), IntOrString::of(0)));
    REQUIRE(!n.ok());
    CHECK(n.errors[0].find("must be greater than or equal to 0") != std::string::npos);
}

TEST_CASE("unknown strategy type") {
    const auto c = default_and_validate(UpdateStrategySpec{"Recreate", false, {}, {}});
    REQUIRE(c.errors.size() == 1);
    CHECK(c.errors[0].find("Unsupported value: \"Recreate\"") != std::string::npos);
}

TEST_CASE("OnDelete ignores rollingUpdate fields and allows no surge") {
    const auto c = default_and_validate(UpdateStrategySpec{"OnDelete", false, {}, {}});
    REQUIRE(c.ok());
    CHECK_FALSE(model::allows_surge(c.strategy));
    CHECK(model::resolve_budgets(c.strategy, 10).max_unavailable == 1);  // the 0/0 fallback
}

TEST_CASE("AllowsSurge: any non-zero maxSurge, even 1%, puts manage in surge mode") {
    const auto c = default_and_validate(rolling(IntOrString::of(0), IntOrString::of("1%")));
    REQUIRE(c.ok());
    CHECK(model::allows_surge(c.strategy));
    CHECK(model::resolve_budgets(c.strategy, 1000).max_surge == 10);
    CHECK(model::resolve_budgets(c.strategy, 1001).max_surge == 11);  // rounds up
}

TEST_CASE("GetScaledValueFromIntOrPercent rounds up: 25% of 10 is 3") {
    CHECK(model::scaled_value(IntOrPercent{25, true}, 10) == 3);
    CHECK(model::scaled_value(IntOrPercent{10, true}, 200) == 20);
    CHECK(model::scaled_value(IntOrPercent{50, true}, 3) == 2);
}

}  // TEST_SUITE

}  // namespace rollsim::test
