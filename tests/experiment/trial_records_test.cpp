// What a run keeps of each trial (experiment/trial_records): every value back bit for bit, each
// column as narrow as that allows, and the same records whatever order the trials arrive in.

#include <doctest/doctest.h>

#include <cstring>

#include "experiment/trial_records.hpp"

namespace rollsim::test {

using experiment::TrialColumn;
using experiment::TrialRecords;

namespace {
bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

model::TrialOutcome outcome(std::int64_t k) {
    model::TrialOutcome o;
    o.completed = k % 3 != 0;
    o.stalled = !o.completed;
    o.duration = SimTime::millis(600'000 + 1'237 * k);
    o.desired = o.updated = 5000;
    o.error_seconds = static_cast<double>(40'000 + 17 * k) / 1000.0;  // whole milliseconds, as the model measures
    o.min_serving_fraction = static_cast<double>(4500 - k) / 5000.0;  // no whole number of milliseconds
    o.events = 100;
    o.fingerprint = 0x1234 + static_cast<std::uint64_t>(k);
    return o;
}
}  // namespace

TEST_SUITE("experiment.records") {

TEST_CASE("a column is 0 bytes while trials agree, 4 for whole milliseconds, 8 otherwise, and exact") {
    TrialColumn c;
    c.resize(4);
    c.set(0, 12.5);
    c.set(1, 12.5);
    CHECK(c.width() == 0);
    c.set(2, 0.001);
    CHECK(c.width() == 4);
    CHECK(same_bits(c.get(0), 12.5));
    CHECK(same_bits(c.get(2), 0.001));
    c.set(3, 2'000'000.0);  // 2e9 ms: still fits 32 bits
    CHECK(c.width() == 4);
    c.set(3, 3'000'000.0);  // 3e9 ms does not
    CHECK(c.width() == 8);
    CHECK(same_bits(c.get(3), 3'000'000.0));
    CHECK(same_bits(c.get(2), 0.001));
    c.set(1, 0.1 + 0.2);  // 0.30000000000000004 is no whole number of milliseconds
    CHECK(same_bits(c.get(1), 0.1 + 0.2));
}

TEST_CASE("records give back every trial's values bit for bit, in any arrival order, within 64 bytes a trial") {
    constexpr std::size_t n = 200;
    TrialRecords forward, backward;
    forward.resize(n);
    backward.resize(n);
    for (std::size_t t = 0; t < n; ++t) {
        const auto o = outcome(static_cast<std::int64_t>(t));
        const experiment::StallWords words{t % 2 ? "key-a" : "key-b", "trial " + std::to_string(t)};
        forward.store(t, o, o.stalled ? &words : nullptr);
    }
    for (std::size_t t = n; t-- > 0;) {
        const auto o = outcome(static_cast<std::int64_t>(t));
        const experiment::StallWords words{t % 2 ? "key-a" : "key-b", "trial " + std::to_string(t)};
        backward.store(t, o, o.stalled ? &words : nullptr);
    }
    for (std::size_t t = 0; t < n; ++t) {
        const auto o = outcome(static_cast<std::int64_t>(t));
        CHECK(same_bits(forward.value(TrialRecords::Duration, t), o.completed ? o.duration.to_seconds() : 0.0));
        CHECK(same_bits(forward.value(TrialRecords::ErrorSeconds, t), o.error_seconds));
        CHECK(same_bits(forward.value(TrialRecords::MinServingFraction, t), o.min_serving_fraction));
        CHECK(forward.has(t, TrialRecords::Completed) == o.completed);
        CHECK(forward.stall_key(t) == backward.stall_key(t));
        CHECK(same_bits(forward.value(TrialRecords::ErrorSeconds, t), backward.value(TrialRecords::ErrorSeconds, t)));
    }
    CHECK(forward.fingerprint() == backward.fingerprint());
    CHECK(forward.events() == 100 * n);
    CHECK(forward.count(TrialRecords::Stalled) == 67);
    // The example of each stall is the lowest-numbered trial's, whatever came first.
    CHECK(forward.stalls().at("key-a").reason == "trial 3");
    CHECK(backward.stalls().at("key-a").reason == "trial 3");
    CHECK(backward.stalls().at("key-b").reason == "trial 0");
    CHECK(backward.stalls().at("key-b").trials == 34);
    // flags 2 + duration 4 + errors 4 + min serving 8 + stall key 4; the rest agree in every trial.
    CHECK(forward.bytes_per_trial() == 22);
}

}  // TEST_SUITE

}  // namespace rollsim::test
