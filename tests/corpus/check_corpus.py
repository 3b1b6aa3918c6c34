#!/usr/bin/python3
"""The real-world corpus (issue #16): public DaemonSets (tests/corpus/README.md says where each
comes from and under which licence), each checked through the real binary:
  1. a plain image bump: review infers the kind in expected.tsv and whether a test copy is
     isolated, and does not block (exit 0) without simulated harm beyond the limits;
  2. the same bump with maxSurge 1: blocks (exit 3, with the finding named) where two copies
     would share the host's ports, and does not where they would not;
  3. recommend over one-at-a-time, surge and test-then-promote × as-proposed and sized probes:
     no generated probe carries a handler the manifests do not use; no test DaemonSet is written
     where a copy is not isolated (a canary DaemonSet instead); no manifest names a node; every
     manifest passes the strict schema; the chosen plan is never a blocked surge, and the
     promotion it writes passes review under the same scenario.
Usage: check_corpus.py ROLLSIM SOURCE_DIR"""
import copy
import json
import os
import subprocess
import sys
import tempfile

import yaml

rollsim, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
here = os.path.join(src, "tests", "corpus")
tmp = tempfile.mkdtemp()
problems = []
checks = 0


def check(ok, what):
    global checks
    checks += 1
    if not ok:
        problems.append(what)


def daemonset(path):
    for doc in yaml.safe_load_all(open(path)):
        if doc and doc.get("kind") == "DaemonSet":
            return doc
    raise SystemExit(f"{path}: no DaemonSet")


def write(doc, name):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        yaml.safe_dump(doc, f, sort_keys=False)
    return path


def run(*args):
    p = subprocess.run([rollsim, *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def bumped(image):
    at = image.rfind("@") if "@" in image else -1
    if at >= 0:
        return image[:at] + ":next"
    colon = image.rfind(":")
    return (image[:colon] if colon > image.rfind("/") else image) + ":next"


def handlers(container):
    """Each probe's handler as written, timing fields left out."""
    out = []
    for key in ("startupProbe", "readinessProbe", "livenessProbe"):
        p = container.get(key)
        if p:
            out.append({k: v for k, v in p.items() if k in ("httpGet", "tcpSocket", "exec", "grpc")})
    return out


def node_labels(ds):
    """Labels a made-up node needs for the DaemonSet to select it."""
    spec = ds["spec"]["template"]["spec"]
    labels = {"kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64"}
    labels.update(spec.get("nodeSelector") or {})
    terms = (((spec.get("affinity") or {}).get("nodeAffinity") or {})
             .get("requiredDuringSchedulingIgnoredDuringExecution") or {}).get("nodeSelectorTerms") or []
    for r in (terms[0].get("matchExpressions") or []) if terms else []:
        if r["operator"] == "In":
            labels[r["key"]] = r["values"][0]
        elif r["operator"] == "Exists":
            labels[r["key"]] = "true"
    return {k: str(v) for k, v in labels.items()}


for line in open(os.path.join(here, "expected.tsv")):
    if line.startswith("#") or not line.strip():
        continue
    name, kind, isolated, surge = line.rstrip("\n").split("\t")
    live_path = os.path.join(here, name)
    live = daemonset(live_path)
    bump = copy.deepcopy(live)
    first = bump["spec"]["template"]["spec"]["containers"][0]
    first["image"] = bumped(first["image"])
    bump_path = write(bump, name.replace(".yaml", "-bump.yaml"))

    # 1. A plain image bump.
    out_json = os.path.join(tmp, "review.json")
    code, out, err = run("review", "--current", live_path, "--proposed", bump_path, "--trials", "20",
                         "--json", out_json, "--quiet")
    check(code == 0, f"{name}: a plain image bump: exit {code}, expected 0 ({err.strip()[:200]})")
    if code in (0, 3):
        r = json.load(open(out_json))
        check(r["workload"]["kind"] == kind, f"{name}: inferred {r['workload']['kind']}, expected {kind}")
        check(r["workload"]["testCopyIsolated"] == (isolated == "yes"),
              f"{name}: test copy isolated {r['workload']['testCopyIsolated']}, expected {isolated}: "
              f"{r['workload']['notIsolated']}")
        blocking = [f["id"] for f in r["findings"] if f["severity"] == "blocking"]
        check(not blocking, f"{name}: a plain image bump blocked by {blocking}")

    # 2. The bump with maxSurge 1.
    surging = copy.deepcopy(bump)
    surging["spec"]["updateStrategy"] = {"type": "RollingUpdate",
                                         "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}}
    surge_path = write(surging, name.replace(".yaml", "-surge.yaml"))
    code, out, err = run("review", "--current", live_path, "--proposed", surge_path, "--trials", "20",
                         "--json", out_json, "--quiet")
    if code in (0, 3):
        ids = [f["id"] for f in json.load(open(out_json))["findings"] if f["severity"] == "blocking"]
        if surge == "-":
            check(code == 0, f"{name}: a surge that shares no host port blocked by {ids}")
        else:
            check(code == 3 and surge in ids, f"{name}: a surge onto shared host ports: exit {code}, {ids}, "
                                              f"expected {surge}")
    else:
        check(False, f"{name}: review of a surge: exit {code} ({err.strip()[:200]})")

    # 3. recommend.
    service = kind.endswith("service")
    scenario = {
        "apiVersion": "rollsim.io/v1alpha1", "kind": "Scenario", "metadata": {"name": name[:-5]},
        "spec": {
            "seed": 7, "trials": 20,
            "cluster": {"nodePools": [{"name": "pool", "count": 4, "labels": node_labels(live)}]},
            "daemonSet": {"current": live_path, "change": {"image": first["image"]}},
            "workload": {"container": first["name"], "serve": {"distribution": "uniform", "min": "20s", "max": "40s"}},
            "traffic": {"mode": "hostPort", "healthCheck": {"interval": "10s"}} if service else {"mode": "coverage"},
            "variants": {
                "strategies": [
                    {"name": "one-at-a-time", "updateStrategy": {"rollingUpdate": {"maxUnavailable": 1}}},
                    {"name": "surge", "updateStrategy": {"rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}}},
                    {"name": "test-then-promote", "testThenPromote": {
                        "portOffset": 10000, "then": {"rollingUpdate": {"maxUnavailable": 1}}}},
                ],
                "probes": [{"name": "as-proposed"}, {"name": "sized", "sized": {"margin": 1.25}}],
            },
            "limits": {"maxErrorSeconds": 1000} if service else {"maxUncoveredNodes": 1},
        },
    }
    scenario_path = write(scenario, name.replace(".yaml", "-scenario.yaml"))
    out_dir = os.path.join(tmp, name[:-5])
    code, out, err = run("recommend", scenario_path, "--out", out_dir, "--quiet")
    check(code in (0, 3), f"{name}: recommend: exit {code} ({err.strip()[:300]})")
    if code not in (0, 3):
        continue
    report = json.load(open(os.path.join(out_dir, "report.json")))
    rec = report["recommendation"]
    check(not (surge != "-" and rec["strategy"] == "surge"), f"{name}: recommend chose a surge review blocks")
    test_path = os.path.join(out_dir, "test-daemonset.yaml")
    canary_path = os.path.join(out_dir, "canary-daemonset.yaml")
    promotion_path = os.path.join(out_dir, "promotion-daemonset.yaml")
    check(os.path.exists(test_path) == (isolated == "yes"),
          f"{name}: test-daemonset.yaml {'missing' if isolated == 'yes' else 'written'} (isolated: {isolated})")
    check(os.path.exists(canary_path) == (isolated != "yes"), f"{name}: canary-daemonset.yaml (isolated: {isolated})")
    ttp = [v for v in report["variants"] if v["strategy"] == "test-then-promote" and v["probes"] == "as-proposed"]
    check(all(("notApplicable" in v) == (isolated != "yes") for v in ttp),
          f"{name}: test-then-promote applicability: {[v.get('notApplicable') for v in ttp]}")
    written = [p for p in (test_path, canary_path, promotion_path) if os.path.exists(p)]
    v = subprocess.run(["/usr/bin/python3", os.path.join(src, "tests", "schemas", "validate.py"), *written],
                       capture_output=True, text=True)
    check(v.returncode == 0, f"{name}: generated manifests fail the strict schema: {v.stdout[:300]}")
    user = {c["name"]: handlers(c) for d in (live, bump) for c in d["spec"]["template"]["spec"]["containers"]}
    for path in written:
        text = open(path).read()
        pod = daemonset(path)["spec"]["template"]["spec"]
        check("matchFields" not in text and "nodeName" not in pod, f"{os.path.basename(path)} of {name} names a node")
        gen = daemonset(path)
        for c in gen["spec"]["template"]["spec"]["containers"]:
            for h in handlers(c):
                moved = copy.deepcopy(h)  # a test copy's probe may point at the moved port of the same handler
                for hv in moved.values():
                    if path == test_path and isinstance(hv, dict) and isinstance(hv.get("port"), int) \
                            and hv["port"] > 10000:
                        hv["port"] -= 10000
                check(h in user.get(c["name"], []) or moved in user.get(c["name"], []),
                      f"{os.path.basename(path)} of {name}: container {c['name']} probe handler {h} is not the user's")
    # The termination fix: behind a load balancer only a draining hook helps, and its endpoint is
    # the daemon's own, so no generated manifest gains a preStop hook the user did not write.
    fix = rec.get("terminationFix")
    if service and fix is not None:
        check(fix["drains"] and not fix["written"], f"{name}: a termination fix rollsim wrote: {fix}")
    user_hooks = {c["name"]: (c.get("lifecycle") or {}).get("preStop")
                  for c in live["spec"]["template"]["spec"]["containers"]}
    for path in written:
        for c in daemonset(path)["spec"]["template"]["spec"]["containers"]:
            hook = (c.get("lifecycle") or {}).get("preStop")
            check(hook == user_hooks.get(c["name"]),
                  f"{os.path.basename(path)} of {name}: container {c['name']} preStop {hook} is not the user's")
    # The chosen plan passes review under the same scenario.
    code, out, err = run("review", "--current", live_path, "--proposed", promotion_path, "--scenario", scenario_path,
                         "--json", out_json, "--quiet")
    blocking = [f["id"] for f in json.load(open(out_json))["findings"] if f["severity"] == "blocking"] \
        if code in (0, 3) else err.strip()[:200]
    check(code == 0 or not rec.get("acceptable", True) and code == 3,
          f"{name}: the promotion recommend wrote does not pass review: exit {code}, {blocking}")

for p in problems:
    print("FAIL:", p)
print(f"{checks - len(problems)} passed, {len(problems)} failed")
sys.exit(1 if problems else 0)
