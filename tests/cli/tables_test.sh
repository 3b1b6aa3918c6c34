# Tables that read right (docs/report.md, "The table"): one statistic per column, named with its
# unit; durations in s, min or h, never m (milli to Kubernetes users); stalled and caught
# variants in groups of their own, after the plans that finish; the frontier's recommended plan.
# Usage: bash tables_test.sh ROLLSIM SOURCE_DIR
source "$2/tests/cli/lib.sh" "$1" "$2"
cd "$tmp" || exit 1
# No output of run or recommend, text or Markdown, on any bundled or test scenario writes "m"
# for minutes.
for s in "$src"/scenarios/*/scenario.yaml "$src"/tests/scenarios/*.yaml; do
  "$rollsim" run "$s" --trials 5 --markdown t.md >t.txt 2>/dev/null
  "$rollsim" recommend "$s" --trials 5 >>t.txt 2>/dev/null
  cat t.md >>t.txt 2>/dev/null
  if grep -qE '\b[0-9]+(\.[0-9]+)?m\b' t.txt; then
    fail "$s: minutes written as m: $(grep -oE '.{20}\b[0-9]+(\.[0-9]+)?m\b' t.txt | head -2)"
  fi
done

# The surge that stalls on its host port: apart, after the plan that finishes, though its
# numbers (no errors, everything serving) would look best.
expect_exit 0 "run surge-hostport-stall" -- "$rollsim" run "$src/scenarios/surge-hostport-stall/scenario.yaml" --trials 10
$py - "$tmp/out" <<'PY' || fail "the stalled surge is in its own group, after the finished plan"
import sys
lines = open(sys.argv[1]).read().splitlines()
head = next(i for i, l in enumerate(lines) if l.startswith("variant "))
cols = lines[head].split("  ")
assert [c.strip() for c in cols if c.strip()][:5] == ["variant", "done", "p50 duration", "p90 duration", "mean errors"], cols
assert "node-s" in lines[head + 1], lines[head + 1]
finished = lines.index("finished in every trial")
unfinished = lines.index("not finished in every trial:")
good = next(i for i, l in enumerate(lines) if l.startswith("  one-at-a-time × as-proposed"))
bad = next(i for i, l in enumerate(lines) if l.startswith("  as-proposed × as-proposed"))
assert finished < good < unfinished < bad, (finished, good, unfinished, bad)
assert lines[bad].split()[3] == "0%", lines[bad]
PY

# The test that caught a missing image: "caught by the test phase", not stalled.
expect_exit 0 "run multi-arch-missing-image" -- "$rollsim" run "$src/scenarios/multi-arch-missing-image/scenario.yaml" --trials 10 --report r.json
$py - "$tmp/out" r.json <<'PY' || fail "the caught test-then-promote is in the caught group, with caughtFraction 1"
import json, sys
lines = open(sys.argv[1]).read().splitlines()
caught = lines.index("caught by the test phase:")
row = next(i for i, l in enumerate(lines) if l.startswith("  test-then-promote × as-proposed"))
unfinished = lines.index("not finished in every trial:")
assert caught < row < unfinished, (caught, row, unfinished)
v = {x["strategy"]: x for x in json.load(open(sys.argv[2]))["variants"]}
assert v["test-then-promote"]["rollout"]["caughtFraction"] == 1.0
lo, hi = v["test-then-promote"]["rollout"]["caughtFractionCi95"]
assert abs(lo - 0.025 ** 0.1) < 1e-9 and hi == 1.0, (lo, hi)  # Clopper-Pearson, 10 of 10
assert v["one-at-a-time"]["rollout"]["caughtFraction"] == 0.0
PY

# recommend: the recommended plan is on the frontier list, marked; false-ready plans are left out.
expect_exit 3 "recommend edge-proxy-20-nodes" -- "$rollsim" recommend "$src/scenarios/edge-proxy-20-nodes/scenario.yaml" --trials 20 --out plan
contains "$tmp/out" "differences inside the 95% intervals are ties" "the frontier's rule"
$py - "$tmp/out" plan/report.json <<'PY' || fail "the frontier: the recommended plan shown, the false-ready plans left out"
import json, sys
text = open(sys.argv[1]).read()
rec = json.load(open(sys.argv[2]))["recommendation"]
marked = [p for p in rec["paretoFrontier"] if p["recommended"]]
assert len(marked) == 1 and (marked[0]["strategy"], marked[0]["probes"]) == (rec["strategy"], rec["probes"]), marked
assert rec["frontierHarm"] == "errorSeconds"
assert all(p["probes"] != "as-proposed" for p in rec["paretoFrontier"]), rec["paretoFrontier"]
assert len(rec["frontierLeftOutFalseReady"]) == 6, rec["frontierLeftOutFalseReady"]
name = f'{rec["strategy"]} × {rec["probes"]}  (recommended'
assert name in text, name
PY
finish tables
