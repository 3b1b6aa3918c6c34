#!/usr/bin/env bash
# An interrupted rollsim (SIGTERM, SIGINT) exits 128 + the signal and leaves its output files as
# they were: no partial file, no temporary file. Usage: interrupt_test.sh ROLLSIM SOURCE_DIR KILL_AT
# (KILL_AT: the tests/cli/kill_at.cpp shim).
source "$(dirname "$0")/lib.sh" "$1" "$2"
kill_at=$3

big="$src/tests/scenarios/edge-proxy-1000-nodes.yaml"
interrupt() {  # interrupt SIGNAL EXPECTED_EXIT DESCRIPTION -- command...
  local sig=$1 want=$2 what=$3; shift 4
  "$@" >/dev/null 2>"$tmp/err" &
  local pid=$!
  sleep 1
  kill "-$sig" "$pid"
  wait "$pid"
  local got=$?
  [[ $got == "$want" ]] || fail "$what: exit $got after SIG$sig, expected $want ($(head -c 200 "$tmp/err"))"
}

mkdir -p "$tmp/o"
echo before >"$tmp/o/report.json"
interrupt TERM 143 "run, SIGTERM" -- "$rollsim" run "$big" --trials 100000 --threads 1 \
  --report "$tmp/o/report.json" --svg "$tmp/o/t.svg" --csv "$tmp/o/t.csv" --trace "$tmp/o/trace.jsonl"
interrupt INT 130 "run, SIGINT" -- "$rollsim" run "$big" --trials 100000 --threads 2 \
  --report "$tmp/o/report.json" --markdown "$tmp/o/r.md"
[[ $(cat "$tmp/o/report.json") == before ]] || fail "an interrupted run changed report.json"
[[ $(ls -A "$tmp/o") == report.json ]] || fail "an interrupted run left files: $(ls -A "$tmp/o")"

mkdir -p "$tmp/plan"
echo before >"$tmp/plan/runbook.md"
interrupt TERM 143 "recommend, SIGTERM" -- "$rollsim" recommend "$big" --trials 100000 --out "$tmp/plan"
[[ $(ls -A "$tmp/plan") == runbook.md && $(cat "$tmp/plan/runbook.md") == before ]] ||
  fail "an interrupted recommend changed its directory: $(ls -A "$tmp/plan")"

# Killed at an exact point of writing the outputs: the shim raises SIGTERM inside the Nth fsync
# (the staging of the Nth file) or the first rename. recommend writes 8 files.
killed_at() {  # killed_at CALL:N DIR -- command...: run it with the shim; $got is its exit status
  local at=$1 dir=$2; shift 3
  rm -rf "$dir" && mkdir -p "$dir" && echo before >"$dir/runbook.md"
  LD_PRELOAD="$kill_at" ROLLSIM_KILL_AT="$at" ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" \
    "$@" >/dev/null 2>"$tmp/err"
  got=$?
}
for n in 1 2 3 4 5 6 7 8; do
  killed_at "fsync:$n" "$tmp/plan" -- "$rollsim" recommend "$big" --trials 2 --out "$tmp/plan"
  [[ $got == 143 ]] || fail "recommend killed in the staging of file $n: exit $got ($(head -c 200 "$tmp/err"))"
  [[ $(ls -A "$tmp/plan") == runbook.md && $(cat "$tmp/plan/runbook.md") == before ]] ||
    fail "recommend killed in the staging of file $n changed its directory: $(ls -A "$tmp/plan" | tr '\n' ' ')"
done
# SIGTERM raised inside the first rename waits until the batch is done: every file is new.
killed_at rename:1 "$tmp/plan" -- "$rollsim" recommend "$big" --trials 2 --out "$tmp/plan"
[[ $got == 143 ]] || fail "recommend killed in its first rename: exit $got ($(head -c 200 "$tmp/err"))"
[[ $(ls -A "$tmp/plan" | tr '\n' ' ') == "cdf-duration.svg cdf-harm.svg promotion-daemonset.yaml report.json runbook.md test-daemonset.yaml timeline.svg tradeoff.svg " ]] ||
  fail "recommend killed in its first rename left: $(ls -A "$tmp/plan" | tr '\n' ' ')"
grep -q '^# ' "$tmp/plan/runbook.md" || fail "recommend killed in its first rename kept the old runbook.md"
# A streamed --trace is staged first: killed in its fsync, nothing is left.
killed_at fsync:1 "$tmp/traced" -- "$rollsim" run "$big" --trials 2 --report "$tmp/traced/report.json" \
  --trace "$tmp/traced/t.jsonl" -q
[[ $got == 143 && $(ls -A "$tmp/traced") == runbook.md ]] || fail "run killed in the trace's fsync: exit $got, left $(ls -A "$tmp/traced")"

# The same command left alone writes all of its files.
expect_exit 0 "run to the end" -- "$rollsim" run "$big" --trials 2 --report "$tmp/o/report.json" \
  --svg "$tmp/o/t.svg" -q
[[ $(ls -A "$tmp/o" | tr '\n' ' ') == "report.json t.svg " ]] || fail "run wrote: $(ls -A "$tmp/o")"
contains "$tmp/o/report.json" '"scenario"' "the finished report"

finish interrupt
