// Random streams: reference vectors, golden values, independence from creation order.

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "kernel/random.hpp"

namespace rollsim::test {

using kernel::Rng;

TEST_SUITE("kernel.random") {

TEST_CASE("SplitMix64 and xoshiro256** reference vectors") {
    // SplitMix64 seeded with 0: first output 0xe220a8397b1dcdaf (Vigna's reference code).
    CHECK(kernel::mix64(0) == 0xe220a8397b1dcdafULL);
    // xoshiro256** from state {1, 2, 3, 4}: first output rotl(2 * 5, 7) * 9 = 11520.
    auto r = Rng::from_state(1, 2, 3, 4);
    CHECK(r.next() == 11520u);
}

TEST_CASE("golden values of a named stream are pinned") {
    auto r = Rng::stream(42, 0, kernel::stream_key("image-pull"), 7);
    const std::vector<std::uint64_t> got{r.next(), r.next(), r.next()};
    // Pinned: a change here changes every report; it must be deliberate.
    CHECK(got == std::vector<std::uint64_t>{0xf740c26c0fb151aeULL, 0x6683259e201212c9ULL,
                                                 0x708773f02d308e46ULL});
    CHECK(kernel::stream_key("image-pull") == 0xe624893c0167d5ceULL);
}

TEST_CASE("streams do not depend on creation or draw order") {
    const auto key_a = kernel::stream_key("serve");
    const auto key_b = kernel::stream_key("image-pull");
    auto a1 = Rng::stream(7, 3, key_a, 1);
    auto b1 = Rng::stream(7, 3, key_b, 1);
    std::vector<std::uint64_t> a_first, b_first;
    for (int i = 0; i < 4; ++i) a_first.push_back(a1.next());
    for (int i = 0; i < 4; ++i) b_first.push_back(b1.next());
    // Created the other way round and drawn interleaved: the same sequences.
    auto b2 = Rng::stream(7, 3, key_b, 1);
    auto a2 = Rng::stream(7, 3, key_a, 1);
    for (int i = 0; i < 4; ++i) {
        CHECK(b2.next() == b_first[static_cast<std::size_t>(i)]);
        CHECK(a2.next() == a_first[static_cast<std::size_t>(i)]);
    }
}

TEST_CASE("neighbouring seeds, trials, keys and entities give unrelated streams") {
    const auto key = kernel::stream_key("serve");
    const std::uint64_t base = Rng::stream(1, 1, key, 1).next();
    CHECK(Rng::stream(2, 1, key, 1).next() != base);
    CHECK(Rng::stream(1, 2, key, 1).next() != base);
    CHECK(Rng::stream(1, 1, key + 1, 1).next() != base);
    CHECK(Rng::stream(1, 1, key, 2).next() != base);
    // Correlation of uniforms from consecutive entities is near 0.
    double sxy = 0, sx = 0, sy = 0, sxx = 0, syy = 0;
    constexpr int kN = 20000;
    for (int e = 0; e < kN; ++e) {
        const double x = Rng::stream(5, 0, key, static_cast<std::uint64_t>(e)).uniform01();
        const double y = Rng::stream(5, 0, key, static_cast<std::uint64_t>(e) + 1).uniform01();
        sx += x, sy += y, sxy += x * y, sxx += x * x, syy += y * y;
    }
    const double cov = sxy / kN - (sx / kN) * (sy / kN);
    const double corr = cov / std::sqrt((sxx / kN - (sx / kN) * (sx / kN)) * (syy / kN - (sy / kN) * (sy / kN)));
    CHECK(std::abs(corr) < 0.03);
}

TEST_CASE("below(n) is in range and unbiased enough for a die") {
    Rng r(3);
    int counts[6] = {};
    for (int i = 0; i < 60000; ++i) ++counts[r.below(6)];
    for (int c : counts) CHECK(std::abs(c - 10000) < 400);
}

}  // TEST_SUITE

}  // namespace rollsim::test
