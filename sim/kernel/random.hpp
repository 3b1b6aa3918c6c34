#pragma once
/// @file random.hpp
/// Random streams. Each stream is seeded from (master seed, trial index, stable name, entity id)
/// by SplitMix64 mixing, never from creation order, so adding a component, drawing in another
/// order or running on another thread changes no other stream. The generator is xoshiro256**
/// (Blackman and Vigna, 2018), seeded through SplitMix64 as its authors recommend.
///
/// Example:
/// @code
///   Rng pull = Rng::stream(seed, trial, stream_key("image-pull"), node_id);
///   double u = pull.uniform01();
/// @endcode

#include <cstdint>
#include <string_view>

namespace rollsim::kernel {

/// SplitMix64's output function (Steele, Lea and Flood, 2014): a bijective 64-bit mixer.
constexpr std::uint64_t mix64(std::uint64_t z) {
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/// A stable 64-bit key for a stream name (FNV-1a), computed at compile time for literals.
constexpr std::uint64_t stream_key(std::string_view name) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (char c : name) {
        h ^= static_cast<std::uint8_t>(c);
        h *= 0x100000001b3ULL;
    }
    return h;
}

/// One random stream: xoshiro256** over 256 bits of state.
class Rng {
public:
    /// The stream for (seed, trial, key, entity). Cheap: four SplitMix64 steps.
    static Rng stream(std::uint64_t seed, std::uint64_t trial, std::uint64_t key,
                      std::uint64_t entity) {
        return stream_in_trial(trial_base(seed, trial), key, entity);
    }
    /// The (seed, trial) half of a stream's seed, for callers that make many streams per trial.
    static std::uint64_t trial_base(std::uint64_t seed, std::uint64_t trial);
    /// The stream for (key, entity) in the trial whose base is `base`: the same as stream(seed,
    /// trial, key, entity).
    static Rng stream_in_trial(std::uint64_t base, std::uint64_t key, std::uint64_t entity);

    /// A stream seeded directly from one 64-bit value (for tests and derived streams).
    explicit Rng(std::uint64_t seed);
    /// A generator with the given raw state (reference-vector tests only).
    static Rng from_state(std::uint64_t a, std::uint64_t b, std::uint64_t c, std::uint64_t d) {
        Rng r(0);
        r.s_[0] = a;
        r.s_[1] = b;
        r.s_[2] = c;
        r.s_[3] = d;
        return r;
    }

    /// The next 64 random bits.
    std::uint64_t next();
    /// Uniform on [0, 1) with 53 bits of precision.
    double uniform01() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    /// Uniform on (0, 1): never 0, for logarithms and inverse CDFs.
    double uniform_open01() { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }
    /// Uniform integer on [0, n), unbiased (Lemire's method). Precondition: n > 0.
    std::uint64_t below(std::uint64_t n);

private:
    std::uint64_t s_[4];
};

}  // namespace rollsim::kernel
