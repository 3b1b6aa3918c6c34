// The event queue and timers against a sorted-vector shadow; same-time order; the horizon.

#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
#include <tuple>
#include <vector>

#include "kernel/event_queue.hpp"
#include "kernel/random.hpp"
#include "kernel/simulation.hpp"

namespace rollsim::test {

using kernel::Event;
using kernel::EventQueue;

TEST_SUITE("kernel.event_queue") {

/// The queue beside a plain vector of what it should hold: each push goes to both, each pop
/// must return the shadow's smallest (time, phase, seq).
struct ShadowedQueue {
    EventQueue q;
    std::vector<std::tuple<std::int64_t, int, std::uint64_t, std::uint32_t>> shadow;
    std::uint64_t seq = 0;
    std::uint32_t id = 0;

    void push(std::int64_t t, std::uint8_t phase) {
        q.push(SimTime::millis(t), phase, 1, id, 0);
        shadow.emplace_back(t, phase, seq++, id++);
    }
    Event pop() {
        const auto it = std::min_element(shadow.begin(), shadow.end());
        REQUIRE(q.top_time().ms() == std::get<0>(*it));
        const Event e = q.pop();
        REQUIRE(e.time.ms() == std::get<0>(*it));
        REQUIRE(e.phase() == std::get<1>(*it));
        REQUIRE(e.seq() == std::get<2>(*it));
        REQUIRE(e.target == std::get<3>(*it));
        shadow.erase(it);
        return e;
    }
};

TEST_CASE("random pushes at or after the clock and pops match a sorted-vector shadow in (time, phase, seq) order") {
    // Delays up to about 2^20 ms, so that events cross many buckets and move down them, and
    // few distinct times near the clock, so that ties are frequent.
    ShadowedQueue sq;
    kernel::Rng rng(2024);
    std::int64_t now = 0;
    std::size_t far = 0;
    for (int step = 0; step < 40000; ++step) {
        if (rng.below(3) != 0 || sq.q.empty()) {
            const bool wide = rng.below(4) == 0;
            const auto delay = static_cast<std::int64_t>(wide ? rng.below(std::uint64_t{1} << rng.below(21)) : rng.below(50));
            far += delay >= 4096 ? 1 : 0;
            sq.push(now + delay, static_cast<std::uint8_t>(rng.below(4)));
        } else {
            now = sq.pop().time.ms();
        }
    }
    CHECK(sq.q.size() == sq.shadow.size());
    while (!sq.q.empty()) sq.pop();
    CHECK(far > 1000);  // events went to high buckets
}

TEST_CASE("pop_due leaves an event after the horizon queued, and a later push before it still comes first") {
    EventQueue q;
    q.push(SimTime::seconds(1), 0, 0, 1);
    q.push(SimTime::seconds(100), 0, 0, 2);
    kernel::Event e;
    REQUIRE(q.pop_due(SimTime::seconds(10), e));
    CHECK(e.target == 1);
    CHECK_FALSE(q.pop_due(SimTime::seconds(10), e));  // 100 s is past the horizon
    CHECK(q.size() == 1);
    q.push(SimTime::seconds(50), 0, 0, 3);              // between the clock (1 s) and 100 s
    CHECK(q.top_time() == SimTime::seconds(50));
    CHECK(q.pop().target == 3);
    CHECK(q.pop().target == 2);
    CHECK(q.empty());
}

TEST_CASE("simulation-style use (pushes at or after the last pop, many for the same instant) matches the shadow") {
    // Pushes for the current instant take the queue's FIFO path; the order must not change.
    ShadowedQueue sq;
    kernel::Rng rng(7);
    std::int64_t now = 0;
    std::size_t popped_now = 0;
    for (int step = 0; step < 20000; ++step) {
        if (rng.below(2) != 0 || sq.q.empty()) {
            const auto t = now + static_cast<std::int64_t>(rng.below(3));  // often "now"
            sq.push(t, static_cast<std::uint8_t>(rng.below(7)));
        } else {
            const Event e = sq.pop();
            popped_now += e.time.ms() == now ? 1 : 0;
            now = e.time.ms();
        }
    }
    CHECK(sq.q.size() == sq.shadow.size());
    CHECK(popped_now > 2000);  // the same-instant path was exercised
}

TEST_CASE("same time: lower phase first, then FIFO within a phase") {
    EventQueue q;
    q.push(SimTime::seconds(5), 2, 0, 1);
    q.push(SimTime::seconds(5), 1, 0, 2);
    q.push(SimTime::seconds(5), 2, 0, 3);
    q.push(SimTime::seconds(5), 1, 0, 4);
    q.push(SimTime::seconds(4), 9, 0, 5);
    std::vector<std::uint32_t> order;
    while (!q.empty()) order.push_back(q.pop().target);
    CHECK(order == std::vector<std::uint32_t>{5, 2, 4, 1, 3});
}

TEST_CASE("pending_now: an event due at the last pop's time in the phase or an earlier one, in the heap or a FIFO") {
    EventQueue q;
    q.push(SimTime::seconds(5), 3, 0, 1);
    q.push(SimTime::seconds(5), 6, 0, 2);
    q.push(SimTime::seconds(6), 0, 0, 3);
    CHECK(q.pop().target == 1);        // now 5 s, phase 3
    CHECK_FALSE(q.pending_now(4));     // 5 s phase 6 is later in the instant; 6 s is later
    CHECK(q.pending_now(6));           // ... the heap holds 5 s phase 6
    q.push(SimTime::seconds(5), 4, 0, 4);  // due now: the current instant's FIFO
    CHECK(q.pending_now(4));
    CHECK_FALSE(q.pending_now(3));
    CHECK(q.pop().target == 4);
    CHECK(q.pop().target == 2);
    CHECK_FALSE(q.pending_now(15));    // only 6 s is left
}

}  // TEST_SUITE

namespace {
/// Records what it handles.
struct Recorder {
    std::vector<std::pair<std::int64_t, std::uint32_t>> seen;
    bool handle(const Event& e) {
        seen.emplace_back(e.time.ms(), e.target);
        return true;
    }
};
}  // namespace

TEST_SUITE("kernel.timers") {

TEST_CASE("random arm / re-arm / cancel: exactly the last arming of each live timer fires") {
    kernel::Simulation sim;
    sim.reset(1, 0);
    constexpr std::uint32_t kTimers = 64;
    sim.resize_timers(kTimers);
    kernel::Rng rng(99);
    std::vector<std::optional<std::int64_t>> expect(kTimers);
    for (int step = 0; step < 5000; ++step) {
        const auto t = static_cast<std::uint32_t>(rng.below(kTimers));
        if (rng.below(4) == 0) {
            sim.cancel(t);
            expect[t].reset();
        } else {
            const auto at = static_cast<std::int64_t>(rng.below(100000));
            sim.arm(t, SimTime::millis(at), 0, 7, t);
            expect[t] = at;
        }
    }
    Recorder r;
    CHECK(sim.run(r, SimTime::max()) == kernel::RunEnd::Drained);
    std::vector<std::pair<std::int64_t, std::uint32_t>> want;
    for (std::uint32_t t = 0; t < kTimers; ++t) {
        if (expect[t]) want.emplace_back(*expect[t], t);
    }
    std::sort(want.begin(), want.end());
    auto got = r.seen;
    std::stable_sort(got.begin(), got.end());
    CHECK(got == want);
    CHECK(sim.events_processed() == want.size());
}

TEST_CASE("keep_or_arm: the same due time keeps the queued entry and its place, another re-arms") {
    kernel::Simulation sim;
    sim.reset(1, 0);
    sim.resize_timers(3);
    sim.arm(0, SimTime::seconds(5), 0, 7, 100);
    sim.arm(1, SimTime::seconds(5), 0, 7, 101);
    sim.keep_or_arm(0, SimTime::seconds(5), 0, 7, 100);  // unchanged: still before timer 1
    CHECK(sim.pending() == 2);                           // and no stale entry was queued
    sim.arm(2, SimTime::seconds(5), 0, 7, 102);
    sim.keep_or_arm(2, SimTime::seconds(4), 0, 7, 102);  // moved: re-armed
    CHECK(sim.pending() == 4);
    Recorder r;
    sim.run(r, SimTime::max());
    CHECK(r.seen == std::vector<std::pair<std::int64_t, std::uint32_t>>{{4000, 102}, {5000, 100}, {5000, 101}});
}

TEST_CASE("the horizon stops the run without passing it, the fingerprint depends on events") {
    kernel::Simulation a;
    a.reset(1, 0);
    a.schedule_at(SimTime::seconds(1), 0, 1, 1);
    a.schedule_at(SimTime::seconds(3), 0, 1, 2);
    Recorder r;
    CHECK(a.run(r, SimTime::seconds(2)) == kernel::RunEnd::Horizon);
    CHECK(a.now() == SimTime::seconds(1));
    CHECK(r.seen.size() == 1);

    kernel::Simulation b;
    b.reset(1, 0);
    b.schedule_at(SimTime::seconds(1), 0, 1, 1);
    Recorder rb;
    b.run(rb, SimTime::seconds(2));
    CHECK(a.fingerprint() == b.fingerprint());
    b.schedule_at(SimTime::seconds(1), 0, 1, 2);
    b.run(rb, SimTime::seconds(2));
    CHECK(a.fingerprint() != b.fingerprint());
}

}  // TEST_SUITE

}  // namespace rollsim::test
