#include "experiment/trial_records.hpp"

#include <cmath>
#include <cstring>
#include <limits>
#include <optional>

#include "kernel/random.hpp"

namespace rollsim::experiment {

namespace {

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

/// x as whole milliseconds in 32 bits, when x / 1000.0 gives x back bit for bit.
std::optional<std::int32_t> milli(double x) {
    if (!std::isfinite(x)) return std::nullopt;
    const double k = std::nearbyint(x * 1000.0);
    if (std::fabs(k) > std::numeric_limits<std::int32_t>::max()) return std::nullopt;
    if (!same_bits(k / 1000.0, x)) return std::nullopt;
    return static_cast<std::int32_t>(k);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// TrialColumn

void TrialColumn::resize(std::size_t n) {
    n_ = n;
    if (rep_ == Rep::Milli32) milli_.resize(n, milli(constant_).value_or(0));
    if (rep_ == Rep::Double) doubles_.resize(n, constant_);
}

void TrialColumn::widen(Rep to) {
    if (rep_ == Rep::Constant && to == Rep::Milli32) {
        milli_.assign(n_, *milli(constant_));
    } else if (rep_ == Rep::Constant) {
        doubles_.assign(n_, constant_);
    } else {  // Milli32 -> Double
        doubles_.resize(n_);
        for (std::size_t i = 0; i < n_; ++i) doubles_[i] = milli_[i] / 1000.0;
        milli_ = {};
    }
    rep_ = to;
}

void TrialColumn::set(std::size_t trial, double x) {
    switch (rep_) {
        case Rep::Constant:
            if (!any_) {
                constant_ = x;
                any_ = true;
                return;
            }
            if (same_bits(x, constant_)) return;
            widen(milli(constant_) && milli(x) ? Rep::Milli32 : Rep::Double);
            set(trial, x);
            return;
        case Rep::Milli32:
            if (const auto k = milli(x)) {
                milli_[trial] = *k;
                return;
            }
            widen(Rep::Double);
            doubles_[trial] = x;
            return;
        case Rep::Double:
            doubles_[trial] = x;
            return;
    }
}

double TrialColumn::get(std::size_t trial) const {
    switch (rep_) {
        case Rep::Constant: return constant_;
        case Rep::Milli32: return milli_[trial] / 1000.0;
        case Rep::Double: return doubles_[trial];
    }
    return 0;
}

std::size_t TrialColumn::width() const {
    switch (rep_) {
        case Rep::Constant: return 0;
        case Rep::Milli32: return sizeof(std::int32_t);
        case Rep::Double: return sizeof(double);
    }
    return 0;
}

// ---------------------------------------------------------------------------------------------
// TrialRecords

void TrialRecords::copy_from(const TrialRecords& other) { *this = other; }

void TrialRecords::resize(std::size_t n) {
    n_ = n;
    flags_.resize(n, 0);
    for (TrialColumn& c : columns_) c.resize(n);
}

void TrialRecords::store(std::size_t trial, const model::TrialOutcome& o, const StallWords* stall) {
    const std::lock_guard<std::mutex> lock(mutex_.m);
    std::uint16_t f = 0;
    const auto flag = [&](bool on, Flag bit) { f = static_cast<std::uint16_t>(f | (on ? bit : 0)); };
    flag(o.completed, Completed);
    flag(o.stalled, Stalled);
    flag(o.hit_horizon, HitHorizon);
    flag(o.promoted, Promoted);
    flag(o.fault_reached_public, FaultReachedPublic);
    flag(o.rolled_back, RolledBack);
    flag(o.stalled && o.stall && o.stall->kind == model::Stall::Kind::TestCaught, Caught);
    flag(o.test_phase.has_value(), HasTestPhase);
    flag(o.recovery_seconds.has_value(), HasRecovery);
    flags_[trial] = f;
    const auto set = [&](Measure m, double x) { columns_[m].set(trial, x); };
    set(Duration, o.completed ? o.duration.to_seconds() : 0.0);
    set(TestPhase, o.test_phase ? o.test_phase->to_seconds() : 0.0);
    set(Recovery, o.recovery_seconds.value_or(0.0));
    set(Desired, o.desired);
    set(Updated, o.updated);
    set(Unavailable, o.unavailable);
    set(ErrorSeconds, o.error_seconds);
    set(OutageNodeSeconds, o.outage_node_seconds);
    set(TotalOutageSeconds, o.total_outage_seconds);
    set(FalseReadySeconds, o.false_ready_seconds);
    set(MinServingFraction, o.min_serving_fraction);
    set(OutageWindows, o.outage_windows);
    set(LongestOutage, o.longest_outage_seconds);
    set(GapNodeSeconds, o.gap_node_seconds);
    set(MaxUncovered, o.max_concurrent_uncovered);
    set(LongestGap, o.longest_gap_seconds);
    set(Restarts, static_cast<double>(o.restarts));
    set(PullMean, o.pull_seconds_mean);
    set(PullMax, o.pull_seconds_max);
    set(Preemptions, o.preemptions);
    set(Evictions, o.evictions);
    set(AdmissionRejections, o.admission_rejections);
    set(ImagePullBackoffNodes, o.image_pull_backoff_nodes);
    double key = 0;
    if (stall != nullptr) {
        auto [it, added] = stalls_.try_emplace(stall->key);
        StallCount& c = it->second;
        if (added) {
            stall_keys_.push_back(stall->key);
            c.key = stall_keys_.size();
        }
        if (added || trial < c.first_trial) {
            c.first_trial = trial;
            c.reason = stall->reason;
        }
        ++c.trials;
        key = static_cast<double>(c.key);
    }
    set(StallKey, key);
    events_ += o.events;
    fingerprint_sum_ += kernel::mix64(o.fingerprint ^ kernel::mix64(trial + 1));
}

std::vector<double> TrialRecords::values(Measure m, std::uint16_t only) const {
    std::vector<double> out;
    out.reserve(n_);
    for (std::size_t t = 0; t < n_; ++t) {
        if (only == 0 || (flags_[t] & only) != 0) out.push_back(columns_[m].get(t));
    }
    return out;
}

std::int64_t TrialRecords::count(Flag f) const {
    std::int64_t n = 0;
    for (const std::uint16_t x : flags_) n += (x & f) != 0 ? 1 : 0;
    return n;
}

const std::string& TrialRecords::stall_key(std::size_t trial) const {
    static const std::string kNone;
    const auto k = static_cast<std::size_t>(columns_[StallKey].get(trial));
    return k == 0 ? kNone : stall_keys_[k - 1];
}

std::uint64_t TrialRecords::fingerprint() const { return kernel::mix64(fingerprint_sum_); }

std::size_t TrialRecords::bytes_per_trial() const {
    std::size_t bytes = sizeof(std::uint16_t);
    for (const TrialColumn& c : columns_) bytes += c.width();
    return bytes;
}

}  // namespace rollsim::experiment
