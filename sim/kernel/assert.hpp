#pragma once
/// @file assert.hpp
/// The one assertion macro for kernel and model invariants. On in debug and test builds
/// (ROLLSIM_CHECKS defined), compiled out of Release. A failed invariant is a bug in rollsim,
/// never bad input: input is validated at load time and reported with file, line and key.

#include <cstdio>
#include <cstdlib>

#if defined(ROLLSIM_CHECKS)
#define ROLLSIM_ASSERT(cond)                                                                 \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            std::fprintf(stderr, "rollsim: internal invariant failed: %s (%s:%d)\n", #cond, \
                         __FILE__, __LINE__);                                                \
            std::abort();                                                                    \
        }                                                                                    \
    } while (false)
#else
#define ROLLSIM_ASSERT(cond) static_cast<void>(0)
#endif
