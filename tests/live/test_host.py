# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""ecli leaves the host as it found it, and says in one line what it needs when it cannot run.

tracefs: each test makes a mount namespace of its own (unshare --propagation private, then
--make-rshared so that mounts made by a copy of it would propagate back into it, as they would
into a host whose / is shared) and unmounts tracefs there, so the machine's tracefs is never
touched while other tests run. ecli is started in that namespace (nsenter --mount); the
namespace's mount table is the "host" ecli must leave as found.
"""
import json
import os
import re
import socket
import subprocess
import sys
import time

from binder import Bind, BindChild
from harness import (Ecli, check, check_equal, live_test, package, run_all, run_ecli_watched)

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
def tracefs_that_cannot_be_mounted_is_named_with_the_fix():
    """Root without CAP_SYS_ADMIN may load and attach BPF, but can mount nothing."""
    ns = NamespaceWithoutTracefs()
    try:
        drop = ["setpriv", "--inh-caps=-sys_admin", "--bounding-set=-sys_admin", "--"]
        ecli = ns.prefix(*drop)
        out, err, status, watch = run_ecli_watched(["run", PKG], prefix=ecli)
    finally:
        ns.close()
    check_equal((status, out), (1, ""), "exit status and stdout; stderr: " + err)
    check_equal(len(err.splitlines()), 1, "one line: %r" % err)
    check(err.startswith("ecli: tracefs is not mounted on /sys/kernel/tracing and cannot be "
                         "mounted (Operation not permitted): tracepoints need it; mount it with "
                         "'mount -t tracefs nodev /sys/kernel/tracing'; "), "message: %r" % err)


if __name__ == "__main__":
    sys.exit(run_all("host"))
