# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Live tests on a kernel without /sys/kernel/btf/vmlinux: run by tests/vm/run_vm.py in the VM after
it hid the kernel's BTF (a copy of it is at /tmp/vmlinux.btf, or $ECLI_TEST_BTF). build/vm/packages
hold the tools with the minimal BTF of this kernel embedded (make vmtest: ecc --btf-for)."""
import os
import socket
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "live"))
from acceptor import AcceptChild  # noqa: E402
from binder import BindChild, standard_binds  # noqa: E402
from harness import (FIXTURES, ROOT, Ecli, check, check_equal, json_lines, live_test, package, run_all,  # noqa: E402
                     run_ecli_watched, trace_around)

BTF = os.environ.get("ECLI_TEST_BTF", "/tmp/vmlinux.btf")
KERNEL_BTF = "/sys/kernel/btf/vmlinux"


def embedding(tool):
    """The tool's package with this kernel's minimal BTF in it (btf_for)."""
    path = os.path.join(ROOT, "build", "vm", "packages", tool, "package.json")
    check(os.path.exists(path), "%s: make vmtest builds it (ecc --btf-for)" % path)
    return path


def check_btf_hidden():
    check(not os.path.exists(KERNEL_BTF), "%s is there: this suite runs where the kernel's BTF "
          "is hidden (tests/vm/run_vm.py)" % KERNEL_BTF)
    check(os.path.getsize(BTF) > 0, "the kernel's BTF saved at %s" % BTF)


@live_test
def without_btf_one_line_says_so_and_how_to_give_one():
    check_btf_hidden()
    for pkg in (package("bindsnoop"), os.path.join(FIXTURES, "bootstrap.json")):
        out, err, status, watch = run_ecli_watched(["run", "--duration", "1", pkg])
        check_equal((status, out), (1, ""), "status and stdout for %s; stderr: %r" % (pkg, err))
        check_equal(len(err.splitlines()), 1, "one line for %s: %r" % (pkg, err))
        check("BTF" in err and "--btf" in err, "names the missing BTF and --btf: %r" % err)
        check_equal(watch.progs, set(), "programs ecli held for %s" % pkg)


@live_test
def btf_file_traces_binds():
    check_btf_hidden()
    (expected,), out = trace_around(["-j", "--btf", BTF, package("bindsnoop"), "-E"],
                                    [BindChild("nb-bind", standard_binds())])
    got = [e for e in json_lines(out) if e["pid"] == expected[0]["pid"]]
    check_equal([{k: g[k] for k in e} for g, e in zip(got, expected)], expected, "events")
    check_equal(len(got), len(expected), "number of events")


@live_test
def btf_file_traces_accepts():
    check_btf_hidden()
    child = AcceptChild("nb-accept", [(socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")])
    (expected,), out = trace_around(["-j", "--btf", BTF, package("tcpaccept")], [child])
    got = [e for e in json_lines(out) if e["pid"] == child.pid]
    check_equal([{k: g[k] for k in e} for g, e in zip(got, expected)], expected, "events")
    check_equal(len(got), 2, "number of events")


@live_test
def embedded_btf_traces_binds():
    check_btf_hidden()
    (expected,), out = trace_around(["-j", embedding("bindsnoop"), "-E"],
                                    [BindChild("nb-ebind", standard_binds())])
    got = [e for e in json_lines(out) if e["pid"] == expected[0]["pid"]]
    check_equal([{k: g[k] for k in e} for g, e in zip(got, expected)], expected, "events")
    check_equal(len(got), len(expected), "number of events")


@live_test
def embedded_btf_traces_accepts():
    check_btf_hidden()
    child = AcceptChild("nb-eaccept", [(socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")])
    (expected,), out = trace_around(["-j", embedding("tcpaccept")], [child])
    got = [e for e in json_lines(out) if e["pid"] == child.pid]
    check_equal([{k: g[k] for k in e} for g, e in zip(got, expected)], expected, "events")
    check_equal(len(got), 2, "number of events")


@live_test
def embedded_btf_is_named_under_v():
    check_btf_hidden()
    out, err, status, watch = run_ecli_watched(["run", "-v", "--duration", "1",
                                                embedding("bindsnoop")])
    check_equal(status, 0, "exit status; stderr: %r" % err[-600:])
    line = "ecli: this kernel has no BTF: using the package's BTF for %s" % os.uname().release
    check(line in err, "%r in -v's stderr: %r" % (line, err[:600]))


@live_test
def btf_file_runs_an_eunomia_package():
    check_btf_hidden()
    ecli = Ecli(["-j", "--btf", BTF, os.path.join(FIXTURES, "bootstrap.json"),
                 "--min_duration_ns", "0"])
    try:
        child = subprocess.Popen(["/bin/true"])
        child.wait()
    finally:
        out, err, status = ecli.stop()
    check_equal(status, 0, "exit status; stderr: " + err)
    events = [e for e in json_lines(out) if e["pid"] == child.pid]
    check_equal([(e["comm"], e["exit_event"]) for e in events], [("true", False), ("true", True)],
                "exec and exit of /bin/true")


if __name__ == "__main__":
    sys.exit(run_all("nobtf"))
