# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""A kernel without BTF, on this machine: each ecli runs in a mount namespace of its own (unshare
-m) where a tmpfs hides /sys/kernel/btf, so the machine's BTF is never touched. ecc --btf-for
embeds minimal BTFs made from this kernel's /sys/kernel/btf/vmlinux; ecli must use the one for
uname -r, and refuse in one line when the package has none for this release.
(tests/vm/test_nobtf.py does the same on a VM kernel whose BTF is hidden for the whole run.)"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zlib
import base64

from binder import BindChild, standard_binds
from harness import (ROOT, Ecli, check, check_equal, json_lines, live_test, message_of, package,
                     record_case, run_all, run_ecli_watched, trace_around)

ECC = os.path.join(ROOT, "build", "ecc")
KERNEL_BTF = "/sys/kernel/btf/vmlinux"
OBJECT = os.path.join(ROOT, "build", "packages", "bindsnoop", "bindsnoop.bpf.o")
SCHEMA = os.path.join(ROOT, "tools", "bindsnoop", "bindsnoop.json")
OTHER = "5.10.0-0-not-this-kernel"
# ecli execs in the same process (BpfWatch follows its PID) after the namespace hid the BTF
HIDDEN = ["unshare", "-m", "--propagation", "private", "sh", "-c",
          'mount -t tmpfs nobtf /sys/kernel/btf && exec "$0" "$@"']
NO_BTF = ("ecli: this kernel has no BTF (/sys/kernel/btf/vmlinux is missing): CO-RE needs one: "
          "give it with --btf FILE (e.g. from BTFHub or the kernel's debug package)")


def pack(out, *btf_for):
    args = [ECC, "-o", out]
    for spec in btf_for:
        args += ["--btf-for", spec]
    p = subprocess.run(args + [OBJECT, SCHEMA], capture_output=True, text=True, timeout=120)
    check_equal((p.returncode, p.stderr), (0, ""), "ecc --btf-for %s" % " ".join(btf_for))
    with open(out) as f:
        return json.load(f)


def embedded(doc):
    return {e["release"]: zlib.decompress(base64.b64decode(e["btf"])) for e in doc["btf_for"]}


@live_test
def ecc_embeds_a_minimal_btf_per_release():
    tmp = tempfile.mkdtemp(prefix="nobtf.")
    try:
        named = os.path.join(tmp, OTHER + ".btf")  # as BTFHub names its files
        shutil.copy(KERNEL_BTF, named)
        doc = pack(os.path.join(tmp, "p.json"), os.uname().release + "=" + KERNEL_BTF, named)
        btfs = embedded(doc)
        check_equal(sorted(btfs), sorted([os.uname().release, OTHER]), "releases")
        for e in doc["btf_for"]:
            raw = btfs[e["release"]]
            check_equal(len(raw), e["btf_size"], "btf_size of %s" % e["release"])
            check_equal(raw[:2], b"\x9f\xeb", "BTF magic of %s" % e["release"])
            check(0 < len(raw) < os.path.getsize(KERNEL_BTF) // 50,
                  "minimal: %d bytes of %d" % (len(raw), os.path.getsize(KERNEL_BTF)))
        # the same BTF gives the same minimal BTF: only the release differs
        check_equal(btfs[OTHER], btfs[os.uname().release], "both minimal BTFs")
        p = subprocess.run([ECC, "-o", os.path.join(tmp, "q.json"), "--btf-for", KERNEL_BTF,
                            OBJECT, SCHEMA], capture_output=True, text=True)
        check_equal((p.returncode, len(p.stderr.splitlines())), (2, 1), "no release: " + p.stderr)
        check("RELEASE=FILE" in p.stderr, "says how to give the release: " + p.stderr)
        check(not os.path.exists(os.path.join(tmp, "q.json")), "no package written")
    finally:
        shutil.rmtree(tmp)


def refused(pkg, want_in_line):
    out, err, status, watch = run_ecli_watched(["run", "--duration", "1", pkg], prefix=HIDDEN)
    if NO_BTF in want_in_line:
        record_case("kernel without BTF, no --btf, no BTF in the package for it", status,
                    err.rstrip("\n"))
    check_equal((status, out), (1, ""), "status and stdout; stderr: %r" % err)
    check_equal(len(err.splitlines()), 1, "one line: %r" % err)
    for text in want_in_line:
        check(text in err, "%r in %r" % (text, err))
    check_equal(watch.progs, set(), "programs ecli held")
    return err.rstrip("\n")


@live_test
def hidden_btf_without_a_matching_one_is_one_line_and_loads_nothing():
    line = refused(package("bindsnoop"), [NO_BTF])
    check_equal(line, NO_BTF, "the line")
    tmp = tempfile.mkdtemp(prefix="nobtf.")
    try:
        pkg = os.path.join(tmp, "other.json")
        pack(pkg, OTHER + "=" + KERNEL_BTF)
        refused(pkg, ["has no BTF", "BTF for " + OTHER, "not for " + os.uname().release,
                      "--btf FILE"])
    finally:
        shutil.rmtree(tmp)


def traces_binds(args):
    (expected,), out = trace_around(["-j"] + args, [BindChild("nobtf-bind", standard_binds())],
                                    start=lambda a: Ecli(a, prefix=HIDDEN))
    got = [e for e in json_lines(out) if e["pid"] == expected[0]["pid"]]
    check_equal([{k: g[k] for k in e} for g, e in zip(got, expected)], expected, "events")
    check_equal(len(got), len(expected), "number of events")


@live_test
def hidden_btf_with_btf_file_traces_binds():
    tmp = tempfile.mkdtemp(prefix="nobtf.")
    try:
        btf = os.path.join(tmp, "vmlinux.btf")  # a copy: the namespace hides the original
        shutil.copy(KERNEL_BTF, btf)
        traces_binds(["--btf", btf, package("bindsnoop"), "-E"])
    finally:
        shutil.rmtree(tmp)


@live_test
def hidden_btf_uses_the_packages_btf_for_this_release():
    tmp = tempfile.mkdtemp(prefix="nobtf.")
    try:
        pkg = os.path.join(tmp, "here.json")
        pack(pkg, OTHER + "=" + KERNEL_BTF, os.uname().release + "=" + KERNEL_BTF)
        traces_binds([pkg, "-E"])
        out, err, status, _ = run_ecli_watched(["run", "-v", "--duration", "1", pkg],
                                               prefix=HIDDEN)
        check_equal(status, 0, "exit status; stderr: " + err)
        check("using the package's BTF for %s" % os.uname().release in err,
              "-v says which BTF: %r" % message_of(err.splitlines())[:600])
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    sys.exit(run_all("nobtf-host"))
