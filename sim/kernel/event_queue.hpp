#pragma once
/// @file event_queue.hpp
/// The pending-event set: a 4-ary min-heap over a vector of 32-byte trivially-copyable entries.
///
/// Total order. Events are popped in ascending `(time, phase, seq)`:
///  - `time`  simulated time in milliseconds;
///  - `phase` a small integer that orders same-time events by component (the model defines the
///            phases: node changes before API writes before the kubelet before the scheduler
///            before the controller before traffic);
///  - `seq`   a counter owned by the queue, incremented on every push, so that same-time,
///            same-phase events run in the order they were scheduled (FIFO).
/// Nothing is ordered by pointer or by hash-map iteration, so the order is reproducible.
///
/// Cost: push and pop are O(log4 n); no allocation once the vector has grown to its peak size.

#include <cstdint>
#include <vector>

#include "rollsim/sim_time.hpp"

namespace rollsim::kernel {

/// One pending event. `kind`, `target` and `payload` mean what the model says they mean; for a
/// timer event `timer` names the timer slot and `payload` carries its generation.
struct Event {
    SimTime time;
    std::uint64_t order = 0;  ///< phase in the top 8 bits, sequence in the low 56
    std::uint32_t target = 0;
    std::uint32_t payload = 0;
    std::uint32_t timer = kNoTimer;
    std::uint16_t kind = 0;

    static constexpr std::uint32_t kNoTimer = 0xffffffffu;

    std::uint8_t phase() const { return static_cast<std::uint8_t>(order >> 56); }
    std::uint64_t seq() const { return order & ((std::uint64_t{1} << 56) - 1); }
};
static_assert(sizeof(Event) == 32, "events stay small: the heap moves them by value");

/// Min-heap of events in `(time, phase, seq)` order.
class EventQueue {
public:
    /// Adds an event; assigns its sequence number. `phase` must be < 256.
    void push(SimTime time, std::uint8_t phase, std::uint16_t kind, std::uint32_t target,
              std::uint32_t payload = 0, std::uint32_t timer = Event::kNoTimer);

    /// The earliest event. Precondition: !empty().
    const Event& top() const { return heap_.front(); }
    /// Removes and returns the earliest event. Precondition: !empty().
    Event pop();

    bool empty() const { return heap_.empty(); }
    std::size_t size() const { return heap_.size(); }
    /// Removes every event and restarts the sequence; keeps the memory for the next trial.
    void clear() {
        heap_.clear();
        next_seq_ = 0;
    }
    void reserve(std::size_t n) { heap_.reserve(n); }
    std::size_t capacity() const { return heap_.capacity(); }

private:
    static bool before(const Event& a, const Event& b) {
        return a.time < b.time || (a.time == b.time && a.order < b.order);
    }
    void sift_up(std::size_t i);
    void sift_down(std::size_t i);

    std::vector<Event> heap_;
    std::uint64_t next_seq_ = 0;
};

}  // namespace rollsim::kernel
