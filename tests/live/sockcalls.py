# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Binds and accepts Python cannot make, by build/tests/sockcalls (tests/live/sockcalls.c):
through io_uring (IORING_OP_BIND, IORING_OP_ACCEPT) and through 32-bit syscalls (int $0x80).

A SockCalls is a child for trace_around: started (and so its pid known, for -p) before
tracing, it performs its operations on go() and returns what a tracer must report for each.
Where this kernel refuses a mechanism (io_uring disabled, no ia32 emulation) the helper says so
per operation; skipped() prints each such case loudly, so nothing is skipped silently.
"""
import json
import os
import re
import subprocess

from harness import ROOT, Ecli, check_equal, record_case

HELPER = os.path.join(ROOT, "build", "tests", "sockcalls")


class SockCalls:
    kind = "sockcalls"

    def __init__(self, comm, *ops, uid=None):
        """ops: ("uring-bind", 4, "127.0.0.1", 8080), ("i386-accept4", 6), ...; uid: run as
        this user instead of the test's."""
        if not os.path.exists(HELPER):
            raise AssertionError("%s is missing: run make first" % HELPER)
        self.comm = comm
        self.uid = os.getuid() if uid is None else uid
        argv = [HELPER, comm] + [str(a) for op in ops for a in op]
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, user=uid, group=uid)
        self.pid = self.proc.pid

    def go(self):
        """Lets the helper work; returns one dict per operation, in order, each with the
        helper's pid and comm, or {"op", "skip"} for an operation this kernel refuses."""
        out, err = self.proc.communicate(b"\n", timeout=30)
        if self.proc.returncode:
            raise AssertionError("sockcalls %s failed (status %d): %s"
                                 % (self.comm, self.proc.returncode, err.decode(errors="replace")))
        results = [json.loads(line) for line in out.decode().splitlines()]
        for r in results:
            if "skip" not in r:
                r.update(pid=self.pid, uid=self.uid, comm=self.comm[:15])
        return results

    def close(self):
        self.proc.kill()
        self.proc.wait()


SKIPS = {}  # test: ["op: reason", ...] of what the kernel refused


def skipped(results, test):
    """The operations this kernel refused, each printed as SKIPPED with its reason; the rest."""
    done = []
    for r in results:
        if "skip" in r:
            print("    SKIPPED in %s: %s: %s" % (test, r["op"], r["skip"]))
            SKIPS.setdefault(test, []).append("%s: %s" % (r["op"], r["skip"]))
        else:
            done.append(r)
    return done


def record_seen(case, test):
    """For docs/robustness.md's table: the case held (the caller checked its events), or
    which operations this kernel refused."""
    refused = SKIPS.get(test)
    record_case(case, 0, "SKIPPED " + "; ".join(refused) if refused else "")


def adopt_thread_comm(got, expected):
    """An operation the kernel ran in a thread of the process's own (an io-wq worker, the
    ring's SQPOLL thread: the helper names it as "thread") is reported with that thread's comm
    or, where the completion is posted back in the caller, with the caller's, depending on the
    kernel and the hook: an event showing either matches. Drops "thread" from expected."""
    for i, e in enumerate(expected):
        thread = e.pop("thread", None)
        if thread and i < len(got) and got[i].get("comm") == thread:
            e["comm"] = thread


def trace_sockcalls(args, child, stderr=None):
    """Runs `ecli run args` around the child's work: (its results, stdout, events ecli counted
    as lost), after a clean SIGINT exit. stderr, a list, gets ecli's stderr appended."""
    try:
        ecli = Ecli(args)
    except AssertionError:
        child.close()
        raise
    try:
        results = child.go()
    finally:
        out, err, status = ecli.stop()
        if stderr is not None:
            stderr.append(err)
    check_equal(status, 0, "exit status; stderr: " + err)
    totals = re.findall(r"^lost (\d+) events$", err, re.M)
    return results, out, int(totals[-1]) if totals else 0
