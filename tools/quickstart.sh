#!/usr/bin/env bash
# Installs what is missing (apt-get), builds a Release rollsim, and runs the main job on the
# bundled default scenario: the single-node hostPort edge proxy with a 90-180 s init.
# The report lands in out/report.json, a trace of one trial per variant in out/trace.jsonl.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh build
cmake --preset release >/dev/null
cmake --build --preset release --target rollsim
mkdir -p out
./build/release/rollsim run scenarios/edge-proxy-single-node/scenario.yaml \
  --report out/report.json --trace out/trace.jsonl "$@"
echo
echo "report: out/report.json   trace: out/trace.jsonl   binary: build/release/rollsim"
