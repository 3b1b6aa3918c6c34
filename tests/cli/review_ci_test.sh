# review in CI (docs/review.md, "In CI"): -o sarif|junit|json|markdown, --output-file, --fail-on,
# and suppressions (the rollsim.io/ignore annotation, .rollsim.yaml), each checked for real:
# SARIF against the SARIF 2.1.0 schema, JUnit as XML, locations against the manifest's lines.
# Usage: bash review_ci_test.sh ROLLSIM SOURCE_DIR
source "$2/tests/cli/lib.sh" "$1" "$2"
v1="$src/scenarios/edge-proxy-single-node/manifests/edge-proxy-v1.yaml"
v2="$src/scenarios/edge-proxy-single-node/manifests/edge-proxy-v2.yaml"
cd "$tmp" || exit 1
sed 's/maxUnavailable: 1$/maxUnavailable: 0\n      maxSurge: 1/' "$v2" >surge.yaml
surge_line=$(grep -n "maxSurge: 1" surge.yaml | cut -d: -f1)
container_line=$(grep -n "^        - name: proxy" surge.yaml | cut -d: -f1)

expect_exit 3 "review -o sarif: blocked" -- "$rollsim" review --current "$v1" --proposed surge.yaml --trials 10 -o sarif \
  --output-file junit=review.xml --output-file json=review.json
cp "$tmp/out" review.sarif
$py "$src/tests/schemas/validate_sarif.py" review.sarif >"$tmp/v.txt" 2>&1 || fail "the SARIF fails the SARIF 2.1.0 schema: $(cat "$tmp/v.txt")"
$py - review.sarif surge.yaml "$surge_line" "$container_line" <<'PY' || fail "SARIF: rules, results and their lines"
import json, sys
s = json.load(open(sys.argv[1]))
surge_line, container_line = int(sys.argv[3]), int(sys.argv[4])
run = s["runs"][0]
rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
assert "surge-with-host-port" in rules and len(rules) == len(set(rules)), rules
by_id = {r["ruleId"]: r for r in run["results"]}
surge = by_id["surge-with-host-port"]
assert surge["level"] == "error" and rules[surge["ruleIndex"]] == "surge-with-host-port", surge
loc = surge["locations"][0]["physicalLocation"]
assert loc["artifactLocation"]["uri"] == sys.argv[2] and loc["region"]["startLine"] == surge_line, loc
assert surge["properties"]["field"] == "spec.updateStrategy.rollingUpdate.maxSurge"
pre = by_id["pre-stop-shorter-than-detection"]  # no lifecycle key: the container's line
assert pre["level"] == "warning" and pre["locations"][0]["physicalLocation"]["region"]["startLine"] == container_line, pre
PY
$py - review.xml <<'PY' || fail "JUnit: one case per finding id, the surge one failed"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suite = root.find("testsuite")
cases = {c.get("name"): c for c in suite.findall("testcase")}
assert int(suite.get("tests")) == len(cases) and len(cases) >= 20, suite.attrib
assert cases["surge-with-host-port"].find("failure") is not None
assert cases["surge-with-host-port"].find("failure").get("type") == "blocking"
assert cases["selector-change"].find("failure") is None
assert int(suite.get("failures")) >= 2, suite.attrib
PY
contains review.json '"field": "spec.updateStrategy.rollingUpdate.maxSurge"' "JSON: the finding's field"
contains review.json "\"line\": $surge_line" "JSON: the finding's line"

# The real-world corpus: each DaemonSet with an image bump and with maxSurge 1; every SARIF is
# schema-valid and every result points at a line of the manifest that holds its key (or the
# deepest part of it the manifest has).
mkdir -p corpus
for f in "$src"/tests/corpus/*.yaml; do
  n=$(basename "$f" .yaml)
  sed -E 's|^(\s*(- )?image: "?)([^" ]*)("?)$|\1\3-next\4|' "$f" >"corpus/$n-next.yaml"
  "$rollsim" review --current "$f" --proposed "corpus/$n-next.yaml" --trials 5 -o sarif --fail-on never >"corpus/$n.sarif" 2>"$tmp/err" ||
    fail "corpus $n: review -o sarif failed: $(head -c 300 "$tmp/err")"
done
$py "$src/tests/schemas/validate_sarif.py" corpus/*.sarif >"$tmp/v.txt" 2>&1 || fail "a corpus SARIF fails the schema: $(head -c 600 "$tmp/v.txt")"
$py - corpus <<'PY' || fail "corpus SARIF: each result at a line holding its key"
import glob, json, re, sys
results = 0
for path in glob.glob(sys.argv[1] + "/*.sarif"):
    for r in json.load(open(path))["runs"][0]["results"]:
        loc = r["locations"][0]["physicalLocation"]
        lines = open(loc["artifactLocation"]["uri"]).read().split("\n")
        line = lines[loc["region"]["startLine"] - 1]
        words = [w for part in r["properties"]["field"].split(".") for w in re.split(r"[\[\]]", part) if w]
        assert any(w in line for w in words), (path, r["ruleId"], r["properties"]["field"], line)
        results += 1
assert results >= 13, results
PY

# --fail-on: never passes a blocked change; warning fails a change with only warnings.
expect_exit 0 "--fail-on never" -- "$rollsim" review --current "$v1" --proposed surge.yaml --trials 5 --fail-on never --quiet
expect_exit 0 "warnings only, --fail-on blocking" -- "$rollsim" review --current "$v1" --proposed "$v2" --trials 5 --quiet
expect_exit 3 "warnings only, --fail-on warning" -- "$rollsim" review --current "$v1" --proposed "$v2" --trials 5 --quiet --fail-on warning
expect_exit 2 "--fail-on typo" -- "$rollsim" review --current "$v1" --proposed "$v2" --fail-on sometimes
contains "$tmp/err" "--fail-on sometimes: must be blocking, warning or never" "--fail-on typo: the message"
expect_exit 2 "-o typo" -- "$rollsim" review --current "$v1" --proposed "$v2" -o html
contains "$tmp/err" "html: the formats are markdown, json, sarif and junit" "-o typo: the message"

# Suppressed by the DaemonSet's annotation: listed as suppressed, and it no longer blocks.
awk '{print} /^  name: edge-proxy$/ && !done {print "  annotations:"; print "    rollsim.io/ignore: \"surge-with-host-port: staging nodes have no clients; pre-stop-shorter-than-detection: the LB drains itself\""; done=1}' \
  surge.yaml >accepted.yaml
grep -q "rollsim.io/ignore" accepted.yaml || fail "the fixture has no annotation"
expect_exit 0 "suppressed by rollsim.io/ignore" -- "$rollsim" review --current "$v1" --proposed accepted.yaml --trials 5 \
  --output-file sarif=accepted.sarif
contains "$tmp/out" '~~blocking~~ suppressed `surge-with-host-port`' "Markdown: the suppressed finding is listed"
contains "$tmp/out" "Suppressed: staging nodes have no clients" "Markdown: the suppression's reason"
$py "$src/tests/schemas/validate_sarif.py" accepted.sarif >"$tmp/v.txt" 2>&1 || fail "the suppressed SARIF fails the schema: $(cat "$tmp/v.txt")"
contains accepted.sarif '"justification": "staging nodes have no clients"' "SARIF: the suppression and its justification"

# Suppressed by .rollsim.yaml in the current directory (and --config elsewhere).
cat >.rollsim.yaml <<'YAML'
ignore:
  - {finding: surge-with-host-port, reason: "a one-node staging pool", daemonSet: edge/edge-proxy}
  - {finding: surge-with-host-port, reason: "never applies: another DaemonSet", daemonSet: kube-system/other}
YAML
expect_exit 0 "suppressed by .rollsim.yaml" -- "$rollsim" review --current "$v1" --proposed surge.yaml --trials 5
contains "$tmp/out" "Suppressed: a one-node staging pool" "the config's reason"
mkdir -p elsewhere && mv .rollsim.yaml elsewhere/rollsim.yaml
expect_exit 3 "no config here: blocked again" -- "$rollsim" review --current "$v1" --proposed surge.yaml --trials 5 --quiet
expect_exit 0 "--config FILE" -- "$rollsim" review --current "$v1" --proposed surge.yaml --trials 5 --quiet --config elsewhere/rollsim.yaml

# A suppression of a finding that does not exist, or without a reason: exit 2, nothing written.
printf 'ignore:\n  - {finding: surge-with-hostport, reason: typo}\n' >typo.yaml
rm -f never.json
expect_exit 2 "a suppression of an unknown finding" -- "$rollsim" review --current "$v1" --proposed surge.yaml --config typo.yaml \
  --json never.json
contains "$tmp/err" 'typo.yaml:2: "surge-with-hostport" is not a finding rollsim reports (did you mean "surge-with-host-port"?)' \
  "an unknown finding: the message"
[[ ! -e never.json ]] || fail "an unknown finding: the JSON was written"
sed 's/surge-with-host-port: staging nodes have no clients; //' accepted.yaml | sed 's/pre-stop-shorter-than-detection: the LB drains itself/surge-with-host-port/' >noreason.yaml
expect_exit 2 "an annotation without a reason" -- "$rollsim" review --current "$v1" --proposed noreason.yaml
contains "$tmp/err" '"surge-with-host-port": give the finding and why, as FINDING: reason' "no reason: the message"
finish review-ci
