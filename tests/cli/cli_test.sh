#!/usr/bin/env bash
# CLI tests: exit codes, messages with file/line/key, atomic outputs, determinism across
# thread counts, and the issue #2 acceptance figures through the real binary.
# Usage: cli_test.sh ROLLSIM SOURCE_DIR
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh" "$1" "$2"

default="$src/scenarios/edge-proxy-single-node/scenario.yaml"
five="$src/tests/scenarios/five-nodes-25s.yaml"

# version, help, usage
expect_exit 0 "version" -- "$rollsim" version
contains "$tmp/out" "rollsim 0.1.0" "version text"
expect_exit 2 "no command" -- "$rollsim"
expect_exit 2 "unknown command" -- "$rollsim" frobnicate
contains "$tmp/err" 'unknown command "frobnicate"' "unknown command message"
expect_exit 0 "run --help" -- "$rollsim" run --help
contains "$tmp/out" "--trials" "run --help lists --trials"
expect_exit 0 "validate --help" -- "$rollsim" validate --help
expect_exit 0 "help" -- "$rollsim" help
expect_exit 2 "run without a scenario" -- "$rollsim" run
contains "$tmp/err" "a SCENARIO file is required" "missing scenario message"
expect_exit 2 "unknown option" -- "$rollsim" run "$default" --trails 3
expect_exit 2 "bad --trials" -- "$rollsim" run "$default" --trials 0
for p in 0 0% 100% 1.5 five -3% ""; do
  expect_exit 2 "bad --precision '$p'" -- "$rollsim" run "$default" --trials 3 --precision "$p"
  contains "$tmp/err" "--precision $p: expected a share above 0 and below 1" "the --precision message for '$p'"
done
# adaptive trials: recommend runs to 5% by default and says so; --precision off runs every trial
expect_exit 0 "recommend at its default precision" -- "$rollsim" recommend "$five" --trials 100 -o json
got=$("$py" -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["precision"], r["trialsCap"], sorted({v["trials"] for v in r["variants"] if v["accepted"]}), sorted({v["stoppedBy"] for v in r["variants"] if v["accepted"]}))' "$tmp/out")
[[ $got == "0.05 100 [40] ['precision']" ]] || fail "recommend's default precision: $got"
expect_exit 0 "recommend --precision off" -- "$rollsim" recommend "$five" --trials 100 -o json --precision off
got=$("$py" -c 'import json,sys; r=json.load(open(sys.argv[1])); print("precision" in r, r["trials"], any("trials" in v for v in r["variants"]))' "$tmp/out")
[[ $got == "False 100 False" ]] || fail "--precision off: $got"
expect_exit 0 "run --precision 5%" -- "$rollsim" run "$five" --trials 100 --precision 5%
contains "$tmp/out" "40 trials (to 5% precision)" "the run's header names the precision"
contains "$tmp/out" "Trials: 40 trials for " "the table says how many trials each variant ran and why"

# bad input: exit 2, file and line named, nothing written
expect_exit 2 "missing scenario file" -- "$rollsim" run "$tmp/nope.yaml" --report "$tmp/r.json"
contains "$tmp/err" "nope.yaml: no such file" "missing file message"
[[ ! -e "$tmp/r.json" ]] || fail "a report was written for a missing scenario"
sed 's/^  trials: 1000/  trails: 1000/' "$default" >"$tmp/bad.yaml"
expect_exit 2 "unknown key" -- "$rollsim" run "$tmp/bad.yaml" --report "$tmp/r.json"
contains "$tmp/err" 'bad.yaml:13: spec.trails: unknown key (did you mean "trials"?)' "unknown key message"
[[ ! -e "$tmp/r.json" ]] || fail "a report was written for a bad scenario"
expect_exit 2 "report into a missing directory" -- "$rollsim" run "$five" --quiet --report "$tmp/no/such/dir/r.json"
contains "$tmp/err" "cannot write" "unwritable report message"
# An output that is a directory is refused before any file is renamed: all or none
mkdir -p "$tmp/od/t.svg" && echo before >"$tmp/od/report.json"
expect_exit 2 "an output path that is a directory" -- "$rollsim" run "$five" --quiet --report "$tmp/od/report.json" \
  --svg "$tmp/od/t.svg"
contains "$tmp/err" "t.svg: is a directory" "an output path that is a directory"
[[ $(cat "$tmp/od/report.json") == before && $(ls -A "$tmp/od" | tr '\n' ' ') == "report.json t.svg " ]] ||
  fail "a refused output changed the others: $(ls -A "$tmp/od")"

# validate
expect_exit 0 "validate" -- "$rollsim" validate "$default"
contains "$tmp/out" "surge-and-unavailable x as-proposed: REJECTED: The DaemonSet \"edge-proxy\" is invalid" "validate shows the rejection"
contains "$tmp/out" "  memory: about 9.2 MiB for 1,000 trials on " "validate shows the memory estimate"
# the cluster as it is: starting pods, imported pods, a rollback
expect_exit 0 "validate imported starting pods" -- "$rollsim" validate "$src/tests/scenarios/imported-unhealthy.yaml"
contains "$tmp/out" "    CrashLoopBackOff (7 restarts): 1 node(s) in cluster.podsFile: node-1" "validate prints the imported state"
expect_exit 0 "explain from the cluster as it is" -- "$rollsim" explain "$src/tests/scenarios/imported-unhealthy.yaml"
contains "$tmp/out" "before the change 4 of them do not serve" "explain says which nodes start down"
expect_exit 0 "run with a rollback" -- "$rollsim" run "$src/tests/scenarios/rollback-not-complete.yaml" --trials 4 --report "$tmp/rb.json"
contains "$tmp/out" "rolled back in 100% of trials; every node served again 27.6 s after the rollback" "the text report's rollback"
contains "$tmp/rb.json" '"rolledBackFraction": 1.0' "the report's rolledBackFraction"
expect_exit 0 "validate a large cluster" -- "$rollsim" validate "$src/tests/scenarios/edge-proxy-1000-nodes.yaml"
contains "$tmp/out" " threads × 1,010 nodes × 1.4 KiB; to reduce: fewer threads (--threads)" \
  "validate shows the memory estimate's parts"
contains "$tmp/out" "the scenario: 1,010 nodes, 12 variants" "validate shows the memory estimate's parts"

# determinism: same bytes across runs and thread counts
expect_exit 0 "run threads=1" -- "$rollsim" run "$default" --trials 300 --threads 1 --quiet --report "$tmp/t1.json"
expect_exit 0 "run threads=2" -- "$rollsim" run "$default" --trials 300 --threads 2 --quiet --report "$tmp/t2.json"
expect_exit 0 "run again" -- "$rollsim" run "$default" --trials 300 --threads 2 --quiet --report "$tmp/t3.json"
cmp -s "$tmp/t1.json" "$tmp/t2.json" || fail "reports differ between 1 and 2 threads"
cmp -s "$tmp/t2.json" "$tmp/t3.json" || fail "reports differ between two runs"
expect_exit 0 "run another seed" -- "$rollsim" run "$default" --trials 300 --seed 43 --quiet --report "$tmp/s43.json"
cmp -s "$tmp/t1.json" "$tmp/s43.json" && fail "another seed gave the same report"

# trace: valid JSON lines, and tracing changes nothing
expect_exit 0 "trace" -- "$rollsim" run "$default" --trials 300 --threads 2 --quiet --report "$tmp/t4.json" --trace "$tmp/trace.jsonl"
cmp -s "$tmp/t1.json" "$tmp/t4.json" || fail "tracing changed the report"
$py -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$tmp/trace.jsonl" || fail "trace is not JSON lines"
contains "$tmp/trace.jsonl" '"event":"RolloutComplete"' "trace records completion"

# --trace-limit: the trace stops at the limit with a TraceTruncated line and a warning, the
# report is unchanged (issue #8)
expect_exit 0 "trace limit" -- "$rollsim" run "$default" --trials 300 --threads 2 --quiet --report "$tmp/t5.json" \
  --trace "$tmp/cut.jsonl" --trace-limit 4Ki
cmp -s "$tmp/t1.json" "$tmp/t5.json" || fail "a trace limit changed the report"
(($(wc -c <"$tmp/cut.jsonl") <= 4096 + 300)) || fail "the cut trace has $(wc -c <"$tmp/cut.jsonl") bytes"
tail -1 "$tmp/cut.jsonl" | grep -q '"event":"TraceTruncated","limitBytes":4096}' || fail "the cut trace's last line"
head -c 3500 "$tmp/cut.jsonl" | cmp -s - <(head -c 3500 "$tmp/trace.jsonl") || fail "the cut trace is not the trace's start"
contains "$tmp/err" "rollsim: the trace reached --trace-limit (4.0 KiB) at t=" "the trace limit warning"
expect_exit 2 "a bad trace limit" -- "$rollsim" run "$default" --trace "$tmp/x.jsonl" --trace-limit 1.5.3Gi
contains "$tmp/err" "--trace-limit 1.5.3Gi: expected a size such as 512Mi or 8Gi" "a bad trace limit"

# --max-memory: a run estimated above it is refused up front (exit 2), with the estimate, and
# writes nothing
mkdir -p "$tmp/mem" && echo before >"$tmp/mem/report.json"
expect_exit 2 "too large for --max-memory" -- "$rollsim" run "$default" --trials 10000000 --max-memory 1Gi \
  --report "$tmp/mem/report.json" --trace "$tmp/mem/t.jsonl" --svg "$tmp/mem/t.svg"
contains "$tmp/err" "scenario.yaml: the run needs about " "the memory refusal names the file"
contains "$tmp/err" "more than the 1.0 GiB --max-memory allows:" "the memory refusal names the limit"
contains "$tmp/err" "the trial records kept for the percentiles: 10,000,000 trials × " "the memory refusal's largest part"
contains "$tmp/err" "to reduce: fewer trials (--trials, spec.trials)" "the memory refusal says how to reduce it"
[[ $(ls -A "$tmp/mem") == report.json && $(cat "$tmp/mem/report.json") == before ]] ||
  fail "a refused run changed its outputs: $(ls -A "$tmp/mem")"
expect_exit 2 "too large for this machine" -- "$rollsim" run "$default" --trials 2000000000 --quiet
contains "$tmp/err" "this machine has available:" "a run larger than the machine is refused"

# issue #2 acceptance figures through the binary
expect_exit 0 "five nodes" -- "$rollsim" run "$five" --quiet --report "$tmp/five.json"
$py - "$tmp/five.json" <<'PY' || fail "five-node acceptance figures"
import json, sys
r = json.load(open(sys.argv[1]))
v = {x["strategy"]: x for x in r["variants"]}
one = v["one-at-a-time"]
assert one["rollout"]["completedFraction"] == 1.0, one["rollout"]
assert abs(one["rollout"]["durationSeconds"]["max"] - 167.85) < 1e-9, one["rollout"]["durationSeconds"]
assert abs(one["rollout"]["durationSeconds"]["min"] - 167.85) < 1e-9
assert one["traffic"]["outageWindows"]["mean"] == 5.0
assert abs(one["traffic"]["longestOutageSeconds"]["max"] - 27.35) < 1e-9
surge = v["surge"]
assert surge["rollout"]["stalledFraction"] == 1.0
assert list(surge["rollout"]["stallReasons"]) == ["surge pod Pending: hostPort 8080/TCP held by the old pod"]
assert surge["traffic"]["outageNodeSeconds"]["max"] == 0.0
assert surge["traffic"]["errorSeconds"]["max"] == 0.0
both = v["surge-and-unavailable"]
assert both["accepted"] is False
assert "may not be set when maxUnavailable is non-zero" in both["rejection"]
PY

# recommend: exit 3 when no plan meets the limits; --out writes report.json with the choice
expect_exit 3 "recommend, limits unmet" -- "$rollsim" recommend "$default" --trials 100 --out "$tmp/rec"
contains "$tmp/out" "recommendation: test-then-promote × ready-when-serving (does NOT meet the limits)" "recommend text"
$py - "$tmp/rec/report.json" <<'PY' || fail "recommend report.json"
import json, sys
rec = json.load(open(sys.argv[1]))["recommendation"]
assert rec["strategy"] == "test-then-promote" and rec["probes"] == "ready-when-serving", rec
assert rec["acceptable"] is False
assert rec["failedLimits"][0]["limit"] == "maxErrorSeconds"
assert len(rec["paretoFrontier"]) >= 1
PY
expect_exit 0 "recommend, limits met" -- "$rollsim" recommend "$src/scenarios/node-exporter-100/scenario.yaml" --trials 20 --quiet
expect_exit 0 "recommend --help" -- "$rollsim" recommend --help

# sweep: 4 shards merged are the unsharded sweep, byte for byte; the Job passes the strict schema
grid="$src/tests/scenarios/grid-edge.yaml"
expect_exit 0 "sweep" -- "$rollsim" sweep "$default" --grid "$grid" --trials 30 --quiet --out "$tmp/sweep.json"
for i in 0 1 2 3; do
  expect_exit 0 "sweep shard $i" -- "$rollsim" sweep "$default" --grid "$grid" --trials 30 --shard "$i/4" --quiet --out "$tmp/shard$i.json"
done
expect_exit 0 "merge" -- "$rollsim" merge "$tmp/shard2.json" "$tmp/shard0.json" "$tmp/shard3.json" "$tmp/shard1.json" --out "$tmp/merged.json"
cmp -s "$tmp/sweep.json" "$tmp/merged.json" || fail "merged shards differ from the unsharded sweep"
$py - "$tmp/sweep.json" <<'PY' || fail "sweep content"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["grid"]["points"] == 6 and len(s["points"]) == 6
p = s["points"][5]
assert p["values"] == {"spec.workload.proposed.serve.max": "240s", "spec.traffic.healthCheck.unhealthyThreshold": 3}, p["values"]
assert p["report"]["trials"] == 30
PY
expect_exit 2 "merge with a shard missing" -- "$rollsim" merge "$tmp/shard0.json" "$tmp/shard1.json" --out "$tmp/bad.json"
contains "$tmp/err" "is missing: 2 of 4 shards given" "missing shard message"
[[ ! -e "$tmp/bad.json" ]] || fail "merge wrote a file despite a missing shard"
expect_exit 2 "bad --shard" -- "$rollsim" sweep "$default" --grid "$grid" --shard 4/4 --out "$tmp/x.json"
printf 'grid:\n  spec.cluster.nodePools[3].count: [1, 2]\n' >"$tmp/badgrid.yaml"
expect_exit 2 "grid key not in the scenario" -- "$rollsim" sweep "$default" --grid "$tmp/badgrid.yaml" --out "$tmp/x.json"
contains "$tmp/err" "badgrid.yaml:2: spec.cluster.nodePools[3].count: the scenario has no item [3] there" "bad grid key message"
printf 'grid:\n  spec.trials: [10, many]\n' >"$tmp/badvalue.yaml"
expect_exit 2 "grid value the loader refuses" -- "$rollsim" sweep "$default" --grid "$tmp/badvalue.yaml" --out "$tmp/x.json"
contains "$tmp/err" 'spec.trials: must be an integer, not "many" (grid point 1' "bad grid value message"
[[ ! -e "$tmp/x.json" ]] || fail "a sweep was written for a bad grid"
expect_exit 0 "emit-job" -- "$rollsim" sweep "$default" --grid "$grid" --emit-job 4 --out "$tmp/job.yaml"
valid "the emitted Job" "$tmp/job.yaml"
contains "$tmp/job.yaml" "completionMode: Indexed" "Indexed Job"
contains "$tmp/job.yaml" '$(JOB_COMPLETION_INDEX)/4' "shard from the completion index"

# One CLI: typed value names in help, did-you-mean for options, the run options on explain,
# sweep and merge saying what they did.
for c in init run explain recommend review calibrate backtest sweep merge validate; do
  "$rollsim" help "$c" >"$tmp/help.txt"
  if grep -qE " arg( |$)" "$tmp/help.txt"; then fail "help $c shows Boost's 'arg' placeholder"; fi
  grep -q "^Examples:" "$tmp/help.txt" || fail "help $c has no Examples section"
done
"$rollsim" help merge >"$tmp/help.txt"
if grep -q -- "--shards" "$tmp/help.txt"; then fail "help merge lists the positional --shards"; fi
expect_exit 2 "a mistyped option" -- "$rollsim" run "$five" --trails 3
contains "$tmp/err" "unrecognised option '--trails' (did you mean --trials?)" "did-you-mean for options"
expect_exit 0 "explain with the run options" -- "$rollsim" explain "$five" --seed 3 --trials 4 --trial 2 --threads 1 --max-memory 8Gi
contains "$tmp/out" "trial 2" "explain tells the asked trial"
expect_exit 2 "explain --trial beyond --trials" -- "$rollsim" explain "$five" --trials 2 --trial 2
expect_exit 0 "a 2-point shard says so" -- "$rollsim" sweep "$default" --grid "$grid" --trials 5 --shard 0/4 --out "$tmp/s0.json"
contains "$tmp/out" "2 grid points of 6 (shard 0/4)" "sweep: the shard's own point count"
expect_exit 0 "merge says what it did" -- "$rollsim" merge "$tmp/shard2.json" "$tmp/shard0.json" "$tmp/shard3.json" "$tmp/shard1.json" --out "$tmp/merged2.json"
contains "$tmp/out" "4 shard files merged" "merge: what it did"
# Every trial as CSV: one row per variant and trial, agreeing with the report, on any thread count.
expect_exit 0 "run --per-trial" -- "$rollsim" run "$five" --trials 7 --threads 1 --quiet --per-trial "$tmp/trials1.csv" --report "$tmp/trials.json"
expect_exit 0 "run --per-trial on 2 threads" -- "$rollsim" run "$five" --trials 7 --threads 2 --quiet --per-trial "$tmp/trials2.csv"
cmp -s "$tmp/trials1.csv" "$tmp/trials2.csv" || fail "--per-trial differs between 1 and 2 threads"
$py - "$tmp/trials1.csv" "$tmp/trials.json" <<'PY' || fail "--per-trial agrees with the report"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
report = json.load(open(sys.argv[2]))
accepted = [v for v in report["variants"] if v["accepted"]]
assert len(rows) == 7 * len(accepted), (len(rows), len(accepted))
for v in accepted:
    mine = [r for r in rows if r["strategy"] == v["strategy"] and r["probes"] == v["probes"]]
    assert [int(r["trial"]) for r in mine] == list(range(7))
    errors = sum(float(r["errorSeconds"]) for r in mine) / 7
    assert abs(errors - v["traffic"]["errorSeconds"]["mean"]) < 1e-3, (errors, v["traffic"]["errorSeconds"]["mean"])
    done = [float(r["durationSeconds"]) for r in mine if r["completed"] == "1"]
    if done:
        assert abs(sum(done) / len(done) - v["rollout"]["durationSeconds"]["mean"]) < 1e-3
PY

expect_exit 0 "version -o json" -- "$rollsim" version -o json
$py -c "
import json, sys
v = json.load(open(sys.argv[1]))
assert v['name'] == 'rollsim' and v['version'] and v['commit'], v
assert set(v['dependencies']) == {'boost', 'yaml-cpp', 'eigen', 'nlohmann_json', 'fmt'}, v['dependencies']
assert all(v['dependencies'].values()), v['dependencies']" "$tmp/out" || fail "version -o json: name, version, commit, dependencies"

finish CLI
