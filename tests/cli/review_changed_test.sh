# tools/ci/review-changed.sh, which the pre-commit hook and the GitHub Action run: in a scratch
# git repository, a changed DaemonSet is reviewed against its committed version, files that are
# not DaemonSets or are new are skipped, the SARIF gathers every review, and the exit code is the
# worst verdict.
# Usage: bash review_changed_test.sh ROLLSIM SOURCE_DIR
source "$2/tests/cli/lib.sh" "$1" "$2"
script="$src/tools/ci/review-changed.sh"
v1="$src/scenarios/edge-proxy-single-node/manifests/edge-proxy-v1.yaml"
v2="$src/scenarios/edge-proxy-single-node/manifests/edge-proxy-v2.yaml"
repo=$tmp/repo
mkdir -p "$repo/deploy" && cd "$repo" || exit 1
git init -q . && git config user.email t@example.invalid && git config user.name test
cp "$v1" deploy/edge-proxy.yaml
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n' >deploy/config.yaml
git add . && git commit -qm "v1"
# A change with warnings only, an unrelated file, and a new DaemonSet.
cp "$v2" deploy/edge-proxy.yaml
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n' >deploy/config.yaml
cp "$v1" deploy/new-ds.yaml && git add deploy/new-ds.yaml
expect_exit 0 "a change with warnings" -- "$script" --base HEAD --rollsim "$rollsim" --sarif "$tmp/ok.sarif" -- --trials 5
contains "$tmp/out" "## rollsim review of edge/edge-proxy: passes, with warnings" "the Markdown of the review"
contains "$tmp/err" "reviewed 1 changed DaemonSet manifest(s) since HEAD" "one DaemonSet reviewed"
contains "$tmp/err" "deploy/new-ds.yaml is new since HEAD" "a new DaemonSet is skipped, said"
$py "$src/tests/schemas/validate_sarif.py" "$tmp/ok.sarif" >"$tmp/v.txt" 2>&1 || fail "the gathered SARIF fails the schema: $(cat "$tmp/v.txt")"
# A blocking change: exit 3, and the SARIF has its error at the manifest's line.
sed 's/maxUnavailable: 1$/maxUnavailable: 0\n      maxSurge: 1/' "$v2" >deploy/edge-proxy.yaml
expect_exit 3 "a blocking change" -- "$script" --base HEAD --rollsim "$rollsim" --sarif "$tmp/blocked.sarif" -- --trials 5
$py - "$tmp/blocked.sarif" "$(grep -n 'maxSurge: 1' deploy/edge-proxy.yaml | cut -d: -f1)" <<'PY' || fail "the blocking change's SARIF result"
import json, sys
log = json.load(open(sys.argv[1]))
assert len(log["runs"]) == 1, len(log["runs"])
r = [x for x in log["runs"][0]["results"] if x["ruleId"] == "surge-with-host-port"][0]
loc = r["locations"][0]["physicalLocation"]
assert r["level"] == "error" and loc["artifactLocation"]["uri"] == "deploy/edge-proxy.yaml", r
assert loc["region"]["startLine"] == int(sys.argv[2]), loc
PY
# pre-commit mode: the files it passes; --fail-on never passes the same change.
expect_exit 0 "the files pre-commit passes, --fail-on never" -- "$script" --base HEAD --rollsim "$rollsim" \
  deploy/edge-proxy.yaml deploy/config.yaml -- --trials 5 --fail-on never
# A manifest that does not parse: exit 2.
printf 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: edge-proxy\n' >deploy/edge-proxy.yaml
expect_exit 2 "a broken manifest" -- "$script" --base HEAD --rollsim "$rollsim" -- --trials 5
finish review-changed
