# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""The container images: a package built in the build image runs in the runtime image.

`make images` builds both from the debootstrapped Debian 12 root imported with `podman import`
(no base image is pulled) and the .debs in build/deb; an image already built from the same
inputs is kept (packaging/build_images.sh), so only the first run pays for debootstrap and the
toolchain download. killwatch (tests/ecc/killwatch), copied to a temporary folder, is built by
`podman run -v DIR:/src BUILD-IMAGE killwatch.bpf.c killwatch.h` into DIR/package.json, which
`podman run --privileged -v DIR:/pkg RUNTIME-IMAGE run -j /pkg/package.json` runs while a child
of this test makes kill() calls; each event is checked field by field. The runtime image is also
checked for a compiler (there must be none) and runs its installed bindsnoop by name. Containers get
--pid=host where the processes this test makes live in the host's PID namespace; one test keeps
the container's own PID namespace and checks execsnoop shows and filters its pids. Needs root;
podman and runc are installed when missing, never skipped.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "live"))

import harness  # noqa: E402
from binder import Bind, BindChild, free_port  # noqa: E402
from child import Child  # noqa: E402
from harness import (ROOT, SignalTarget, check, check_equal, json_lines, live_test,  # noqa: E402
                     run_all)

VERSION = subprocess.run(["make", "--no-print-directory", "-s", "-C", ROOT, "print-version"],
                         capture_output=True, text=True, check=True).stdout.strip()
BUILD_IMAGE = "%s:%s" % (os.environ.get("IMAGE_BUILD", "localhost/ecli-build"), VERSION)
RUNTIME_IMAGE = "%s:%s" % (os.environ.get("IMAGE_RUNTIME", "localhost/ecli-runtime"), VERSION)
PODMAN = ["podman", "--runtime", "runc"]
# podman 4.3 here: runc, and limits it can set (the defaults fail with EPERM on nofile).
RUN = PODMAN + ["run", "--rm", "--ulimit", "nofile=20000:20000", "--ulimit",
                "nproc=32768:32768"]
KILLWATCH = os.path.join(ROOT, "tests", "ecc", "killwatch")
COMPILERS = ["cc", "c89", "c99", "gcc", "clang", "tcc", "ecc", "llc", "bpftool"]
CONTAINER_PREFIX = "ship-test-%d-" % os.getpid()
_names = []


def run(cmd, what, timeout=900, cwd=None):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=cwd)
    check(p.returncode == 0, "%s: exit status %d\n%s%s" % (what, p.returncode, p.stdout[-3000:],
                                                          p.stderr[-3000:]))
    return p.stdout


def container_name():
    name = CONTAINER_PREFIX + str(len(_names))
    _names.append(name)
    return name


class Container(harness.Ecli):
    """`podman run ... RUNTIME_IMAGE run ARGS` (the image's entrypoint is ecli), read like an
    ecli process: the banner on stderr, events on stdout, SIGINT (proxied by podman) ends it."""

    def __init__(self, podman_args, args, timeout=60, network="none"):
        self.name = container_name()
        # the host's cgroup namespace unless a test asks otherwise (podman's default on a
        # cgroup v2 machine is one of the container's own: see the DaemonSet test)
        cgroupns = [] if any(a.startswith("--cgroupns") for a in podman_args) else \
            ["--cgroupns=host"]
        self.cmd = RUN + ["--name", self.name, "--privileged", "--pid=host",
                          "--network=" + network] + cgroupns + \
            list(podman_args) + [RUNTIME_IMAGE, "run"] + list(args)
        self.proc = subprocess.Popen(self.cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.out = b""
        self.err = b""
        self.wait_for_stderr(harness.BANNER_END, timeout)

    def kill(self):
        subprocess.run(PODMAN + ["rm", "-f", self.name], capture_output=True)
        harness.Ecli.kill(self)


def around(container_args, args, child):
    """Runs the runtime image around child.go(); returns (its answer, stdout)."""
    (expected,), out = harness.trace_around(args, [child],
                                            start=lambda a: Container(container_args, a))
    return expected, out


class KillChild(Child):
    """Sends signal 0, SIGCONT and 0 again to target; says which events killwatch must show."""
    kind = "kill"

    def __init__(self, comm, target, tag):
        self.target, self.tag = target, tag
        Child.__init__(self, comm)

    def prepare(self):
        return None

    def work(self):
        expected = []
        for sig in (0, signal.SIGCONT, 0):
            os.kill(self.target, sig)
            expected.append({"pid": os.getpid(), "target": self.target, "sig": int(sig),
                             "comm": self.comm, "tag": self.tag})
        return expected


_images_made = False


def images():
    global _images_made
    if not _images_made:
        run(["make", "--no-print-directory", "-C", ROOT, "images"], "make images")
        _images_made = True


class Workdir:
    def __init__(self):
        self.path = tempfile.mkdtemp(prefix="ship-image-")
        for f in ("killwatch.bpf.c", "killwatch.h"):
            shutil.copy(os.path.join(KILLWATCH, f), self.path)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        shutil.rmtree(self.path, ignore_errors=True)

    def build(self, *args):
        p = subprocess.run(RUN + ["--name", container_name(), "--network=none", "-v",
                                  self.path + ":/src", BUILD_IMAGE] + list(args),
                           capture_output=True, text=True, timeout=300)
        return p.stdout, p.stderr, p.returncode


@live_test
def make_images_builds_both_from_the_offline_base():
    images()
    for image in (BUILD_IMAGE, RUNTIME_IMAGE):
        labels = json.loads(run(PODMAN + ["image", "inspect", "--format", "{{json .Labels}}",
                                          image], "podman image inspect " + image))
        check("ecli.source" in (labels or {}), "%s carries its source hash: %r" % (image, labels))
    entry = run(PODMAN + ["image", "inspect", "--format", "{{json .Config.Entrypoint}}",
                          BUILD_IMAGE], "build image entrypoint")
    check_equal(json.loads(entry), ["/usr/bin/ecc"], "the build image's entrypoint")
    entry = run(PODMAN + ["image", "inspect", "--format", "{{json .Config.Entrypoint}}",
                          RUNTIME_IMAGE], "runtime image entrypoint")
    check_equal(json.loads(entry), ["/usr/bin/ecli"], "the runtime image's entrypoint")


@live_test
def build_image_names_its_clang_and_headers():
    images()
    with Workdir() as w:
        out, err, status = w.build("--version")
    check_equal((status, err), (0, ""), "exit status and stderr of ecc --version")
    lines = out.splitlines()
    check_equal(lines[0], "ecc " + VERSION, "the version")
    check(lines[1].startswith("clang: /usr/bin/clang: Debian clang version"), "clang: %r" % out)
    check_equal(lines[-1], "include: /usr/share/ecli/include", "the include folder")


@live_test
def build_image_refuses_a_broken_source_with_one_line():
    images()
    with Workdir() as w:
        with open(os.path.join(w.path, "killwatch.bpf.c")) as f:
            src = f.read()
        with open(os.path.join(w.path, "killwatch.bpf.c"), "w") as f:
            f.write(src.replace("e.pid = pid;", "e.pid = pid"))
        out, err, status = w.build("killwatch.bpf.c", "killwatch.h")
        check_equal(status, 2, "exit status; stderr: " + err)
        check_equal(err.splitlines()[-1], "ecc: killwatch.bpf.c: clang failed (exit 1)",
                    "ecc's line")
        check(not os.path.exists(os.path.join(w.path, "package.json")), "no package written")


@live_test
def runtime_image_has_no_compiler():
    images()
    found = subprocess.run(RUN + ["--name", container_name(), "--network=none", "--entrypoint",
                                  "/bin/sh", RUNTIME_IMAGE, "-c",
                                  "for c in %s; do command -v $c; done; true" % " ".join(COMPILERS)],
                           capture_output=True, text=True, timeout=120)
    check_equal((found.returncode, found.stdout), (0, ""), "compilers in the runtime image")
    ldd = run(RUN + ["--name", container_name(), "--network=none", "--entrypoint", "/usr/bin/ldd",
                     RUNTIME_IMAGE, "/usr/bin/ecli"], "ldd in the runtime image")
    check("not found" not in ldd, "every library ecli links is there: %s" % ldd)


@live_test
def runtime_image_runs_the_package_the_build_image_made():
    images()
    with Workdir() as w:
        out, err, status = w.build("killwatch.bpf.c", "killwatch.h")
        check_equal(status, 0, "exit status of the build image; stderr: " + err)
        check_equal(sorted(os.listdir(w.path)), ["killwatch.bpf.c", "killwatch.h", "package.json"],
                    "what the build image left in the folder")
        with open(os.path.join(w.path, "package.json")) as f:
            meta = json.load(f)["meta"]
        check_equal(meta["export_types"][0]["name"], "kill_event", "the event type")
        with SignalTarget(120) as target:
            child = KillChild("ship-killer", target, "img")
            expected, out = around(["-v", w.path + ":/pkg:ro"],
                                   ["-j", "/pkg/package.json", "-p", str(child.pid), "-t", "img"],
                                   child)
    check_equal(json_lines(out), expected, "every field of each event")


# In the container's own PID namespace (no --pid=host): the shell is PID 1 there. execsnoop
# with -P 1 must show the shell's execs with container pids, and not its grandchild's exec.
IN_CONTAINER = r"""
ecli run -j execsnoop -P $$ > /tmp/events 2> /tmp/err &
ecli=$!
i=0
until grep -q "Hit Ctrl-C" /tmp/err; do
	sleep 0.1; i=$((i + 1)); [ $i -gt 300 ] && { cat /tmp/err >&2; exit 3; }
done
/bin/true ns-marker
sh -c '/bin/true grandchild-marker'
kill -TERM $ecli
wait $ecli
echo "shell $$"
cat /tmp/events
"""


@live_test
def runtime_image_shows_its_own_pid_namespace():
    images()
    out = run(RUN + ["--name", container_name(), "--privileged", "--network=none",
                     "--entrypoint", "/bin/sh", RUNTIME_IMAGE, "-c", IN_CONTAINER],
              "execsnoop in the runtime image's own PID namespace", timeout=120)
    lines = out.splitlines()
    check_equal(lines[0], "shell 1", "the shell is PID 1 in its namespace")
    events = json_lines("\n".join(lines[1:]))
    marked = [e for e in events if "ns-marker" in e["args"]]
    check_equal(len(marked), 1, "the marked exec, once: %r" % events)
    e = marked[0]
    check_equal((e["ppid"], e["args"]), (1, ["/bin/true", "ns-marker"]),
                "the exec's parent is the shell, PID 1 in the container")
    check(1 < e["pid"] < 1000, "a container pid, not the host's: %d" % e["pid"])
    check(not [e for e in events if "grandchild-marker" in e["args"]],
          "-P 1 leaves out the exec whose parent is another process: %r" % events)
    check(all(e["ppid"] == 1 for e in events), "only children of PID 1: %r" % events)


@live_test
def runtime_image_says_its_version():
    images()
    out = run(RUN + ["--name", container_name(), "--network=none", RUNTIME_IMAGE, "--version"],
              "ecli --version in the runtime image")
    check_equal(out.splitlines()[0], "ecli " + VERSION, "the first line")


@live_test
def runtime_image_runs_its_installed_bindsnoop_by_name():
    images()
    port = free_port()
    comm = "ship-img-bind"
    child = BindChild(comm, [Bind(socket.AF_INET, socket.SOCK_STREAM, "127.0.0.1", port)])
    expected, out = around([], ["-j", "bindsnoop"], child)
    events = [e for e in json_lines(out) if e["comm"] == comm]
    check_equal(len(events), 1, "events of %s in %r" % (comm, out))
    check_equal({k: events[0][k] for k in expected[0]}, expected[0], "the event")


@live_test
def runtime_image_runs_as_the_daemonset_says():
    """deploy/kubernetes/ecli-bindsnoop.yaml's container: privileged, the host's pids, a cgroup
    namespace of its own (as a pod's), the host's cgroup v2 mount where the manifest mounts it,
    its args (metrics moved to 127.0.0.1:PORT of the host's network, and -v): bindsnoop keeps
    its cgroup variant, attached below the host's root, and reports and counts a host bind."""
    import urllib.request
    import yaml
    images()
    with open(os.path.join(ROOT, "deploy", "kubernetes", "ecli-bindsnoop.yaml")) as f:
        (container,) = yaml.safe_load(f)["spec"]["template"]["spec"]["containers"]
    (mount,) = container["volumeMounts"]
    port = free_port()
    args = list(container["args"][1:])
    args[args.index("--metrics") + 1] = "127.0.0.1:%d" % port
    comm = "ship-img-ds"
    child = BindChild(comm, [Bind(socket.AF_INET, socket.SOCK_STREAM, "127.0.0.1", 0)])
    podman = ["--cgroupns=private", "-v", "%s:%s:ro" % (harness.cgroup2_mount(), mount["mountPath"])]
    ecli = Container(podman, ["-v"] + args, network="host")
    try:
        (expected,) = [child.go()]
        time.sleep(0.3)
        with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=10) as r:
            metrics = r.read().decode()
    finally:
        out, err, status = ecli.stop()
    check_equal(status, 0, "exit status; stderr " + err)
    check("variant cgroup: loaded and attached 4 programs" in err, "the cgroup variant: " + err)
    events = [e for e in json_lines(out) if e["comm"] == comm]
    check_equal([e["port"] for e in events], [expected[0]["port"]], "the host's bind")
    check('bindsnoop_binds_total{addr="127.0.0.1",port="%d",proto="TCP"} 1'
          % expected[0]["port"] in metrics, "the bind counted:\n" + metrics)


@live_test
def no_test_container_is_left():
    left = run(PODMAN + ["ps", "-a", "--filter", "name=" + CONTAINER_PREFIX, "--format",
                         "{{.Names}}"], "podman ps")
    check_equal(left.split(), [], "containers left")


if __name__ == "__main__":
    try:
        status = run_all("ship-images")
    finally:
        for n in _names:
            subprocess.run(PODMAN + ["rm", "-f", n], capture_output=True)
    sys.exit(status)
