#!/usr/bin/env bash
# Issue #6: the SVG timeline, the CSV of per-node windows, the Markdown report and `explain`.
# Usage: pictures_test.sh ROLLSIM SOURCE_DIR
source "$(dirname "$0")/lib.sh" "$1" "$2"

edge20="$src/scenarios/edge-proxy-20-nodes/scenario.yaml"
single="$src/scenarios/edge-proxy-single-node/scenario.yaml"
surge="$src/scenarios/surge-hostport-stall/scenario.yaml"

# The SVG: valid XML, the headline says where and why, same bytes on 1 and 2 threads.
expect_exit 0 "run --svg" -- "$rollsim" run "$edge20" --trials 20 --threads 1 --variant one-at-a-time/as-proposed \
  --svg "$tmp/t1.svg" --csv "$tmp/t.csv" --markdown "$tmp/t.md" --report "$tmp/r.json" -q
expect_exit 0 "run --svg on 2 threads" -- "$rollsim" run "$edge20" --trials 20 --threads 2 \
  --variant one-at-a-time/as-proposed --svg "$tmp/t2.svg" -q
xmllint --noout "$tmp/t1.svg" 2>"$tmp/xml.txt" || fail "the SVG is not valid XML: $(head -c 300 "$tmp/xml.txt")"
cmp -s "$tmp/t1.svg" "$tmp/t2.svg" || fail "the SVG differs between 1 and 2 threads"
contains "$tmp/t1.svg" "edge-proxy-20-nodes: one-at-a-time × as-proposed, trial 0" "SVG title"
contains "$tmp/t1.svg" "Rollout complete at 8:30. Clients got errors from 20 nodes, 514 s in all" "SVG headline"
contains "$tmp/t1.svg" "While the nodes were out of service, the pods were: false-ready (Ready, not serving) 83%" "SVG why"
contains "$tmp/t1.svg" "FALSE-READY: Ready, not serving" "SVG legend"
[[ $(grep -c '<g><title>edge-' "$tmp/t1.svg") == 20 ]] || fail "SVG: expected one row per edge node (20)"

# The CSV: one header, every traced variant, and its Errors windows sum to the SVG's 514 s.
$py - "$tmp/t.csv" <<'PY' || fail "CSV check"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert rows, "no rows"
assert list(rows[0].keys()) == ["strategy","probes","trial","node","lane","pod","state","start","end","seconds","detail","container"], rows[0].keys()
variants = {(r["strategy"], r["probes"]) for r in rows}
assert len(variants) == 12, variants
errors = sum(float(r["seconds"]) for r in rows if r["strategy"] == "one-at-a-time" and r["probes"] == "as-proposed" and r["state"] == "Errors")
assert abs(errors - 514) < 1, errors
states = {r["state"] for r in rows if r["lane"] == "new"}
assert {"Pulling", "Initialising", "FalseReady", "Available"} <= states, states
PY

# The Markdown: the recommendation, the table, the gantt chart.
contains "$tmp/t.md" "### Recommendation: " "Markdown recommendation"
contains "$tmp/t.md" "| variant | done | p50 duration | p90 duration | mean errors (node-s) | p90 errors (node-s) |" "Markdown table"
contains "$tmp/t.md" '```mermaid' "Markdown gantt"
contains "$tmp/t.md" "    section edge-" "Markdown gantt sections"
contains "$tmp/t.md" "false-ready (Ready, not serving) :crit," "Markdown gantt false-ready task"
contains "$tmp/t.md" "*8 of 20 nodes shown" "Markdown gantt limit"
expect_exit 0 "run --markdown with a stall" -- "$rollsim" run "$surge" --trials 10 --markdown "$tmp/s.md" -q
contains "$tmp/s.md" "### Why rollouts stalled" "Markdown stall section"
contains "$tmp/s.md" "surge pod Pending on worker-" "Markdown stall reason"

# explain: the surge-with-hostPort stall in words.
expect_exit 0 "explain surge" -- "$rollsim" explain "$surge" --variant as-proposed
cp "$tmp/out" "$tmp/explain.txt"
contains "$tmp/explain.txt" "the controller creates a new pod on worker-2 (maxSurge 1: 1 of 1 surge pods now in use" "explain: the surge"
contains "$tmp/explain.txt" "the scheduler cannot place the new pod: hostPort 80/TCP held by the old pod. It stays Pending" "explain: Pending"
contains "$tmp/explain.txt" "the rollout is stuck" "explain: stuck"
contains "$tmp/explain.txt" "a hostPort DaemonSet cannot surge" "explain: the lesson"
expect_exit 0 "explain single node" -- "$rollsim" explain "$single" --variant one-at-a-time/as-proposed
cp "$tmp/out" "$tmp/explain1.txt"
contains "$tmp/explain1.txt" "t=0:00  the controller deletes the old pod on edge-0 (maxUnavailable 1: 1 of 1 now in use)" "explain: budget"
contains "$tmp/explain1.txt" "the readiness probe passes, so the new pod is Ready, but the service is still not serving: it serves only at 2:48, 2 min 29 s later" "explain: false-ready"
contains "$tmp/explain1.txt" "no more errors from this node (they lasted 24 s)" "explain: errors"
expect_exit 2 "explain --variant unknown" -- "$rollsim" explain "$single" --variant nope
contains "$tmp/err" "--variant nope: no accepted variant has that name; the variants are:" "explain: bad variant"
contains "$tmp/err" "one-at-a-time/ready-when-serving" "explain: lists the variants"

# recommend --out draws the chosen plan's trial.
expect_exit 3 "recommend --out" -- "$rollsim" recommend "$single" --trials 20 --out "$tmp/plan" -q
xmllint --noout "$tmp/plan/timeline.svg" || fail "recommend's timeline.svg is not valid XML"

# A big cluster is drawn in groups of nodes: at most 200 rows.
expect_exit 0 "run --svg, 1000 nodes" -- "$rollsim" run "$src/tests/scenarios/edge-proxy-1000-nodes.yaml" \
  --trials 1 --variant quarter/as-proposed --svg "$tmp/big.svg" -q
xmllint --noout "$tmp/big.svg" || fail "the grouped SVG is not valid XML"
contains "$tmp/big.svg" "nodes per row" "grouped rows"

# The README's picture is what rollsim draws today.
expect_exit 0 "README picture" -- "$rollsim" run "$single" --trials 100 --variant one-at-a-time/as-proposed --svg "$tmp/readme.svg" -q
cmp -s "$tmp/readme.svg" "$src/docs/images/timeline-edge-proxy-single-node.svg" ||
  fail "docs/images/timeline-edge-proxy-single-node.svg is stale: regenerate it (docs/timeline.md)"

# The legend is the traffic mode's: agents have no clients, so no client errors and "working"
# for "serving"; a test-then-promote row names its third lane.
expect_exit 0 "coverage timeline" -- "$rollsim" run "$src/scenarios/node-exporter-100/scenario.yaml" --trials 2 --variant ten-percent --svg "$tmp/cov.svg" -q
! grep -q "clients get errors" "$tmp/cov.svg" || fail "a coverage timeline's legend shows client errors"
contains "$tmp/cov.svg" "node without a working agent (line)" "coverage legend: the outage line"
contains "$tmp/cov.svg" ">nodes with a working agent (lowest 90)<" "coverage curve legend"
expect_exit 0 "test-then-promote timeline" -- "$rollsim" run "$single" --trials 2 --variant test-then-promote/ready-when-serving --svg "$tmp/ttp.svg" -q
contains "$tmp/ttp.svg" ">old / new / test<" "test-then-promote: the lanes' header"
contains "$tmp/ttp.svg" "lanes of a row: old pod, new pod, test pod (other ports, bottom)" "test-then-promote: the lanes in the legend"
contains "$tmp/ttp.svg" "clients get errors" "hostPort legend: client errors"
finish pictures
