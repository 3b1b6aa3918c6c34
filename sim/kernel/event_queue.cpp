#include "kernel/event_queue.hpp"

#include <algorithm>

#include "kernel/assert.hpp"

namespace rollsim::kernel {

Event EventQueue::event_of(SimTime time, std::uint64_t order, const Body& b) {
    Event e;
    e.time = time;
    e.order = order;
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
    file(Entry{time.ms(), (std::uint64_t{phase} << kSeqBits) | seq, body});
    ++bucketed_;
}

void EventQueue::file(const Entry& e) {
    const unsigned b = bucket_of(e.time);
    const std::uint64_t bit = std::uint64_t{1} << (b - 1);
    if ((nonempty_ & bit) == 0 || e.time < least_[b]) least_[b] = e.time;
    nonempty_ |= bit;
    buckets_[b].push_back(e);
}

void EventQueue::advance(unsigned bucket, std::int64_t time) {
    ROLLSIM_ASSERT(now_phases_ == 0 && due_.empty());
    now_ = SimTime::millis(time);
    std::vector<Entry>& from = buckets_[bucket];
    nonempty_ &= ~(std::uint64_t{1} << (bucket - 1));
    for (const Entry& e : from) {
        if (e.time == time) {
            due_.push_back(e);
        } else {
            ROLLSIM_ASSERT(bucket_of(e.time) < bucket);  // the times share the prefix above its bit
            file(e);
        }
    }
    bucketed_ -= due_.size();  // the others stay bucketed, lower down
    from.clear();
    // Latest first, so that the earliest (phase, seq) pops from the back; most instants hold one.
    if (due_.size() > 1) {
        std::sort(due_.begin(), due_.end(), [](const Entry& x, const Entry& y) { return x.order > y.order; });
    }
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
    const Event e = event_of(now_, (std::uint64_t{phase} << kSeqBits) | seq, body);
    if (f.head == f.entries.size()) {
        f.entries.clear();
        f.head = 0;
        now_phases_ &= ~(1u << phase);
    }
    --now_count_;
    return e;
}

Event EventQueue::pop_due_entry() {
    const Entry& top = due_.back();
    const Event e = event_of(now_, top.order, top.body);
    due_.pop_back();
    return e;
}

void EventQueue::clear() {
    for (auto& b : buckets_) b.clear();
    nonempty_ = 0;
    bucketed_ = 0;
    due_.clear();
    for (Fifo& f : now_fifo_) {
        f.entries.clear();
        f.head = 0;
    }
    now_phases_ = 0;
    now_count_ = 0;
    now_ = SimTime::zero();
    next_seq_ = 0;
}

}  // namespace rollsim::kernel
