#pragma once
/// @file fenwick.hpp
/// A Fenwick (binary indexed) tree of 0/1 flags over positions 0..n-1: set or clear a flag,
/// count the flags, and find the position of the r-th set flag, each in O(log n).

#include <cstdint>
#include <vector>

#include "kernel/assert.hpp"

namespace rollsim::kernel {

class FenwickFlags {
public:
    /// n positions, every flag clear; keeps memory.
    void reset(std::size_t n) {
        tree_.assign(n + 1, 0);
        flag_.assign(n, false);
        count_ = 0;
        top_ = 1;
        while (top_ * 2 <= n) top_ *= 2;
    }
    void set(std::size_t i, bool on) {
        if (flag_[i] == on) return;
        flag_[i] = on;
        count_ += on ? 1 : -1;
        const std::int32_t d = on ? 1 : -1;
        for (std::size_t k = i + 1; k < tree_.size(); k += k & (~k + 1)) tree_[k] += d;
    }
    bool test(std::size_t i) const { return flag_[i]; }
    std::int64_t count() const { return count_; }
    /// The position of the set flag of rank r (0-based, in position order); r < count().
    std::size_t find(std::int64_t r) const {
        ROLLSIM_ASSERT(r >= 0 && r < count_);
        std::size_t pos = 0;
        for (std::size_t step = top_; step > 0; step /= 2) {
            if (pos + step < tree_.size() && tree_[pos + step] <= r) {
                pos += step;
                r -= tree_[pos];
            }
        }
        return pos;  // tree index pos + 1 holds the flag: position pos
    }

private:
    std::vector<std::int32_t> tree_;
    std::vector<bool> flag_;
    std::int64_t count_ = 0;
    std::size_t top_ = 1;
};

}  // namespace rollsim::kernel
