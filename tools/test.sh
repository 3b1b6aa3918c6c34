#!/usr/bin/env bash
# Builds rollsim and runs the whole test suite (ctest): unit, conformance, golden and CLI tests.
# Usage: tools/test.sh [preset]   (default: debug; also release, asan-ubsan)
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-debug}"
tools/deps.sh test
cmake --preset "$preset" ${ROLLSIM_WERROR:+-DROLLSIM_WERROR=ON} >/dev/null
cmake --build --preset "$preset"
ctest --preset "$preset" -j "$(nproc)"
