#!/usr/bin/env bash
# An interrupted rollsim (SIGTERM, SIGINT) exits 128 + the signal and leaves its output files as
# they were: no partial file, no temporary file. Usage: interrupt_test.sh ROLLSIM SOURCE_DIR
source "$(dirname "$0")/lib.sh" "$1" "$2"

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
  --report "$tmp/o/report.json" --svg "$tmp/o/t.svg" --csv "$tmp/o/t.csv"
interrupt INT 130 "run, SIGINT" -- "$rollsim" run "$big" --trials 100000 --threads 2 \
  --report "$tmp/o/report.json" --markdown "$tmp/o/r.md"
[[ $(cat "$tmp/o/report.json") == before ]] || fail "an interrupted run changed report.json"
[[ $(ls -A "$tmp/o") == report.json ]] || fail "an interrupted run left files: $(ls -A "$tmp/o")"

mkdir -p "$tmp/plan"
echo before >"$tmp/plan/runbook.md"
interrupt TERM 143 "recommend, SIGTERM" -- "$rollsim" recommend "$big" --trials 100000 --out "$tmp/plan"
[[ $(ls -A "$tmp/plan") == runbook.md && $(cat "$tmp/plan/runbook.md") == before ]] ||
  fail "an interrupted recommend changed its directory: $(ls -A "$tmp/plan")"

# The same command left alone writes all of its files.
expect_exit 0 "run to the end" -- "$rollsim" run "$big" --trials 2 --report "$tmp/o/report.json" \
  --svg "$tmp/o/t.svg" -q
[[ $(ls -A "$tmp/o" | tr '\n' ' ') == "report.json t.svg " ]] || fail "run wrote: $(ls -A "$tmp/o")"
contains "$tmp/o/report.json" '"scenario"' "the finished report"

finish interrupt
