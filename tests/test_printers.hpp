#pragma once
// How doctest prints rollsim's types in failed assertions (found by ADL).
#include <ostream>

#include "rollsim/sim_time.hpp"

namespace rollsim {
inline std::ostream& operator<<(std::ostream& os, const SimTime& t) { return os << t.ms() << "ms"; }
}  // namespace rollsim
