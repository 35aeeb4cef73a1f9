#!/usr/bin/python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""The tree's architecture, checked: two programs over one library grouped by stage.

- lib/<stage>/ folders are exactly the Makefile's LIB_STAGES, bottom first;
- a file in lib/<stage>/ includes project headers only as "<stage>/name.h", from its own
  stage or one listed before it, and never from ecli/ or ecc/;
- ecli/ and ecc/ include the library by stage and their own headers by name, never each other's;
- every quoted include names a file that exists;
- the checker itself reports an upward include, a bare one and one of the other program's
  (made-up trees in a temporary folder), so a passing run means something.

usage: test_layering.py [ROOT]
"""
import os
import re
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def stages_of(root):
    """LIB_STAGES from the Makefile, bottom first."""
    with open(os.path.join(root, "Makefile"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r"LIB_STAGES\s*:=\s*(.*)", line)
            if m:
                return m.group(1).split()
    return []


def sources(folder):
    if not os.path.isdir(folder):
        return []
    return sorted(os.path.join(folder, f) for f in os.listdir(folder)
                  if f.endswith(".c") or f.endswith(".h"))


def includes(path):
    with open(path, encoding="utf-8") as f:
        return INCLUDE.findall(f.read())


def include_problem(root, folder, inc, rank, progs):
    """What is wrong with folder's file including inc, or None. folder: a stage or a program."""
    head = inc.split("/")[0]
    if "/" not in inc:
        if folder in rank:
            return "does not name its stage"
        return None if os.path.exists(os.path.join(root, folder, inc)) else \
            "is not in %s/" % folder
    if head in progs and folder in rank:
        return "is a program's header"
    if head not in rank:
        return "is in no stage of lib/"
    if folder in rank and rank[head] > rank[folder]:
        return "is above " + folder
    if not os.path.exists(os.path.join(root, "lib", inc)):
        return "does not exist"
    return None


def check_tree(root, stages):
    """Every rule broken in root, one line each ("path: what")."""
    problems = []
    rank = {s: i for i, s in enumerate(stages)}
    lib = os.path.join(root, "lib")
    found = sorted(d for d in os.listdir(lib) if os.path.isdir(os.path.join(lib, d)))
    if found != sorted(stages):
        problems.append("lib/: folders %s, LIB_STAGES %s" % (found, stages))
    progs = [p for p in ("ecli", "ecc") if os.path.isdir(os.path.join(root, p))]
    folders = [(s, os.path.join(lib, s)) for s in found] + \
        [(p, os.path.join(root, p)) for p in progs]
    for folder, path in folders:
        for src in sources(path):
            for inc in includes(src):
                why = include_problem(root, folder, inc, rank, progs)
                if why:
                    problems.append('%s: "%s" %s' % (os.path.relpath(src, root), inc, why))
    return problems


def make_tree(tmp, files):
    for rel, text in files.items():
        path = os.path.join(tmp, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


SOUND = {
    "lib/core/a.h": "",
    "lib/format/b.h": '#include "core/a.h"\n',
    "lib/format/b.c": '#include "format/b.h"\n#include <stdio.h>\n',
    "ecli/main.c": '#include "format/b.h"\n#include "run.h"\n',
    "ecli/run.h": "",
    "ecc/main.c": '#include "core/a.h"\n',
}
BROKEN = {
    "an upward include": ("lib/core/a.c", '#include "format/b.h"\n', "is above core"),
    "a bare include": ("lib/format/c.c", '#include "b.h"\n', "does not name its stage"),
    "a program's header in lib/": ("lib/format/d.c", '#include "ecli/run.h"\n',
                              "is a program's header"),
    "the other program's header": ("ecc/x.c", '#include "run.h"\n', "is not in ecc/"),
    "a missing header": ("lib/format/e.c", '#include "core/nope.h"\n', "does not exist"),
    "a stray lib/ folder": ("lib/extra/f.c", "", "LIB_STAGES"),
}


def run():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(HERE))
    passed = failed = 0

    def result(name, problems):
        nonlocal passed, failed
        if problems:
            failed += 1
            print("FAIL %s" % name)
            for p in problems:
                print("  " + p)
        else:
            passed += 1
            print("ok   %s" % name)

    stages = stages_of(root)
    result("Makefile names the stages", [] if stages else ["no LIB_STAGES in Makefile"])
    result("the tree includes nothing upward", check_tree(root, stages))
    legacy = [d for d in ("loader", "package") if os.path.exists(os.path.join(root, d))]
    result("no loader/ or package/ remain", ["%s/ exists" % d for d in legacy])
    with tempfile.TemporaryDirectory() as tmp:
        make_tree(tmp, SOUND)
        result("a sound made-up tree passes", check_tree(tmp, ["core", "format"]))
    for name, (rel, text, want) in BROKEN.items():
        with tempfile.TemporaryDirectory() as tmp:
            make_tree(tmp, dict(SOUND, **{rel: text}))
            got = check_tree(tmp, ["core", "format"])
            ok = len(got) == 1 and want in got[0]
            result("the checker reports " + name,
                   [] if ok else ["want one problem with %r, got %r" % (want, got)])
    print("layering: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(run())
