#include "kernel/event_queue.hpp"

#include <algorithm>

#include "kernel/assert.hpp"

namespace rollsim::kernel {

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
    ROLLSIM_ASSERT(time > now_);  // monotone: nothing is pushed behind the last pop
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
    file((Key{static_cast<std::uint64_t>(time.ms())} << 64) | low);
    ++bucketed_;
}

void EventQueue::file(Key k) {
    const std::int64_t time = time_of(k);
    const unsigned b = bucket_of(time);
    const std::uint64_t bit = std::uint64_t{1} << (b - 1);
    if ((nonempty_ & bit) == 0 || time < least_[b]) least_[b] = time;
    nonempty_ |= bit;
    buckets_[b].push_back(k);
}

void EventQueue::advance(unsigned bucket, std::int64_t time) {
    ROLLSIM_ASSERT(now_phases_ == 0 && due_.empty());
    now_ = SimTime::millis(time);
    std::vector<Key>& from = buckets_[bucket];
    nonempty_ &= ~(std::uint64_t{1} << (bucket - 1));
    for (const Key k : from) {
        if (time_of(k) == time) {
            due_.push_back(k);
        } else {
            ROLLSIM_ASSERT(bucket_of(time_of(k)) < bucket);  // the times share the prefix above its bit
            file(k);
        }
    }
    bucketed_ -= due_.size();  // the others stay bucketed, lower down
    from.clear();
    // Latest first, so that the earliest (phase, seq) pops from the back; most instants hold one.
    if (due_.size() > 1) std::sort(due_.begin(), due_.end(), [](Key x, Key y) { return x > y; });
}

SimTime EventQueue::top_time() const {
    ROLLSIM_ASSERT(!empty());
    if (now_phases_ != 0 || !due_.empty()) return now_;
    return SimTime::millis(least_[lowest_bucket()]);
}

Event EventQueue::pop() {
    Event e;
    const bool popped = pop_due(SimTime::max(), e);
    ROLLSIM_ASSERT(popped);
    return e;
}

bool EventQueue::pop_due(SimTime horizon, Event& e) {
    ROLLSIM_ASSERT(!empty());
    if (now_phases_ != 0 || !due_.empty()) {
        if (now_ > horizon) return false;
        // The earliest bucketed entry due now against the earliest phase's FIFO; on a tie of
        // phase the bucketed entry is older.
        const bool fifo_first = now_phases_ != 0 &&
                                (due_.empty() || static_cast<unsigned>(__builtin_ctz(now_phases_)) < phase_of(due_.back()));
        e = fifo_first ? pop_now() : pop_due_entry();
        return true;
    }
    const unsigned bucket = lowest_bucket();
    const std::int64_t time = least_[bucket];
    if (time > horizon.ms()) return false;
    advance(bucket, time);
    e = pop_due_entry();
    return true;
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

Event EventQueue::pop_due_entry() {
    const Key top = due_.back();
    due_.pop_back();
    const auto low = static_cast<std::uint64_t>(top);
    const auto slot = static_cast<std::uint32_t>(low & ((std::uint64_t{1} << kSlotBits) - 1));
    const Event e = event_of(now_, phase_of(top), (low >> kSlotBits) & ((std::uint64_t{1} << kSeqBits) - 1), bodies_[slot]);
    free_.push_back(slot);
    return e;
}

void EventQueue::clear() {
    for (auto& b : buckets_) b.clear();
    nonempty_ = 0;
    bucketed_ = 0;
    due_.clear();
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
    bodies_.reserve(n);
    free_.reserve(n);
}

}  // namespace rollsim::kernel
