#pragma once
/// @file trial_records.hpp
/// What a run keeps of each trial of one variant: only the values the report summarises, one
/// column per measure, each column as narrow as keeps every value exact. A column holds one
/// value while every trial agrees (0 bytes a trial), whole milliseconds in 32 bits while every
/// value is one (a duration or a node-seconds integral up to 24 days; a count up to 2 million),
/// and doubles otherwise. Percentiles stay exact: `values` gives back each trial's double, bit
/// for bit. Stall reasons are counted as trials arrive, and the fingerprint folds each trial in
/// at its index, so nothing else grows with the number of trials.
///
/// Trials may arrive in any order and from any thread (`store` locks); what the records hold
/// depends only on which trials were stored, never on the order.
///
/// Example:
/// @code
///   TrialRecords rec;
///   rec.resize(trials);
///   rec.store(t, world.run_trial(...), stall_words_or_null);   // any thread, any order
///   std::vector<double> d = rec.values(TrialRecords::Duration, TrialRecords::Completed);
/// @endcode

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "experiment/stall_words.hpp"
#include "model/trial_outcome.hpp"

namespace rollsim::experiment {

/// One measure over the trials, as narrow as exact allows.
class TrialColumn {
public:
    void resize(std::size_t n);
    void set(std::size_t trial, double x);
    double get(std::size_t trial) const;
    /// Bytes this column takes per trial: 0, 4 or 8.
    std::size_t width() const;

private:
    enum class Rep : std::uint8_t { Constant, Milli32, Double };
    void widen(Rep to);

    Rep rep_ = Rep::Constant;
    bool any_ = false;
    double constant_ = 0;
    std::size_t n_ = 0;
    std::vector<std::int32_t> milli_;
    std::vector<double> doubles_;
};

class TrialRecords {
public:
    /// The summarised measures (docs/measures.md); a trial without the measure holds 0.
    enum Measure : std::uint8_t {
        Duration, TestPhase, Recovery, Desired, Updated, Unavailable, ErrorSeconds, OutageNodeSeconds,
        TotalOutageSeconds, FalseReadySeconds, MinServingFraction, OutageWindows, LongestOutage, GapNodeSeconds,
        MaxUncovered, LongestGap, Restarts, PullMean, PullMax, Preemptions, Evictions, AdmissionRejections,
        ImagePullBackoffNodes, StallKey, kMeasures
    };
    /// Each trial's yes/no facts.
    enum Flag : std::uint16_t {
        Completed = 1, Stalled = 2, HitHorizon = 4, Promoted = 8, FaultReachedPublic = 16, RolledBack = 32,
        Caught = 64, HasTestPhase = 128, HasRecovery = 256,
    };
    struct StallCount {
        std::int64_t trials = 0;
        std::size_t first_trial = 0;
        std::string reason;  ///< the lowest-numbered trial's words
        std::size_t key = 0; ///< its StallKey value (1-based into the keys in arrival order)
    };

    /// A trial's bytes when every measure varies and none is in whole milliseconds.
    static constexpr std::size_t kMaxBytesPerTrial = sizeof(std::uint16_t) + kMeasures * sizeof(double);

    TrialRecords() = default;
    TrialRecords(const TrialRecords&) = delete;

    /// Becomes a copy of `other`'s trials (not thread-safe: no store may run meanwhile).
    void copy_from(const TrialRecords& other);
    /// Room for trials 0..n-1 (keeps what is stored).
    void resize(std::size_t n);
    /// Trial `trial`'s outcome; `stall` says why it stalled (null when it did not). Thread-safe.
    void store(std::size_t trial, const model::TrialOutcome& o, const StallWords* stall);

    std::size_t trials() const { return n_; }
    bool has(std::size_t trial, Flag f) const { return (flags_[trial] & f) != 0; }
    double value(Measure m, std::size_t trial) const { return columns_[m].get(trial); }
    /// The measure over every trial (or only those with `only`), in trial order.
    std::vector<double> values(Measure m, std::uint16_t only = 0) const;
    std::int64_t count(Flag f) const;
    /// The stall key of a stalled trial ("" otherwise).
    const std::string& stall_key(std::size_t trial) const;
    /// Stalled trials by key.
    const std::map<std::string, StallCount>& stalls() const { return stalls_; }
    std::uint64_t events() const { return events_; }
    /// The trials' fingerprints, each folded in at its index (order-free).
    std::uint64_t fingerprint() const;
    /// Bytes kept per trial (the flags and every column's width).
    std::size_t bytes_per_trial() const;

private:
    /// The whole copy, behind copy_from so that no copy happens by accident.
    TrialRecords& operator=(const TrialRecords&) = default;
    /// A lock that each copy has of its own.
    struct Lock {
        std::mutex m;
        Lock() = default;
        Lock(const Lock&) {}
        Lock& operator=(const Lock&) { return *this; }
    };
    Lock mutex_;
    std::size_t n_ = 0;
    std::vector<std::uint16_t> flags_;
    TrialColumn columns_[kMeasures];
    std::map<std::string, StallCount> stalls_;
    std::vector<std::string> stall_keys_;  ///< StallKey's values index this (1-based; 0: none)
    std::uint64_t events_ = 0;
    std::uint64_t fingerprint_sum_ = 0;
};

}  // namespace rollsim::experiment
