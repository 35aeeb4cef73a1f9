#!/usr/bin/python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Validates packages against schema/package.schema.json, and proves the schema can fail.

usage: validate_packages.py SCHEMA FILE...

Each FILE must validate. Then mutated copies of the first FILE, each breaking one rule the
loader enforces, must all be rejected; a mutation whose path is not in that file is skipped.
Needs Debian's python3-jsonschema (Draft 2020-12).
"""
import copy
import json
import sys

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

MAX_ERRORS = 5

# (action, dotted path, value): "set" replaces an existing value, "add" puts a new key into an
# existing object, "delete" removes an existing key. Numbers in a path index arrays.
MUTATIONS = [
    ("delete", "meta.bpf_skel", None),
    ("delete", "meta.bpf_skel.obj_name", None),
    ("set", "bpf_object_size", "x"),
    ("set", "bpf_object_size", 0),
    ("add", "meta.tool.bogus", True),
    ("set", "meta.tool.examples", "bindsnoop -t"),
    ("set", "meta.args.0.short", "ab"),
    ("set", "meta.args.0.short", "h"),
    ("add", "meta.args.0.bogus", True),
    ("add", "meta.args.0.map_keys", "ports"),
    ("add", "meta.args.2.pinned_map", "cgroup_set"),
    ("set", "meta.args.2.long", ["a", "b", "c", "d", "e"]),
    ("set", "meta.hook_variants.0.programs", "fexit_inet_bind"),
    ("delete", "meta.hook_variants.0.name", None),
    ("add", "meta.events.bogus", "x"),
    ("add", "meta.display.bogus", {}),
    ("set", "meta.display.columns.0.width", 999),
    ("set", "meta.exit_maps.0.columns.2.gap", 65),
    ("set", "meta.display.columns.0.decimals", 10),
    ("set", "meta.display.columns.0.format", "bogus"),
    ("set", "meta.display.columns.0.unit", "h"),
    ("set", "meta.display.columns.0.align", "center"),
    ("add", "meta.display.columns.0.bogus", 1),
    ("add", "meta.display.columns.2.overrides.0.field", "pid"),
    ("set", "meta.display.types.bind_event.addr.format", "hex"),
    ("delete", "meta.display.types.bind_event.opts.letters", None),
    ("add", "meta.display.types.bind_event.addr.bogus", True),
    ("set", "meta.exit_maps.0.sort", "bogus"),
    ("add", "meta.exit_maps.0.bogus", True),
    ("add", "meta.bpf_skel.maps.0.sample", {"interval": -1}),
]


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def path_text(parts):
    """["meta", "args", 0, "short"] -> meta.args[0].short"""
    text = ""
    for p in parts:
        text += "[%d]" % p if isinstance(p, int) else ("." if text else "") + p
    return text or "(root)"


def errors_of(validator, doc):
    errors = validator.iter_errors(doc)
    return sorted(errors, key=lambda e: path_text(e.absolute_path))


def check_file(validator, path):
    """Prints ok or the first errors; returns whether the file is valid."""
    try:
        doc = load_json(path)
    except (OSError, ValueError) as e:
        print("FAIL %s: (root): %s" % (path, e))
        return False
    errors = errors_of(validator, doc)
    if not errors:
        print("ok   %s" % path)
    for e in errors[:MAX_ERRORS]:
        print("FAIL %s: %s: %s" % (path, path_text(e.absolute_path), e.message))
    return not errors


def split_path(dotted):
    return [int(p) if p.isdigit() else p for p in dotted.split(".")]


def mutate(doc, action, dotted, value):
    """A mutated copy of doc, or None when the path the action needs is not in doc."""
    doc = copy.deepcopy(doc)
    *parents, last = split_path(dotted)
    node = doc
    for p in parents:
        try:
            node = node[p]
        except (KeyError, IndexError, TypeError):
            return None
    exists = isinstance(node, dict) and last in node or \
        isinstance(node, list) and isinstance(last, int) and last < len(node)
    if not isinstance(node, (dict, list)) or exists != (action != "add"):
        return None
    if action == "delete":
        del node[last]
    else:
        node[last] = value
    return doc


def check_mutations(validator, path):
    """Returns (passed, failed): a rejected mutation passes, an accepted one fails."""
    doc = load_json(path)
    passed = failed = 0
    for action, dotted, value in MUTATIONS:
        name = action + " " + dotted + ("" if action == "delete" else " = " + json.dumps(value))
        bad = mutate(doc, action, dotted, value)
        if bad is None:
            print("skip %s: not applicable to %s" % (name, path))
        elif validator.is_valid(bad):
            print("FAIL accepts %s" % name)
            failed += 1
        else:
            print("ok   rejects %s" % name)
            passed += 1
    return passed, failed


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    schema_path, files = argv[1], argv[2:]
    try:
        schema = load_json(schema_path)
        Draft202012Validator.check_schema(schema)
    except (OSError, ValueError, SchemaError) as e:
        print("FAIL %s: not a valid JSON Schema: %s" % (schema_path, getattr(e, "message", e)))
        return 1
    validator = Draft202012Validator(schema)
    results = [check_file(validator, f) for f in files]
    passed, failed = results.count(True), results.count(False)
    if results[0]:
        more_passed, more_failed = check_mutations(validator, files[0])
        passed, failed = passed + more_passed, failed + more_failed
    else:
        print("skip negative checks: %s is not valid itself" % files[0])
    print("schema: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
