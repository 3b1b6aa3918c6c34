#!/usr/bin/python3
"""Validates every document of the given YAML files against the strict Kubernetes 1.31 schema
of its kind (Draft 4, as kubeconform does). Exit 1 and a message per failure."""
import json
import os
import sys

import jsonschema
import yaml

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "v1.31.6-standalone-strict")
FILES = {("batch/v1", "Job"): "job-batch-v1.json", ("v1", "ConfigMap"): "configmap-v1.json",
         ("apps/v1", "DaemonSet"): "daemonset-apps-v1.json"}

failed = 0
checked = 0
for path in sys.argv[1:]:
    with open(path) as f:
        for doc in yaml.safe_load_all(f):
            if doc is None:
                continue
            key = (doc.get("apiVersion"), doc.get("kind"))
            if key not in FILES:
                print(f"{path}: no schema for {key}")
                failed += 1
                continue
            with open(os.path.join(HERE, FILES[key])) as s:
                schema = json.load(s)
            errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(doc), key=lambda e: list(e.path))
            for e in errors:
                print(f"{path}: {key[1]} {'.'.join(str(p) for p in e.path)}: {e.message}")
            failed += len(errors)
            checked += 1
if failed:
    sys.exit(1)
print(f"{checked} document(s) valid")
