# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Third-party event tools as their authors wrote them (libbpf_tools.py: bcc's libbpf-tools as
Debian 12 ships them, each object packed with one ecc command), each traced side by side with
its original binary while a child process makes known events: the header line is the original's,
and the rows the child caused are the original's, column for column (times and latencies, which
each tool measures for itself, only in form).

sigsnoop: the signal_generate tracepoint by default and the kill syscalls with -k (the package's
hook variants chosen by option, as its user space chooses programs), so no signal is printed
twice. opensnoop, tcplife, tcpstates, runqslower: objects whose BTF lacks the event struct (a
stack variable clang writes no BTF for), described by their schema's events.fields; FD and ERR
split from one return value, bytes in KB, TCP states by name, a positional threshold.
"""
import os
import re
import subprocess
import sys
import tempfile
import time

from harness import Ecli, check, check_equal, ensure_mounted, live_test, run_all, run_ecli
from libbpf_tools import Original, pack


def side_by_side(tool, args, header, workload, ecli_args=(), until=None, probe=None):
    """ecli and the original tracing together while workload() runs: (ecli's lines, the
    original's lines, ecli's stderr, workload's result), lines from each one's header on. The
    original must not have lost events (its perf buffer is 16 pages a CPU): it is the
    reference. It reads nothing after SIGINT, so with until (the text of the workload's last
    event) it is stopped once it printed it (a slow machine, the arm64 VM, takes a while).
    Some originals print their header before they open their perf buffer, and miss what comes
    in between: probe (a function making an event, and the text the original prints for it) is
    repeated until the original shows it; without one, the workload waits half a second."""
    with tempfile.TemporaryDirectory() as tmp:
        pkg, _ = pack(tool, tmp)
        ecli = theirs = None
        try:
            ecli = Ecli(list(ecli_args) + [pkg] + list(args))
            theirs = Original(tool, args, header)
            wait_until_reading(theirs, probe)
            result = workload()
            if until:
                theirs.wait_for(until, 20)
            time.sleep(0.5)  # the last events reach both
            out, err, status = ecli.stop()
            t_out, t_err = theirs.finish()
        finally:  # neither left tracing after a failure
            for p in (ecli, theirs):
                if p:
                    p.kill()
    check_equal(status, 0, "ecli %s %s; stderr: %s" % (tool, args, err))
    check("lost" not in t_err, "the original %s lost no events: %s" % (tool, t_err))
    return from_header(out, header), from_header(t_out, header), err, result


def wait_until_reading(theirs, probe):
    if not probe:
        time.sleep(0.5)
        return
    make_event, text = probe
    deadline = time.time() + 20
    while text.encode() not in theirs.out:
        check(time.time() < deadline, "the original never showed %r" % text)
        make_event()
        theirs.drain(0.2)


def open_probe():
    """An open opensnoop shows, for wait_until_reading."""
    path = "/nonexistent/ecli-probe-%d" % os.getpid()

    def make_event():
        try:
            os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            pass
    return make_event, path


def from_header(text, header):
    lines = [l.rstrip() for l in text.splitlines()]
    starts = [i for i, l in enumerate(lines) if l.startswith(header)]
    check(starts, "a header starting %r in %r" % (header, text))
    return lines[starts[0]:]


def child(code):
    """Runs python code in a child process (without site: fewer opens of its own); its pid,
    once it has ended."""
    p = subprocess.Popen([sys.executable, "-S", "-c", code])
    check_equal(p.wait(timeout=30), 0, "the workload child")
    return p.pid


def free_pid():
    """A pid no process can have (above pid_max): a kill to it fails with ESRCH."""
    with open("/proc/sys/kernel/pid_max") as f:
        return int(f.read()) + 1


SIGNALS = """
import os, signal, subprocess, sys
s = subprocess.Popen(["sleep", "30"])
os.kill(s.pid, signal.SIGUSR1)
s.wait()
try:
    os.kill(%d, signal.SIGKILL)
except ProcessLookupError:
    pass
"""


def signal_rows(lines, pid):
    """(pid, comm, sig, tpid, result) of rows the child sent or was sent."""
    rows = set()
    for l in lines[1:]:
        f = l.split()
        if len(f) == 6 and (f[1] == str(pid) or f[4] == str(pid)):
            rows.add(tuple(f[1:]))
    return rows


@live_test
def sigsnoop_prints_each_signal_once_as_the_original():
    nobody = free_pid()
    ours, theirs, _, pid = side_by_side("sigsnoop", [], "TIME     PID",
                                        lambda: child(SIGNALS % nobody))
    check_equal(ours[0], theirs[0], "the header line, ecli against the original")
    mine, want = signal_rows(ours, pid), signal_rows(theirs, pid)
    check(("python3", "10") in {r[1:3] for r in mine if r[0] == str(pid)},
          "the child's SIGUSR1 to sleep: %r" % sorted(mine))
    check_equal(sorted(mine), sorted(want), "the child's signals, ecli against the original")
    check_equal(len([l for l in ours[1:] if l.split()[1:4:2] == [str(pid), "10"]]), 1,
                "SIGUSR1 printed once (one variant attached): %r" % ours)


@live_test
def sigsnoop_kill_syscalls_with_k_as_the_original():
    nobody = free_pid()
    ours, theirs, err, pid = side_by_side("sigsnoop", ["-k"], "TIME     PID",
                                          lambda: child(SIGNALS % nobody), ecli_args=["-v"])
    check(re.search(r"^variant kill syscalls: loaded and attached 6 programs$", err, re.M),
          "-k keeps the kill syscalls' variant: " + err)
    check(re.search(r"^variant signal_generate: not tried: the options given do not need it",
                    err, re.M), "-v says the options leave signal_generate out: " + err)
    mine, want = signal_rows(ours, pid), signal_rows(theirs, pid)
    check(("python3", "9", str(nobody), "-3") in {r[1:] for r in mine},
          "the failed kill of pid %d (ESRCH): %r" % (nobody, sorted(mine)))
    check(not any(r[2] == "17" for r in mine), "no SIGCHLD, which no kill() sent: %r" % mine)
    check_equal(sorted(mine), sorted(want), "the child's kills, ecli against the original")


OPENS = """
import os
os.close(os.open("/proc/version", os.O_RDONLY))
try:
    os.open("/nonexistent/ecli-third-party", os.O_WRONLY | os.O_CREAT, 0o600)
except FileNotFoundError:
    pass
"""


def rows_of(lines, pid, pid_column=0):
    return [l for l in lines[1:] if l.split()[pid_column:pid_column + 1] == [str(pid)]]


@live_test
def opensnoop_as_the_original():
    for args in ([], ["-e"]):
        ours, theirs, _, pid = side_by_side("opensnoop", args, "PID    COMM",
                                            lambda: child(OPENS),
                                            until="/nonexistent/ecli-third-party",
                                            probe=open_probe())
        check_equal(ours[0], theirs[0], "opensnoop %s: the header line" % args)
        mine, want = rows_of(ours, pid), rows_of(theirs, pid)
        check([l for l in mine if l.endswith(" /proc/version") and "  0 " in l] and
              [l for l in mine if l.endswith(" /nonexistent/ecli-third-party") and " -1   2 " in l],
              "opensnoop %s: the child's two opens, FD and ERR from one return value: %r"
              % (args, mine))
        # each CPU's perf buffer is read in turn: the same rows, not always in the same order
        check_equal(sorted(mine), sorted(want),
                    "opensnoop %s: the child's rows, ecli against the original" % args)


@live_test
def opensnoop_leaves_out_the_hooks_this_kernel_lacks():
    """Its open() programs where the kernel has no open syscall (arm64: its user space leaves
    them out): a warning line naming each, and the others trace; where it has one, all four
    attach without a word."""
    ensure_mounted("/sys/kernel/tracing", "tracefs")
    has_open = os.path.exists("/sys/kernel/tracing/events/syscalls/sys_enter_open")
    with tempfile.TemporaryDirectory() as tmp:
        pkg, _ = pack("opensnoop", tmp)
        out, err, status = run_ecli(["run", "--duration", "1", pkg])
    check_equal(status, 0, "exit status; stderr: " + err)
    warnings = [l for l in err.splitlines() if l.startswith("ecli: warning: not traced")]
    if has_open:
        check_equal(warnings, [], "this kernel has sys_enter_open: nothing left out")
        return
    check_equal([re.sub(r" \(.*", "", w) for w in warnings],
                ["ecli: warning: not traced on this kernel: tracepoint__syscalls__sys_enter_open",
                 "ecli: warning: not traced on this kernel: tracepoint__syscalls__sys_exit_open"],
                "a line for each open() program, and for nothing else")
    check(all(w.endswith("its hook does not exist here (-v says why)") for w in warnings),
          "each says why: %r" % warnings)


CONNECTIONS = """
import socket
for family, addr in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
    s = socket.socket(family)
    s.bind((addr, 0))
    s.listen()
    c = socket.create_connection((addr, s.getsockname()[1]))
    a, _ = s.accept()
    c.sendall(b"x" * 3000)
    got = 0
    while got < 3000:
        got += len(a.recv(5000))
    c.close()
    a.close()
    s.close()
"""


@live_test
def tcplife_as_the_original():
    ours, theirs, _, pid = side_by_side("tcplife", [], "PID     COMM",
                                        lambda: child(CONNECTIONS))
    check_equal(ours[0], theirs[0], "the header line, ecli against the original")
    mine, want = rows_of(ours, pid), rows_of(theirs, pid)
    # PID COMM LADDR LPORT RADDR RPORT TX_KB RX_KB MS: all but MS, the span each one timed
    cut = lambda rows: sorted(tuple(l.split()[:8]) for l in rows)
    check_equal(len(mine), 4, "two sessions, each end's: %r" % ours)
    check({r[2] for r in cut(mine)} == {"127.0.0.1", "::1"} and
          {(r[6], r[7]) for r in cut(mine)} == {("2.93", "0.00"), ("0.00", "2.93")},
          "IPv4 and IPv6 addresses, 3000 bytes as 2.93 KB each way: %r" % mine)
    check_equal(cut(mine), cut(want), "the child's sessions, ecli against the original")
    check(all(re.fullmatch(r"\d+\.\d\d", l.split()[8]) for l in mine), "MS as %%.2f: %r" % mine)


@live_test
def tcpstates_as_the_original():
    ours, theirs, _, pid = side_by_side("tcpstates", [], "SKADDR", lambda: child(CONNECTIONS))
    check_equal(ours[0], theirs[0], "the header line, ecli against the original")
    # SKADDR PID COMM LADDR LPORT RADDR RPORT OLDSTATE -> NEWSTATE MS: all but MS
    mine, want = rows_of(ours, pid, 1), rows_of(theirs, pid, 1)
    cut = lambda rows: sorted(tuple(l.split()[:10]) for l in rows)
    states = {(r[7], r[9]) for r in cut(mine)}
    check({("CLOSE", "LISTEN"), ("SYN_SENT", "ESTABLISHED"), ("LAST_ACK", "CLOSE")} <= states,
          "the states by name: %r" % sorted(states))
    check_equal(cut(mine), cut(want), "the child's state changes, ecli against the original")


def crowded_cpus(seconds):
    """More CPU-bound children than CPUs for a while: each waits its turn on a run queue."""
    code = "import time\nend = time.time() + %f\nwhile time.time() < end: pass" % seconds
    kids = [subprocess.Popen([sys.executable, "-c", code])
            for _ in range(2 * (os.cpu_count() or 1) + 2)]
    for k in kids:
        k.wait()
    return {k.pid for k in kids}


@live_test
def runqslower_with_a_threshold_as_the_original():
    ours, theirs, _, tids = side_by_side("runqslower", ["-P", "2000"], "TIME     COMM",
                                         lambda: crowded_cpus(1.5))
    check_equal(ours[0], theirs[0], "the header line with -P, ecli against the original")

    def waits(lines):
        got = {}
        for l in lines[1:]:
            f = l.split()
            if len(f) >= 6 and f[2].isdigit() and int(f[2]) in tids:
                got.setdefault(int(f[2]), []).append(int(f[3]))
        return got
    mine, want = waits(ours), waits(theirs)
    check(mine and want, "the crowded children waited over 2000 us: %r / %r" % (ours, theirs))
    check(all(min(v) > 2000 for v in mine.values()), "only waits over the threshold: %r" % mine)
    # below the 10000 us default: the positional threshold was taken, by both
    check(any(min(v) < 10000 for v in mine.values()) and
          any(min(v) < 10000 for v in want.values()),
          "waits between 2000 and 10000 us: %r / %r" % (mine, want))
    check(set(mine) & set(want), "children both saw waiting: %r / %r" % (mine, want))


@live_test
def runqslower_help_shows_the_positional_threshold():
    with tempfile.TemporaryDirectory() as tmp:
        pkg, _ = pack("runqslower", tmp)
        out, err, status = run_ecli(["run", pkg, "-h"])
    check_equal(status, 0, "-h: " + err)
    check(out.startswith("usage: runqslower [-h] [-p PID] [-P] [-t TID] [min_us]\n"),
          "usage ends with the positional: " + out)
    check("positional arguments:\n  min_us" in out and "(default: 10000)" in out,
          "its default is the original's 10000 us: " + out)


if __name__ == "__main__":
    sys.exit(run_all("libbpf-tools-events"))
