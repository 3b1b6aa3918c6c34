# kubectl rollsim (docs/kubectl-plugin.md): the binary as a kubectl plugin, against a fake
# kubectl on PATH that serves a recorded 60-node cluster with the DaemonSet mid-rollout. The
# plugin's review must equal the file-based review of what it saved; kubectl's failures and a
# missing kubectl are exit 2 with a clear message, and nothing is written.
# Usage: bash kubectl_plugin_test.sh ROLLSIM SOURCE_DIR
source "$2/tests/cli/lib.sh" "$1" "$2"
$py "$src/tests/cli/cluster_records.py" "$tmp/cluster" --cluster 60
mkdir -p "$tmp/bin"
ln -s "$rollsim" "$tmp/bin/kubectl-rollsim"
cp "$src/tests/cli/fake-kubectl" "$tmp/bin/kubectl"
export FAKE_KUBECTL_DIR="$tmp/cluster"
plugin=(env PATH="$tmp/bin:/usr/bin:/bin" kubectl-rollsim)

expect_exit 0 "kubectl rollsim help" -- "${plugin[@]}" help
contains "$tmp/out" "kubectl rollsim review -f PROPOSED.yaml" "plugin help"

# review -f proposed.yaml -n edge --context, saved, against the file-based review of the saved files.
cd "$tmp" || exit 1
expect_exit 0 "kubectl rollsim review" -- "${plugin[@]}" review -f "$tmp/cluster/proposed.yaml" -n edge \
  --context prod-eu --kubeconfig "$tmp/kubeconfig" --save saved --trials 20 --json "$tmp/plugin.json"
for f in daemonset nodes pods priorityclasses events controllerrevisions; do
  [[ -s saved/$f.json ]] || fail "plugin: --save wrote no $f.json"
  cmp -s "saved/$f.json" "$tmp/cluster/$f.json" || fail "plugin: saved/$f.json is not what kubectl printed"
done
[[ -x saved/rerun.sh && -s saved/proposed.yaml ]] || fail "plugin: --save wrote no rerun.sh or proposed.yaml"
grep -q -- "--context=prod-eu" "$tmp/cluster/calls.log" || fail "plugin: kubectl was not given --context"
grep -q -- "--kubeconfig=$tmp/kubeconfig" "$tmp/cluster/calls.log" || fail "plugin: kubectl was not given --kubeconfig"
grep -q "get daemonset edge-proxy -o json -n edge" "$tmp/cluster/calls.log" || fail "plugin: the DaemonSet was not read in -n edge"
grep -q "get pods --all-namespaces -o json" "$tmp/cluster/calls.log" || fail "plugin: the pods were not read in every namespace"
expect_exit 0 "the file-based review of the saved files" -- "$rollsim" review --current saved/daemonset.json \
  --proposed saved/proposed.yaml --nodes saved/nodes.json --pods saved/pods.json --name edge-proxy --namespace edge \
  --trials 20 --json "$tmp/files.json"
cmp -s "$tmp/plugin.json" "$tmp/files.json" || fail "plugin: its review differs from the file-based review of the saved files"
contains "$tmp/plugin.json" '"verdict"' "plugin: the review JSON"
$py - "$tmp/plugin.json" <<'PY' || fail "plugin: the review ran on the 60 recorded nodes"
import json, sys
j = json.load(open(sys.argv[1]))
text = json.dumps(j)
assert "edge/edge-proxy" in text, text[:300]
PY
# rerun.sh: the same command line on the saved files, its --json included.
cp "$tmp/plugin.json" "$tmp/plugin-first.json"
mkdir -p "$tmp/path" && ln -sf "$rollsim" "$tmp/path/rollsim"
expect_exit 0 "saved/rerun.sh repeats it" -- env PATH="$tmp/path:/usr/bin:/bin" saved/rerun.sh
cmp -s "$tmp/plugin.json" "$tmp/plugin-first.json" || fail "plugin: rerun.sh does not give the same review"

# run --daemonset NS/NAME: a scenario over the saved files.
expect_exit 0 "kubectl rollsim run" -- "${plugin[@]}" run --daemonset edge/edge-proxy -f "$tmp/cluster/proposed.yaml" \
  --save run-saved --trials 5 --report "$tmp/run.json" --quiet
[[ -s run-saved/scenario.yaml ]] || fail "plugin run: no scenario.yaml saved"
expect_exit 0 "the saved scenario reproduces the run offline" -- "$rollsim" run run-saved/scenario.yaml --trials 5 \
  --report "$tmp/run-offline.json" --quiet
cmp -s "$tmp/run.json" "$tmp/run-offline.json" || fail "plugin run: the saved scenario gives another report"
expect_exit 0 "validate the saved scenario" -- "$rollsim" validate run-saved/scenario.yaml
contains "$tmp/out" "60 nodes" "plugin run: the scenario has the 60 recorded nodes"

# calibrate --daemonset: the live pods and events.
expect_exit 0 "kubectl rollsim calibrate" -- "${plugin[@]}" calibrate --daemonset edge/edge-proxy
contains "$tmp/out" "imagePull:" "plugin calibrate: pulls from the live events"

# Failures: exit 2, kubectl's own words, nothing written.
failing() {  # failing DESCRIPTION MESSAGE ENV... -- ARGS...
  local what=$1 want=$2; shift 2
  local envs=()
  while [[ $1 != -- ]]; do envs+=("$1"); shift; done
  shift
  rm -rf "$tmp/none"
  expect_exit 2 "plugin: $what" -- env "${envs[@]}" PATH="$tmp/bin:/usr/bin:/bin" kubectl-rollsim "$@" --save "$tmp/none/saved"
  contains "$tmp/err" "$want" "plugin: $what: the message"
  [[ ! -e $tmp/none/saved/daemonset.json ]] || fail "plugin: $what: files were written"
}
failing "forbidden" 'kubectl failed (exit 1): Error from server (Forbidden): nodes is forbidden: User "dev@example.com" cannot list' \
  FAKE_KUBECTL_FAIL=forbidden:nodes -- review -f "$tmp/cluster/proposed.yaml" -n edge
failing "not found" 'kubectl failed (exit 1): Error from server (NotFound): daemonsets.apps "kube-proxy" not found' \
  FAKE_KUBECTL_FAIL= -- run --daemonset kube-system/kube-proxy
failing "a timeout" "Unable to connect to the server: net/http: request canceled (Client.Timeout exceeded while awaiting headers)" \
  FAKE_KUBECTL_FAIL=timeout -- review -f "$tmp/cluster/proposed.yaml" -n edge
mkdir -p "$tmp/nokubectl"
ln -s "$rollsim" "$tmp/nokubectl/kubectl-rollsim"
rm -rf "$tmp/none"
expect_exit 2 "plugin: no kubectl on PATH" -- env PATH="$tmp/nokubectl" kubectl-rollsim review -f "$tmp/cluster/proposed.yaml" \
  --save "$tmp/none/saved"
contains "$tmp/err" "kubectl is not on PATH" "plugin: no kubectl: the message"
expect_exit 2 "plugin: review without -f" -- "${plugin[@]}" review -n edge
contains "$tmp/err" "kubectl rollsim review needs -f PROPOSED.yaml" "plugin: review without -f: the message"
finish kubectl-plugin
