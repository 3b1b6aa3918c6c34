#!/usr/bin/python3
"""Recorded-cluster fixtures in kubectl's own formats, generated from known distributions: what
`kubectl get pods -o json` and `kubectl get events -o json` print for a DaemonSet whose pods
started at known times. Used by calibrate_test.sh; deterministic (stratified samples, shuffled
with a fixed seed).

Usage: cluster_records.py OUTDIR [--pods N] [--skew]
       cluster_records.py OUTDIR --cluster N
       cluster_records.py OUTDIR --rollout N
  pods.json   N pods of DaemonSet edge/edge-proxy, one per node, Running and Ready, container
              start to Ready uniform 90-180 s (whole seconds, as the API writes times)
  events.json their events: Pulling, Pulled (pull times lognormal, median 6 s, p95 20 s, in the
              message formats of kubelet 1.26, 1.28 and 1.31), Created, Started, a few cache
              hits, Unhealthy readiness failures, and events of other objects
  --skew      one pod's Ready condition before its container's start
  --cluster N what kubectl prints for a cluster of N nodes with the DaemonSet mid-rollout (the
              first third of its pods on the new template): daemonset.json (kubectl get ds -o
              json, status included), nodes.json, pods.json (with other pods), priorityclasses.json,
              controllerrevisions.json, events.json (kubelet 1.28 and 1.31 message formats), and
              proposed.yaml (the next image)
  --rollout N a finished rollout of the edge proxy (1.14.2 to 1.15.0, maxUnavailable 1) over N
              nodes, as recorded afterwards: events.json (the controller's SuccessfulDelete and
              SuccessfulCreate, the kubelet's Killing, Scheduled, Pulled, Started) and pods.json
              (the new pods, Ready), current.yaml, proposed.yaml, and actual.json (what happened:
              the rollout's start and end, each node's delete -> Ready)
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


def cluster(out, n):
    """A live cluster as kubectl prints it: N nodes, the edge proxy mid-rollout from 1.14.2 to 1.15.0."""
    old, new = "registry.example.com/edge-proxy:1.14.2", "registry.example.com/edge-proxy:1.15.0"
    labels = {"app.kubernetes.io/name": "edge-proxy"}

    def template(image):
        return {
            "metadata": {"labels": dict(labels)},
            "spec": {
                "nodeSelector": {"node-role.example.com/edge": "true"},
                "tolerations": [{"key": "node-role.example.com/edge", "operator": "Exists", "effect": "NoSchedule"}],
                "containers": [{
                    "name": "proxy", "image": image, "imagePullPolicy": "IfNotPresent",
                    "ports": [{"name": "http", "containerPort": 8080, "hostPort": 80, "protocol": "TCP"}],
                    "resources": {"requests": {"cpu": "250m", "memory": "256Mi"}},
                    "readinessProbe": {"httpGet": {"path": "/ready", "port": 8080, "scheme": "HTTP"}, "periodSeconds": 5,
                                       "timeoutSeconds": 1, "successThreshold": 1, "failureThreshold": 3},
                    "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
                }],
                "restartPolicy": "Always", "terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst",
                "schedulerName": "default-scheduler", "securityContext": {},
            },
        }

    updated = n // 3
    ds = {
        "apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {
            "name": "edge-proxy", "namespace": "edge", "uid": "1111bbbb-0000-4000-8000-000000000001",
            "generation": 2, "resourceVersion": "48213", "creationTimestamp": rfc3339(T0 - datetime.timedelta(days=30)),
            "annotations": {"deprecated.daemonset.template.generation": "2"}, "labels": dict(labels),
        },
        "spec": {
            "selector": {"matchLabels": dict(labels)}, "template": template(new),
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}},
            "revisionHistoryLimit": 10,
        },
        "status": {"currentNumberScheduled": n, "desiredNumberScheduled": n, "numberAvailable": n - 1, "numberReady": n - 1,
                   "numberUnavailable": 1, "numberMisscheduled": 0, "observedGeneration": 2,
                   "updatedNumberScheduled": updated},
    }
    nodes, pods, events = [], [], []
    for i in range(n):
        name = f"edge-{i:03d}"
        nodes.append({
            "apiVersion": "v1", "kind": "Node",
            "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name, "kubernetes.io/arch": "amd64",
                                                  "kubernetes.io/os": "linux", "node-role.example.com/edge": "true"}},
            "spec": {"taints": [{"key": "node-role.example.com/edge", "value": "true", "effect": "NoSchedule"}]},
            "status": {
                "allocatable": {"cpu": "3920m", "memory": "15331820Ki", "pods": "110", "ephemeral-storage": "95491281146"},
                "capacity": {"cpu": "4", "memory": "16393708Ki", "pods": "110"},
                "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady",
                                "lastTransitionTime": rfc3339(T0 - datetime.timedelta(days=3))}],
                "nodeInfo": {"architecture": "amd64", "operatingSystem": "linux", "kubeletVersion": "v1.31.2"},
            },
        })
        is_new = i < updated
        pod = f"edge-proxy-{i:05x}"
        started = T0 + datetime.timedelta(seconds=40 * i + 3)
        ready = started + datetime.timedelta(seconds=100 + (i * 7) % 80)
        unready = i == updated  # the node being rolled: its new pod is not Ready yet
        pods.append({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {
                "name": pod, "generateName": "edge-proxy-", "namespace": "edge", "uid": f"0000cccc-0000-4000-8000-{i:012x}",
                "labels": {**labels, "controller-revision-hash": "6d9f7c8b5" if is_new or unready else "5c8d7b6f4",
                           "pod-template-generation": "2" if is_new or unready else "1"},
                "ownerReferences": [{"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "edge-proxy",
                                     "uid": ds["metadata"]["uid"], "controller": True, "blockOwnerDeletion": True}],
            },
            "spec": {**template(new if is_new or unready else old)["spec"], "nodeName": name},
            "status": {
                "phase": "Running", "qosClass": "Burstable",
                "conditions": [{"type": "Ready", "status": "False" if unready else "True",
                                "lastTransitionTime": rfc3339(started if unready else ready)}],
                "containerStatuses": [{"name": "proxy", "image": new if is_new or unready else old, "ready": not unready,
                                       "restartCount": 0, "started": True,
                                       "state": {"running": {"startedAt": rfc3339(started)}}}],
            },
        })
        if i % 4 == 0:  # a monitoring agent on every fourth node
            pods.append({
                "apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": f"node-exporter-{i:05x}", "namespace": "monitoring",
                             "ownerReferences": [{"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "node-exporter",
                                                  "uid": "2222", "controller": True}]},
                "spec": {"nodeName": name, "priority": 0, "containers": [{
                    "name": "node-exporter", "image": "quay.io/prometheus/node-exporter:v1.8.2",
                    "ports": [{"containerPort": 9100, "hostPort": 9100, "protocol": "TCP"}],
                    "resources": {"requests": {"cpu": "100m", "memory": "180Mi"}}}]},
                "status": {"phase": "Running", "qosClass": "Burstable"},
            })
        if is_new or unready:
            d = go_duration(4.2 + (i % 9) * 0.7)
            message = (f'Successfully pulled image "{new}" in {d} ({d} including waiting). Image size: 48211963 bytes.'
                       if i % 2 == 0 else f'Successfully pulled image "{new}" in {d} ({d} including waiting)')
            events.append({
                "apiVersion": "v1", "kind": "Event", "metadata": {"name": f"{pod}.{i:016x}", "namespace": "edge"},
                "involvedObject": {"apiVersion": "v1", "kind": "Pod", "name": pod, "namespace": "edge",
                                   "fieldPath": "spec.containers{proxy}"},
                "reason": "Pulled", "message": message, "type": "Normal", "count": 1,
                "firstTimestamp": rfc3339(started), "lastTimestamp": rfc3339(started),
                "source": {"component": "kubelet", "host": name},
            })
    events.append({
        "apiVersion": "v1", "kind": "Event", "metadata": {"name": "edge-proxy.0000000000000001", "namespace": "edge"},
        "involvedObject": {"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "edge-proxy", "namespace": "edge"},
        "reason": "SuccessfulDelete", "message": f"Deleted pod: edge-proxy-{updated:05x}", "type": "Normal", "count": 1,
        "firstTimestamp": rfc3339(T0), "lastTimestamp": rfc3339(T0), "source": {"component": "daemonset-controller"},
    })
    revisions = [{
        "apiVersion": "apps/v1", "kind": "ControllerRevision", "revision": r,
        "metadata": {"name": f"edge-proxy-{h}", "namespace": "edge", "labels": {**labels, "controller-revision-hash": h}},
        "data": {"spec": {"template": {**template(image), "$patch": "replace"}}},
    } for r, h, image in ((1, "5c8d7b6f4", old), (2, "6d9f7c8b5", new))]
    classes = [{"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": name},
                "value": value, "globalDefault": False, "preemptionPolicy": "PreemptLowerPriority"}
               for name, value in (("system-node-critical", 2000001000), ("system-cluster-critical", 2000000000))]
    os.makedirs(out, exist_ok=True)
    lists = {"nodes.json": nodes, "pods.json": pods, "events.json": events, "controllerrevisions.json": revisions,
             "priorityclasses.json": classes}
    for file, items in lists.items():
        with open(os.path.join(out, file), "w") as f:
            json.dump({"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}}, f, indent=4)
            f.write("\n")
    with open(os.path.join(out, "daemonset.json"), "w") as f:
        json.dump(ds, f, indent=4)
        f.write("\n")
    proposed = {k: v for k, v in ds.items() if k != "status"}
    proposed["metadata"] = {"name": "edge-proxy", "namespace": "edge", "labels": dict(labels)}
    proposed["spec"] = {**ds["spec"], "template": template("registry.example.com/edge-proxy:1.16.0")}
    with open(os.path.join(out, "proposed.yaml"), "w") as f:
        json.dump(proposed, f, indent=2)  # JSON is YAML
        f.write("\n")


def rollout(out, n):
    """A one-at-a-time rollout over n nodes with known timings: each old pod is deleted once the
    previous node's new pod is Ready (and the controller has seen it), its replacement created 1 s
    later, pulled (lognormal, median 6 s), started and Ready 90-180 s after its start."""
    rng = random.Random(19)
    mu, sigma = math.log(6), math.log(20 / 6) / NORMAL.inv_cdf(0.95)
    old, new = "registry.example.com/edge-proxy:1.14.2", "registry.example.com/edge-proxy:1.15.0"
    labels = {"app.kubernetes.io/name": "edge-proxy"}

    def manifest(image):
        return {"apiVersion": "apps/v1", "kind": "DaemonSet",
                "metadata": {"name": "edge-proxy", "namespace": "edge"},
                "spec": {"selector": {"matchLabels": labels},
                         "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}},
                         "template": {"metadata": {"labels": labels}, "spec": {"containers": [{
                             "name": "proxy", "image": image,
                             "ports": [{"containerPort": 8080, "hostPort": 80}],
                             "readinessProbe": {"httpGet": {"path": "/ready", "port": 8080}, "periodSeconds": 5}}]}}}}

    events, pods, nodes = [], [], []
    t = T0
    start = t

    def event(obj, reason, message, at, host=None, field=None):
        o = {"apiVersion": "v1", "kind": obj[0], "name": obj[1], "namespace": "edge"}
        if field:
            o["fieldPath"] = field
        e = {"apiVersion": "v1", "kind": "Event", "metadata": {"name": f"{obj[1]}.{len(events):016x}", "namespace": "edge"},
             "involvedObject": o, "reason": reason, "message": message, "type": "Normal", "count": 1,
             "firstTimestamp": rfc3339(at), "lastTimestamp": rfc3339(at),
             "source": {"component": "kubelet" if host else "daemonset-controller", **({"host": host} if host else {})}}
        events.append(e)

    for i in range(n):
        node = f"edge-{i:03d}"
        old_pod, new_pod = f"edge-proxy-old{i:03d}", f"edge-proxy-new{i:03d}"
        deleted = t
        event(("DaemonSet", "edge-proxy"), "SuccessfulDelete", f"Deleted pod: {old_pod}", deleted)
        event(("Pod", old_pod), "Killing", "Stopping container proxy", deleted, host=node, field="spec.containers{proxy}")
        created = deleted + datetime.timedelta(seconds=1)
        event(("DaemonSet", "edge-proxy"), "SuccessfulCreate", f"Created pod: {new_pod}", created)
        event(("Pod", new_pod), "Scheduled", f"Successfully assigned edge/{new_pod} to {node}", created)
        pull = math.exp(mu + sigma * NORMAL.inv_cdf(rng.uniform(0.02, 0.98)))
        started = created + datetime.timedelta(seconds=2 + math.ceil(pull))
        d = go_duration(pull)
        event(("Pod", new_pod), "Pulled", f'Successfully pulled image "{new}" in {d} ({d} including waiting)', started,
              host=node, field="spec.containers{proxy}")
        event(("Pod", new_pod), "Started", "Started container proxy", started, host=node, field="spec.containers{proxy}")
        ready = started + datetime.timedelta(seconds=round(rng.uniform(90, 180)))
        pods.append({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": new_pod, "namespace": "edge",
                         "labels": {**labels, "controller-revision-hash": "6d9f7c8b5", "pod-template-generation": "2"},
                         "ownerReferences": [{"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "edge-proxy",
                                              "controller": True}]},
            "spec": {"nodeName": node, "containers": [{"name": "proxy", "image": new}]},
            "status": {"phase": "Running",
                       "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": rfc3339(ready)}],
                       "containerStatuses": [{"name": "proxy", "image": new, "ready": True, "restartCount": 0,
                                              "state": {"running": {"startedAt": rfc3339(started)}}}]},
        })
        nodes.append({"node": node, "deleted": (deleted - start).total_seconds(), "ready": (ready - start).total_seconds()})
        t = ready + datetime.timedelta(seconds=1)  # the controller sees the Ready status, then deletes the next
    os.makedirs(out, exist_ok=True)
    for file, items in (("events.json", events), ("pods.json", pods)):
        with open(os.path.join(out, file), "w") as f:
            json.dump({"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}}, f, indent=2)
            f.write("\n")
    for file, image in (("current.yaml", old), ("proposed.yaml", new)):
        with open(os.path.join(out, file), "w") as f:
            json.dump(manifest(image), f, indent=2)
            f.write("\n")
    with open(os.path.join(out, "actual.json"), "w") as f:
        json.dump({"durationSeconds": nodes[-1]["ready"], "nodes": nodes}, f, indent=2)
        f.write("\n")


if "--rollout" in sys.argv:
    rollout(sys.argv[1], int(sys.argv[sys.argv.index("--rollout") + 1]))
elif "--cluster" in sys.argv:
    cluster(sys.argv[1], int(sys.argv[sys.argv.index("--cluster") + 1]))
else:
    main()
