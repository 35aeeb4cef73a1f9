# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""bcc's libbpf-tools syncsnoop as its authors wrote it (tests/third_party/bcc-syncsnoop, unmodified
sources: Debian 12's libbpf-tools predates it), packed with one ecc command from its source and
header (and a schema for its table) and traced beside the original binary, which make builds
from the same sources (build/third-party/syncsnoop/syncsnoop).

Its object has programs for sync_file_range2 and arm_sync_file_range, syscalls x86 does not
have (nor arm64 the first two of sync_file_range's three): its user space skips a tracepoint
tracefs lacks, and ecli leaves such a program out with one warning line each, attaching the
rest. The rows a child makes (fsync, fdatasync, msync, sync_file_range, syncfs, sync) must be
the original's, column for column (the time only in form: each reads its own clock).
"""
import os
import re
import subprocess
import sys
import tempfile
import time

from harness import (ROOT, Ecli, Process, check, check_equal, ensure_mounted, live_test,
                     loaded_ids, run_all)

SOURCES = os.path.join(ROOT, "tests", "third_party", "bcc-syncsnoop")
SCHEMA = os.path.join(ROOT, "tests", "third_party", "syncsnoop.json")
ORIGINAL = os.path.join(ROOT, "build", "third-party", "syncsnoop", "syncsnoop")
ECC = os.path.join(ROOT, "build", "ecc")
TRACEFS = "/sys/kernel/tracing"
HEADER = "TIME(s)            COMM             CALL"
COMM = "ecli-syncs"
CALLS = ["fsync", "fdatasync", "msync", "sync_file_range", "syncfs", "sync"]
# The object's programs whose hook a kernel may lack, and their tracepoints.
MAYBE_MISSING = {
    "tracepoint__syscalls__sys_enter_sync_file_range": "sys_enter_sync_file_range",
    "tracepoint__syscalls__sys_enter_sync_file_range2": "sys_enter_sync_file_range2",
    "tracepoint__syscalls__sys_enter_arm_sync_file_range": "sys_enter_arm_sync_file_range",
}
ALL_PROGRAMS = ["tracepoint__syscalls__sys_enter_" + c for c in
                ("sync", "fsync", "fdatasync", "msync", "sync_file_range", "sync_file_range2",
                 "arm_sync_file_range", "syncfs")]
WARNING = ("ecli: warning: not traced on this kernel: %s (tracepoint/syscalls/%s): its hook "
           "does not exist here (-v says why)")

SYNCS = r"""
import ctypes, mmap, os, sys
open("/proc/self/comm", "w").write(sys.argv[1])
libc = ctypes.CDLL(None, use_errno=True)
fd = os.open(sys.argv[2], os.O_RDWR | os.O_CREAT, 0o600)
os.write(fd, b"x" * 4096)
os.fsync(fd)
os.fdatasync(fd)
m = mmap.mmap(fd, 4096)
m.flush()
m.close()
libc.sync_file_range(fd, ctypes.c_longlong(0), ctypes.c_longlong(0), 0)
libc.syncfs(fd)
os.sync()
os.close(fd)
"""


def pack(tmp):
    """One ecc command in the sources' folder: the source, its header, the schema."""
    out = os.path.join(tmp, "syncsnoop.json")
    p = subprocess.run([ECC, "-o", out, "syncsnoop.bpf.c", "syncsnoop.h", SCHEMA], cwd=SOURCES,
                       capture_output=True, text=True, timeout=120)
    check_equal(p.returncode, 0, "ecc syncsnoop.bpf.c syncsnoop.h syncsnoop.json; stderr: "
                + p.stderr)
    return out


def run_syncs(tmp):
    p = subprocess.run([sys.executable, "-S", "-c", SYNCS, COMM, os.path.join(tmp, "data")],
                       capture_output=True, text=True, timeout=60)
    check_equal(p.returncode, 0, "the workload child; stderr " + p.stderr)


def rows(text):
    """(time, comm, call) of the workload's rows, from the header on."""
    lines = [l.rstrip() for l in text.splitlines()]
    starts = [i for i, l in enumerate(lines) if l.startswith(HEADER)]
    check(starts, "a header %r in %r" % (HEADER, text))
    return lines[starts[0]], [tuple(l.split()) for l in lines[starts[0] + 1:]
                              if l.split()[1:2] == [COMM]]


@live_test
def syncsnoop_prints_what_the_original_prints():
    ensure_mounted(TRACEFS, "tracefs")
    with tempfile.TemporaryDirectory() as tmp:
        pkg = pack(tmp)
        ecli = theirs = None
        try:
            ecli = Ecli([pkg])
            theirs = Process(["stdbuf", "-oL", ORIGINAL])
            theirs.wait_for("CALL", 30)
            time.sleep(0.5)  # the original prints its header before it polls
            run_syncs(tmp)
            theirs.wait_for(" sync", 20)
            time.sleep(0.5)
            out, err, status = ecli.stop()
            t_out, t_err, t_status = theirs.stop()
        finally:
            for p in (ecli, theirs):
                if p:
                    p.kill()
    check_equal(status, 0, "ecli's exit status; stderr " + err)
    check_equal(t_status, 0, "the original's exit status; stderr " + t_err)
    header, mine = rows(out)
    t_header, want = rows(t_out)
    check_equal(header, t_header, "the header line, ecli against the original")
    check_equal([r[1:] for r in want], [(COMM, c) for c in CALLS],
                "the original's rows of the workload")
    check_equal([r[1:] for r in mine], [r[1:] for r in want],
                "the workload's rows (COMM, CALL), ecli against the original")
    for r in mine + want:
        check(re.match(r"^\d+\.\d{9}$", r[0]) is not None, "TIME(s) as %%.9f: %r" % (r,))


@live_test
def syncsnoop_hooks_this_kernel_lacks_are_left_out_one_line_each():
    """The programs whose tracepoint tracefs lacks here (on x86: sync_file_range2 and
    arm_sync_file_range) are named once each; the others attach."""
    ensure_mounted(TRACEFS, "tracefs")
    missing = [(prog, tp) for prog, tp in MAYBE_MISSING.items()
               if not os.path.exists(os.path.join(TRACEFS, "events", "syscalls", tp))]
    with tempfile.TemporaryDirectory() as tmp:
        pkg = pack(tmp)
        _, err, status = Ecli([pkg]).stop()
        _, verbose, v_status = Ecli(["-v", pkg]).stop()
    check_equal((status, v_status), (0, 0), "exit status; stderr " + err + verbose)
    warnings = [l for l in err.splitlines() if l.startswith("ecli: warning:")]
    check_equal(warnings, [WARNING % m for m in missing], "one warning per program left out")
    loaded = loaded_ids(verbose)
    check_equal(sorted(loaded.get("(none)", {})),
                sorted(p for p in ALL_PROGRAMS if p not in dict(missing)),
                "the programs loaded and attached (-v):\n" + verbose)

if __name__ == "__main__":
    sys.exit(run_all("bcc-syncsnoop"))
