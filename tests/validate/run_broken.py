#!/usr/bin/python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Broken inputs: every mistake in cases.json must be refused by ecc, by ecli and (unless it is
one only the object's BTF or a cross-reference can reveal) by schema/package.schema.json; every
input marked accepted must pass all three.

usage: run_broken.py [ID-SUBSTRING]      (from anywhere; paths are relative to the repository)

A case edits one input (cases.json "inputs") and names the key its error must name, by its path
relative to meta ("display.colums"). Sides:
  ecc     the tool schema, edited, packed against the input's object: exit 2, stdout empty, one
          stderr line "ecc: SCHEMA: PATH...", no package written. Only for edits of keys a tool
          schema has (tool, args, hook_variants, events, runtime, display, exit_maps), and not for a
          case marked ecli_only (a mistake ecc fills in itself when the schema leaves it out).
  ecli    the input's package, meta edited: "ecli run --duration 1 PKG" exits 2 with one stderr
          line "ecli: PKG: PATH..." and no banner; with -v, no hook variant is tried either.
  schema  the edited package against the JSON Schema (Draft 2020-12): refused, with an error at
          PATH or at its parent object; a case marked c_only must instead be accepted there
          (so a mistake JSON Schema can express is never left to C alone).
A case with package_edits instead edits the package document itself (PATH relative to its top
level, such as btf_for[0].release): ecli and schema sides only, and ecli's line is "ecli: PATH..."
as the package reader words it.
The message must start with PATH, followed by ':', '.' or '[' (an error may name a key inside
PATH), and contain each "says" text and no "says_not" text. Accepted cases: ecc packs,
"ecli run PKG -h" exits 0, the schema accepts. A broken source (ecc SOURCE HEADER) is refused
with one line "ecc: SOURCE:LINE: ...", LINE being where the edit starts; sources are skipped,
each with a "skip" line, while "ecc --version" names no clang. Root is not needed: a refused package
loads nothing, and one ecli fails to refuse shows a variant tried with -v, root or not (as root
it also attaches, for at most the --duration of 1 s).
"""
import copy
import json
import os
import re
import subprocess
import sys
import tempfile

from jsonschema import Draft202012Validator

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
ECC = os.path.join(ROOT, "build", "ecc")
ECLI = os.path.join(ROOT, "build", "ecli")
SCHEMA_KEYS = {"tool", "args", "hook_variants", "events", "runtime", "display", "exit_maps"}
TIMEOUT = 30


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def write_json(path, doc):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)


def run(argv):
    try:
        p = subprocess.run(argv, capture_output=True, text=True, errors="replace",
                           timeout=TIMEOUT)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return None, "", "timed out after %d s" % TIMEOUT


# ---- paths and edits -----------------------------------------------------------------------

def split_path(path):
    """"args[2].sets.x" -> ["args", 2, "sets", "x"]"""
    parts = []
    for segment in path.split("."):
        m = re.fullmatch(r"([^\[\]]+)((?:\[\d+\])*)", segment)
        if not m:
            raise ValueError("bad path %r" % path)
        parts.append(m.group(1))
        parts += [int(i) for i in re.findall(r"\d+", m.group(2))]
    return parts


def join_path(parts):
    text = ""
    for p in parts:
        text += "[%d]" % p if isinstance(p, int) else ("." if text else "") + str(p)
    return text


def apply_edit(meta, op, path, value=None):
    """Edits meta in place; raises LookupError when the edit does not fit the document."""
    *parents, last = split_path(path)
    node = meta
    for p in parents:
        node = node[p]
    if op == "set":
        node[last]  # must exist
        node[last] = copy.deepcopy(value)
    elif op == "add":
        if not isinstance(node, dict) or last in node:
            raise LookupError("%s exists already" % path)
        node[last] = copy.deepcopy(value)
    elif op == "append":
        node[last].append(copy.deepcopy(value))
    elif op == "delete":
        del node[last]
    elif op == "rename":
        if value in node:
            raise LookupError("%s exists already" % value)
        items = [(value if k == last else k, v) for k, v in node.items()]
        if last not in node:
            raise LookupError("no %s" % path)
        node.clear()
        node.update(items)
    else:
        raise LookupError("unknown edit %r" % op)


def edited(doc, edits):
    doc = copy.deepcopy(doc)
    for edit in edits:
        apply_edit(doc, *edit)
    return doc


# ---- the three sides -----------------------------------------------------------------------

def check_line(who, rc, out, err, prefix, case):
    """Problems with a refusal: exit 2, nothing on stdout, one stderr line naming the path."""
    if rc != 2:
        return ["%s: exit %s, want 2: %s" % (who, rc, first_line(err))]
    lines = err.splitlines()
    problems = []
    if out:
        problems.append("%s: wrote to stdout: %s" % (who, first_line(out)))
    if len(lines) != 1:
        problems.append("%s: %d stderr lines, want 1: %s" % (who, len(lines), " | ".join(
            lines[:3])[:300]))
    line = lines[0] if lines else ""
    message = line[len(prefix):] if line.startswith(prefix) else None
    if message is None:
        problems.append("%s: line does not start with %r: %s" % (who, prefix, line[:200]))
    elif not re.match(re.escape(case["path"]) + r"[:.\[]", message):
        problems.append("%s: message does not start with %s: %s" % (who, case["path"],
                                                                   message[:200]))
    for text in case.get("says", []):
        if message is not None and text not in message:
            problems.append("%s: message lacks %r: %s" % (who, text, message[:200]))
    for text in case.get("says_not", []):
        if message is not None and text in message:
            problems.append("%s: message has %r: %s" % (who, text, message[:200]))
    return problems


def first_line(text):
    lines = text.strip().splitlines()
    return lines[0][:160] if lines else "(nothing)"


def ecc_side(case, schema_doc, obj, tmp):
    schema_path = os.path.join(tmp, "schema.json")
    out = os.path.join(tmp, "packed.json")
    write_json(schema_path, schema_doc)
    rc, stdout, stderr = run([ECC, "-o", out, obj, schema_path])
    if case["expect"] == "accepted":
        return [] if rc == 0 and os.path.exists(out) else [
            "ecc: exit %s, want 0: %s" % (rc, first_line(stderr))]
    problems = check_line("ecc", rc, stdout, stderr, "ecc: %s: " % schema_path, case)
    if os.path.exists(out):
        problems.append("ecc: wrote %s anyway" % out)
    return problems


def ecli_side(case, package_doc, tmp):
    pkg = os.path.join(tmp, "package.json")
    write_json(pkg, package_doc)
    if case["expect"] == "accepted":
        rc, stdout, stderr = run([ECLI, "run", pkg, "-h"])
        return [] if rc == 0 and stdout else ["ecli -h: exit %s, want 0: %s" % (
            rc, first_line(stderr))]
    rc, stdout, stderr = run([ECLI, "run", "--duration", "1", pkg])
    # the reader names the package's own keys (bpf_object, btf_for) without the file's name
    prefix = "ecli: " if "package_edits" in case else "ecli: %s: " % pkg
    problems = check_line("ecli", rc, stdout, stderr, prefix, case)
    if "Hit Ctrl-C" in stderr:
        problems.append("ecli: printed the banner: it attached")
    rc, _, stderr = run([ECLI, "run", "-v", "--duration", "1", pkg])
    tried = [l for l in stderr.splitlines() if l.startswith("variant ")]
    if rc != 2 or tried or "Hit Ctrl-C" in stderr:
        problems.append("ecli -v: exit %s, %s" % (rc, tried[0] if tried else first_line(stderr)))
    return problems


def schema_side(case, validator, package_doc):
    errors = list(validator.iter_errors(package_doc))
    if case["expect"] == "accepted" or case.get("c_only"):
        if not errors:
            return []
        e = min(errors, key=lambda e: len(e.absolute_path))
        return ["schema: refuses %s at %s: %s" % (
            "a valid input" if case["expect"] == "accepted" else "a c_only case (make it a "
            "structural case)", join_path(list(e.absolute_path)[1:]) or "(meta)",
            e.message[:200])]
    want = split_path(case["path"])
    if "package_edits" in case:
        places = [list(e.absolute_path) for e in errors]
    else:
        places = [list(e.absolute_path)[1:] for e in errors
                  if list(e.absolute_path)[:1] == ["meta"]]
    if not errors:
        return ["schema: accepts it"]
    if not any(p in (want, want[:-1]) for p in places):
        return ["schema: refuses it, but at %s, not at %s or its parent" % (
            ", ".join(sorted({join_path(p) or "(meta)" for p in places})), case["path"])]
    return []


# ---- inputs --------------------------------------------------------------------------------

class Inputs:
    """The unmodified inputs: tool schemas, objects, packages (some packed here by ecc)."""

    def __init__(self, table, tmp):
        self.table, self.tmp, self.packages = table, tmp, {}

    def path(self, name, key):
        value = self.table[name].get(key)
        return os.path.join(ROOT, value) if value else None

    def package(self, name):
        """The input's package document, or a string saying why there is none."""
        if name not in self.packages:
            path = self.path(name, "package")
            if not path:  # packed here from schema and object
                path = os.path.join(self.tmp, name + ".package.json")
                rc, _, err = run([ECC, "-o", path, self.path(name, "object"),
                                  self.path(name, "schema")])
                if rc != 0:
                    self.packages[name] = "ecc refuses the unedited %s: %s" % (
                        name, first_line(err))
                    return self.packages[name]
            try:
                self.packages[name] = load_json(path)
            except (OSError, ValueError) as e:
                self.packages[name] = "no package for %s: %s" % (name, e)
        return self.packages[name]


def sides_of(case, inputs):
    edits = case.get("edits", [])
    tool_keys = all(split_path(e[1])[0] in SCHEMA_KEYS for e in edits)
    # "ecli_only": a mistake ecc would not make itself (it fills in what the edit removes)
    packs = (inputs.path(case["input"], "schema") and tool_keys and not case.get("ecli_only")
             and "package_edits" not in case)
    sides = ["ecc"] if packs else []
    sides.append("ecli")
    if case["expect"] == "accepted" or not case.get("c_only"):
        sides.append("schema")
    return sides


def check_case(case, inputs, validator, tmp):
    problems = []
    edits = case.get("edits", [])
    package = inputs.package(case["input"])
    try:
        if "ecc" in case["sides"]:
            schema_doc = edited(load_json(inputs.path(case["input"], "schema")), edits)
            problems += ecc_side(case, schema_doc, inputs.path(case["input"], "object"), tmp)
        if isinstance(package, str):
            return problems + [package]
        package = edited(dict(package, meta=edited(package["meta"], edits)),
                         case.get("package_edits", []))
    except (LookupError, TypeError, ValueError, AttributeError) as e:
        return ["the edit does not apply: %s %s" % (type(e).__name__, e)]
    problems += ecli_side(case, package, tmp)
    problems += schema_side(case, validator, package)
    return problems


# ---- sources -------------------------------------------------------------------------------

def ecc_compiles_sources():
    rc, out, err = run([ECC, "--version"])
    return rc == 0 and "clang" in out + err


def check_source_case(case, table, tmp):
    source = table["sources"][case["source"]]
    with open(os.path.join(ROOT, source["source"]), encoding="utf-8") as f:
        text = f.read()
    src = os.path.join(tmp, os.path.basename(source["source"]))
    header = os.path.join(tmp, os.path.basename(source["header"]))
    with open(os.path.join(ROOT, source["header"]), encoding="utf-8") as f:
        header_text = f.read()
    with open(header, "w", encoding="utf-8") as f:
        f.write(header_text)
    line = None
    if "replace" in case:
        old, new = case["replace"]
        if text.count(old) != 1:
            return ["the edit does not apply: %r is not in %s once" % (old, source["source"])]
        line = text[:text.index(old)].count("\n") + 1
        text = text.replace(old, new)
    with open(src, "w", encoding="utf-8") as f:
        f.write(text)
    out = os.path.join(tmp, "packed.json")
    rc, stdout, stderr = run([ECC, "-o", out, src, header])
    if case["expect"] == "accepted":
        if rc != 0 or not os.path.exists(out):
            return ["ecc: exit %s, want 0: %s" % (rc, first_line(stderr))]
        rc, stdout, stderr = run([ECLI, "run", out, "-h"])
        missing = [t for t in case.get("help_says", []) if t not in stdout]
        return [] if rc == 0 and not missing else ["ecli -h: exit %s, lacks %s" % (rc, missing)]
    case = dict(case, path="%s:%d" % (src, line))
    problems = check_line("ecc", rc, stdout, stderr, "ecc: ", case)
    if os.path.exists(out):
        problems.append("ecc: wrote %s anyway" % out)
    return problems


# ---- main ----------------------------------------------------------------------------------

def main(argv):
    only = argv[1] if len(argv) > 1 else ""
    table = load_json(os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases.json"))
    validator = Draft202012Validator(load_json(os.path.join(ROOT, "schema",
                                                            "package.schema.json")))
    passed = failed = skipped = 0
    sources_ok = ecc_compiles_sources()
    with tempfile.TemporaryDirectory(prefix="broken-inputs.") as tmp:
        inputs = Inputs(table["inputs"], tmp)
        for case in table["cases"]:
            if only not in case["id"]:
                continue
            case.setdefault("expect", "refused")
            case_tmp = tempfile.mkdtemp(prefix=case["id"] + ".", dir=tmp)
            if "source" in case:
                if not sources_ok:
                    print("skip %s: build/ecc cannot compile sources yet (ecc --version names "
                          "no clang)" % case["id"])
                    skipped += 1
                    continue
                sides, problems = "ecc", check_source_case(case, table, case_tmp)
            else:
                case["sides"] = sides_of(case, inputs)
                sides, problems = ", ".join(case["sides"]), check_case(case, inputs,
                                                                       validator, case_tmp)
            what = case["expect"] + (" at " + case["path"] if "path" in case else "")
            if case.get("c_only"):
                what += " (C only: %s)" % case["c_only"]
            if problems:
                failed += 1
                print("FAIL %s: %s" % (case["id"], "; ".join(problems)))
            else:
                passed += 1
                print("ok   %s: %s by %s" % (case["id"], what, sides))
    if skipped:
        print("broken-inputs: %d skipped (listed above)" % skipped)
    print("broken-inputs: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
