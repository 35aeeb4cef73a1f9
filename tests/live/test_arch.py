# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""One package for x86_64 and arm64: ecc builds each tool once per architecture, ecli loads the
running machine's object, refuses a package without one in one line before loading anything, and
still runs a package of one object that names no architecture, as earlier releases and
eunomia-bpf write them."""
import json
import os
import platform
import subprocess
import sys
import tempfile

from harness import (ROOT, Ecli, check, check_equal, live_test, package, run_all,
                     run_ecli_watched)

MACHINE = platform.machine()
ECC = os.path.join(ROOT, "build", "ecc")


def load(path):
    with open(path) as f:
        return json.load(f)


def write(doc, tmp, name):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        json.dump(doc, f)
    return path


@live_test
def every_tool_has_an_object_for_each_architecture():
    for tool in ("bindsnoop", "tcpaccept", "opensnoop", "execsnoop"):
        doc = load(package(tool))
        check_equal(doc.get("arch"), "x86_64", "%s: its own object's architecture" % tool)
        check_equal(sorted(doc.get("arch_objects", {})), ["aarch64"],
                    "%s: the other architectures' objects" % tool)
        check(doc["bpf_object"] != doc["arch_objects"]["aarch64"]["bpf_object"],
              "%s: two objects, each compiled for its architecture" % tool)


@live_test
def a_package_without_this_machines_object_is_refused_before_loading():
    doc = load(package("opensnoop"))
    own = {k: doc.pop(k) for k in ("bpf_object", "bpf_object_size")}
    others = doc.pop("arch_objects")
    mine = own if doc["arch"] == MACHINE else others.pop(MACHINE)
    # a package of every architecture but this machine's
    rest = dict(others, **({doc["arch"]: own} if doc["arch"] != MACHINE else {}))
    check(rest, "another architecture's object to keep")
    first = sorted(rest)[0]
    only = dict(rest.pop(first), arch=first, meta=doc["meta"])
    if rest:
        only["arch_objects"] = rest
    with tempfile.TemporaryDirectory() as tmp:
        path = write(only, tmp, "elsewhere.json")
        out, err, status, watch = run_ecli_watched(["run", path])
    check_equal(status, 2, "exit status; stderr: " + err)
    check_equal(err.splitlines(), ["ecli: package has objects for %s; this machine is %s"
                                   % (", ".join([first] + sorted(rest)), MACHINE)],
                "one line naming the architectures")
    check_equal((out, watch.progs), ("", set()), "nothing printed, nothing loaded")
    check(mine, "this machine's object was in the original package")


@live_test
def a_package_of_one_object_without_an_architecture_still_runs():
    """As earlier releases wrote it: bpf_object alone, for any machine (here the x86_64 one, on
    x86_64; on another machine, that machine's)."""
    doc = load(package("opensnoop"))
    if doc["arch"] != MACHINE:
        mine = doc["arch_objects"][MACHINE]
        doc["bpf_object"], doc["bpf_object_size"] = mine["bpf_object"], mine["bpf_object_size"]
    del doc["arch"], doc["arch_objects"]
    with tempfile.TemporaryDirectory() as tmp:
        path = write(doc, tmp, "old.json")
        marker = os.path.join(tmp, "opened-by-the-old-package")
        with open(marker, "w"):
            pass
        ecli = Ecli([path, "-o", "json"])
        try:
            with open(marker):
                pass
        finally:
            out, err, status = ecli.stop()
    check_equal(status, 0, "exit status; stderr: " + err)
    paths = [json.loads(l).get("path") for l in out.splitlines() if l.startswith("{")]
    check(marker in paths, "the open traced: %r" % paths[:20])


@live_test
def ecc_builds_for_each_architecture_or_the_ones_asked():
    sources = [os.path.join(ROOT, "tests", "bpf", "write_sizes.bpf.c")]
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "p.json")
        p = subprocess.run([ECC, "-v", "-o", out] + sources, capture_output=True, text=True,
                           timeout=120)
        check_equal(p.returncode, 0, "ecc: " + p.stderr)
        check("ecc: built for x86_64" in p.stderr and "ecc: built for aarch64" in p.stderr,
              "-v names both: " + p.stderr)
        check_equal((load(out)["arch"], list(load(out)["arch_objects"])), ("x86_64", ["aarch64"]),
                    "both in the package")
        p = subprocess.run([ECC, "--arch", "aarch64", "-o", out] + sources, capture_output=True,
                           text=True, timeout=120)
        check_equal(p.returncode, 0, "ecc --arch aarch64: " + p.stderr)
        check_equal((load(out)["arch"], "arch_objects" in load(out)), ("aarch64", False),
                    "--arch aarch64: that object alone")
        p = subprocess.run([ECC, "--arch", "riscv64", "-o", out] + sources, capture_output=True,
                           text=True, timeout=120)
        check_equal((p.returncode, p.stderr), (2, "ecc: --arch: 'riscv64' is not x86_64 or "
                                                  "aarch64\n"), "an architecture ecc lacks")
        # an object built elsewhere: for any machine, or for the one --arch names
        obj = os.path.join(tmp, "w.o")
        p = subprocess.run([ECC, "--arch", "aarch64", "--save-object", obj, "-o", out] + sources,
                           capture_output=True, text=True, timeout=120)
        check_equal(p.returncode, 0, "ecc --save-object: " + p.stderr)
        for args, arch in (([], None), (["--arch", "aarch64"], "aarch64")):
            p = subprocess.run([ECC] + args + ["-o", out, obj], capture_output=True, text=True,
                               timeout=120)
            check_equal(p.returncode, 0, "ecc %s OBJECT: %s" % (args, p.stderr))
            check_equal(load(out).get("arch"), arch, "ecc %s OBJECT: its arch" % args)
        p = subprocess.run([ECC, "--arch", "x86_64,aarch64", "-o", out, obj],
                           capture_output=True, text=True, timeout=120)
        check_equal((p.returncode, p.stderr),
                    (2, "ecc: --arch x86_64,aarch64: an object is built for one architecture, "
                        "named as uname -m names it (x86_64, aarch64)\n"),
                    "two architectures for one object")


if __name__ == "__main__":
    sys.exit(run_all("arch"))
