// Durations and Kubernetes quantities (apimachinery resource.ParseQuantity; MilliValue and
// Value round up).

#include <doctest/doctest.h>

#include "input/units.hpp"

namespace rollsim::test {

using input::parse_duration;
using input::parse_quantity;

namespace {
std::int64_t milli(const char* s) { return *parse_quantity(s).value->scaled_ceil(3); }
std::int64_t value(const char* s) { return *parse_quantity(s).value->scaled_ceil(0); }
}  // namespace

TEST_SUITE("io.units") {

TEST_CASE("quantity table: decimal SI, binary SI, exponents, fractions") {
    CHECK(value("0") == 0);
    CHECK(value("1") == 1);
    CHECK(value("1k") == 1000);
    CHECK(value("1M") == 1'000'000);
    CHECK(value("1G") == 1'000'000'000);
    CHECK(value("2T") == 2'000'000'000'000);
    CHECK(value("1P") == 1'000'000'000'000'000);
    CHECK(value("1E") == 1'000'000'000'000'000'000);
    CHECK(value("1Ki") == 1024);
    CHECK(value("64Mi") == 64LL << 20);
    CHECK(value("1Gi") == 1LL << 30);
    CHECK(value("1.5Gi") == 1610612736);
    CHECK(value("1Ti") == 1LL << 40);
    CHECK(value("1Ei") == 1LL << 60);
    CHECK(value("1e3") == 1000);
    CHECK(value("1E3") == 1000);
    CHECK(value("+12") == 12);
    CHECK(milli("250m") == 250);
    CHECK(milli("1.5") == 1500);
    CHECK(milli("0.1") == 100);
    CHECK(milli(".5") == 500);
    CHECK(milli("5.") == 5000);
    CHECK(milli("1e-3") == 1);
    CHECK(milli("2") == 2000);
}

TEST_CASE("rounding up, as MilliValue and Value do") {
    CHECK(value("100m") == 1);   // 0.1 rounds up to 1
    CHECK(value("1.5") == 2);
    CHECK(milli("1n") == 1);     // 1e-9 rounds up to one milli-unit
    CHECK(milli("5u") == 1);
    CHECK(milli("1001u") == 2);
    CHECK(value("0.0") == 0);
}

TEST_CASE("not quantities") {
    for (const char* bad : {"", "1.5.3Gi", "Gi", "1 Gi", "1Gb", "abc", "1e", "1ee3", "--1", "1.0.0", "1KiB", "1e1.5"}) {
        CAPTURE(bad);
        const auto q = parse_quantity(bad);
        CHECK_FALSE(q.value);
        CHECK(q.error.find("is not a Kubernetes quantity") != std::string::npos);
    }
    CHECK(parse_quantity("-1").value->negative);
    CHECK_FALSE(parse_quantity("99999999999999999999E").value->scaled_ceil(0));  // too large
}

TEST_CASE("durations") {
    CHECK(parse_duration("500ms").value->ms() == 500);
    CHECK(parse_duration("90s").value->ms() == 90'000);
    CHECK(parse_duration("2m").value->ms() == 120'000);
    CHECK(parse_duration("1h30m").value->ms() == 5'400'000);
    CHECK(parse_duration("1.5s").value->ms() == 1500);
    CHECK(parse_duration("0.25m").value->ms() == 15'000);
    CHECK(parse_duration("90").value->ms() == 90'000);  // plain seconds
    CHECK(parse_duration("0.5").value->ms() == 500);
    CHECK(parse_duration("0").value->ms() == 0);
}

TEST_CASE("not durations") {
    const auto err = [](const char* s) { return parse_duration(s).error; };
    CHECK(err("").find("empty") != std::string::npos);
    CHECK(err("-1s").find("negative") != std::string::npos);
    CHECK(err("1.5ms").find("whole number of milliseconds") != std::string::npos);
    CHECK(err("10x").find("unknown unit \"x\"") != std::string::npos);
    CHECK(err("1m30").find("needs a unit") != std::string::npos);
    CHECK(err("s").find("expected a number") != std::string::npos);
    CHECK_FALSE(parse_duration("1 s").value);
    CHECK_FALSE(parse_duration("99999999999999999999h").value);
}

}  // TEST_SUITE

}  // namespace rollsim::test
