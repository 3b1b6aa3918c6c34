# Busy, changing clusters end to end (issue #5): the bundled scenarios' acceptance figures, the
# trace, and bad input in the new keys. Usage: dynamics_test.sh ROLLSIM SOURCE_DIR
source "$(dirname "$0")/lib.sh" "$1" "$2"
s="$src/scenarios"
json() {  # json FILE EXPRESSION DESCRIPTION: EXPRESSION (Python, over `v`, the variants by name) is true
  $py - "$1" "$2" <<'PY' || fail "$3: $2"
import json, sys
r = json.load(open(sys.argv[1]))
v = {x["strategy"]: x for x in r["variants"]}
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
}

# §5.3: maxSurge 1 on nodes with room for one collector: Insufficient cpu, then preemption of
# the batch pods by system-node-critical; one-at-a-time waits for the unreachable node (§1.11).
expect_exit 0 "busy-nodes" -- "$rollsim" run "$s/busy-nodes/scenario.yaml" --trials 20 --report "$tmp/busy.json" --trace "$tmp/busy.jsonl"
contains "$tmp/busy.jsonl" '"reason":"Insufficient cpu"' "the surge pod is Pending first"
contains "$tmp/busy.jsonl" '"event":"Preemption"' "the trace shows the preemption"
contains "$tmp/busy.jsonl" '"what":"preempting batch/etl-workers-' "the victim is the batch pod"
contains "$tmp/busy.jsonl" '"what":"node lifecycle controller: Ready=Unknown' "the unreachable node is tainted after the grace period"
json "$tmp/busy.json" 'v["surge-one"]["cluster"]["preemptions"]["mean"] >= 9 and v["one-at-a-time"]["cluster"]["preemptions"]["max"] == 0' "preemptions only with surge"
json "$tmp/busy.json" 'v["one-at-a-time"]["rollout"]["durationSeconds"]["p50"] > 1200 > v["surge-one"]["rollout"]["durationSeconds"]["p50"]' "the unreachable node holds one-at-a-time's budget for its 20 minutes"

# §6: an arm64 node without an arm64 image: ImagePullBackOff, and test-then-promote catches it.
expect_exit 0 "multi-arch" -- "$rollsim" run "$s/multi-arch-missing-image/scenario.yaml" --trials 20 --report "$tmp/arch.json"
contains "$tmp/out" "new pod on graviton-0 in ImagePullBackOff: no linux/arm64 image (the image has amd64)" "the stall names the node and the platform"
contains "$tmp/out" "the test caught the change before the public rollout" "test-then-promote catches it"
json "$tmp/arch.json" 'v["one-at-a-time"]["cluster"]["imagePullBackOffNodes"]["mean"] == 1 and v["test-then-promote"]["rollout"]["promotedFraction"] == 0' "the report counts the node; the public DaemonSet is untouched"

# Shared bottlenecks: a five times larger maxUnavailable is barely faster.
expect_exit 0 "bottlenecks" -- "$rollsim" run "$s/large-cluster-bottlenecks/scenario.yaml" --trials 10 --report "$tmp/big.json"
json "$tmp/big.json" 'v["ten-percent"]["rollout"]["durationSeconds"]["p50"] / v["half"]["rollout"]["durationSeconds"]["p50"] < 1.25' "50% gains less than proportionally over 10%"
json "$tmp/big.json" 'v["half"]["cluster"]["pullSeconds"]["mean"] > 4 * v["ten-percent"]["cluster"]["pullSeconds"]["mean"]' "pulls slow down as they share the registry"

# Bad input in the new keys: exit 2, the file, the line and the key.
bad() {  # bad DESCRIPTION EXPECTED-TEXT: the scenario in $tmp/bad.yaml is refused
  expect_exit 2 "$1" -- "$rollsim" validate "$tmp/bad.yaml"
  contains "$tmp/err" "$2" "$1"
}
base() {
  cat <<YAML
apiVersion: rollsim.io/v1alpha1
kind: Scenario
metadata: {name: bad}
spec:
  cluster:
    nodePools: [{name: w, count: 2}]
$1
  daemonSet:
    current:
      apiVersion: apps/v1
      kind: DaemonSet
      metadata: {name: d}
      spec:
        selector: {matchLabels: {app: d}}
        template:
          metadata: {labels: {app: d}}
          spec:
            priorityClassName: $2
            containers: [{name: c, image: "c:1"}]
    change: {image: "c:2"}
$3
YAML
}
base "" system-node-critical "  events: [{at: 10s, action: Reboot, nodes: [w-0]}]" >"$tmp/bad.yaml"
bad "unknown action" "bad.yaml:21: spec.events[0].action: must be one of Unreachable, NotReady, Ready"
base "" system-node-critical "  events: [{at: 10s, action: Cordon, nodes: [w-9]}]" >"$tmp/bad.yaml"
bad "unknown node" "spec.events[0].nodes[0]: no node named \"w-9\""
base "" system-node-critical "  events: [{ratePerHour: 2, action: DiskPressure, pool: w}]" >"$tmp/bad.yaml"
bad "a rate without a duration" "an event with ratePerHour needs \`for\`"
base "" gold "" >"$tmp/bad.yaml"
bad "unknown priority class" "no PriorityClass with name gold was found"
base "    registry: {bandwidth: 0}" system-node-critical "" >"$tmp/bad.yaml"
bad "zero bandwidth" "spec.cluster.registry.bandwidth: must be above 0"
finish dynamics
