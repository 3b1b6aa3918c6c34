#!/usr/bin/python3
"""Validates SARIF files against the SARIF 2.1.0 schema (sarif/sarif-schema-2.1.0.json, draft
2020-12). Exit 1 and the first errors on failure."""
import json
import os
import sys

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "sarif", "sarif-schema-2.1.0.json")) as f:
    schema = json.load(f)
validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
failed = 0
for path in sys.argv[1:]:
    with open(path) as f:
        doc = json.load(f)
    for e in sorted(validator.iter_errors(doc), key=lambda e: list(e.path))[:5]:
        print(f"{path}: {'/'.join(map(str, e.path))}: {e.message[:300]}")
        failed += 1
sys.exit(1 if failed else 0)
