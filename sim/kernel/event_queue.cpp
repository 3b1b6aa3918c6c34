#include "kernel/event_queue.hpp"

#include "kernel/assert.hpp"

namespace rollsim::kernel {

namespace {
constexpr std::size_t kArity = 4;
}

void EventQueue::push(SimTime time, std::uint8_t phase, std::uint16_t kind, std::uint32_t target,
                      std::uint32_t payload, std::uint32_t timer) {
    ROLLSIM_ASSERT(next_seq_ < (std::uint64_t{1} << 56));
    Event e;
    e.time = time;
    e.order = (std::uint64_t{phase} << 56) | next_seq_++;
    e.kind = kind;
    e.target = target;
    e.payload = payload;
    e.timer = timer;
    heap_.push_back(e);
    sift_up(heap_.size() - 1);
}

Event EventQueue::pop() {
    ROLLSIM_ASSERT(!heap_.empty());
    Event out = heap_.front();
    heap_.front() = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down(0);
    return out;
}

void EventQueue::sift_up(std::size_t i) {
    const Event moving = heap_[i];
    while (i > 0) {
        const std::size_t parent = (i - 1) / kArity;
        if (!before(moving, heap_[parent])) break;
        heap_[i] = heap_[parent];
        i = parent;
    }
    heap_[i] = moving;
}

void EventQueue::sift_down(std::size_t i) {
    const std::size_t n = heap_.size();
    const Event moving = heap_[i];
    for (;;) {
        const std::size_t first = i * kArity + 1;
        if (first >= n) break;
        std::size_t best = first;
        const std::size_t last = first + kArity < n ? first + kArity : n;
        for (std::size_t c = first + 1; c < last; ++c) {
            if (before(heap_[c], heap_[best])) best = c;
        }
        if (!before(heap_[best], moving)) break;
        heap_[i] = heap_[best];
        i = best;
    }
    heap_[i] = moving;
}

}  // namespace rollsim::kernel
