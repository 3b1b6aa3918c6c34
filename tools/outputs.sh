#!/usr/bin/env bash
# Every output rollsim writes for the bundled and test scenarios and the corpus, into one
# directory, to compare two builds byte for byte (docs/development.md, "Changing the code
# without changing what it does"):
#   bash tools/outputs.sh build-before/rollsim /tmp/outputs && mv /tmp/outputs /tmp/before
#   bash tools/outputs.sh build/debug/rollsim /tmp/outputs
#   diff -r -I 'GiB available' /tmp/before /tmp/outputs
# Write both into the same path: messages name the files they read. Only the machine's
# available memory (in `validate`) differs between runs.
set -u
if [[ $# -ne 2 ]]; then echo "usage: $0 ROLLSIM OUTDIR" >&2; exit 2; fi
bin=$(realpath "$1"); out=$2
src=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$out"; mkdir -p "$out"
for sc in "$src"/scenarios/*/scenario.yaml "$src"/tests/scenarios/*.yaml; do
  [[ $(head -c 4096 "$sc") == *"kind: Scenario"* ]] || continue  # grids are not scenarios
  n=$(basename "$(dirname "$sc")"); [[ $n == scenarios ]] && n=$(basename "$sc" .yaml)
  d="$out/$n"; mkdir -p "$d"
  "$bin" validate "$sc" >"$d/validate.txt" 2>&1; echo "exit $?" >>"$d/validate.txt"
  "$bin" run "$sc" --trials 30 --threads 2 --report "$d/report.json" --trace "$d/trace.jsonl" --svg "$d/timeline.svg" \
    --csv "$d/timeline.csv" --markdown "$d/report.md" >"$d/run.txt" 2>&1; echo "exit $?" >>"$d/run.txt"
  "$bin" recommend "$sc" --trials 30 --threads 2 --out "$d/recommend" >"$d/recommend.txt" 2>&1
  echo "exit $?" >>"$d/recommend.txt"
  "$bin" explain "$sc" >"$d/explain.txt" 2>&1; echo "exit $?" >>"$d/explain.txt"
done
for f in "$src"/tests/corpus/*.yaml; do
  n=$(basename "$f" .yaml)
  # a plain image bump of every container (a digest gets a tag-like suffix, which is still a change)
  sed -E 's|^(\s*(- )?image: "?)([^" ]*)("?)$|\1\3-next\4|' "$f" >"$out/$n-next.yaml"
  "$bin" review --current "$f" --proposed "$out/$n-next.yaml" --trials 20 --json "$out/$n-review.json" \
    >"$out/$n-review.md" 2>&1; echo "exit $?" >>"$out/$n-review.md"
done
