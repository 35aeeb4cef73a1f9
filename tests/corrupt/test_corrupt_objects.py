# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""The corrupt-objects suite: ecli never crashes or hangs on a corrupt BPF object.

10,000 deterministic mutations of the real bindsnoop object go through ecli's own path in
build/tests/corrupt_objects (the structural check, libbpf's open, the package check, and as
root, for every 10th, ecli's variant loop: load, attach, detach), each in a child process:
none may crash or hang. The harness is shown to catch a crash, and the same objects are run
without the check to show what libbpf 1.1 does with them alone. The issue's corruption (a struct
member's type id moved past the last type) goes through the real `ecli run`: exit status 2, one
line naming the type, the member and the bad id, nothing loaded.
"""
import base64
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "live"))
sys.path.insert(0, HERE)
from harness import (ROOT, check, check_equal, live_test as suite_test, package, record_case,  # noqa
                     run_all, run_ecli_watched)
from object_bytes import btf_types, map_definition, member_type_past_last, struct_named  # noqa

HARNESS = os.path.join(ROOT, "build", "tests", "corrupt_objects")
PKG = package("bindsnoop")
OUTCOMES = ("refused by the check", "refused by the package check", "opened", "loaded",
            "crashed", "hung")



def run_harness(args):
    p = subprocess.run([HARNESS] + args + [PKG], capture_output=True, text=True, timeout=600)
    print("    | " + (p.stdout + p.stderr).rstrip().replace("\n", "\n    | "))
    return p.returncode, p.stdout


def counts(out):
    """The harness's summary line as numbers: total, and each outcome."""
    line = re.search(r"(\d+) mutated objects: (.*)", out)
    check(line, "summary line in:\n" + out)
    got = {"total": int(line.group(1))}
    for outcome in OUTCOMES:
        m = re.search(r"(\d+) %s" % outcome, line.group(2))
        got[outcome] = int(m.group(1)) if m else 0
    m = re.search(r"(\d+) refused by libbpf", line.group(2))
    got["refused by libbpf"] = int(m.group(1))
    return got


def accounted(c):
    return sum(c[k] for k in OUTCOMES) + c["refused by libbpf"]


@suite_test
def ten_thousand_mutated_objects_crash_nothing():
    status, out = run_harness([])
    c = counts(out)
    record_case("10,000 byte-mutated objects through ecli's path (none crashes or hangs)",
                status, "" if c["crashed"] + c["hung"] == 0 else "crashed or hung")
    check_equal(c["total"], 10000, "mutated objects")
    check_equal(accounted(c), 10000, "mutations accounted for")
    check_equal((c["crashed"], c["hung"]), (0, 0), "crashed, hung")
    check_equal(status, 0, "harness exit status")
    check(c["refused by the check"] > 0 and c["opened"] + c["loaded"] > 0,
          "mutations both refused and accepted: %s" % c)
    if os.geteuid() == 0:
        check(c["loaded"] > 0, "some mutated objects were loaded as root: %s" % c)


@suite_test
def the_harness_catches_a_crash():
    with tempfile.TemporaryDirectory() as tmp:
        status, out = run_harness(["-n", "20", "-l", "0", "--crash-at", "7", "--save", tmp])
        check_equal(status, 1, "harness exit status with a crash")
        check_equal(counts(out)["crashed"], 1, "crashes counted")
        check("mutation 7 crashed" in out, "the crash named")
        check(os.path.exists(os.path.join(tmp, "crashed-7.bpf.o")), "the crashing object saved")


@suite_test
def without_the_check_libbpf_meets_the_same_objects():
    """Not a pass/fail of libbpf: the numbers show what the check keeps from it."""
    with tempfile.TemporaryDirectory() as tmp:
        status, out = run_harness(["-n", "3000", "-l", "0", "--without-check", "--save", tmp])
        c = counts(out)
        check_equal(c["refused by the check"], 0, "nothing refused by a check that is off")
        check_equal(accounted(c), 3000, "mutations accounted for")
        check_equal(status, 1 if c["crashed"] + c["hung"] else 0, "exit status")
        print("    without the check: %d of 3000 crashed, %d hung" % (c["crashed"], c["hung"]))


def package_object(pkg):
    return bytearray(zlib.decompress(base64.b64decode(pkg["bpf_object"])))


def corrupted_package(pkg, choose_struct, member):
    """The package with one struct member's type id set to one past the last type."""
    obj = package_object(pkg)
    message = member_type_past_last(obj, choose_struct(obj, btf_types(obj)), member)
    bad = dict(pkg, bpf_object=base64.b64encode(zlib.compress(bytes(obj))).decode(),
               bpf_object_size=len(obj))
    return bad, bytes(obj), "ecli: " + message


@suite_test
def a_member_type_past_the_last_type_is_one_line_and_exit_2():
    with open(PKG) as f:
        pkg = json.load(f)
    cases = [("the events map's definition", lambda o, t: map_definition(o, t, "events"), 0),
             ("struct bind_event", lambda o, t: struct_named(t, "bind_event"), 3)]
    with tempfile.TemporaryDirectory() as tmp:
        for name, choose, member in cases:
            bad, obj, message = corrupted_package(pkg, choose, member)
            path = os.path.join(tmp, "package.json")
            with open(path, "w") as f:
                json.dump(bad, f)
            start = time.time()
            out, err, status, watch = run_ecli_watched(["run", path])
            check(time.time() - start < 10, "%s: answered within 10 s" % name)
            record_case("BTF: %s's member %d refers to a type past the last one" % (name, member),
                        status, err.rstrip("\n"))
            check_equal(status, 2, "%s: exit status (stderr %r)" % (name, err))
            check_equal(out, "", "%s: stdout" % name)
            check_equal(err, message + "\n", "%s: the one line" % name)
            check_equal(watch.progs | set(watch.links), set(), "%s: programs and links ecli held"
                        % name)
            check(watch.polls > 0, "%s: ecli's fds were looked at" % name)
            # what libbpf 1.1 alone does with it: shown, not judged
            objpath = os.path.join(tmp, "object.bpf.o")
            with open(objpath, "wb") as f:
                f.write(obj)
            run_harness(["-l", "0", "-t", "10", "--without-check", "--object", objpath])


if __name__ == "__main__":
    sys.exit(run_all("corrupt-objects"))
