#pragma once
/// @file sim_time.hpp
/// Simulated time: a strong type over a signed 64-bit count of milliseconds.
///
/// There is no floating point in simulated time and no sentinel values: an absent time is a
/// `std::optional<SimTime>`. `SimTime::max()` is the horizon used for "never".

#include <compare>
#include <cstdint>
#include <limits>

namespace rollsim {

/// A point in (or a span of) simulated time, in milliseconds since the start of a trial.
class SimTime {
public:
    constexpr SimTime() = default;

    /// Named constructors; the only way to make a SimTime from a number.
    static constexpr SimTime millis(std::int64_t ms) { return SimTime{ms}; }
    static constexpr SimTime seconds(std::int64_t s) { return SimTime{s * 1000}; }
    static constexpr SimTime minutes(std::int64_t m) { return SimTime{m * 60'000}; }
    static constexpr SimTime hours(std::int64_t h) { return SimTime{h * 3'600'000}; }
    static constexpr SimTime zero() { return SimTime{0}; }
    /// Later than any event a trial can schedule.
    static constexpr SimTime max() { return SimTime{std::numeric_limits<std::int64_t>::max() / 4}; }

    constexpr std::int64_t ms() const { return ms_; }
    /// Seconds as a double, for reports only (never for ordering).
    constexpr double to_seconds() const { return static_cast<double>(ms_) / 1000.0; }
    /// Whole seconds, truncated toward zero (Kubernetes' `int(time.Since(t).Seconds())`).
    constexpr std::int64_t whole_seconds() const { return ms_ / 1000; }
    /// This time with the milliseconds dropped: metav1.Time keeps whole seconds only.
    constexpr SimTime floor_to_second() const {
        const std::int64_t r = ms_ % 1000;
        return SimTime{r < 0 ? ms_ - r - 1000 : ms_ - r};
    }

    constexpr auto operator<=>(const SimTime&) const = default;
    constexpr SimTime operator+(SimTime o) const { return SimTime{ms_ + o.ms_}; }
    constexpr SimTime operator-(SimTime o) const { return SimTime{ms_ - o.ms_}; }
    constexpr SimTime& operator+=(SimTime o) {
        ms_ += o.ms_;
        return *this;
    }
    constexpr SimTime& operator-=(SimTime o) {
        ms_ -= o.ms_;
        return *this;
    }
    constexpr SimTime operator*(std::int64_t k) const { return SimTime{ms_ * k}; }

private:
    constexpr explicit SimTime(std::int64_t ms) : ms_(ms) {}
    std::int64_t ms_ = 0;
};

inline namespace literals {
constexpr SimTime operator""_ms(unsigned long long v) {
    return SimTime::millis(static_cast<std::int64_t>(v));
}
constexpr SimTime operator""_s(unsigned long long v) {
    return SimTime::seconds(static_cast<std::int64_t>(v));
}
}  // namespace literals

}  // namespace rollsim
