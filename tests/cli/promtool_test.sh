# The kube-state-metrics series of a trial (docs/alerts.md), checked by Debian's real promtool:
# `promtool test rules` passes on the series-test.yaml rollsim writes (and fails when one value
# is changed), and `promtool tsdb create-blocks-from openmetrics` takes series.om. The series say
# what the controller wrote: a surge stalled on its host port never raises
# updated_number_scheduled, and a finished rollout reaches desired at its duration.
# Usage: bash promtool_test.sh ROLLSIM SOURCE_DIR
source "$2/tests/cli/lib.sh" "$1" "$2"
cd "$tmp" || exit 1
stall="$src/scenarios/surge-hostport-stall/scenario.yaml"
for v in as-proposed one-at-a-time; do
  expect_exit 0 "run --promtool-test ($v)" -- "$rollsim" run "$stall" --trials 3 --variant "$v" --promtool-test "$v" \
    --per-trial "$v.csv" -q
  promtool test rules "$v/series-test.yaml" >"$tmp/promtool.txt" 2>&1 || fail "promtool test rules ($v): $(tail -5 "$tmp/promtool.txt")"
  promtool tsdb create-blocks-from openmetrics "$v/series.om" "$tmp/blocks-$v" >"$tmp/tsdb.txt" 2>&1 ||
    fail "promtool tsdb create-blocks-from openmetrics ($v): $(tail -3 "$tmp/tsdb.txt")"
  samples=$(grep -cE '^kube_daemonset_' "$v/series.om")
  # The blocks (split at two-hour boundaries) hold every sample, of 9 series each.
  $py - "$tmp/tsdb.txt" "$samples" <<'PY' || fail "the TSDB blocks ($v) do not hold $samples samples of 9 series: $(cat "$tmp/tsdb.txt")"
import re, sys
rows = [l.split() for l in open(sys.argv[1]) if re.match(r"^[0-9A-Z]{26} ", l)]
assert rows and sum(int(r[4]) for r in rows) == int(sys.argv[2]) and all(r[6] == "9" for r in rows), rows
PY
done
# A changed value fails promtool: the test asserts something.
sed '0,/value: 5$/s//value: 4/' one-at-a-time/series-test.yaml >tampered.yaml
promtool test rules tampered.yaml >/dev/null 2>&1 && fail "promtool passes a series test with a wrong value"

$py - as-proposed/series.om one-at-a-time/series.om one-at-a-time.csv <<'PY' || fail "the series' numbers"
import csv, re, sys
def series(path):
    out = {}
    for line in open(path):
        m = re.match(r'(kube_daemonset_\w+)\{job="kube-state-metrics",namespace="ingress",daemonset="ingress"\} (\d+) ([\d.]+)', line)
        if m:
            out.setdefault(m.group(1), []).append((float(m.group(3)) - 1767225600, int(m.group(2))))
    return out
stalled, done = series(sys.argv[1]), series(sys.argv[2])
assert len(stalled) == len(done) == 9, sorted(done)
# The stalled surge: before the change (10 minutes of it) the steady DaemonSet, generation 1 and
# every pod updated; after it desired 5, updated 0 at every scrape, generation 2 observed.
def at(s, name, before):
    return {v for t, v in s[name] if (t <= 0) == before}
assert at(stalled, "kube_daemonset_status_updated_number_scheduled", True) == {5}
assert at(stalled, "kube_daemonset_status_updated_number_scheduled", False) == {0}
assert {v for _, v in stalled["kube_daemonset_status_desired_number_scheduled"]} == {5}
assert at(stalled, "kube_daemonset_metadata_generation", True) == at(stalled, "kube_daemonset_status_observed_generation", True) == {1}
assert at(stalled, "kube_daemonset_metadata_generation", False) == at(stalled, "kube_daemonset_status_observed_generation", False) == {2}
# One at a time: at the first scrape after trial 0's duration every node is updated and
# available; before it, some scrape saw a node unavailable; never more than maxUnavailable 1.
trial0 = next(r for r in csv.DictReader(open(sys.argv[3], newline="")) if r["trial"] == "0" and r["strategy"] == "one-at-a-time")
duration = float(trial0["durationSeconds"])
updated = done["kube_daemonset_status_updated_number_scheduled"]
available = dict(done["kube_daemonset_status_number_available"])
after = min(t for t, _ in updated if t >= duration)
assert dict(updated)[after] == 5 and available[after] == 5, (duration, after, dict(updated)[after], available[after])
assert any(v == 1 for t, v in done["kube_daemonset_status_number_unavailable"] if t < duration)
assert max(v for _, v in done["kube_daemonset_status_number_unavailable"]) == 1
times = [t for t, _ in updated]
assert times[0] == -600 and all(b - a == 30 for a, b in zip(times, times[1:])), times[:3]
PY

# The alerts: rollsim's verdict, which promtool test rules has just checked at every fifth
# minute and around every firing window. The stalled surge's updated_number_scheduled last
# changes at the change (5 -> 0, seen at the 30 s scrape): changes(…[5m]) is 0 from 5m30s, and the
# mixin's KubeDaemonSetRolloutStuck fires 15 minutes (its for:) later, at 1230 s, and never
# resolves; the rollout that finishes fires none of the mixin's alerts.
$py - as-proposed/alerts.json one-at-a-time/alerts.json <<'PY' || fail "the mixin's alerts"
import json, sys
stalled, done = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert [a["alert"] for a in stalled] == ["KubeDaemonSetRolloutStuck"], stalled
assert stalled[0]["windows"] == [{"firingFromSeconds": 1230.0, "firingUntilSeconds": None}], stalled[0]["windows"]
assert stalled[0]["labels"] == {"daemonset": "ingress", "job": "kube-state-metrics", "namespace": "ingress", "severity": "warning"}
assert done == [], done
PY
grep -q "alert: KubeDaemonSetRolloutStuck" as-proposed/rules.yaml || fail "rules.yaml lacks the mixin's rule"
# A firing verdict changed to "not firing" fails promtool: the alert tests assert something.
$py - as-proposed/series-test.yaml >tampered-alert.yaml <<'PY'
import sys
s = open(sys.argv[1]).read()
i = s.index("alertname: KubeDaemonSetRolloutStuck\n        exp_alerts:\n          - exp_labels")
j = s.index("\n      - eval_time", i)
print(s[:i] + "alertname: KubeDaemonSetRolloutStuck\n        exp_alerts: []" + s[j:], end="")
PY
cp as-proposed/rules.yaml .
promtool test rules tampered-alert.yaml >/dev/null 2>&1 && fail "promtool passes a firing alert tested as not firing"

# The user's rules, as a rule file and as a PrometheusRule manifest: the same verdict, and
# promtool agrees (an aggregation, a 1-minute for: and two firing windows on 20 nodes).
cp "$src/tests/alerts/team-rules.yaml" rules.yaml
{ printf 'apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: {name: team}\nspec:\n'; sed 's/^/  /' rules.yaml; } >prometheusrule.yaml
edge="$src/scenarios/edge-proxy-20-nodes/scenario.yaml"
for f in rules.yaml prometheusrule.yaml; do
  expect_exit 0 "--alert-rules $f" -- "$rollsim" run "$edge" --trials 1 --variant one-at-a-time/ready-when-serving \
    --promtool-test "user-$f" --alert-rules "$f" -q
  promtool test rules "user-$f/series-test.yaml" >"$tmp/promtool.txt" 2>&1 || fail "promtool ($f): $(tail -5 "$tmp/promtool.txt")"
done
cmp -s user-rules.yaml/alerts.json user-prometheusrule.yaml/alerts.json || fail "a rule file and its PrometheusRule give different verdicts"
$py - user-rules.yaml/alerts.json <<'PY' || fail "the user's rules' verdict"
import json, sys
a = {x["alert"]: x for x in json.load(open(sys.argv[1]))}
assert sorted(a) == ["DaemonSetUnavailable", "DaemonSetUnavailable10m", "RolloutSlow"], sorted(a)
assert a["DaemonSetUnavailable"]["labels"]["severity"] == "page"
assert a["DaemonSetUnavailable"]["windows"][0]["firingFromSeconds"] == 90.0  # unavailable from 30 s, for 1m
assert a["RolloutSlow"]["labels"] == {"daemonset": "edge-proxy", "namespace": "edge"}  # sum by keeps only those
PY

# What rollsim cannot evaluate is refused, naming the rule and the construct, and nothing is written.
printf 'groups:\n  - name: x\n    rules:\n      - alert: Ratio\n        expr: kube_daemonset_status_number_ready / on(namespace) group_left kube_daemonset_status_desired_number_scheduled < 1\n' >unsupported.yaml
expect_exit 2 "an unsupported construct" -- "$rollsim" run "$edge" --trials 1 --promtool-test never --alert-rules unsupported.yaml
contains "$tmp/err" "unsupported.yaml:5" "the refusal names the file and line"
contains "$tmp/err" "alert Ratio: group_left (many-to-one matching) is not supported" "the refusal names the rule and the construct"
[[ ! -e never ]] || fail "a refused rule file left its directory"
printf 'groups:\n  - name: x\n    rules:\n      - record: job:up\n        expr: up\n' >recording.yaml
expect_exit 2 "a recording rule" -- "$rollsim" run "$edge" --trials 1 --promtool-test never --alert-rules recording.yaml
contains "$tmp/err" "a recording rule makes series rollsim does not have" "a recording rule is refused"

expect_exit 2 "--scrape-interval 0" -- "$rollsim" run "$stall" --trials 1 --promtool-test never --scrape-interval 0
contains "$tmp/err" "--scrape-interval must be at least 1 second" "--scrape-interval 0: the message"
[[ ! -e never ]] || fail "a refused --promtool-test wrote its directory"
finish promtool
