# recommend's gate in CI (docs/recommend.md, "In CI"): -o text|json|sarif|junit and
# --output-file. The SARIF is checked against the SARIF 2.1.0 schema and its locations against the
# scenario's lines; the JUnit is parsed as XML; a passing scenario gives an empty SARIF.
# Usage: bash recommend_ci_test.sh ROLLSIM SOURCE_DIR
source "$2/tests/cli/lib.sh" "$1" "$2"
cd "$tmp" || exit 1
failing="$src/scenarios/edge-proxy-20-nodes/scenario.yaml"  # no plan meets maxErrorSeconds 60
passing="$src/scenarios/node-exporter-100/scenario.yaml"
limits_line=$(grep -n "^  limits:" "$failing" | cut -d: -f1)

expect_exit 3 "recommend -o sarif on a failing gate" -- "$rollsim" recommend "$failing" --trials 20 -o sarif \
  --output-file junit=gate.xml --output-file json=report.json
cp "$tmp/out" gate.sarif
$py "$src/tests/schemas/validate_sarif.py" gate.sarif >"$tmp/v.txt" 2>&1 || fail "the gate's SARIF fails the schema: $(cat "$tmp/v.txt")"
$py - gate.sarif "$failing" "$limits_line" report.json <<'PY' || fail "SARIF: the failed limit at its line, agreeing with the report"
import json, sys
s = json.load(open(sys.argv[1]))
report = json.load(open(sys.argv[4]))
run = s["runs"][0]
rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
assert rules == ["completion", "maxErrorSeconds", "maxRolloutDuration", "maxUncoveredNodes", "noAlerts"], rules
rec = report["recommendation"]
assert rec["acceptable"] is False
results = run["results"]
assert [r["ruleId"] for r in results] == [f["limit"] for f in rec["failedLimits"]] == ["maxErrorSeconds"], results
r = results[0]
loc = r["locations"][0]["physicalLocation"]
assert r["level"] == "error" and rules[r["ruleIndex"]] == "maxErrorSeconds"
assert loc["artifactLocation"]["uri"] == sys.argv[2] and loc["region"]["startLine"] == int(sys.argv[3]), loc
assert r["properties"]["allowed"] == 60 and r["properties"]["value"] == rec["failedLimits"][0]["value"] > 60, r
assert r["properties"]["plan"] == f'{rec["strategy"]} × {rec["probes"]}'
PY
$py - gate.xml <<'PY' || fail "JUnit: one case per limit, maxErrorSeconds failed, maxUncoveredNodes skipped"
import sys, xml.etree.ElementTree as ET
suite = ET.parse(sys.argv[1]).getroot().find("testsuite")
cases = {c.get("name"): c for c in suite.findall("testcase")}
assert list(cases) == ["completion", "maxErrorSeconds", "maxRolloutDuration", "maxUncoveredNodes", "noAlerts"], list(cases)
assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("5", "1", "2"), suite.attrib
assert "exceed maxErrorSeconds 60" in cases["maxErrorSeconds"].find("failure").get("message")
assert cases["maxUncoveredNodes"].find("skipped") is not None
assert cases["completion"].find("failure") is None and cases["completion"].find("skipped") is None
PY

expect_exit 0 "recommend -o sarif on a passing gate" -- "$rollsim" recommend "$passing" --trials 10 -o sarif --output-file junit=pass.xml
cp "$tmp/out" pass.sarif
$py "$src/tests/schemas/validate_sarif.py" pass.sarif >"$tmp/v.txt" 2>&1 || fail "the passing SARIF fails the schema: $(cat "$tmp/v.txt")"
$py -c 'import json,sys; assert json.load(open(sys.argv[1]))["runs"][0]["results"] == []' pass.sarif || fail "a passing gate has no SARIF result"
grep -q 'failures="0"' pass.xml || fail "a passing gate's JUnit has no failure: $(head -c 300 pass.xml)"

expect_exit 0 "--output-file sarif=- takes stdout" -- "$rollsim" recommend "$passing" --trials 5 --output-file sarif=-
$py -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/out" || fail "--output-file sarif=-: stdout is not only the SARIF"
expect_exit 0 "-o json is the report" -- "$rollsim" recommend "$passing" --trials 5 -o json
$py -c 'import json,sys; assert json.load(open(sys.argv[1]))["recommendation"]["acceptable"] is True' "$tmp/out" || fail "-o json: the report with its recommendation"

expect_exit 2 "-o typo" -- "$rollsim" recommend "$passing" -o html --output-file junit=never.xml
contains "$tmp/err" "html: the formats are text, json, sarif and junit" "-o typo: the message"
expect_exit 2 "--output-file without a path" -- "$rollsim" recommend "$passing" --output-file sarif=
contains "$tmp/err" "--output-file sarif=: expected FORMAT=PATH" "--output-file without a path: the message"
[[ ! -e never.xml ]] || fail "a refused format wrote --output-file"
finish recommend-ci
