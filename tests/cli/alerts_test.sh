# The alerts over every trial (docs/alerts.md): `run --alerts` evaluates the kubernetes-mixin's
# DaemonSet alerts (or --alert-rules) over each trial's kube-state-metrics series and reports each
# alert's firing fraction, start and duration; the same bytes on 1 and 2 threads.
# Usage: bash alerts_test.sh ROLLSIM SOURCE_DIR
source "$2/tests/cli/lib.sh" "$1" "$2"
cd "$tmp" || exit 1
stall="$src/scenarios/surge-hostport-stall/scenario.yaml"
expect_exit 0 "run --alerts" -- "$rollsim" run "$stall" --trials 20 --alerts --report a1.json --threads 1
contains "$tmp/out" "as-proposed × as-proposed: KubeDaemonSetRolloutStuck in 100% of trials, after 15.5 min at p50" "the table's pages line"
contains "$tmp/out" "one-at-a-time × as-proposed: no alert fires" "a 2-minute rollout pages nobody"
expect_exit 0 "run --alerts, 2 threads" -- "$rollsim" run "$stall" --trials 20 --alerts --report a2.json --threads 2 -q
cmp -s a1.json a2.json || fail "--alerts differs between 1 and 2 threads"
$py - a1.json <<'PY' || fail "the report's alerts"
import json, sys
v = {x["strategy"]: x for x in json.load(open(sys.argv[1]))["variants"]}
stuck = {a["alert"]: a for a in v["as-proposed"]["alerts"]}
assert list(stuck) == ["KubeDaemonSetRolloutStuck", "KubeDaemonSetNotScheduled", "KubeDaemonSetMisScheduled"], list(stuck)
s = stuck["KubeDaemonSetRolloutStuck"]
# The surge stalls at once: updated_number_scheduled never changes, the rule holds from the first
# evaluation (30 s) and fires 15 minutes later, in every trial.
assert s["firingFraction"] == 1.0 and s["startSeconds"]["n"] == 20 and s["startSeconds"]["min"] == s["startSeconds"]["max"] == 930.0, s
assert abs(s["firingFractionCi95"][0] - 0.025 ** (1 / 20)) < 1e-9 and s["firingFractionCi95"][1] == 1.0
assert stuck["KubeDaemonSetNotScheduled"]["firingFraction"] == 0.0  # current counts the old pods: 5 of 5
for a in v["one-at-a-time"]["alerts"]:
    assert a["firingFraction"] == 0.0 and a["startSeconds"]["n"] == 0, a
PY
expect_exit 0 "run without --alerts" -- "$rollsim" run "$stall" --trials 5 --report plain.json -q
grep -q '"alerts"' plain.json && fail "a report without --alerts has an alerts key"

# A home-grown rule on 1,000 nodes: number_unavailable > 0 for 10m pages in every trial of
# maxUnavailable 1, from 10 minutes after the first evaluation.
expect_exit 0 "run --alerts --alert-rules, 1,000 nodes" -- "$rollsim" run "$src/tests/scenarios/edge-proxy-1000-nodes.yaml" --trials 8 \
  --alerts --alert-rules "$src/tests/alerts/team-rules.yaml" --report big.json -q
$py - big.json <<'PY' || fail "the 1,000-node rollout's page"
import json, sys
v = {(x["strategy"], x["probes"]): x for x in json.load(open(sys.argv[1]))["variants"] if x["accepted"]}
a = {x["alert"]: x for x in v[("one-at-a-time", "ready-when-serving")]["alerts"]}
assert list(a) == ["DaemonSetUnavailable", "RolloutSlow", "DaemonSetUnavailable10m"], list(a)
assert a["DaemonSetUnavailable10m"]["firingFraction"] == 1.0 and a["DaemonSetUnavailable10m"]["startSeconds"]["p50"] == 630.0, a
PY
expect_exit 2 "--alert-rules alone" -- "$rollsim" run "$stall" --trials 1 --alert-rules "$src/tests/alerts/team-rules.yaml"
contains "$tmp/err" "--alert-rules goes with --alerts or --promtool-test DIR" "--alert-rules alone: the message"
finish alerts
