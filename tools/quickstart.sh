#!/usr/bin/env bash
# Installs what is missing (apt-get), builds a Release rollsim, and runs the main job on the
# bundled default scenario: the single-node hostPort edge proxy with a 90-180 s init.
# The report lands in out/report.json (and as Markdown in out/report.md), a trace of one trial per
# variant in out/trace.jsonl, the recommended variant's trial 0 as a picture in out/timeline.svg,
# and all of it in one page to open in a browser, out/report.html.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh build
cmake --preset release >/dev/null
cmake --build --preset release --target rollsim
mkdir -p out
./build/release/rollsim run scenarios/edge-proxy-single-node/scenario.yaml \
  --report out/report.json --trace out/trace.jsonl --svg out/timeline.svg --markdown out/report.md \
  --html out/report.html "$@"
echo
echo "open out/report.html first; report: out/report.json, out/report.md   trace: out/trace.jsonl   picture: out/timeline.svg"
echo "binary: build/release/rollsim"
