#!/usr/bin/env bash
# rollsim review of every DaemonSet manifest that changed since a git revision: what the
# pre-commit hook (.pre-commit-hooks.yaml) and the GitHub Action (.github/actions/rollsim-review)
# run. Each changed file holding `kind: DaemonSet` is reviewed against its version at BASE; the
# Markdown of each review goes to stdout, and one SARIF file gathers every review's results.
#
# Usage: review-changed.sh [--base REV] [--sarif FILE] [--rollsim BIN] [FILE...] [-- REVIEW-OPTIONS...]
#   --base REV      the revision to compare with (default HEAD: the working tree against the last commit)
#   --sarif FILE    write the gathered SARIF there
#   FILE...         the files to look at (pre-commit passes them); default: git diff --name-only REV
#   after --        options for every rollsim review (--scenario, --fail-on, --trials, ...)
# Exit: 0 every review passes, 3 one fails its --fail-on, 2 a review could not run.
set -uo pipefail
base=HEAD sarif="" rollsim=rollsim files=() opts=()
while (($#)); do
  case $1 in
    --base) base=$2; shift 2 ;;
    --sarif) sarif=$2; shift 2 ;;
    --rollsim) rollsim=$2; shift 2 ;;
    --) shift; opts=("$@"); break ;;
    *) files+=("$1"); shift ;;
  esac
done
if ((${#files[@]} == 0)); then
  mapfile -t files < <(git diff --name-only "$base" -- '*.yaml' '*.yml')
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0 reviewed=0
for f in "${files[@]}"; do
  [[ -f $f ]] && grep -qE '^kind:[[:space:]]*DaemonSet' "$f" || continue
  if ! git cat-file -e "$base:$f" 2>/dev/null; then
    echo "rollsim: $f is new since $base: nothing to compare it with (review it with --current yourself)" >&2
    continue
  fi
  git show "$base:$f" >"$work/current.yaml"
  reviewed=$((reviewed + 1))
  "$rollsim" review --current "$work/current.yaml" --proposed "$f" -o markdown \
    --output-file "sarif=$work/$reviewed.sarif" "${opts[@]}"
  code=$?
  if ((code == 3)); then
    ((status == 2)) || status=3
  elif ((code != 0)); then
    status=2
  fi
done
if [[ -n $sarif ]]; then
  # One SARIF log: every review's run, in order (a log may hold several runs).
  /usr/bin/python3 - "$sarif" "$work"/*.sarif <<'PY' || status=2
import json, sys
out, parts = sys.argv[1], [p for p in sys.argv[2:] if not p.endswith("*.sarif")]
log = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": []}
for p in sorted(parts, key=lambda p: int(p.rsplit("/", 1)[1].split(".")[0])):
    log["runs"] += json.load(open(p))["runs"]
json.dump(log, open(out, "w"), indent=2)
PY
fi
echo "rollsim: reviewed $reviewed changed DaemonSet manifest(s) since $base" >&2
exit $status
