#include "kernel/event_queue.hpp"

#include "kernel/assert.hpp"

namespace rollsim::kernel {

namespace {
constexpr std::size_t kArity = 4;
}

Event EventQueue::event_of(SimTime time, unsigned phase, std::uint64_t seq, const Body& b) {
    Event e;
    e.time = time;
    e.order = (std::uint64_t{phase} << 56) | seq;
    e.target = b.target;
    e.payload = b.payload;
    e.timer = b.timer;
    e.kind = b.kind;
    return e;
}

void EventQueue::sift_up(std::size_t i, Key key) {
    Key* h = heap_.data();
    while (i > 0) {
        const std::size_t parent = (i - 1) / kArity;
        if (!(key < h[parent])) break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = key;
}

void EventQueue::push(SimTime time, std::uint8_t phase, std::uint16_t kind, std::uint32_t target,
                      std::uint32_t payload, std::uint32_t timer) {
    ROLLSIM_ASSERT(time.ms() >= 0 && phase < kPhases);
    ROLLSIM_ASSERT(next_seq_ < (std::uint64_t{1} << kSeqBits));
    const std::uint64_t seq = next_seq_++;
    const Body body{target, payload, timer, kind};
    if (time == now_) {
        now_fifo_[phase].entries.emplace_back(seq, body);
        now_phases_ |= 1u << phase;
        ++now_count_;
        return;
    }
    std::uint32_t slot;
    if (free_.empty()) {
        ROLLSIM_ASSERT(bodies_.size() < kMaxPending);
        slot = static_cast<std::uint32_t>(bodies_.size());
        bodies_.push_back(body);
    } else {
        slot = free_.back();
        free_.pop_back();
        bodies_[slot] = body;
    }
    const std::uint64_t low = (std::uint64_t{phase} << (kSeqBits + kSlotBits)) | (seq << kSlotBits) | slot;
    heap_.push_back(0);
    sift_up(heap_.size() - 1, (Key{static_cast<std::uint64_t>(time.ms())} << 64) | low);
}

Event EventQueue::pop() {
    ROLLSIM_ASSERT(!empty());
    if (now_phases_ == 0) return pop_heap();
    if (heap_.empty()) return pop_now();
    // The heap's earliest against the earliest phase due now; on a tie of (time, phase) the heap
    // entry is older.
    const auto phase = static_cast<unsigned>(__builtin_ctz(now_phases_));
    const auto heap_time = static_cast<std::int64_t>(heap_.front() >> 64);
    const auto heap_phase = static_cast<unsigned>(static_cast<std::uint64_t>(heap_.front()) >> (kSeqBits + kSlotBits));
    const bool heap_first = heap_time < now_.ms() || (heap_time == now_.ms() && heap_phase <= phase);
    return heap_first ? pop_heap() : pop_now();
}

Event EventQueue::pop_now() {
    const auto phase = static_cast<unsigned>(__builtin_ctz(now_phases_));
    Fifo& f = now_fifo_[phase];
    const auto& [seq, body] = f.entries[f.head++];
    const Event e = event_of(now_, phase, seq, body);
    if (f.head == f.entries.size()) {
        f.entries.clear();
        f.head = 0;
        now_phases_ &= ~(1u << phase);
    }
    --now_count_;
    return e;
}

Event EventQueue::pop_heap() {
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
        sift_up(i, last);
    }

    const auto low = static_cast<std::uint64_t>(top);
    const auto slot = static_cast<std::uint32_t>(low & ((std::uint64_t{1} << kSlotBits) - 1));
    const Event e = event_of(SimTime::millis(static_cast<std::int64_t>(top >> 64)),
                             static_cast<unsigned>(low >> (kSeqBits + kSlotBits)),
                             (low >> kSlotBits) & ((std::uint64_t{1} << kSeqBits) - 1), bodies_[slot]);
    free_.push_back(slot);
    // The clock never goes back: an entry pushed behind it (only outside a simulation) leaves
    // the current instant as it is.
    if (e.time > now_) {
        ROLLSIM_ASSERT(now_phases_ == 0);
        now_ = e.time;
    }
    return e;
}

void EventQueue::clear() {
    heap_.clear();
    bodies_.clear();
    free_.clear();
    for (Fifo& f : now_fifo_) {
        f.entries.clear();
        f.head = 0;
    }
    now_phases_ = 0;
    now_count_ = 0;
    now_ = SimTime::zero();
    next_seq_ = 0;
}

void EventQueue::reserve(std::size_t n) {
    heap_.reserve(n);
    bodies_.reserve(n);
    free_.reserve(n);
}

}  // namespace rollsim::kernel
