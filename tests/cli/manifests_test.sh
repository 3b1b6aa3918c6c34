#!/usr/bin/env bash
# Manifests in and out through the real binary (issue #4): scenarios built from unchanged
# kubectl and Helm output; `recommend --out` writes manifests that pass the strict 1.31 schema,
# keep the user's fields, and give the test DaemonSet disjoint selectors and its own ports.
# Usage: manifests_test.sh ROLLSIM SOURCE_DIR
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh" "$1" "$2"

# The default scenario: every file written, each manifest valid, selectors and ports disjoint.
expect_exit 3 "recommend the default scenario" -- "$rollsim" recommend "$src/scenarios/edge-proxy-single-node/scenario.yaml" --trials 50 --out "$tmp/default"
for f in report.json test-daemonset.yaml promotion-daemonset.yaml runbook.md; do
  [[ -s "$tmp/default/$f" ]] || fail "recommend --out did not write $f"
done
valid "the default scenario's manifests" "$tmp/default/test-daemonset.yaml" "$tmp/default/promotion-daemonset.yaml"
$py "$src/tests/cli/check_plan.py" "$src/scenarios/edge-proxy-single-node/manifests/edge-proxy-v2.yaml" "$tmp/default" \
  >"$tmp/c.txt" || fail "default plan: $(cat "$tmp/c.txt")"
contains "$tmp/default/promotion-daemonset.yaml" "failureThreshold: 48" "the recommended startup probe is in the promotion"
contains "$tmp/default/runbook.md" "curl -fsS http://<node-ip>:18080/ready" "runbook: a real request on the alternate port"
contains "$tmp/default/runbook.md" "kubectl -n edge rollout undo daemonset/edge-proxy" "runbook: the rollback command"
contains "$tmp/default/runbook.md" "Simulated time from scheduling to serving: p50" "runbook: simulated time to serve"
contains "$tmp/default/runbook.md" "- [ ] **The image pulls on every architecture** (amd64)" "runbook: the pull check"
contains "$tmp/default/runbook.md" "Out of 1 eligible node(s)." "runbook: the eligible nodes"

# A cluster imported from kubectl output as printed (status, managedFields, defaults, a List of
# nodes in JSON, the pods on them), the change given as overrides: it runs, and the
# promotion keeps the 23 fields rollsim does not change.
imported="$src/tests/scenarios/imported-cluster.yaml"
expect_exit 0 "validate the imported cluster" -- "$rollsim" validate "$imported"
contains "$tmp/out" "cluster: 5 nodes" "imported: every node"
contains "$tmp/out" "node.kubernetes.io/unreachable:NoExecute" "imported: a Ready=Unknown node gets the unreachable taints"
contains "$tmp/out" "hostPort 9100/TCP held by monitoring/node-exporter-2kd9x" "imported: host ports of other pods"
contains "$tmp/out" "reserved cpu 3000m, memory 4096Mi, pods 1" "imported: an init container's larger request counts, a Succeeded pod does not"
expect_exit 3 "recommend the imported cluster" -- "$rollsim" recommend "$imported" --out "$tmp/imported" --quiet
valid "the imported cluster's manifests" "$tmp/imported/test-daemonset.yaml" "$tmp/imported/promotion-daemonset.yaml"
keep="/metadata/annotations/team.example.com~1owner /metadata/labels /spec/revisionHistoryLimit
  /spec/template/metadata/annotations /spec/template/spec/affinity /spec/template/spec/dnsConfig
  /spec/template/spec/hostAliases /spec/template/spec/imagePullSecrets /spec/template/spec/priorityClassName
  /spec/template/spec/securityContext /spec/template/spec/serviceAccountName
  /spec/template/spec/topologySpreadConstraints /spec/template/spec/volumes /spec/template/spec/tolerations
  /spec/template/spec/containers/0/env /spec/template/spec/containers/0/envFrom /spec/template/spec/containers/0/args
  /spec/template/spec/containers/0/securityContext /spec/template/spec/containers/0/volumeMounts
  /spec/template/spec/containers/0/lifecycle /spec/template/spec/containers/0/resources
  /spec/template/spec/containers/0/livenessProbe /spec/template/spec/containers/0/ports"
# shellcheck disable=SC2086
$py "$src/tests/cli/check_plan.py" "$src/tests/manifests/edge-proxy-kubectl.yaml" "$tmp/imported" --keep $keep \
  >"$tmp/c.txt" || fail "imported plan: $(cat "$tmp/c.txt")"
contains "$tmp/c.txt" "23 kept fields unchanged" "imported plan keeps the user's fields"
contains "$tmp/imported/promotion-daemonset.yaml" "defaultMode: 420" "YAML 1.1 octal 0644 is written as the API reads it"
contains "$tmp/imported/promotion-daemonset.yaml" 'value: "yes"' "a string YAML would read as a boolean stays quoted"
contains "$tmp/imported/test-daemonset.yaml" "- ip-10-20-1-11.eu-west-1.compute.internal" "the test DaemonSet targets the test node by name"

# A host-network agent from a Helm stream: its own listening port moves.
expect_exit 0 "recommend a host-network agent" -- "$rollsim" recommend "$src/tests/scenarios/host-network-agent.yaml" --out "$tmp/agent" --quiet
valid "the host-network agent's manifests" "$tmp/agent/test-daemonset.yaml" "$tmp/agent/promotion-daemonset.yaml"
$py "$src/tests/cli/check_plan.py" "$src/tests/manifests/host-agent-helm.yaml" "$tmp/agent" --host-network \
  >"$tmp/c.txt" || fail "host-network plan: $(cat "$tmp/c.txt")"
contains "$tmp/agent/test-daemonset.yaml" "value: http://localhost:10100/metrics" "env naming the port moves"
contains "$tmp/agent/test-daemonset.yaml" 'value: "19100"' "a longer number containing the port does not"
# The same agent writing its host path: a test copy would share it, so no test DaemonSet is
# offered (issue #16: test-then-promote only where the copy is isolated).
sed 's|{name: textfile, mountPath: /var/lib/host-agent, readOnly: true}|{name: textfile, mountPath: /var/lib/host-agent}|' \
  "$src/tests/manifests/host-agent-helm.yaml" >"$tmp/agent-writes.yaml"
sed "s|current: ../manifests/host-agent-helm.yaml|current: $tmp/agent-writes.yaml|" "$src/tests/scenarios/host-network-agent.yaml" >"$tmp/agent-writes-scenario.yaml"
expect_exit 3 "recommend a host-network agent that writes its host path" -- "$rollsim" recommend "$tmp/agent-writes-scenario.yaml" --out "$tmp/agent-writes"
grep -qE "^not simulated$" "$tmp/out" || fail "an unisolated test copy: no 'not simulated' group in $(head -c 600 "$tmp/out")"
grep -qE "^  test-then-promote × as-proposed +NOT APPLICABLE: a test copy beside the live pod would not be isolated: it writes host path /var/lib/host-agent, which the live pod writes too$" "$tmp/out" ||
  fail "an unisolated test copy is not applicable: $(grep -F test-then-promote "$tmp/out")"
[[ ! -e "$tmp/agent-writes/test-daemonset.yaml" ]] || fail "a test DaemonSet was written for an agent whose copy is not isolated"

# Bad manifests: the file, line and key, exit 2, nothing written.
{ cat "$src/tests/manifests/minimal-daemonset.yaml"; printf '          env:\n            - name: PORT\n              value: 8080\n'; } >"$tmp/env-number.yaml"
sed "s|current: ../manifests/host-agent-helm.yaml|current: $tmp/env-number.yaml|; s|change: .*|change: {image: a:2}|" \
  "$src/tests/scenarios/host-network-agent.yaml" >"$tmp/bad.yaml"
expect_exit 2 "an unquoted number in a string field" -- "$rollsim" recommend "$tmp/bad.yaml" --out "$tmp/bad-out"
contains "$tmp/err" "env-number.yaml:14: spec.template.spec.containers[0].env[0].value: cannot unmarshal number into a string field" "unquoted env value message"
[[ ! -e "$tmp/bad-out" ]] || fail "a rejected scenario created the output directory"

# review (docs/review.md): exit 3 on a blocking finding, the finding names the evidence.
v1="$src/scenarios/edge-proxy-single-node/manifests/edge-proxy-v1.yaml"
expect_exit 3 "review: maxSurge 1 on a hostPort DaemonSet" -- "$rollsim" review --current "$v1" --proposed "$src/tests/manifests/review-surge.yaml" --trials 50
contains "$tmp/out" '**blocking** `surge-with-host-port`: maxSurge 1 with hostPort 8080/TCP: the surge pod can never be scheduled' "review names the port"
contains "$tmp/out" "surge pod Pending on node-2: hostPort 8080/TCP held by the old pod" "review quotes the simulated stall"
contains "$tmp/out" "### Simulated rollouts" "review prints the outage table"
expect_exit 3 "review: a 15 s readiness budget on a 90-180 s start" -- "$rollsim" review --current "$v1" \
  --proposed "$src/tests/manifests/review-readiness-15s.yaml" --serve 90s..180s --trials 50 --quiet --json "$tmp/review.json"
$py - "$tmp/review.json" <<'PY' || fail "review JSON for the readiness case"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["verdict"] == "blocked", r["verdict"]
f = {x["id"]: x for x in r["findings"]}["readiness-before-serving"]
assert f["severity"] == "blocking" and "15 s after the start" in f["title"], f
assert "before they serve on average" in f["evidence"], f["evidence"]
v = r["report"]["variants"][0]
assert v["strategy"] == "as-proposed" and v["probes"] == "as-proposed"
assert v["traffic"]["falseReadyNodeSeconds"]["mean"] > 150, v["traffic"]["falseReadyNodeSeconds"]
PY
expect_exit 3 "review: a selector change" -- "$rollsim" review --current "$v1" --proposed "$src/tests/manifests/review-selector.yaml" --markdown "$tmp/sel.md"
contains "$tmp/sel.md" '`selector-change`' "selector change finding"
contains "$tmp/sel.md" "not simulated" "an unappliable change is not simulated"
expect_exit 3 "review: nodes dropped, grace under preStop" -- "$rollsim" review --current "$src/tests/manifests/edge-proxy-kubectl.yaml" \
  --proposed "$src/tests/manifests/review-zone-a-only.yaml" --nodes "$src/tests/manifests/nodes-kubectl.json" --trials 50
contains "$tmp/out" '`nodes-dropped`: the new nodeSelector, affinity or tolerations drop 2 node(s)' "dropped nodes counted on the real nodes"
contains "$tmp/out" '`grace-shorter-than-shutdown`: terminationGracePeriodSeconds 5' "grace period finding"
contains "$tmp/out" '`single-node-host-port`' "a single eligible node with a host port"
expect_exit 0 "review: an unchanged DaemonSet passes" -- "$rollsim" review --current "$v1" --proposed "$v1" --trials 20 --quiet
# hostNetwork without declared ports, with maxSurge: flagged statically.
sed -e '/^          ports:$/,/^              containerPort: 9100$/d' -e 's/^      maxUnavailable: 1$/      maxUnavailable: 0\n      maxSurge: 1/' \
  "$src/tests/manifests/host-agent-helm.yaml" >"$tmp/agent-surge.yaml"
expect_exit 3 "review: hostNetwork, no declared ports, maxSurge 1" -- "$rollsim" review --current "$src/tests/manifests/host-agent-helm.yaml" \
  --proposed "$tmp/agent-surge.yaml" --trials 10
contains "$tmp/out" '`surge-host-network-undeclared`: maxSurge 1 with hostNetwork and no declared ports' "undeclared host-network ports with surge"
# A startup probe whose budget (5 s x 3) is shorter than a 90-180 s start.
sed 's/failureThreshold: 48/failureThreshold: 3/' "$src/tests/manifests/review-readiness-15s.yaml" >"$tmp/startup.yaml"
cat >>"$tmp/startup.yaml" <<'YAML'
          startupProbe:
            httpGet: {path: /ready, port: 8080}
            periodSeconds: 5
            failureThreshold: 3
YAML
expect_exit 3 "review: a 15 s startup budget on a 90-180 s start" -- "$rollsim" review --current "$v1" --proposed "$tmp/startup.yaml" --serve 90s..180s --trials 20
contains "$tmp/out" '`startup-budget-short`: startupProbe allows 10 s (0s + (3 − 1) × 5s) but the p99 start takes 3.0 min' "startup budget finding (N failed checks span N − 1 periods)"
contains "$tmp/out" "failureThreshold: 46" "the startup fix sizes the threshold, one check more"
# Findings apply per container: a second container whose liveness probe (10 s) kills it before
# it listens (60 s) blocks, named, though the modelled container is fine.
mkdir -p "$tmp/per-container"
for v in 1 2; do
  cat >"$tmp/per-container/web-v$v.yaml" <<YAML
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  updateStrategy: {rollingUpdate: {maxUnavailable: 1}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: web:$v
          ports: [{containerPort: 8080, hostPort: 8080}]
          readinessProbe: {httpGet: {path: /ready, port: 8080}, periodSeconds: 5}
        - name: agent
          image: agent:1
          livenessProbe: {tcpSocket: {port: 9000}, periodSeconds: 5, failureThreshold: 3}
YAML
done
cat >"$tmp/per-container/scenario.yaml" <<'YAML'
apiVersion: rollsim.io/v1alpha1
kind: Scenario
metadata: {name: per-container}
spec:
  cluster: {nodePools: [{name: node, count: 3}]}
  daemonSet: {current: web-v1.yaml, proposed: web-v2.yaml}
  workload:
    serve: 10s
    containers:
      agent: {listen: 60s, serve: 60s}
YAML
expect_exit 3 "review: a second container's liveness kills its slow start" -- "$rollsim" review \
  --current "$tmp/per-container/web-v1.yaml" --proposed "$tmp/per-container/web-v2.yaml" \
  --scenario "$tmp/per-container/scenario.yaml" --trials 10
contains "$tmp/out" '`liveness-kills-slow-start`: container agent: livenessProbe without a startupProbe fails after 10 s but the p99 start takes 60 s' "a per-container finding names its container"
# No readiness probe on a service that serves after 90-180 s.
sed '/^          readinessProbe:$/,/^            periodSeconds: 10$/d' "$src/tests/manifests/review-readiness-15s.yaml" >"$tmp/no-readiness.yaml"
# Without limits it is a warning with the numbers (issue #16: blocking means harm beyond the limits).
expect_exit 0 "review: no readiness probe on a slow start" -- "$rollsim" review --current "$v1" --proposed "$tmp/no-readiness.yaml" --serve 90s..180s --trials 20
contains "$tmp/out" '**warning** `no-readiness-probe`: no readinessProbe, and the service needs up to 3.0 min to serve' "no readiness probe finding"
expect_exit 0 "review: the live manifest from a pipe (git show main:ds.yaml)" -- "$rollsim" review --current <(cat "$v1") --proposed "$v1" --trials 5 --quiet
expect_exit 2 "review: another DaemonSet" -- "$rollsim" review --current "$v1" --proposed "$src/tests/manifests/host-agent-helm.yaml"
contains "$tmp/err" "must change the same DaemonSet" "review of two different DaemonSets"
expect_exit 2 "review: a bad --serve" -- "$rollsim" review --current "$v1" --proposed "$v1" --serve 90s..1x
contains "$tmp/err" "--serve" "bad --serve names the option"

# What the DaemonSet is (issue #16): bad hints and overrides are exit 2 with file, line and key,
# and nothing is written.
c="$src/tests/corpus"
sed 's|^  namespace: kube-system|  namespace: kube-system\n  annotations:\n    rollsim.io/workload: router|' "$c/nghttpx-ingress-lb.yaml" >"$tmp/hint-bad.yaml"
expect_exit 2 "review: an unknown rollsim.io/workload value" -- "$rollsim" review --current "$c/nghttpx-ingress-lb.yaml" --proposed "$tmp/hint-bad.yaml" --json "$tmp/hint.json"
contains "$tmp/err" 'hint-bad.yaml:10: metadata.annotations.rollsim.io/workload: "router": must be host-port-service, host-network-service, node-agent or host-agent' "unknown workload annotation message"
[[ ! -e "$tmp/hint.json" ]] || fail "a refused review wrote its JSON"
sed 's|^  namespace: kube-system|  namespace: kube-system\n  annotations:\n    rollsim.io/workload: host-network-service|' "$c/nghttpx-ingress-lb.yaml" >"$tmp/hint-impossible.yaml"
expect_exit 2 "review: an impossible rollsim.io/workload" -- "$rollsim" review --current "$c/nghttpx-ingress-lb.yaml" --proposed "$tmp/hint-impossible.yaml"
contains "$tmp/err" 'hint-impossible.yaml:10: metadata.annotations.rollsim.io/workload: "host-network-service" cannot be this DaemonSet: the pod template does not set hostNetwork: true' "impossible workload annotation message"
expect_exit 2 "review: an impossible --workload" -- "$rollsim" review --current "$c/calico-node.yaml" --proposed "$c/calico-node.yaml" --workload host-port-service
contains "$tmp/err" 'rollsim: --workload: "host-port-service" cannot be this DaemonSet: no container declares a hostPort' "impossible --workload message"
sed 's|^  labels:|  annotations:\n    rollsim.io/serv: 90s\n  labels:|' "$v1" >"$tmp/hint-typo.yaml"
expect_exit 2 "review: an unknown rollsim.io/ annotation" -- "$rollsim" review --current "$v1" --proposed "$tmp/hint-typo.yaml"
contains "$tmp/err" 'hint-typo.yaml:8: metadata.annotations.rollsim.io/serv: unknown rollsim annotation' "unknown annotation message"
expect_exit 2 "review: --name matching nothing" -- "$rollsim" review --current "$c/calico-node.yaml" --proposed "$c/calico-node.yaml" --name nope
contains "$tmp/err" 'calico-node.yaml: holds no DaemonSet named "nope" (--name) (it holds kube-system/calico-node)' "--name message"
{ cat "$c/calico-node.yaml"; echo "---"; cat "$c/flannel.yaml"; } >"$tmp/two.yaml"
expect_exit 2 "review: a stream of two DaemonSets" -- "$rollsim" review --current "$tmp/two.yaml" --proposed "$tmp/two.yaml"
contains "$tmp/err" "a second DaemonSet: it holds kube-system/calico-node, kube-system/kube-flannel-ds-amd64; pick one with --name NAME" "two DaemonSets name the flag"
expect_exit 0 "review: --name picks one out of a stream" -- "$rollsim" review --current "$tmp/two.yaml" --proposed "$tmp/two.yaml" --name calico-node
contains "$tmp/out" '`nothing-to-roll-out`: the pod template does not change: nothing to roll out' "an unchanged template rolls nothing"
# rollsim.io/serve tells a CI review of the manifest alone how long the service takes to serve.
sed 's|^  labels:|  annotations:\n    rollsim.io/serve: 90s..180s\n  labels:|' "$src/scenarios/edge-proxy-single-node/manifests/edge-proxy-v2.yaml" >"$tmp/hint-serve.yaml"
expect_exit 0 "review: rollsim.io/serve" -- "$rollsim" review --current "$v1" --proposed "$tmp/hint-serve.yaml" --trials 20
contains "$tmp/out" "serving uniform(90s, 180s) after the container starts (rollsim.io/serve)" "the serve annotation is used"
contains "$tmp/out" "on a service that needs up to 3.0 min to serve" "the serve annotation reaches the findings"
contains "$tmp/out" "_What it is: **host-port-service**, because it declares hostPort 8080/TCP (http)." "review says what it inferred"

# A new pod that asks for more than any node allocates is named before the simulation
# (NodeResourcesFit: it never schedules there).
sed 's|cpu: 500m|cpu: "8"|' "$src/scenarios/edge-proxy-single-node/manifests/edge-proxy-v2.yaml" >"$tmp/too-big.yaml"
expect_exit 3 "review: requests over allocatable" -- "$rollsim" review --current "$v1" --proposed "$tmp/too-big.yaml" --trials 5
contains "$tmp/out" '`requests-over-allocatable`: the new pod requests cpu 8000m and memory 512 MiB, more than 3 node(s) can ever give' "requests over allocatable finding"
contains "$tmp/out" "node-0 (allocatable cpu 4000m, memory 8192 MiB)" "the too-small nodes are named"

# The termination fix (docs/recommend.md): offered only with simulated evidence, written only
# when a sleep is enough and the cluster has the sleep action.
# - The default scenario (hostPort behind a health check of the process): no plan of this rollout
#   avoids the errors (the live pods have no hook), a draining hook would remove them later, and
#   rollsim cannot write one (the drain endpoint is the user's).
$py - "$tmp/default/report.json" >"$tmp/c.txt" <<'PY' || fail "default termination fix: $(cat "$tmp/c.txt")"
import json, sys
f = json.load(open(sys.argv[1]))["recommendation"]["terminationFix"]
assert f["drains"] is True and f["written"] is False, f
assert f["preStopSeconds"] == 31 and f["terminationGracePeriodSeconds"] == 39, f  # 10 s x 3 + 1; 31 + 3 + 5
assert f["errorSecondsNow"]["p90"] > 20, f["errorSecondsNow"]
assert f["errorSecondsWithFixLive"]["p90"] == 0, f["errorSecondsWithFixLive"]
assert "drain endpoint" in f["notWritten"], f["notWritten"]
PY
if grep -q "preStop" "$tmp/default/promotion-daemonset.yaml"; then fail "the promotion carries a preStop hook rollsim cannot write"; fi
contains "$tmp/default/runbook.md" "**Before the next rollout**, add it yourself" "runbook: the hook the user must add"
# - Service endpoints on 1.31: a preStop sleep past the 2 s propagation is written, and is valid.
svc="$src/tests/scenarios/service-endpoints.yaml"
expect_exit 3 "recommend behind Service endpoints" -- "$rollsim" recommend "$svc" --out "$tmp/svc" --quiet
valid "the service plan's manifests" "$tmp/svc/promotion-daemonset.yaml"
$py - "$tmp/svc/report.json" "$tmp/svc/promotion-daemonset.yaml" >"$tmp/c.txt" <<'PY' || fail "service termination fix: $(cat "$tmp/c.txt")"
import json, sys, yaml
f = json.load(open(sys.argv[1]))["recommendation"]["terminationFix"]
assert f["drains"] is False and f["written"] is True and f["preStopSeconds"] == 3, f
assert f["errorSecondsNow"]["p90"] > 7 and f["errorSecondsWithFixLive"]["p90"] == 0, f
pod = yaml.safe_load(open(sys.argv[2]))["spec"]["template"]["spec"]
assert pod["containers"][0]["lifecycle"] == {"preStop": {"sleep": {"seconds": 3}}}, pod["containers"][0]
assert pod["terminationGracePeriodSeconds"] == 30, pod  # the user's 30 covers 3 + 1 + 5
PY
$py -c 'import sys, yaml; d = yaml.safe_load(open(sys.argv[1]))["spec"]["daemonSet"]
for k in ("current", "proposed"): yaml.safe_dump(d[k], open(sys.argv[2] + "/svc-" + k + ".yaml", "w"))' "$svc" "$tmp"
expect_exit 3 "review behind Service endpoints (maxErrorSeconds 0)" -- "$rollsim" review --scenario "$svc" --current "$tmp/svc-current.yaml" --proposed "$tmp/svc-proposed.yaml" --trials 20
contains "$tmp/out" '`pre-stop-shorter-than-propagation`' "review: the same fix as recommend"
contains "$tmp/out" "lifecycle.preStop.sleep.seconds: 3 with terminationGracePeriodSeconds 30." "review: the fix's numbers"
sed 's|kubernetesVersion: "1.31"|kubernetesVersion: "1.29"|' "$svc" >"$tmp/svc-129.yaml"
expect_exit 3 "recommend behind Service endpoints on 1.29" -- "$rollsim" recommend "$tmp/svc-129.yaml" --out "$tmp/svc129" --quiet
if grep -q "preStop" "$tmp/svc129/promotion-daemonset.yaml"; then fail "1.29: a sleep action written where it is not on by default"; fi
contains "$tmp/svc129/report.json" "the preStop sleep action needs Kubernetes 1.30 (KEP-3960)" "1.29: why the sleep is not written"

finish manifest
