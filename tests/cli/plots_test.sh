# Pictures of many trials (docs/timeline.md, "Pictures of many trials"): run --plots DIR and
# recommend --out DIR draw cdf-duration.svg, cdf-harm.svg and tradeoff.svg. Each is valid XML; the
# CDF's points are the report's percentiles; the trade-off's points are the variants' p90s, with
# the limits and the recommended plan; the same bytes on 1 and 2 threads.
# Usage: bash plots_test.sh ROLLSIM SOURCE_DIR
source "$2/tests/cli/lib.sh" "$1" "$2"
cd "$tmp" || exit 1
edge="$src/scenarios/edge-proxy-20-nodes/scenario.yaml"
expect_exit 0 "run --plots" -- "$rollsim" run "$edge" --trials 60 --plots p1 --report r.json --per-trial trials.csv --threads 1 -q
expect_exit 0 "run --plots, 2 threads" -- "$rollsim" run "$edge" --trials 60 --plots p2 --threads 2 -q
for f in cdf-duration.svg cdf-harm.svg tradeoff.svg; do
  cmp -s "p1/$f" "p2/$f" || fail "$f differs between 1 and 2 threads"
done
$py - r.json p1 <<'PY' || fail "the pictures' numbers are the report's"
import json, sys, xml.etree.ElementTree as ET
ns = {"s": "http://www.w3.org/2000/svg"}
report = json.load(open(sys.argv[1]))
variants = {f'{v["strategy"]} × {v["probes"]}': v for v in report["variants"] if v["accepted"]}

def plot(path):
    root = ET.parse(path).getroot()
    g = root.find("s:g[@class='plot']", ns)
    x0, x1, xs = (float(g.get(k)) for k in ("data-x-min", "data-x-max", "data-x-scale"))
    y0, y1, ys = (float(g.get(k)) for k in ("data-y-min", "data-y-max", "data-y-scale"))
    return root, g, (lambda px: (px - x0) / (x1 - x0) * xs), (lambda py: (y0 - py) / (y0 - y1) * ys)

for name, measure, section in (("cdf-duration.svg", "durationSeconds", "rollout"), ("cdf-harm.svg", "errorSeconds", "traffic")):
    root, g, data_x, data_y = plot(f"{sys.argv[2]}/{name}")
    lines = g.findall("s:polyline[@class='cdf']", ns)
    assert len(lines) == len(variants) == 12, (name, len(lines))
    for line in lines:
        q = variants[line.get("data-variant")][section][measure]["quantiles"]
        assert [float(x) for x in line.get("data-quantiles").split()] == q, "the CDF's values are exactly the report's percentiles"
        pts = [tuple(map(float, p.split(","))) for p in line.get("points").split()]
        assert len(pts) == 101, len(pts)
        span = max(q) or 1
        for k, (px, py) in enumerate(pts):
            # Pixels are written to 0.01: about 0.002% of the axis.
            assert abs(data_x(px) - q[k]) <= 2e-4 * span + 1e-9 * abs(q[k]) + 0.05, (name, line.get("data-variant"), k, data_x(px), q[k])
            assert abs(data_y(py) - k / 100) < 1e-3, (k, data_y(py))
    headline = " ".join(t.text for t in root.findall("s:text[@class='headline']", ns))
    p90 = {n: v[section][measure]["p90"] for n, v in variants.items()}
    assert headline.startswith(min(p90, key=p90.get)), (headline, min(p90, key=p90.get))

# The report's percentiles are the per-trial values' own, exactly (numpy's linear interpolation).
import csv, math
rows = list(csv.DictReader(open("trials.csv", newline="")))
for n, v in variants.items():
    s, p = n.split(" × ")
    for measure, section in (("durationSeconds", "rollout"), ("errorSeconds", "traffic")):
        xs = sorted(float(r[measure]) for r in rows if r["strategy"] == s and r["probes"] == p and r[measure] != "")
        want = []
        for k in range(101):
            pos = (k / 100.0) * (len(xs) - 1)
            lo = math.floor(pos)
            hi = min(lo + 1, len(xs) - 1)
            want.append(xs[lo] + (pos - lo) * (xs[hi] - xs[lo]))
        assert want == v[section][measure]["quantiles"], (n, measure)

root, g, data_x, data_y = plot(f"{sys.argv[2]}/tradeoff.svg")
points = g.findall("s:circle[@class='plan']", ns)
assert len(points) == 12, len(points)
for c in points:
    v = variants[c.get("data-variant")]
    assert abs(float(c.get("data-duration-p90")) - v["rollout"]["durationSeconds"]["p90"]) < 1e-3 * v["rollout"]["durationSeconds"]["p90"]
    assert abs(float(c.get("data-harm-p90")) - v["traffic"]["errorSeconds"]["p90"]) < 1e-3 * v["traffic"]["errorSeconds"]["p90"]
    assert abs(data_x(float(c.get("cx"))) - v["rollout"]["durationSeconds"]["p90"]) < 0.5
limits = g.findall("s:line[@class='limit']", ns)
assert len(limits) == 2, len(limits)  # maxRolloutDuration 2h and maxErrorSeconds 60
assert abs(data_x(float(limits[0].get("x1"))) - 7200) < 1, limits[0].attrib
assert abs(data_y(float(limits[1].get("y1"))) - 60) < 0.1, limits[1].attrib
big = [c for c in points if c.get("r") == "9"]
assert len(big) == 1, "one recommended plan"
headline = " ".join(t.text for t in root.findall("s:text[@class='headline']", ns))
assert headline.startswith("Recommended: " + big[0].get("data-variant")), headline
assert "0 of 12 plans that finish are inside the limits" in headline, headline
PY

# Coverage mode: the harm is uncovered node-seconds; the surge that stalls is not on the trade-off.
expect_exit 0 "run --plots, coverage" -- "$rollsim" run "$src/scenarios/node-exporter-100/scenario.yaml" --trials 20 --plots cov -q
contains cov/cdf-harm.svg "the uncovered node-seconds over 20 trials" "coverage: the harm CDF"
contains cov/tradeoff.svg "1 plan not drawn: it does not finish in" "coverage: the unfinished plan said"
contains cov/tradeoff.svg "maxUncoveredNodes" "coverage: its limit"

# recommend --out draws them too.
expect_exit 3 "recommend --out" -- "$rollsim" recommend "$edge" --trials 20 --out plan
for f in cdf-duration.svg cdf-harm.svg tradeoff.svg; do
  [[ -s plan/$f ]] || fail "recommend --out wrote no $f"
  $py -c 'import sys, xml.etree.ElementTree as ET; ET.parse(sys.argv[1])' "plan/$f" || fail "plan/$f is not XML"
done
# The probe grid's heatmap: a cell per grid point, its numbers the report's.
expect_exit 0 "run --plots, probe grid" -- "$rollsim" run "$src/tests/scenarios/probe-grid.yaml" --trials 10 --plots grid --report grid.json -q
$py - grid.json grid/heatmap-probe-grid.svg <<'PY' || fail "the probe grid's heatmap"
import json, sys, xml.etree.ElementTree as ET
ns = {"s": "http://www.w3.org/2000/svg"}
report = json.load(open(sys.argv[1]))
cells = ET.parse(sys.argv[2]).getroot().findall(".//s:g[@class='cell']", ns)
grid = {v["probes"]: v for v in report["variants"] if v["probes"].startswith("grid-")}
assert len(cells) == len(grid) == 4, (len(cells), len(grid))
for c in cells:
    v = grid[f'grid-r{c.get("data-x")}-d0-f3-s{c.get("data-y").rstrip("s")}']
    assert float(c.get("data-completed")) == v["rollout"]["completedFraction"]
    assert abs(float(c.get("data-harm-p90")) - v["traffic"]["errorSeconds"]["p90"]) <= 1e-4 * max(1, v["traffic"]["errorSeconds"]["p90"])
PY
[[ ! -e p1/heatmap-probe-grid.svg ]] || fail "a heatmap without a probe grid"

# The sweep's heatmap, from sweep and from merge: the same picture; a cell per point and variant.
grid_file="$src/tests/scenarios/grid-edge.yaml"
single="$src/scenarios/edge-proxy-single-node/scenario.yaml"
expect_exit 0 "sweep --heatmap" -- "$rollsim" sweep "$single" --grid "$grid_file" --trials 10 --out sweep.json --heatmap sweep.svg -q
for i in 0 1; do
  expect_exit 0 "sweep shard $i" -- "$rollsim" sweep "$single" --grid "$grid_file" --trials 10 --shard "$i/2" --out "shard$i.json" -q
done
expect_exit 0 "merge --heatmap" -- "$rollsim" merge shard0.json shard1.json --out merged.json --heatmap merged.svg -q
cmp -s sweep.svg merged.svg || fail "merge --heatmap differs from sweep --heatmap"
$py - sweep.json sweep.svg <<'PY' || fail "the sweep's heatmap"
import json, sys, xml.etree.ElementTree as ET
ns = {"s": "http://www.w3.org/2000/svg"}
sweep = json.load(open(sys.argv[1]))
cells = ET.parse(sys.argv[2]).getroot().findall(".//s:g[@class='cell']", ns)
accepted = sum(1 for p in sweep["points"] for v in p["report"]["variants"] if v["accepted"])
assert len(cells) == accepted == 6 * 6, (len(cells), accepted)
keys = sweep["grid"]["keys"]
p = next(p for p in sweep["points"] if p["values"][keys[0]] == "240s" and p["values"][keys[1]] == 3)
v = p["report"]["variants"][0]
title = f'{v["strategy"]} × {v["probes"]}: {keys[0]} = 240s, {keys[1]} = 3'
c = next(c for c in cells if c.find("s:title", ns).text.startswith(title))
assert abs(float(c.get("data-harm-p90")) - v["traffic"]["errorSeconds"]["p90"]) < 1e-3
assert abs(float(c.get("data-duration-p90")) - v["rollout"]["durationSeconds"]["p90"]) < 1e-3
PY

# A --plots path that is a file: exit 2, nothing written.
touch afile
expect_exit 2 "--plots onto a file" -- "$rollsim" run "$edge" --trials 5 --plots afile --report never.json -q
[[ ! -e never.json ]] || fail "--plots onto a file wrote the report"
finish plots
