#include "kernel/event_queue.hpp"

#include "kernel/assert.hpp"

namespace rollsim::kernel {

namespace {
constexpr std::size_t kArity = 4;
}

void EventQueue::push(SimTime time, std::uint8_t phase, std::uint16_t kind, std::uint32_t target,
                      std::uint32_t payload, std::uint32_t timer) {
    ROLLSIM_ASSERT(time.ms() >= 0 && phase < kPhases);
    ROLLSIM_ASSERT(next_seq_ < (std::uint64_t{1} << kSeqBits));
    std::uint32_t slot;
    if (free_.empty()) {
        ROLLSIM_ASSERT(bodies_.size() < kMaxPending);
        slot = static_cast<std::uint32_t>(bodies_.size());
        bodies_.push_back({});
    } else {
        slot = free_.back();
        free_.pop_back();
    }
    bodies_[slot] = Body{target, payload, timer, kind};
    const std::uint64_t low = (std::uint64_t{phase} << (kSeqBits + kSlotBits)) | (next_seq_++ << kSlotBits) | slot;
    const Key key = (Key{static_cast<std::uint64_t>(time.ms())} << 64) | low;

    // Sift up: move parents down until the key's place is found.
    std::size_t i = heap_.size();
    heap_.push_back(key);
    Key* h = heap_.data();
    while (i > 0) {
        const std::size_t parent = (i - 1) / kArity;
        if (!(key < h[parent])) break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = key;
}

Event EventQueue::pop() {
    ROLLSIM_ASSERT(!heap_.empty());
    const Key top = heap_.front();
    const Key last = heap_.back();
    heap_.pop_back();
    const std::size_t n = heap_.size();
    if (n > 0) {
        // Floyd: walk the hole at the root down to a leaf along the smallest children...
        Key* h = heap_.data();
        std::size_t i = 0;
        for (;;) {
            const std::size_t first = i * kArity + 1;
            if (first >= n) break;
            std::size_t best = first;
            const std::size_t end = first + kArity < n ? first + kArity : n;
            for (std::size_t c = first + 1; c < end; ++c) best = h[c] < h[best] ? c : best;
            h[i] = h[best];
            i = best;
        }
        // ... then sift the last key up from there.
        while (i > 0) {
            const std::size_t parent = (i - 1) / kArity;
            if (!(last < h[parent])) break;
            h[i] = h[parent];
            i = parent;
        }
        h[i] = last;
    }

    const auto low = static_cast<std::uint64_t>(top);
    const auto slot = static_cast<std::uint32_t>(low & ((std::uint64_t{1} << kSlotBits) - 1));
    const Body& b = bodies_[slot];
    Event e;
    e.time = SimTime::millis(static_cast<std::int64_t>(top >> 64));
    e.order = ((low >> (kSeqBits + kSlotBits)) << 56) | (low << (64 - kSeqBits - kSlotBits) >> (64 - kSeqBits));
    e.target = b.target;
    e.payload = b.payload;
    e.timer = b.timer;
    e.kind = b.kind;
    free_.push_back(slot);
    return e;
}

void EventQueue::clear() {
    heap_.clear();
    bodies_.clear();
    free_.clear();
    next_seq_ = 0;
}

void EventQueue::reserve(std::size_t n) {
    heap_.reserve(n);
    bodies_.reserve(n);
    free_.reserve(n);
}

}  // namespace rollsim::kernel
