// The Fenwick tree of flags against a plain vector: counts and rank lookups agree after
// random sets and clears.

#include <doctest/doctest.h>

#include <vector>

#include "kernel/fenwick.hpp"
#include "kernel/random.hpp"

namespace rollsim::test {

TEST_CASE("FenwickFlags: find(r) is the position of the r-th set flag, as a linear scan says") {
    for (std::size_t n : {1u, 2u, 7u, 64u, 1000u}) {
        kernel::FenwickFlags f;
        f.reset(n);
        std::vector<bool> shadow(n, false);
        kernel::Rng rng(n);
        for (int step = 0; step < 3000; ++step) {
            const auto i = static_cast<std::size_t>(rng.below(n));
            const bool on = rng.below(3) != 0;
            f.set(i, on);
            shadow[i] = on;
            std::vector<std::size_t> set;
            for (std::size_t k = 0; k < n; ++k) {
                if (shadow[k]) set.push_back(k);
            }
            REQUIRE(f.count() == static_cast<std::int64_t>(set.size()));
            if (!set.empty()) {
                const auto r = static_cast<std::int64_t>(rng.below(set.size()));
                REQUIRE(f.find(r) == set[static_cast<std::size_t>(r)]);
            }
        }
    }
}

}  // namespace rollsim::test
