#pragma once
/// @file event_queue.hpp
/// The pending-event set: a 4-ary min-heap of 16-byte keys, with the rest of each event in a
/// side table.
///
/// Total order. Events are popped in ascending `(time, phase, seq)`:
///  - `time`  simulated time in milliseconds;
///  - `phase` a small integer that orders same-time events by component. The model defines
///            the phases (model/events.hpp, `Phase`): API writes, then the kubelets, the
///            scheduler, the controller's watch and its sync, the operator, and traffic;
///  - `seq`   a counter owned by the queue, incremented on every push, so that same-time,
///            same-phase events run in the order they were scheduled (FIFO).
/// Nothing is ordered by pointer or by hash-map iteration, so the order is reproducible.
///
/// Layout. The heap holds one 128-bit key per event: the time in the high word; the phase, the
/// sequence number and the event's slot in the side table in the low word. The whole order is one
/// integer comparison, and the four children of a heap node span 64 bytes. The slot number
/// sits below the unique sequence number, so it never decides the order. A pop moves the hole
/// to a leaf and sifts the last key up from there (Floyd's bottom-up delete), which halves the
/// comparisons of a plain sift-down: the last key nearly always belongs near the bottom.
///
/// Events for the current instant skip the heap. An event pushed for the time of the last pop
/// goes to a FIFO of its phase: every heap entry of that time and phase was pushed earlier (when
/// the clock was behind), so it comes first, and the FIFO keeps the rest in sequence order. A
/// controller sync queued by a watch handler, say, costs O(1) instead of two heap walks.
///
/// Cost: push and pop are O(log4 n), O(1) for the current instant; no allocation once the
/// vectors have grown to their peak.

#include <algorithm>
#include <cstdint>
#include <utility>
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

/// Min-heap of events in `(time, phase, seq)` order.
class EventQueue {
public:
    /// Phases are below this.
    static constexpr unsigned kPhases = 16;
    /// At most this many events pending at once.
    static constexpr std::size_t kMaxPending = std::size_t{1} << 24;

    /// Adds an event; assigns its sequence number. Preconditions: time >= 0, phase < kPhases.
    void push(SimTime time, std::uint8_t phase, std::uint16_t kind, std::uint32_t target,
              std::uint32_t payload = 0, std::uint32_t timer = Event::kNoTimer);

    /// When the earliest event is due. Precondition: !empty().
    SimTime top_time() const {
        if (now_phases_ == 0) return heap_time();
        return heap_.empty() ? now_ : std::min(now_, heap_time());  // a push may precede the last pop
    }
    /// Removes and returns the earliest event. Precondition: !empty().
    Event pop();

    bool empty() const { return heap_.empty() && now_phases_ == 0; }
    /// Whether an event is pending for the time of the last pop in a phase at or below `phase`
    /// (a cancelled timer's entry counts: the answer errs towards yes).
    bool pending_now(unsigned phase) const {
        if ((now_phases_ & ((2u << phase) - 1)) != 0) return true;
        if (heap_.empty()) return false;
        const auto heap_phase = static_cast<unsigned>(static_cast<std::uint64_t>(heap_.front()) >> (kSeqBits + kSlotBits));
        return static_cast<std::int64_t>(heap_.front() >> 64) == now_.ms() && heap_phase <= phase;
    }
    std::size_t size() const { return heap_.size() + now_count_; }
    /// Removes every event and restarts the sequence; keeps the memory for the next trial.
    void clear();
    void reserve(std::size_t n);
    std::size_t capacity() const { return heap_.capacity(); }

private:
    SimTime heap_time() const { return SimTime::millis(static_cast<std::int64_t>(heap_.front() >> 64)); }
    __extension__ using Key = unsigned __int128;
    /// What the key does not hold.
    struct Body {
        std::uint32_t target;
        std::uint32_t payload;
        std::uint32_t timer;
        std::uint16_t kind;
    };
    static constexpr unsigned kSlotBits = 24;
    static constexpr unsigned kSeqBits = 36;

    /// Events due at `now_` in one phase, pushed while the clock stood there: `entries[head..]`,
    /// each (sequence number, body).
    struct Fifo {
        std::vector<std::pair<std::uint64_t, Body>> entries;
        std::size_t head = 0;
    };
    static Event event_of(SimTime time, unsigned phase, std::uint64_t seq, const Body& b);
    /// Moves `key` up from the hole at position i to its place.
    void sift_up(std::size_t i, Key key);
    Event pop_heap();
    Event pop_now();

    std::vector<Key> heap_;
    Fifo now_fifo_[kPhases];
    std::uint32_t now_phases_ = 0;  ///< bit p: now_fifo_[p] is not empty
    std::size_t now_count_ = 0;
    SimTime now_;                   ///< the time of the latest event popped
    std::vector<Body> bodies_;        ///< indexed by the key's slot
    std::vector<std::uint32_t> free_;  ///< body slots not in use
    std::uint64_t next_seq_ = 0;
};

}  // namespace rollsim::kernel
