#include "kernel/random.hpp"

namespace rollsim::kernel {

namespace {
__extension__ typedef unsigned __int128 u128;  // GCC and clang; -Wpedantic knows it as an extension
constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
}  // namespace

// Each component goes through the mixer before it is combined, so (seed, trial) pairs that differ
// by a small constant do not give related streams.
std::uint64_t Rng::trial_base(std::uint64_t seed, std::uint64_t trial) {
    return mix64(mix64(seed) ^ mix64(trial + 0x51afd7ed558ccd1dULL));
}

Rng Rng::stream_in_trial(std::uint64_t base, std::uint64_t key, std::uint64_t entity) {
    std::uint64_t h = mix64(base ^ mix64(key));
    h = mix64(h ^ mix64(entity + 0x2545f4914f6cdd1dULL));
    return Rng{h};
}

Rng::Rng(std::uint64_t seed) {
    std::uint64_t x = seed;
    for (auto& word : s_) {
        word = mix64(x);
        x += 0x9e3779b97f4a7c15ULL;
    }
}

std::uint64_t Rng::next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
}

std::uint64_t Rng::below(std::uint64_t n) {
    // Lemire, "Fast random integer generation in an interval" (2019).
    u128 m = static_cast<u128>(next()) * n;
    auto low = static_cast<std::uint64_t>(m);
    if (low < n) {
        const std::uint64_t threshold = (0 - n) % n;
        while (low < threshold) {
            m = static_cast<u128>(next()) * n;
            low = static_cast<std::uint64_t>(m);
        }
    }
    return static_cast<std::uint64_t>(m >> 64);
}

}  // namespace rollsim::kernel
