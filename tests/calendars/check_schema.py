#!/usr/bin/env python3
"""Checks configs/calendar.schema.json against the calendars herald ships.

The example calendars must satisfy the schema (the editor must not show red
squiggles on a calendar heraldctl accepts), and calendars with misspelt keys
must not. YAML is read with the YAML 1.2 core rules the YAML language server
uses: dates stay strings.
  check_schema.py SOURCE_DIR
"""
import glob
import json
import os
import sys

try:
    import jsonschema
    import yaml
except ImportError as e:  # CTest reports 77 as skipped, not passed
    print(f"skipped: {e} (Debian: python3-jsonschema python3-yaml)")
    sys.exit(77)


class CoreLoader(yaml.SafeLoader):
    pass


CoreLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

top = sys.argv[1]
schema = json.load(open(os.path.join(top, "configs/calendar.schema.json")))
validator = jsonschema.Draft202012Validator(schema)
failures = 0
for path in sorted(glob.glob(os.path.join(top, "examples/calendars/*.yaml"))):
    errors = list(validator.iter_errors(yaml.load(open(path), Loader=CoreLoader)))
    for e in errors:
        print(f"{path}: schema error at {list(e.absolute_path)}: {e.message}")
    failures += len(errors)
for name in ["unknown-key.yaml", "wrong-types.yaml", "bad-dates.yaml"]:
    path = os.path.join(top, "tests/calendars", name)
    if validator.is_valid(yaml.load(open(path), Loader=CoreLoader)):
        print(f"{path}: the schema accepts a broken calendar")
        failures += 1
sys.exit(1 if failures else 0)
