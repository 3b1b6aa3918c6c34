# The alerts over every trial (docs/alerts.md): `run --alerts` evaluates the kubernetes-mixin's
# DaemonSet alerts (or --alert-rules) over each trial's kube-state-metrics series and reports each
# alert's firing fraction, start and duration; the same bytes on 1 and 2 threads.
# Usage: bash alerts_test.sh ROLLSIM SOURCE_DIR
source "$2/tests/cli/lib.sh" "$1" "$2"
cd "$tmp" || exit 1
stall="$src/scenarios/surge-hostport-stall/scenario.yaml"
expect_exit 0 "run --alerts" -- "$rollsim" run "$stall" --trials 20 --alerts --report a1.json --threads 1
contains "$tmp/out" "as-proposed × as-proposed: KubeDaemonSetRolloutStuck in 100% of trials, after 20.5 min at p50" "the table's pages line"
contains "$tmp/out" "one-at-a-time × as-proposed: no alert fires" "a 2-minute rollout pages nobody"
expect_exit 0 "run --alerts, 2 threads" -- "$rollsim" run "$stall" --trials 20 --alerts --report a2.json --threads 2 -q
cmp -s a1.json a2.json || fail "--alerts differs between 1 and 2 threads"
$py - a1.json <<'PY' || fail "the report's alerts"
import json, sys
v = {x["strategy"]: x for x in json.load(open(sys.argv[1]))["variants"]}
stuck = {a["alert"]: a for a in v["as-proposed"]["alerts"]}
assert list(stuck) == ["KubeDaemonSetRolloutStuck", "KubeDaemonSetNotScheduled", "KubeDaemonSetMisScheduled"], list(stuck)
s = stuck["KubeDaemonSetRolloutStuck"]
# The surge stalls at once: updated_number_scheduled drops from 5 to 0 at the change and never
# changes again; the rule holds from 5m30s (5 minutes without a change) and fires 15 minutes
# later, at 1230 s, in every trial: about 20 minutes, the 5-minute window plus the for:.
assert s["firingFraction"] == 1.0 and s["startSeconds"]["n"] == 20 and s["startSeconds"]["min"] == s["startSeconds"]["max"] == 1230.0, s
assert abs(s["firingFractionCi95"][0] - 0.025 ** (1 / 20)) < 1e-9 and s["firingFractionCi95"][1] == 1.0
assert stuck["KubeDaemonSetNotScheduled"]["firingFraction"] == 0.0  # current counts the old pods: 5 of 5
for a in v["one-at-a-time"]["alerts"]:
    assert a["firingFraction"] == 0.0 and a["startSeconds"]["n"] == 0, a
PY
expect_exit 0 "run without --alerts" -- "$rollsim" run "$stall" --trials 5 --report plain.json -q
grep -q '"alerts"' plain.json && fail "a report without --alerts has an alerts key"

# A home-grown rule on 1,000 nodes: number_unavailable > 0 for 10m pages in every trial of
# maxUnavailable 1, 10 minutes after the first scrape that sees a node unavailable (30 s).
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
# review predicts the pages: the surge that stalls on its host port fires KubeDaemonSetRolloutStuck,
# a warning with a silence of the predicted length and the plans that do not page.
v1="$src/scenarios/edge-proxy-single-node/manifests/edge-proxy-v1.yaml"
v2="$src/scenarios/edge-proxy-single-node/manifests/edge-proxy-v2.yaml"
sed 's/maxUnavailable: 1$/maxUnavailable: 0\n      maxSurge: 1/' "$v2" >surge.yaml
expect_exit 3 "review of a surge" -- "$rollsim" review --current "$v1" --proposed surge.yaml --trials 10 --json review.json -q
$py - review.json <<'PY' || fail "review's alert-fires finding"
import json, sys
r = json.load(open(sys.argv[1]))
f = [x for x in r["findings"] if x["id"] == "alert-fires"]
assert len(f) == 1 and f[0]["severity"] == "warning", f
assert f[0]["title"] == "the rollout pages: KubeDaemonSetRolloutStuck fires in 100% of trials", f[0]["title"]
assert "--duration=30m" in f[0]["fix"] and "one-at-a-time × as-proposed" in f[0]["fix"], f[0]["fix"]  # 15.5 + 14.5 min
assert f[0]["field"] == "spec.updateStrategy"
PY
# OnDelete (the corpus's node-exporter addon): the page lasts until someone deletes the pods,
# which no simulation can time, so the fix guesses no duration into its command.
sed -E 's|^(\s*(- )?image: "?)([^" ]*)("?)$|\1\3-next\4|' "$src/tests/corpus/node-exporter-addon.yaml" >ondelete-next.yaml
expect_exit 0 "review of an OnDelete DaemonSet" -- "$rollsim" review --current "$src/tests/corpus/node-exporter-addon.yaml" \
  --proposed ondelete-next.yaml --trials 10 --json ondelete-review.json -q
$py - ondelete-review.json <<'PY' || fail "the OnDelete alert-fires finding"
import json, re, sys
r = json.load(open(sys.argv[1]))
f = [x for x in r["findings"] if x["id"] == "alert-fires"]
assert len(f) == 1 and "KubeDaemonSetRolloutStuck" in f[0]["title"], f
fix = f[0]["fix"]
assert "OnDelete" in fix and "--duration=<as long as the deletions take>" in fix, fix
assert not re.search(r"--duration=[0-9]+m", fix), fix
assert "UP-TO-DATE equal to DESIRED" in fix and "refuses OnDelete" in fix, fix
PY
expect_exit 0 "review of a plain change" -- "$rollsim" review --current "$v1" --proposed "$v2" --trials 10 --json plain-review.json -q
grep -q '"alert-fires"' plain-review.json && fail "a rollout that pages nobody has an alert-fires finding"

# limits.noAlerts: the plan chosen does not page; a name no rule has is refused at its line.
sed "s|manifests/|$src/scenarios/surge-hostport-stall/manifests/|" "$stall" >no-alerts.yaml
printf '  limits: {noAlerts: [KubeDaemonSetRolloutStuck]}\n' >>no-alerts.yaml
expect_exit 0 "recommend with noAlerts" -- "$rollsim" recommend no-alerts.yaml --trials 10 -o json
$py - "$tmp/out" <<'PY' || fail "recommend with noAlerts: one-at-a-time, which does not page"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["recommendation"]["strategy"] == "one-at-a-time" and r["recommendation"]["acceptable"], r["recommendation"]
v = {x["strategy"]: x for x in r["variants"]}
assert v["as-proposed"]["alerts"][0]["firingFraction"] == 1.0  # noAlerts made the run evaluate the rules
PY
sed 's/noAlerts: \[KubeDaemonSetRolloutStuck\]/noAlerts: [KubeDaemonSetRolloutStuk]/' no-alerts.yaml >typo.yaml
expect_exit 2 "noAlerts with an unknown name" -- "$rollsim" recommend typo.yaml --trials 2
line=$(grep -n "noAlerts" typo.yaml | cut -d: -f1)
contains "$tmp/err" "typo.yaml:$line" "noAlerts typo: the file and line"
contains "$tmp/err" "no alerting rule is named KubeDaemonSetRolloutStuk; the rules are: KubeDaemonSetRolloutStuck" "noAlerts typo: the message"
# An alert already firing before the change is not the rollout's page.
printf 'groups:\n  - name: x\n    rules:\n      - alert: AlwaysReady\n        expr: kube_daemonset_status_number_ready{daemonset=~"ing.*|other"} > 0\n' >always.yaml
expect_exit 0 "an alert firing before the change" -- "$rollsim" run "$stall" --trials 2 --alerts --alert-rules always.yaml
contains "$tmp/out" "one-at-a-time × as-proposed: no alert fires" "a pre-existing alert is not counted"

# explain tells when each alert starts and stops; the Markdown and HTML carry the pages.
expect_exit 0 "explain" -- "$rollsim" explain "$stall" --variant as-proposed
contains "$tmp/out" "KubeDaemonSetRolloutStuck (for 15 min): fires from 20:30 on, still firing 30 min after the trial ends." "explain: the stuck alert"
contains "$tmp/out" "KubeDaemonSetNotScheduled (for 10 min): does not fire." "explain: an alert that does not fire"
expect_exit 0 "run --alerts --markdown --html" -- "$rollsim" run "$stall" --trials 5 --alerts --markdown pages.md --html pages.html -q
contains pages.md "- as-proposed × as-proposed: KubeDaemonSetRolloutStuck in 100% of trials, after 20.5 min at p50" "Markdown pages"
contains pages.html "<section id=\"pages\">" "HTML pages"
finish alerts
