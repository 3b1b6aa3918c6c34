#include "model/backoff.hpp"

#include <algorithm>

namespace rollsim::model {

void BackoffPolicy::next(BackoffEntry& e, SimTime event_time, SimTime now) const {
    if (!e.present || expired(e, event_time)) {
        e.backoff = initial;
    } else {
        e.backoff = std::min(e.backoff * 2, max);
    }
    e.present = true;
    e.last_update = now;
}

bool BackoffPolicy::in_backoff_since(const BackoffEntry& e, SimTime event_time, SimTime now) const {
    if (!e.present || expired(e, event_time)) return false;
    return now - event_time < e.backoff;
}

bool BackoffPolicy::in_backoff_since_update(const BackoffEntry& e, SimTime now) const {
    if (!e.present || expired(e, now)) return false;
    return now - e.last_update < e.backoff;
}

}  // namespace rollsim::model
