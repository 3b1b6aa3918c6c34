# rollsim backtest (docs/calibration.md, "Backtest"): a recorded one-at-a-time rollout over 20
# nodes with known timings (cluster_records.py --rollout), calibrated from its own record and
# predicted; the actual duration must be exact to the second, and every node's window too.
# Usage: bash backtest_test.sh ROLLSIM SOURCE_DIR
source "$2/tests/cli/lib.sh" "$1" "$2"
$py "$src/tests/cli/cluster_records.py" "$tmp/ro" --rollout 20
cd "$tmp/ro" || exit 1
expect_exit 0 "calibrate the recorded rollout" -- "$rollsim" calibrate --pods pods.json --events events.json --out workload.yaml
{
  cat <<'YAML'
apiVersion: rollsim.io/v1alpha1
kind: Scenario
metadata: {name: backtest}
spec:
  trials: 200
  cluster: {nodePools: [{name: edge, count: 20}]}
  daemonSet: {current: current.yaml, proposed: proposed.yaml}
  traffic: {mode: hostPort, healthCheck: none}
YAML
  sed 's/^/  /' workload.yaml
} >scenario.yaml
expect_exit 0 "backtest" -- "$rollsim" backtest --events events.json --pods pods.json --current current.yaml \
  --proposed proposed.yaml --scenario scenario.yaml --json bt.json --svg bt.svg
contains "$tmp/out" "rollsim backtest of edge/edge-proxy: the rollout recorded from 2026-11-30T10:00:00Z to" "backtest: the table"
$py - bt.json actual.json <<'PY' || fail "backtest: the reconstruction and the prediction"
import json, sys
b, truth = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
a = b["actual"]
assert a["durationSeconds"] == truth["durationSeconds"], (a["durationSeconds"], truth["durationSeconds"])  # exact
assert a["complete"] is True
assert [n["node"] for n in a["nodes"]] == [n["node"] for n in truth["nodes"]]
for got, want in zip(a["nodes"], truth["nodes"]):
    assert got["deletedSeconds"] == want["deleted"] and got["readySeconds"] == want["ready"], (got, want)
    assert got["windowSeconds"] == want["ready"] - want["deleted"]
    assert 0 <= got["percentile"] <= 1
p = b["predicted"]
assert p["trials"] == 200 and p["completedFraction"] == 1, p
d = p["durationSeconds"]
assert d["n"] == 200 and d["p10"] <= d["p50"] <= d["p90"], d
# The prediction comes from the record's own calibration: the actual falls inside it.
assert d["min"] <= a["durationSeconds"] <= d["max"], (d, a["durationSeconds"])
assert 0.02 < b["percentile"] < 0.98, b["percentile"]
w = p["windowSeconds"]
assert w["n"] == 200 * 20 and 90 < w["p50"] < 200, w
PY
xmllint --noout bt.svg 2>"$tmp/xml.txt" || fail "backtest: the SVG is not valid XML: $(head -c 300 "$tmp/xml.txt")"
contains bt.svg "The actual rollout took 2941 s" "backtest: the picture's headline"
contains bt.svg "<polygon" "backtest: the predicted band"

# Bad input: exit 2, named; nothing written.
bad() {  # bad DESCRIPTION EXPECTED ARGS...
  local what=$1 want=$2; shift 2
  rm -f out.json out.svg
  expect_exit 2 "backtest: $what" -- "$rollsim" backtest "$@" --current current.yaml --proposed proposed.yaml \
    --json out.json --svg out.svg
  contains "$tmp/err" "$want" "backtest: $what: the message"
  [[ ! -e out.json && ! -e out.svg ]] || fail "backtest: $what: an output was written"
}
$py -c "
import json, sys
j = json.load(open('events.json')); j['items'] = [e for e in j['items'] if e['involvedObject']['kind'] == 'Pod']
json.dump(j, open('no-rollout.json', 'w'))"
bad "a record without the controller's events" "no-rollout.json: no SuccessfulDelete or SuccessfulCreate event of DaemonSet edge/edge-proxy" \
  --events no-rollout.json --pods pods.json
$py -c "
import json
j = json.load(open('pods.json'))
j['items'][3]['status']['conditions'][0]['lastTransitionTime'] = '2026-11-30T09:00:00Z'
json.dump(j, open('skewed.json', 'w'), indent=2)"
bad "a pod Ready before it was created" "skewed.json:198: items[3].status.conditions[0].lastTransitionTime: pod edge-proxy-new003 is Ready 4111 s before the controller created it: the clocks disagree (clock skew)" \
  --events events.json --pods skewed.json
head -c 2000 events.json >truncated.json
bad "malformed JSON" "truncated.json:" --events truncated.json --pods pods.json
finish backtest
