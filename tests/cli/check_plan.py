#!/usr/bin/python3
"""Checks the manifests `rollsim recommend --out DIR` wrote against the live manifest they
come from (docs/recommend.md, "Generated manifests"):
  - the test DaemonSet's selector and the live one's match none of each other's pods;
  - every live hostPort moved, none shared; with --host-network the container ports, numeric
    probe ports, args and env values naming the port moved too;
  - the promotion keeps every listed field of the live manifest (--keep PATH ...) unchanged;
  - no server-set field and no null is written.
Usage: check_plan.py LIVE.yaml DIR [--host-network] [--keep PATH ...]
PATH is a JSON pointer (RFC 6901): /spec/template/spec/dnsConfig, ~1 for a / in a key."""
import sys

import yaml

live_path, out = sys.argv[1], sys.argv[2]
host_network = "--host-network" in sys.argv
keep = sys.argv[sys.argv.index("--keep") + 1:] if "--keep" in sys.argv else []
problems = []


def daemonset(path):
    for doc in yaml.safe_load_all(open(path)):
        if doc and doc.get("kind") == "DaemonSet":
            return doc
        if doc and doc.get("kind") == "List":
            for item in doc["items"]:
                if item.get("kind") == "DaemonSet":
                    return item
    raise SystemExit(f"{path}: no DaemonSet")


def matches(selector, labels):
    for k, v in selector.get("matchLabels", {}).items():
        if labels.get(k) != v:
            return False
    for r in selector.get("matchExpressions", []):
        has, val = r["key"] in labels, labels.get(r["key"])
        op = r["operator"]
        if (op == "In" and val not in r["values"]) or (op == "NotIn" and has and val in r["values"]) \
                or (op == "Exists" and not has) or (op == "DoesNotExist" and has):
            return False
    return True


def host_ports(ds):
    spec = ds["spec"]["template"]["spec"]
    ports = set()
    for c in spec.get("containers", []) + spec.get("initContainers", []):
        for p in c.get("ports", []):
            hp = p.get("hostPort") or (p["containerPort"] if spec.get("hostNetwork") else None)
            if hp:
                ports.add((hp, p.get("protocol", "TCP")))
    return ports


def get(doc, pointer):
    node = doc
    for part in pointer.split("/")[1:]:
        part = part.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def walk(node, path=""):
    if node is None:
        problems.append(f"null written at {path}")
    elif isinstance(node, dict):
        for k, v in node.items():
            walk(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            walk(v, f"{path}[{i}]")


live = daemonset(live_path)
test = daemonset(f"{out}/test-daemonset.yaml")
promo = daemonset(f"{out}/promotion-daemonset.yaml")
for name, ds in (("test", test), ("promotion", promo)):
    walk(ds, name)
    for f in ("uid", "resourceVersion", "managedFields", "creationTimestamp", "generation"):
        if f in ds["metadata"]:
            problems.append(f"{name}: server-set metadata.{f} written")
    if "status" in ds:
        problems.append(f"{name}: status written")

live_labels = live["spec"]["template"]["metadata"]["labels"]
test_labels = test["spec"]["template"]["metadata"]["labels"]
if matches(live["spec"]["selector"], test_labels):
    problems.append(f"the live selector {live['spec']['selector']} matches the test pods' labels {test_labels}")
if matches(test["spec"]["selector"], live_labels):
    problems.append(f"the test selector {test['spec']['selector']} matches the live pods' labels {live_labels}")
if not matches(test["spec"]["selector"], test_labels):
    problems.append("the test selector does not match its own template")
if test["metadata"]["name"] == live["metadata"]["name"]:
    problems.append("the test DaemonSet has the live one's name")
shared = host_ports(live) & host_ports(test)
if shared:
    problems.append(f"host ports shared with the live pods: {sorted(shared)}")
if len(host_ports(test)) != len(host_ports(live)):
    problems.append(f"host ports {sorted(host_ports(live))} became {sorted(host_ports(test))}")

if host_network:
    moved = {}
    for lc, tc in zip(live["spec"]["template"]["spec"]["containers"], test["spec"]["template"]["spec"]["containers"]):
        for lp, tp in zip(lc.get("ports", []), tc.get("ports", [])):
            if tp["containerPort"] != tp.get("hostPort", tp["containerPort"]):
                problems.append(f"{tc['name']}: containerPort {tp['containerPort']} != hostPort {tp.get('hostPort')}")
            moved[str(lp["containerPort"])] = str(tp["containerPort"])
        text = " ".join(tc.get("args", []) + tc.get("command", []) + [str(e.get("value", "")) for e in tc.get("env", [])])
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            for h in ("httpGet", "tcpSocket", "grpc"):
                port = tc.get(probe, {}).get(h, {}).get("port")
                if isinstance(port, int) and str(port) in moved:
                    problems.append(f"{tc['name']}.{probe} still probes port {port}")
        for old in moved:
            import re
            if re.search(rf"(?<!\d){old}(?!\d)", text):
                problems.append(f"{tc['name']}: args or env still name port {old}: {text}")

for path in keep:
    try:
        want = get(live, path)
    except (KeyError, IndexError, TypeError):
        problems.append(f"--keep {path}: not in the live manifest")
        continue
    try:
        got = get(promo, path)
    except (KeyError, IndexError, TypeError):
        problems.append(f"promotion dropped {path}")
        continue
    if got != want:
        problems.append(f"promotion changed {path}: {want!r} -> {got!r}")

for p in problems:
    print("FAIL:", p)
if problems:
    sys.exit(1)
print(f"plan ok: selectors disjoint, host ports {sorted(host_ports(live))} -> {sorted(host_ports(test))}, "
      f"{len(keep)} kept fields unchanged")
