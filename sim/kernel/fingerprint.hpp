#pragma once
/// @file fingerprint.hpp
/// A 64-bit fingerprint over processed events: (time, kind, target) of each event in the order
/// it ran. Two runs with the same fingerprint processed the same events at the same times.

#include <cstdint>
#include <string>

#include "kernel/random.hpp"

namespace rollsim::kernel {

class Fingerprint {
public:
    void add(std::int64_t time_ms, std::uint16_t kind, std::uint32_t target) {
        h_ = mix64(h_ ^ static_cast<std::uint64_t>(time_ms));
        h_ = mix64(h_ ^ ((std::uint64_t{kind} << 32) | target));
    }
    /// Folds another fingerprint in (used to combine trials in trial order).
    void combine(std::uint64_t other) { h_ = mix64(h_ ^ other); }
    std::uint64_t value() const { return h_; }
    void reset() { h_ = kInitial; }

    /// 16 lower-case hex digits.
    static std::string hex(std::uint64_t v);

private:
    static constexpr std::uint64_t kInitial = 0x726f6c6c73696d31ULL;  // "rollsim1"
    std::uint64_t h_ = kInitial;
};

inline std::string Fingerprint::hex(std::uint64_t v) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string s(16, '0');
    for (int i = 15; i >= 0; --i) {
        s[static_cast<std::size_t>(i)] = kDigits[v & 0xf];
        v >>= 4;
    }
    return s;
}

}  // namespace rollsim::kernel
