#pragma once
/// @file distribution.hpp
/// Sampling of DistributionSpec from a kernel random stream.

#include "kernel/random.hpp"
#include "rollsim/distribution.hpp"
#include "rollsim/sim_time.hpp"

namespace rollsim::kernel {

/// One draw, in the distribution's own unit. Clamps apply last. Uses a fixed number of
/// uniforms per kind (constant: 0; uniform, exponential, empirical: 1; normal, lognormal: 2 per
/// attempt; mixture: 1 plus the component's), so golden values are stable.
double sample(const DistributionSpec& d, Rng& rng);

/// One draw of a duration given in seconds, rounded to the nearest millisecond, never negative.
SimTime sample_duration(const DistributionSpec& d, Rng& rng);

}  // namespace rollsim::kernel
