#pragma once
/// @file event_queue.hpp
/// The pending-event set: a radix heap of 32-byte entries, each a whole event.
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
/// Monotone. A simulation never schedules into its past, so every push is at or after the time
/// of the last pop (`now_`). That is what a radix heap needs (Ahuja, Mehlhorn, Orlin and
/// Tarjan, "Faster algorithms for the shortest path problem", 1990): an event goes to the
/// bucket of the highest bit in which its time differs from `now_`, so every time in a lower
/// bucket is earlier than every time in a higher one, and a push is one xor and one count of
/// leading zeros. A pop takes from the events due at `now_`; when there are none, the clock
/// moves to the earliest time of the lowest non-empty bucket (each bucket keeps its earliest)
/// and that bucket's events go down to lower buckets. An event moves down at most once per bit
/// of its delay, in practice a few times, and is compared with no other event's key except
/// among those due at the same millisecond.
///
/// An entry holds its time, its order word (the phase above the sequence number, so the
/// same-time order is one integer comparison) and the rest of the event, so that moving it
/// down the buckets and popping it touch only the buckets' own memory. The events due at
/// `now_` are kept sorted latest first, so the next pops from the back.
///
/// Events for the current instant skip the buckets. An event pushed for the time of the last
/// pop goes to a FIFO of its phase: every bucketed entry of that time and phase was pushed
/// earlier (when the clock was behind), so it comes first, and the FIFO keeps the rest in
/// sequence order. A controller sync queued by a watch handler, say, costs O(1).
///
/// Cost: push O(1); pop O(1) amortised, plus O(log delay) moves per event; no allocation once
/// the buckets have grown to their peaks.

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

/// Monotone priority queue of events in `(time, phase, seq)` order.
class EventQueue {
public:
    /// Phases are below this.
    static constexpr unsigned kPhases = 16;

    /// Adds an event; assigns its sequence number. Preconditions: time >= the time of the last
    /// pop (0 before the first), phase < kPhases.
    void push(SimTime time, std::uint8_t phase, std::uint16_t kind, std::uint32_t target,
              std::uint32_t payload = 0, std::uint32_t timer = Event::kNoTimer);

    /// When the earliest event is due. Precondition: !empty().
    SimTime top_time() const;
    /// Removes and returns the earliest event. Precondition: !empty().
    Event pop();
    /// Removes the earliest event into `e` if it is due at or before `horizon`; otherwise
    /// leaves the queue as it was and returns false. Precondition: !empty().
    bool pop_due(SimTime horizon, Event& e);

    bool empty() const { return now_phases_ == 0 && due_.empty() && nonempty_ == 0; }
    /// Whether an event is pending for the time of the last pop in a phase at or below `phase`
    /// (a cancelled timer's entry counts: the answer errs towards yes).
    bool pending_now(unsigned phase) const {
        if ((now_phases_ & ((2u << phase) - 1)) != 0) return true;
        return !due_.empty() && phase_of(due_.back()) <= phase;
    }
    std::size_t size() const { return bucketed_ + due_.size() + now_count_; }
    /// Removes every event and restarts the sequence; keeps the memory for the next trial.
    void clear();

private:
    /// What an event holds besides its time and order.
    struct Body {
        std::uint32_t target;
        std::uint32_t payload;
        std::uint32_t timer;
        std::uint16_t kind;
    };
    struct Entry {
        std::int64_t time;
        std::uint64_t order;  ///< as Event::order: the phase in the top 8 bits, the sequence below
        Body body;
    };
    static constexpr unsigned kSeqBits = 56;
    /// Bucket b (1..64) holds the times whose highest bit differing from now_ is bit b - 1.
    static constexpr unsigned kBuckets = 64;

    static unsigned phase_of(const Entry& e) { return static_cast<unsigned>(e.order >> kSeqBits); }
    /// The bucket of a time later than now_.
    unsigned bucket_of(std::int64_t time) const {
        const auto diff = static_cast<std::uint64_t>(time) ^ static_cast<std::uint64_t>(now_.ms());
        return 64u - static_cast<unsigned>(__builtin_clzll(diff));
    }
    /// The lowest non-empty bucket. Precondition: nonempty_ != 0.
    unsigned lowest_bucket() const { return static_cast<unsigned>(__builtin_ctzll(nonempty_)) + 1; }
    /// Puts an entry due after now_ into its bucket.
    void file(const Entry& e);
    /// Moves the clock to `time`, the earliest of `bucket`, and that bucket's events down:
    /// those due at `time` into due_, sorted, the others into lower buckets.
    void advance(unsigned bucket, std::int64_t time);

    /// Events due at `now_` in one phase, pushed while the clock stood there: `entries[head..]`,
    /// each (sequence number, body).
    struct Fifo {
        std::vector<std::pair<std::uint64_t, Body>> entries;
        std::size_t head = 0;
    };
    static Event event_of(SimTime time, std::uint64_t order, const Body& b);
    Event pop_due_entry();
    Event pop_now();

    std::vector<Entry> buckets_[kBuckets + 1];  ///< [0] is unused: due_ holds the times equal to now_
    std::int64_t least_[kBuckets + 1] = {};   ///< each non-empty bucket's earliest time
    std::uint64_t nonempty_ = 0;   ///< bit b - 1: buckets_[b] is not empty
    std::size_t bucketed_ = 0;     ///< entries in buckets_
    std::vector<Entry> due_;       ///< the entries due at now_, latest first
    Fifo now_fifo_[kPhases];
    std::uint32_t now_phases_ = 0;  ///< bit p: now_fifo_[p] is not empty
    std::size_t now_count_ = 0;
    SimTime now_;                   ///< the time of the latest event popped
    std::uint64_t next_seq_ = 0;
};

}  // namespace rollsim::kernel
