# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Live tests of PID namespaces: ecli run inside a PID namespace (as in a container) shows, and
filters on, process and thread ids as its own namespace numbers them; a process outside that
namespace shows id 0 (the kernel's pid_nr_ns() for a task the namespace cannot see) and a
filter never matches it; from the initial namespace nothing changes.

Namespaces come from `unshare --pid --fork --mount-proc`: either ecli is the namespace's first
process (as a container's entry point), or a sleeping first process holds the namespace and ecli
and the test's children join it (as `podman exec` does): the test process calls setns() on the
namespace, so the children it forks next are born inside it, and ecli also enters the
namespace's mount namespace (nsenter --mount) to see its /proc. A child reports its ids as it
sees them (getpid(), gettid(), getppid()); the test knows each child's host pid from fork() and
its pid at every level from the host's /proc/PID/status (NSpid).
"""
import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

from acceptor import AcceptChild
from binder import Bind, BindChild, free_port
from execer import Exec, ExecChild, program
from harness import (ECLI, Ecli, check, check_equal, in_scratch_dir, json_lines, live_test, package,
                     run_all, trace_around)
from opener import Open, OpenChild

CLONE_NEWPID = 0x20000000
INVISIBLE = 0  # the id of a process outside ecli's namespace
_libc = ctypes.CDLL(None, use_errno=True)


def setns(path, nstype):
    fd = os.open(path, os.O_RDONLY)
    try:
        if _libc.setns(fd, nstype):
            err = ctypes.get_errno()
            raise OSError(err, "setns %s: %s" % (path, os.strerror(err)))
    finally:
        os.close(fd)


def children_of(pid):
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


def comm_of(pid):
    try:
        with open("/proc/%d/comm" % pid) as f:
            return f.read().strip()
    except OSError:
        return None


def nspids(pid):
    """A process's ids from the host's view down to its own namespace (NSpid)."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("NSpid:"):
                return [int(p) for p in line.split()[1:]]
    raise AssertionError("no NSpid for %d" % pid)


def wait_for_child(parent, comm, timeout=10):
    """The host pid of parent's child once it runs comm (unshare's child, after its setup)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for c in children_of(parent):
            if comm_of(c) == comm:
                return c
        time.sleep(0.02)
    raise AssertionError("no child %s of %d within %ss" % (comm, parent, timeout))


@contextlib.contextmanager
def forks_into(ns_path):
    """Children forked inside the block are born in the namespace of ns_path."""
    setns(ns_path, CLONE_NEWPID)
    try:
        yield
    finally:
        setns("/proc/self/ns/pid", CLONE_NEWPID)  # back to the test's own namespace


class Namespace:
    """A PID namespace held by a sleeping first process: unshare --pid --fork --mount-proc."""

    def __init__(self, parent=None):
        with forks_into(parent.ns_path) if parent else contextlib.nullcontext():
            self.holder = subprocess.Popen(["unshare", "--pid", "--fork", "--mount-proc",
                                            "--kill-child", "sleep", "600"])
        try:
            self.init = wait_for_child(self.holder.pid, "sleep")
        except AssertionError:
            self.__exit__()
            raise
        self.ns_path = "/proc/%d/ns/pid" % self.init
        self.level = len(nspids(self.init)) - 1

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.holder.kill()  # --kill-child: the first process dies, and the namespace with it
        self.holder.wait()

    def pid_of(self, host_pid):
        """host_pid as this namespace numbers it."""
        return nspids(host_pid)[self.level]

    def inside(self):
        return forks_into(self.ns_path)

    def ecli(self, args):
        """ecli joined to the namespace and its mount namespace (its /proc), like podman exec."""
        with self.inside():
            return Ecli(args, prefix=["nsenter", "--target", str(self.init), "--mount", "--"])


def trace_in(ns, args, children):
    """trace_around with ecli inside ns: ([what each child's go() returned], stdout)."""
    return trace_around(args, children, start=ns.ecli)


def trace_as_init(args, make_children):
    """ecli as the first process of a new namespace (unshare --pid --fork --mount-proc ecli):
    make_children(ns_path) makes the children once it runs. Returns (children, results, stdout)."""
    ecli = Ecli(args, prefix=["unshare", "--pid", "--fork", "--mount-proc"])
    children, results = [], []
    try:
        pid = wait_for_child(ecli.proc.pid, "ecli")
        check_equal(nspids(pid)[1:], [1], "ecli is its namespace's first process")
        children = make_children("/proc/%d/ns/pid" % pid)
        for c in children:
            results.append(c.go())
    finally:
        for c in children[len(results):]:
            c.close()
        for c in children_of(ecli.proc.pid):
            os.kill(c, signal.SIGINT)  # unshare waits for ecli and exits with its status
        out, err, status = ecli.stop(sig=0)
    check_equal(status, 0, "exit status; stderr: " + err)
    return children, results, out


def by_comm(out, comm):
    return [e for e in json_lines(out) if e["comm"] == comm[:15]]


def binds():
    return [Bind(socket.AF_INET, socket.SOCK_STREAM, "127.0.0.1", free_port())]


def scratch_dir():
    return tempfile.mkdtemp(prefix="ecli-pidns-")


in_scratch = in_scratch_dir(scratch_dir)

# ---- bindsnoop -------------------------------------------------------------------------------


@live_test
def bindsnoop_as_namespace_init_shows_namespace_pids_and_0_outside():
    def make(ns_path):
        with forks_into(ns_path):
            inside = BindChild("pn-inside", binds())
        return [inside, BindChild("pn-outside", binds())]

    (inside, outside), (want_in, want_out), out = trace_as_init(
        ["-j", package("bindsnoop")], make)
    got = by_comm(out, "pn-inside")
    check_equal([e["pid"] for e in got], [w["pid"] for w in want_in],
                "the inside child's pid as it sees it (getpid)")
    check(want_in[0]["pid"] != inside.pid, "a namespace pid, not the host's")
    check_equal([{k: e[k] for k in want_in[0]} for e in got], want_in, "the inside bind")
    got = by_comm(out, "pn-outside")
    check_equal([e["pid"] for e in got], [INVISIBLE], "a process outside ecli's namespace")
    check_equal(want_out[0]["pid"], outside.pid, "the outside child's own pid is the host's")


@live_test
def bindsnoop_pid_filter_takes_namespace_pids():
    with Namespace() as ns:
        with ns.inside():
            yes, no = BindChild("pn-yes", binds()), BindChild("pn-no", binds())
        outside = BindChild("pn-host", binds())
        yes_pid = ns.pid_of(yes.pid)
        (want_yes, _, _), out = trace_in(ns, ["-j", package("bindsnoop"), "-p", str(yes_pid)],
                                         [yes, no, outside])
    check_equal(yes_pid, want_yes[0]["pid"], "NSpid agrees with getpid()")
    check(want_yes[0]["pid"] != yes.pid, "the namespace pid is not the host pid")
    check_equal([(e["comm"], e["pid"]) for e in json_lines(out)],
                [("pn-yes", want_yes[0]["pid"])], "only the selected process's bind")


@live_test
def bindsnoop_pid_filter_never_matches_a_process_outside():
    with Namespace() as ns:
        with ns.inside():
            inside = BindChild("pn-in", binds())
        outside = BindChild("pn-out", binds())
        # the outside process's host pid means nothing inside: it selects nobody
        _, out = trace_in(ns, ["-j", package("bindsnoop"), "-p", str(outside.pid)],
                          [inside, outside])
    check_equal(json_lines(out), [], "no bind shown for -p %d" % outside.pid)


@live_test
def bindsnoop_nested_namespace_shows_ids_as_ecli_sees_them():
    with Namespace() as outer, Namespace(parent=outer) as inner:
        with inner.inside():
            deep, other = BindChild("pn-deep", binds()), BindChild("pn-deep-no", binds())
        check_equal(len(nspids(deep.pid)), 3, "host, outer and inner pids")
        want_pid = outer.pid_of(deep.pid)
        (want, _), out = trace_in(outer, ["-j", package("bindsnoop"), "-p", str(want_pid)],
                                  [deep, other])
    check(want[0]["pid"] not in (want_pid, deep.pid), "three different pids: %d (inner), %d "
          "(outer), %d (host)" % (want[0]["pid"], want_pid, deep.pid))
    check_equal([(e["comm"], e["pid"]) for e in json_lines(out)], [("pn-deep", want_pid)],
                "the bind, with the pid ecli's (outer) namespace gives the process")


@live_test
def bindsnoop_from_the_host_shows_host_pids_of_namespaced_processes():
    with Namespace() as ns:
        with ns.inside():
            child = BindChild("pn-hostview", binds())
        (want,), out = trace_around(["-j", package("bindsnoop"), "-p", str(child.pid)], [child])
    check(want[0]["pid"] != child.pid, "the child sees another pid than the host")
    check_equal([(e["comm"], e["pid"]) for e in json_lines(out)], [("pn-hostview", child.pid)],
                "the host pid, selected by -p with the host pid")


# ---- opensnoop -------------------------------------------------------------------------------


@live_test
@in_scratch
def opensnoop_pid_and_tid_in_the_namespace(d):
    path = os.path.join(d, "f")
    with Namespace() as ns:
        with ns.inside():
            child = OpenChild("pn-open", [Open(path, os.O_RDONLY | os.O_CREAT, 0o600)],
                              thread_opens=[Open(path, os.O_RDONLY)])
        (want,), out = trace_in(ns, ["-j", package("opensnoop")], [child])
        got = [e for e in by_comm(out, "pn-open") if e["path"] == path]
        check_equal([(e["pid"], e["tid"]) for e in got], [(w["pid"], w["tid"]) for w in want],
                    "pid and tid as the process sees them (getpid, gettid)")
        check_equal([w["tid"] for w in want], [want[0]["pid"], child.tid],
                    "the main thread's tid is the pid; the second thread's is its own")
        check(want[0]["pid"] != child.pid, "namespace ids, not the host's")

        with ns.inside():
            child = OpenChild("pn-open-t", [Open(path, os.O_RDONLY)],
                              thread_opens=[Open(path, os.O_RDONLY)])
            other = OpenChild("pn-open-t2", [Open(path, os.O_RDONLY)])
        host = OpenChild("pn-open-host", [Open(path, os.O_RDONLY)])
        (want, _, _), out = trace_in(ns, ["-j", package("opensnoop"), "-t", str(child.tid)],
                                     [child, other, host])
        check_equal([(e["comm"], e["tid"]) for e in json_lines(out)],
                    [("pn-open-t", child.tid)], "-t: only the second thread's open")

        with ns.inside():
            child = OpenChild("pn-open-p", [Open(path, os.O_RDONLY)],
                              thread_opens=[Open(path, os.O_RDONLY)])
            other = OpenChild("pn-open-p2", [Open(path, os.O_RDONLY)])
        host = OpenChild("pn-open-host", [Open(path, os.O_RDONLY)])
        (want, _, _), out = trace_in(ns, ["-j", package("opensnoop"), "-p",
                                          str(ns.pid_of(child.pid))], [child, other, host])
        check_equal(sorted(e["tid"] for e in json_lines(out) if e["path"] == path),
                    sorted(w["tid"] for w in want), "-p: both threads of the process")

        host = OpenChild("pn-open-host", [Open(path, os.O_RDONLY)])
        _, out = trace_in(ns, ["-j", package("opensnoop"), "-t", str(host.pid)], [host])
        check_equal(json_lines(out), [], "-t with an outside thread's host id matches nothing")


# ---- execsnoop -------------------------------------------------------------------------------


@live_test
@in_scratch
def execsnoop_pid_and_ppid_in_the_namespace(d):
    with Namespace() as ns:
        with ns.inside():
            parent = ExecChild("pn-exec", Exec(program(d, "pn-exec-prog"), ["pn-exec-prog"]),
                               grandchild=True)
            orphan = ExecChild("pn-exec2", Exec(program(d, "pn-exec-prog2"), ["pn-exec-prog2"]))
        parent_ns_pid = ns.pid_of(parent.pid)
        (want, want_orphan), out = trace_in(ns, ["-j", package("execsnoop")], [parent, orphan])
        check_equal(want[0]["ppid"], parent_ns_pid, "the grandchild's parent is the child")
        check_equal([(e["pid"], e["ppid"]) for e in by_comm(out, "pn-exec-prog")],
                    [(want[0]["pid"], parent_ns_pid)], "pid and ppid as the process sees them")
        check_equal(want_orphan[0]["ppid"], INVISIBLE, "getppid() of a child of the test")
        check_equal([(e["pid"], e["ppid"]) for e in by_comm(out, "pn-exec-prog2")],
                    [(want_orphan[0]["pid"], INVISIBLE)],
                    "a parent outside the namespace (the test) is shown as 0")

        with ns.inside():
            parent = ExecChild("pn-exec-P", Exec(program(d, "pn-exec-P"), ["pn-exec-P"]),
                               grandchild=True)
            other = ExecChild("pn-exec-P2", Exec(program(d, "pn-exec-P2"), ["pn-exec-P2"]),
                              grandchild=True)
        (want, _), out = trace_in(ns, ["-j", package("execsnoop"), "-P",
                                       str(ns.pid_of(parent.pid))], [parent, other])
        check_equal([(e["comm"], e["pid"], e["ppid"]) for e in json_lines(out)],
                    [("pn-exec-P", want[0]["pid"], want[0]["ppid"])],
                    "-P with the parent's namespace pid: only its child's exec")


# ---- tcpaccept -------------------------------------------------------------------------------


@live_test
def tcpaccept_pid_in_the_namespace():
    both = [(socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")]
    with Namespace() as ns:
        with ns.inside():
            yes, no = AcceptChild("pn-acc", both), AcceptChild("pn-acc-no", both)
        host = AcceptChild("pn-acc-host", both)
        (want, _, _), out = trace_in(ns, ["-j", package("tcpaccept"), "-p",
                                          str(ns.pid_of(yes.pid))], [yes, no, host])
        check(want[0]["pid"] != yes.pid, "a namespace pid")
        check_equal([(e["comm"], e["pid"], e["lport"]) for e in json_lines(out)],
                    [(w["comm"], w["pid"], w["lport"]) for w in want],
                    "-p with the namespace pid: both accepts of that process, with that pid")

        host = AcceptChild("pn-acc-host", both)
        _, out = trace_in(ns, ["-j", package("tcpaccept")], [host])
        check_equal([e["pid"] for e in by_comm(out, "pn-acc-host")], [INVISIBLE, INVISIBLE],
                    "accepts of a process outside the namespace")


# ---- the loader ------------------------------------------------------------------------------


@live_test
def without_proc_ecli_cannot_read_its_namespace():
    script = "umount -l /proc && exec %s run --duration 1 %s" % (ECLI, package("bindsnoop"))
    p = subprocess.run(["unshare", "--mount", "sh", "-c", script], capture_output=True,
                       text=True, timeout=30)
    check_equal((p.returncode, p.stdout), (1, ""), "exit status and stdout; stderr: " + p.stderr)
    check_equal(p.stderr, "ecli: cannot read its PID namespace: /proc/self/ns/pid: No such "
                "file or directory\n", "one line, before anything loads")


if __name__ == "__main__":
    if os.geteuid() != 0:
        print("pidns: the tests need root (namespaces and BPF)")
        print("pidns: 0 passed, 1 failed")
        sys.exit(1)
    sys.exit(run_all("pidns"))
