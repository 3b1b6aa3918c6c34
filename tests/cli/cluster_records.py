#!/usr/bin/python3
"""Recorded-cluster fixtures in kubectl's own formats, generated from known distributions: what
`kubectl get pods -o json` and `kubectl get events -o json` print for a DaemonSet whose pods
started at known times. Used by calibrate_test.sh; deterministic (stratified samples, shuffled
with a fixed seed).

Usage: cluster_records.py OUTDIR [--pods N] [--skew]
  pods.json   N pods of DaemonSet edge/edge-proxy, one per node, Running and Ready, container
              start to Ready uniform 90-180 s (whole seconds, as the API writes times)
  events.json their events: Pulling, Pulled (pull times lognormal, median 6 s, p95 20 s, in the
              message formats of kubelet 1.26, 1.28 and 1.31), Created, Started, a few cache
              hits, Unhealthy readiness failures, and events of other objects
  --skew      one pod's Ready condition before its container's start
"""
import datetime
import json
import math
import os
import random
import statistics
import sys

NORMAL = statistics.NormalDist()
T0 = datetime.datetime(2026, 11, 30, 10, 0, 0, tzinfo=datetime.timezone.utc)


def rfc3339(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def go_duration(seconds):
    """time.Duration.String() of a duration truncated to the millisecond."""
    ms = int(round(seconds * 1000))
    if ms < 1000:
        return f"{ms}ms"
    h, rest = divmod(ms, 3600_000)
    m, rest = divmod(rest, 60_000)
    s = f"{rest / 1000:.3f}".rstrip("0").rstrip(".")
    out = f"{h}h" if h else ""
    out += f"{m}m" if h or m else ""
    return out + s + "s"


def stratified(n, inverse_cdf, rng):
    values = [inverse_cdf((i + 0.5) / n) for i in range(n)]
    rng.shuffle(values)
    return values


def main():
    out = sys.argv[1]
    n = int(sys.argv[sys.argv.index("--pods") + 1]) if "--pods" in sys.argv else 200
    skew = "--skew" in sys.argv
    rng = random.Random(18)
    # Pulls: lognormal, median 6 s, p95 20 s.
    mu, sigma = math.log(6), math.log(20 / 6) / NORMAL.inv_cdf(0.95)
    pulls = stratified(n, lambda p: math.exp(mu + sigma * NORMAL.inv_cdf(p)), rng)
    to_ready = stratified(n, lambda p: 90 + 90 * p, rng)
    image = "registry.example.com/edge-proxy:1.15.0"
    pods, events = [], []
    for i in range(n):
        node = f"node-{i:03d}"
        name = f"edge-proxy-{i:05x}"
        uid = f"0000aaaa-0000-4000-8000-{i:012x}"
        created = T0 + datetime.timedelta(seconds=37 * i)
        pull_start = created + datetime.timedelta(seconds=2)
        started = pull_start + datetime.timedelta(seconds=math.ceil(pulls[i]))
        ready = started + datetime.timedelta(seconds=round(to_ready[i]))
        if skew and i == 7:
            ready = started - datetime.timedelta(seconds=3)
        pods.append({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {
                "name": name, "generateName": "edge-proxy-", "namespace": "edge", "uid": uid,
                "creationTimestamp": rfc3339(created),
                "labels": {"app": "edge-proxy", "controller-revision-hash": "6d9f7c8b5", "pod-template-generation": "2"},
                "ownerReferences": [{"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "edge-proxy",
                                     "uid": "1111bbbb-0000-4000-8000-000000000001", "controller": True,
                                     "blockOwnerDeletion": True}],
            },
            "spec": {
                "nodeName": node,
                "containers": [{
                    "name": "proxy", "image": image, "imagePullPolicy": "IfNotPresent",
                    "ports": [{"containerPort": 8080, "hostPort": 80, "protocol": "TCP"}],
                    "readinessProbe": {"httpGet": {"path": "/ready", "port": 8080, "scheme": "HTTP"}, "periodSeconds": 5,
                                       "timeoutSeconds": 1, "successThreshold": 1, "failureThreshold": 3},
                }],
                "restartPolicy": "Always", "terminationGracePeriodSeconds": 30,
            },
            "status": {
                "phase": "Running", "hostIP": f"10.0.{i // 250}.{i % 250 + 1}", "podIP": f"10.0.{i // 250}.{i % 250 + 1}",
                "startTime": rfc3339(created),
                "qosClass": "Burstable",
                "conditions": [
                    {"type": "PodReadyToStartContainers", "status": "True", "lastTransitionTime": rfc3339(pull_start)},
                    {"type": "Initialized", "status": "True", "lastTransitionTime": rfc3339(created)},
                    {"type": "Ready", "status": "True", "lastTransitionTime": rfc3339(ready)},
                    {"type": "ContainersReady", "status": "True", "lastTransitionTime": rfc3339(ready)},
                    {"type": "PodScheduled", "status": "True", "lastTransitionTime": rfc3339(created)},
                ],
                "containerStatuses": [{
                    "name": "proxy", "image": image, "imageID": image + "@sha256:" + "ab" * 32, "ready": True,
                    "restartCount": 1 if i % 50 == 0 else 0, "started": True,
                    "state": {"running": {"startedAt": rfc3339(started)}}, "lastState": {},
                }],
            },
        })

        def event(reason, message, at, kind="Normal", count=1, field="spec.containers{proxy}"):
            events.append({
                "apiVersion": "v1", "kind": "Event",
                "metadata": {"name": f"{name}.{len(events):016x}", "namespace": "edge"},
                "involvedObject": {"apiVersion": "v1", "kind": "Pod", "name": name, "namespace": "edge", "uid": uid,
                                   "fieldPath": field},
                "reason": reason, "message": message, "type": kind, "count": count,
                "firstTimestamp": rfc3339(at), "lastTimestamp": rfc3339(at),
                "source": {"component": "kubelet", "host": node},
                "eventTime": None, "reportingComponent": "kubelet", "reportingInstance": node,
            })

        event("Scheduled", f"Successfully assigned edge/{name} to {node}", created, field="")
        event("Pulling", f'Pulling image "{image}"', pull_start)
        d = go_duration(pulls[i])
        if i % 3 == 0:  # kubelet 1.31: with the waiting time and the image size
            pulled = f'Successfully pulled image "{image}" in {d} ({d} including waiting). Image size: 48211963 bytes.'
        elif i % 3 == 1:  # kubelet 1.28
            pulled = f'Successfully pulled image "{image}" in {d} ({d} including waiting)'
        else:  # kubelet 1.26 and older: the pull time alone, to the nanosecond
            pulled = f'Successfully pulled image "{image}" in {pulls[i]:.9f}s'
        event("Pulled", pulled, started)
        event("Created", "Created container proxy", started)
        event("Started", "Started container proxy", started)
        if i % 10 == 0:
            event("Unhealthy", 'Readiness probe failed: Get "http://10.0.0.1:8080/ready": dial tcp 10.0.0.1:8080: '
                  "connect: connection refused", started + datetime.timedelta(seconds=5), kind="Warning", count=4)
        if i % 50 == 0:  # the restarted container found its image
            event("Pulled", f'Container image "{image}" already present on machine', ready)
            event("BackOff", "Back-off restarting failed container proxy in pod " + name, ready, kind="Warning")
    # Events of other objects in the same namespace.
    for i in range(3):
        events.append({
            "apiVersion": "v1", "kind": "Event", "metadata": {"name": f"edge-proxy.{i:016x}", "namespace": "edge"},
            "involvedObject": {"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "edge-proxy", "namespace": "edge"},
            "reason": "SuccessfulCreate", "message": f"Created pod: edge-proxy-{i:05x}", "type": "Normal", "count": 1,
            "firstTimestamp": rfc3339(T0), "lastTimestamp": rfc3339(T0),
            "source": {"component": "daemonset-controller"},
        })
    os.makedirs(out, exist_ok=True)
    for file, items in (("pods.json", pods), ("events.json", events)):
        with open(os.path.join(out, file), "w") as f:
            json.dump({"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}}, f,
                      indent=4)
            f.write("\n")


main()
