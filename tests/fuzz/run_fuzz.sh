# Runs each libFuzzer target for SECONDS on seed corpora drawn from scenarios/ and tests/. Fails on
# the first crash, leak, timeout, out-of-memory or sanitizer report; the input that caused it is
# kept in ARTIFACTS (default: build/fuzz/artifacts) to become a regression test.
# Usage: bash tests/fuzz/run_fuzz.sh BUILD_DIR SECONDS [ARTIFACTS]
set -uo pipefail
build=$1
seconds=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
artifacts=${3:-$build/artifacts}
mkdir -p "$artifacts"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

seed() {  # seed TARGET FILES...: copies the files that exist into the target's seed corpus
  local target=$1; shift
  mkdir -p "$work/seeds/$target" "$work/corpus/$target"
  for f in "$@"; do [[ -f $f ]] && cp "$f" "$work/seeds/$target/$(echo "$f" | tr '/' '_')"; done
}
cd "$src" || exit 1
seed fuzz_scenario scenarios/*/scenario.yaml tests/scenarios/*.yaml tests/bad-input/scenario-*.yaml \
  tests/bad-input/validate-*.yaml tests/bad-input/good/scenario.yaml
seed fuzz_manifest scenarios/*/manifests/*.yaml tests/manifests/*.yaml tests/bad-input/manifest-*.yaml \
  tests/bad-input/good/current.yaml tests/bad-input/parts/*.yaml
seed fuzz_nodes tests/manifests/nodes-kubectl.json tests/bad-input/nodes-* tests/bad-input/good/nodes.yaml
seed fuzz_units
i=0
for s in 90s 1h30m 500ms 1.5s 0.0005s -1s 99999999999999999999h 100m 1.5Gi 128Mi 1e3 2E-3 1.5.3Gi 0x1F 0755 \
  yes on .inf 8Ei 0.1m 12345678901234567890Ki; do
  printf '%s' "$s" >"$work/seeds/fuzz_units/$i"
  i=$((i + 1))
done

failed=0
for target in fuzz_scenario fuzz_manifest fuzz_nodes fuzz_units; do
  # Every input that once failed is run first (tests/fuzz/regressions/TARGET-*).
  regressions=(tests/fuzz/regressions/"$target"-*)
  if [[ -e ${regressions[0]} ]] && ! "$build/tests/fuzz/$target" -timeout=5 "${regressions[@]}" >"$work/$target.regressions.log" 2>&1; then
    failed=$((failed + 1))
    echo "FAIL: $target on a kept regression input:"
    tail -30 "$work/$target.regressions.log"
    continue
  fi
  # -rss_limit_mb catches inputs that make a reader blow up in memory, -timeout ones that make it
  # loop (yaml-cpp 0.7 did, on a ',' where a document starts: io/yaml_reader.cpp, ProgressCheck).
  "$build/tests/fuzz/$target" -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1 \
    -timeout=5 -max_len=65536 -artifact_prefix="$artifacts/$target-" "$work/corpus/$target" "$work/seeds/$target" \
    >"$work/$target.log" 2>&1
  code=$?
  runs=$(grep -oE '^#[0-9]+' "$work/$target.log" | tail -1 | tr -d '#')
  if ((code == 0)); then
    echo "$target: ${runs:-?} runs in ${seconds} s, no crash, leak, timeout or sanitizer report"
  else
    failed=$((failed + 1))
    echo "FAIL: $target (exit $code) after ${runs:-?} runs; its log ends:"
    tail -40 "$work/$target.log"
  fi
done
((failed == 0)) || exit 1
