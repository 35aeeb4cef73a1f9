# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""ecli leaves the host as it found it, and says in one line what it needs when it cannot run.

tracefs: each test makes a mount namespace of its own (unshare --propagation private, then
--make-rshared so that mounts made by a copy of it would propagate back into it, as they would
into a host whose / is shared) and unmounts tracefs there, so the machine's tracefs is never
touched while other tests run. ecli is started in that namespace (nsenter --mount); the
namespace's mount table is the "host" ecli must leave as found.
"""
import json
import resource
import tempfile
import threading
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time

from binder import Bind, BindChild
from harness import (ECLI, Ecli, check, check_equal, live_test, message_of, package, record_case,
                     run_all, run_ecli_watched)

PKG = package("bindsnoop")
TRACING = "/sys/kernel/tracing"


def tracefs_mounts(pid="self"):
    """Mount points of tracefs in the mount namespace of pid."""
    with open("/proc/%s/mounts" % pid) as f:
        return sorted(l.split()[1] for l in f if l.split()[2] == "tracefs")


class NamespaceWithoutTracefs:
    """A mount namespace held open by a sleeping process, with tracefs and debugfs unmounted."""

    def __init__(self):
        self.holder = subprocess.Popen(["unshare", "--mount", "--propagation", "private", "--",
                                        "sleep", "600"])
        self.pid = self.holder.pid
        deadline = time.time() + 5
        while os.readlink("/proc/%d/ns/mnt" % self.pid) == os.readlink("/proc/self/ns/mnt"):
            check(time.time() < deadline, "unshare made no mount namespace")
            time.sleep(0.01)
        self.run("mount --make-rshared / && "
                 "while mountpoint -q %s; do umount -l %s; done && "
                 "while mountpoint -q /sys/kernel/debug; do umount -l /sys/kernel/debug; done"
                 % (TRACING, TRACING))
        check_equal(tracefs_mounts(self.pid), [], "tracefs in the test's namespace after umount")

    def run(self, script):
        subprocess.run(["nsenter", "-t", str(self.pid), "-m", "--", "sh", "-ec", script],
                       check=True)

    def prefix(self, *more):
        return ["nsenter", "-t", str(self.pid), "-m", "--"] + list(more)

    def close(self):
        self.holder.kill()
        self.holder.wait()


@live_test
def tracefs_mounted_by_ecli_stays_in_its_own_namespace():
    host_before = tracefs_mounts()
    ns = NamespaceWithoutTracefs()
    try:
        ecli = Ecli(["-j", PKG], prefix=ns.prefix())
        try:
            inside = tracefs_mounts(ecli.proc.pid)
            outside = tracefs_mounts(ns.pid)
            expected = BindChild("host-tracefs", [Bind(socket.AF_INET, socket.SOCK_DGRAM,
                                                       "127.0.0.1", 0)]).go()
        finally:
            out, err, status = ecli.stop()
        record_case("tracefs not mounted: mounted in ecli's own mount namespace, gone after",
                    status, message_of(err.splitlines()))
        check_equal(status, 0, "exit status; stderr: " + err)
        check_equal(inside, [TRACING], "tracefs as ecli sees it while tracing")
        check_equal(outside, [], "tracefs in the namespace ecli was started in, while tracing")
        got = [e for e in map(json.loads, out.splitlines()) if e["comm"] == "host-tracefs"]
        check_equal([e["port"] for e in got], [expected[0]["port"]], "the bind was traced")
        check_equal(tracefs_mounts(ns.pid), [], "tracefs in ecli's namespace after exit")
    finally:
        ns.close()
    check_equal(tracefs_mounts(), host_before, "tracefs on the machine")


@live_test
def tracefs_mounted_on_the_host_is_unmounted_on_exit():
    """When unshare() is refused (a process with threads gets EINVAL), ecli mounts tracefs where
    it is and unmounts it on the way out, after SIGINT as after SIGTERM."""
    no_unshare = ["python3", os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                          "no_unshare.py")]
    for sig in (signal.SIGINT, signal.SIGTERM):
        ns = NamespaceWithoutTracefs()
        try:
            ecli = Ecli(["-j", PKG], prefix=ns.prefix(*no_unshare))
            try:
                same_ns = os.readlink("/proc/%d/ns/mnt" % ecli.proc.pid) == \
                    os.readlink("/proc/%d/ns/mnt" % ns.pid)
                during = tracefs_mounts(ns.pid)
                expected = BindChild("host-tracefs2", [Bind(socket.AF_INET, socket.SOCK_DGRAM,
                                                            "127.0.0.1", 0)]).go()
            finally:
                out, err, status = ecli.stop(sig)
            record_case("tracefs not mounted and unshare refused: mounted, unmounted on exit",
                        status, message_of(err.splitlines()))
            check_equal(status, 0, "exit status after %s; stderr: %s" % (sig, err))
            check(same_ns, "ecli stayed in the namespace it was started in (unshare refused)")
            check_equal(during, [TRACING], "tracefs mounted by ecli while tracing")
            got = [e for e in map(json.loads, out.splitlines()) if e["comm"] == "host-tracefs2"]
            check_equal([e["port"] for e in got], [expected[0]["port"]], "the bind was traced")
            check_equal(tracefs_mounts(ns.pid), [], "tracefs after exit (%s)" % sig)
        finally:
            ns.close()


NO_TRACEFS = ("tracefs is not mounted on /sys/kernel/tracing and cannot be mounted (Operation "
              "not permitted): tracepoints need it; mount it with 'mount -t tracefs nodev "
              "/sys/kernel/tracing'")
DROP_SYS_ADMIN = ["setpriv", "--inh-caps=-sys_admin", "--bounding-set=-sys_admin", "--"]


@live_test
def tracefs_that_cannot_be_mounted_is_named_with_the_fix():
    """Root without CAP_SYS_ADMIN may load and attach BPF, but can mount nothing. opensnoop's
    programs all hook syscalls:* tracepoints."""
    ns = NamespaceWithoutTracefs()
    try:
        ecli = ns.prefix(*DROP_SYS_ADMIN)
        out, err, status, watch = run_ecli_watched(["run", package("opensnoop")], prefix=ecli)
    finally:
        ns.close()
    record_case("tracefs cannot be mounted (no CAP_SYS_ADMIN)", status, err.rstrip("\n"))
    check_equal((status, out), (1, ""), "exit status and stdout; stderr: " + err)
    check_equal(len(err.splitlines()), 1, "one line: %r" % err)
    check(err.startswith("ecli: " + NO_TRACEFS + "; "), "message: %r" % err)


@live_test
def tracefs_that_cannot_be_mounted_drops_only_what_needs_it():
    """bindsnoop's syscall variant hooks a raw tracepoint, which needs no tracefs; only its
    io_uring group hooks tracepoints. It runs without them, says what it does not see and why."""
    ns = NamespaceWithoutTracefs()
    try:
        ecli = ns.prefix(*DROP_SYS_ADMIN)
        out, err, status, watch = run_ecli_watched(
            ["run", "--variant", "syscall", "--duration", "1", PKG], prefix=ecli)
    finally:
        ns.close()
    check_equal(status, 0, "exit status; stderr: " + err)
    check_equal([l for l in err.splitlines() if "warning" in l], [
        "ecli: warning: not traced on this kernel: binds made through io_uring (IORING_OP_BIND); "
        "uring_submit_req, uring_complete, uring_cqe_overflow could not be loaded or attached "
        "(-v says why)",
        "ecli: warning: " + NO_TRACEFS], "warnings")
    check(watch.progs, "ecli loaded programs")


NOBODY = [["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"],
          ["runuser", "-u", "nobody", "--"]]
NEEDS_ROOT = "ecli: loading BPF programs needs root, or CAP_BPF and CAP_PERFMON: run ecli with sudo\n"


@live_test
def non_root_is_told_what_it_needs_in_one_uncut_line():
    for prefix in NOBODY:
        for verbose in ([], ["-v"]):
            out, err, status, watch = run_ecli_watched(["run"] + verbose + [PKG], prefix=prefix)
            what = "%s %s" % (prefix[0], verbose)
            record_case("not root", status, err.rstrip("\n"))
            check_equal((status, out), (1, ""), "%s: exit status and stdout" % what)
            check_equal(err, NEEDS_ROOT, "%s: stderr" % what)
            check_equal(watch.progs, set(), "%s: programs ecli held" % what)


EPERM_CAUSE = ("ecli: EPERM as root is not the memlock limit here (this kernel does not charge "
               "BPF memory to it): a security policy such as kernel lockdown refused the program")


@live_test
def verbose_lockdown_refusal_shows_no_memlock_hint():
    """Where a program is refused with EPERM (lockdown refuses fexit on some kernels), -v names
    that cause instead of libbpf's memlock hint; where nothing is refused, it claims nothing."""
    ecli = Ecli(["-v", PKG])
    _, err, status = ecli.stop()
    check_equal(status, 0, "exit status; stderr: " + err)
    check("ulimit" not in err and "RLIMIT_MEMLOCK" not in err, "a memlock hint in:\n" + err)
    refused = re.search(r"^variant \S+: load failed: .*Operation not permitted\)?$", err, re.M)
    if not refused:
        print("    nothing was refused with EPERM on this kernel: only checked that no cause "
              "is claimed")
        check(EPERM_CAUSE not in err, "a cause claimed without a refusal:\n" + err)
        return
    record_case("-v when lockdown refuses a program", status,
                [l for l in err.splitlines() if l.startswith("ecli: EPERM")][0]
                if "ecli: EPERM" in err else "")
    check(EPERM_CAUSE in err, "the cause named instead:\n" + err)


def no_btf_elf():
    path = shutil.which("true")
    sections = subprocess.run(["readelf", "-SW", path], capture_output=True, check=True).stdout
    check(b" .BTF " not in sections, "%s has no .BTF section" % path)
    return path


def refused(args, want_err, what, case=None):
    out, err, status, watch = run_ecli_watched(args)
    if case:
        record_case(case, status, re.sub(r"/tmp/ecli-[^/']*", "DIR", err.rstrip("\n")))
    check_equal((status, out), (2, ""), "%s: exit status and stdout (stderr %r)" % (what, err))
    check_equal(err, want_err, "%s: stderr" % what)
    check_equal(watch.progs, set(), "%s: programs ecli held" % what)


@live_test
def btf_that_is_not_btf_says_what_it_is():
    fix = ": give the kernel's BTF, such as /sys/kernel/btf/vmlinux\n"
    elf = no_btf_elf()
    refused(["run", "--btf", "/etc/passwd", PKG],
            "ecli: --btf: '/etc/passwd' is not BTF (neither raw BTF nor an ELF file)" + fix,
            "text file", "--btf /etc/passwd")
    refused(["run", "--btf", elf, PKG],
            "ecli: --btf: '%s' is not BTF (an ELF file without a .BTF section)" % elf + fix, "ELF",
            "--btf on an ELF file without .BTF")
    refused(["run", "--btf", "/nonexistent.btf", PKG],
            "ecli: --btf: '/nonexistent.btf': No such file or directory\n", "missing file")


@live_test
def btf_from_a_pipe_is_refused_not_waited_on():
    """--btf naming a FIFO: read once by the check and again by libbpf, the second open waited
    for a writer forever (Ctrl-C did not end it); refused at once instead."""
    d = tempfile.mkdtemp(prefix="ecli-btf-fifo-")
    fifo = os.path.join(d, "btf")
    os.mkfifo(fifo)

    def feed():  # a writer, as `cat /sys/kernel/btf/vmlinux > fifo` would be
        try:
            fd = os.open(fifo, os.O_WRONLY)
            with open("/sys/kernel/btf/vmlinux", "rb") as f:
                os.write(fd, f.read())
            os.close(fd)
        except OSError:
            pass
    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        refused(["run", "--btf", fifo, PKG],
                "ecli: --btf: '%s' is not a regular file\n" % fifo, "FIFO",
                "--btf naming a FIFO (read twice: refused, not waited on)")
    finally:
        try:  # let the writer go if ecli never opened the FIFO
            os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))
        except OSError:
            pass
        writer.join(5)
        shutil.rmtree(d)


@live_test
def too_few_file_descriptors_are_named():
    """At `ulimit -n 16` libbpf's feature probes fail for want of descriptors and it blamed the
    package (".rodata is referenced but wasn't created"); the limit is named instead."""
    def limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (16, 16))
    p = subprocess.run([ECLI, "run", "--duration", "1", PKG], capture_output=True, timeout=60,
                       preexec_fn=limit)
    err = p.stderr.decode(errors="replace")
    record_case("ulimit -n 16 (too few descriptors for the tool's maps and programs)",
                p.returncode, message_of(err.splitlines()))
    check_equal(p.returncode, 1, "exit status; stderr: " + err)
    check_equal(err.strip(), "ecli: too many open files to load the tool (ulimit -n is 16; "
                "each map, program and link takes one): raise it", "the limit is named")
    check("referenced but wasn't created" not in err, "the package is blamed: " + err)


@live_test
def duration_zero_is_refused():
    for value in ("0", "00"):
        refused(["run", "--duration", value, PKG],
                "ecli: --duration: give at least 1 second (leave it out to trace until Ctrl-C)\n",
                "--duration " + value, "--duration 0")


@live_test
def ecli_options_parse_as_getopt_long_does():
    """Values after '=', clusters, '--', long options named as written, short ones alone; after
    PACKAGE every argument is the tool's, even one that names an ecli option."""
    cases = [
        (["run", "--duration=0", PKG],
         "ecli: --duration: give at least 1 second (leave it out to trace until Ctrl-C)\n"),
        (["run", "-jx", PKG], "ecli: unknown option '-x' (see ecli run -h)\n"),
        (["run", "--perfbuf=1", PKG], "ecli: unknown option '--perfbuf=1' (see ecli run -h)\n"),
        (["run", "--duration"], "ecli: --duration: needs a value\n"),
        (["run", "-j", "--"], "ecli: run: no PACKAGE given (see ecli run -h)\n"),
        (["run", PKG, "--duration", "1"], "ecli: unknown option '--duration'"),
        (["pull", "localhost:1/x", "--output"], "ecli: --output: needs a value\n"),
        (["pull", "-vo"], "ecli: -o: needs a value\n"),
        (["push", "-o", "x", PKG, "localhost:1/x"],
         "ecli: push: unknown option '-o' (see ecli help)\n"),
    ]
    for args, want in cases:
        out, err, status, watch = run_ecli_watched(args)
        check_equal((status, out), (2, ""), "%s: exit status and stdout (stderr %r)" % (args, err))
        check(err.startswith(want) and err.count("\n") == 1, "%s: stderr %r, want %r" %
              (args, err, want))
        check_equal(watch.progs, set(), "%s: programs ecli held" % args)
    out, err, status, watch = run_ecli_watched(["run", "-j", "--", PKG, "-h"])
    check_equal((status, err), (0, ""), "run -j -- PACKAGE -h: exit status and stderr")
    check(out.startswith("usage: bindsnoop"), "the tool's help after --: %r" % out[:80])


@live_test
def control_bytes_in_arguments_are_escaped():
    cases = [
        ([b"--x\x1b[31m"], "unknown option '--x\\x1b[31m' (see ecli run -h)"),
        ([b"--duration", b"\x1b[2J"], "--duration: '\\x1b[2J' is not a number"),
        ([PKG.encode(), b"-P", b"1\x1b]0;t\x07"], "-P: '1\\x1b]0;t\\x07' is not an integer"),
        ([PKG.encode(), b"-o", b"custom-columns=pid,\x9bx\r"], "\\x9bx\\x0d"),
        ([b"/tmp/no-such\n\xc2\x9b\x7f"], "/tmp/no-such\\x0a\\xc2\\x9b\\x7f: "),
        ([b"--btf", b"/tmp/\x1b\xe2\x82\xac", PKG.encode()], "'/tmp/\\x1b\u20ac'"),
    ]
    for args, want in cases:
        p = subprocess.run([ECLI.encode(), b"run"] + args, capture_output=True, timeout=30)
        err = p.stderr
        if args[0] == b"--x\x1b[31m":
            record_case("control bytes in an argument (--x ESC[31m)", p.returncode,
                        err.decode(errors="replace").rstrip("\n"))
        check_equal(p.returncode, 2, "exit status for %r (stderr %r)" % (args, err))
        check(err.endswith(b"\n") and err.count(b"\n") == 1, "one line for %r: %r" % (args, err))
        text = err[:-1].decode(errors="replace")
        bad = [c for c in text if ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f]
        check_equal(bad, [], "control characters left in %r" % err)
        check(want in err.decode(), "%r in %r" % (want, err))


if __name__ == "__main__":
    sys.exit(run_all("host"))
