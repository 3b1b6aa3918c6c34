#pragma once
/// @file simulation.hpp
/// One simulation: the clock, the pending-event queue, reusable timers, random streams and the
/// event fingerprint. It knows nothing of Kubernetes: events are (kind, target, payload) triples
/// that the model's handler interprets.
///
/// Timers are reusable slots. Arming a slot bumps its generation and pushes an event carrying the
/// new generation; cancelling bumps the generation only. A popped timer event whose generation
/// is no longer the slot's is dropped (lazy cancel), so cancel is O(1) and nothing is searched.
///
/// Example:
/// @code
///   Simulation sim;
///   sim.reset(seed, trial);
///   sim.resize_timers(16);
///   sim.arm(3, SimTime::seconds(10), kPhaseKubelet, kProbeTick, pod);
///   sim.run(handler, horizon);   // calls handler.handle(const Event&) in (time, phase, seq) order
/// @endcode

#include <array>
#include <cstdint>
#include <vector>

#include "kernel/assert.hpp"
#include "kernel/event_queue.hpp"
#include "kernel/fingerprint.hpp"
#include "kernel/random.hpp"

namespace rollsim::kernel {

/// How a call to Simulation::run ended.
enum class RunEnd : std::uint8_t {
    Drained,  ///< no pending event is left
    Horizon,  ///< the next event is after the horizon
    Stopped,  ///< the handler asked to stop
};

class Simulation {
public:
    /// Starts a new trial: clears the queue and timers, rewinds the clock, keeps the memory.
    void reset(std::uint64_t seed, std::uint64_t trial);

    SimTime now() const { return now_; }
    std::uint64_t seed() const { return seed_; }
    std::uint64_t trial() const { return trial_; }

    /// A plain event; it cannot be cancelled. Precondition: at >= now().
    void schedule_at(SimTime at, std::uint8_t phase, std::uint16_t kind, std::uint32_t target,
                     std::uint32_t payload = 0) {
        ROLLSIM_ASSERT(at >= now_);
        queue_.push(at, phase, kind, target, payload);
    }
    void schedule_in(SimTime delay, std::uint8_t phase, std::uint16_t kind, std::uint32_t target,
                     std::uint32_t payload = 0) {
        schedule_at(now_ + delay, phase, kind, target, payload);
    }

    /// Whether another event is due now in `phase` or an earlier one: when none is, a handler
    /// may do at once what it would queue for now in that phase, as the same order of work.
    bool pending_now(std::uint8_t phase) const { return queue_.pending_now(phase); }

    /// Makes at least `n` timer slots available (slots keep their generations across trials).
    void resize_timers(std::size_t n) {
        if (timers_.size() < n) timers_.resize(n);
    }
    /// Room for `n` timer slots without moving them (untouched room costs no resident memory).
    void reserve_timers(std::size_t n) { timers_.reserve(n); }
    /// (Re)arms timer slot `timer` to fire at `at`, cancelling any earlier arming of that slot.
    void arm(std::uint32_t timer, SimTime at, std::uint8_t phase, std::uint16_t kind,
             std::uint32_t target) {
        ROLLSIM_ASSERT(timer < timers_.size() && at >= now_);
        Slot& s = timers_[timer];
        ++s.gen;
        s.armed = true;
        s.at = at;
        queue_.push(at, phase, kind, target, s.gen, timer);
    }
    /// Arms timer slot `timer` for `at` unless it is armed for `at` already: then the pending
    /// entry keeps its place among same-time events, and the queue gets no stale entry. For
    /// timers re-aimed after every change that mostly land where they were (periodic checks).
    void keep_or_arm(std::uint32_t timer, SimTime at, std::uint8_t phase, std::uint16_t kind,
                     std::uint32_t target) {
        if (armed(timer) && timers_[timer].at == at) return;
        arm(timer, at, phase, kind, target);
    }
    /// Cancels a timer; a slot that was never sized is simply not armed.
    void cancel(std::uint32_t timer) {
        if (timer >= timers_.size()) return;
        Slot& s = timers_[timer];
        if (s.armed) {
            ++s.gen;
            s.armed = false;
        }
    }
    bool armed(std::uint32_t timer) const {
        return timer < timers_.size() && timers_[timer].armed;
    }
    /// When an armed timer fires. Precondition: armed(timer).
    SimTime due(std::uint32_t timer) const { return timers_[timer].at; }

    /// The stream for (this trial's seed and index, key, entity).
    Rng rng(std::uint64_t key, std::uint64_t entity) const {
        return Rng::stream_in_trial(stream_base_, key, entity);
    }

    /// Processes events in order until the queue drains, the next event is after `horizon`, or
    /// the handler's `handle(const Event&)` returns false. Time never passes `horizon`.
    template <class Handler>
    RunEnd run(Handler& handler, SimTime horizon) {
        Event e;
        while (!queue_.empty()) {
            if (!queue_.pop_due(horizon, e)) return RunEnd::Horizon;
            if (e.timer != Event::kNoTimer) {
                Slot& s = timers_[e.timer];
                if (s.gen != e.payload) {  // cancelled or re-armed: stale entry
                    ++stale_;
                    continue;
                }
                s.armed = false;
            }
            now_ = e.time;
            fingerprint_.add(e.time.ms(), e.kind, e.target);
            ++processed_;
            ++by_kind_[e.kind % kKinds];
            if (!handler.handle(e)) return RunEnd::Stopped;
        }
        return RunEnd::Drained;
    }

    /// Folds a model fact that the event triple does not show (say, which node a pod was created
    /// on) into the fingerprint.
    void note(std::uint64_t fact) { fingerprint_.combine(fact); }

    /// Events handled since reset (stale timer entries are not counted).
    std::uint64_t events_processed() const { return processed_; }
    /// Events handled since reset, by kind (the benchmark's breakdown); kinds are below kKinds.
    static constexpr std::size_t kKinds = 64;
    const std::array<std::uint64_t, kKinds>& events_by_kind() const { return by_kind_; }
    /// Stale timer entries popped and dropped since reset.
    std::uint64_t stale_entries() const { return stale_; }
    std::uint64_t fingerprint() const { return fingerprint_.value(); }
    std::size_t pending() const { return queue_.size(); }

private:
    struct Slot {
        SimTime at;
        std::uint32_t gen = 0;
        bool armed = false;
    };

    EventQueue queue_;
    std::vector<Slot> timers_;
    Fingerprint fingerprint_;
    SimTime now_;
    std::uint64_t seed_ = 0;
    std::uint64_t trial_ = 0;
    std::uint64_t stream_base_ = Rng::trial_base(0, 0);
    std::uint64_t processed_ = 0;
    std::uint64_t stale_ = 0;
    std::array<std::uint64_t, kKinds> by_kind_{};
};

inline void Simulation::reset(std::uint64_t seed, std::uint64_t trial) {
    queue_.clear();
    for (Slot& s : timers_) {
        ++s.gen;  // any entry of an earlier trial is stale, even if the queue were reused
        s.armed = false;
    }
    fingerprint_.reset();
    now_ = SimTime::zero();
    seed_ = seed;
    trial_ = trial;
    stream_base_ = Rng::trial_base(seed, trial);
    processed_ = 0;
    stale_ = 0;
    by_kind_.fill(0);
}

}  // namespace rollsim::kernel
