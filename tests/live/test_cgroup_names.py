# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Container and unit names on events, and the --container and --unit filters.

Each tool records its event's cgroup v2 id (task_cgroup.bpf.h) with the "cgroup" display format;
ecli names the container (podman's here: rootful, with runc) or the systemd unit. The container
runs an image imported offline from one file, build/tests/cgroup_worker (static; the image is
removed at the end), and is named `web` (web-ecli-test-PID when a container of that name exists
already); `podman exec` makes its binds, accepts, opens and execs. Units are cgroups this test makes below the cgroup v2 root,
named as systemd names them (ecli-test-PID.slice/web-PID.service), with a child moved in.
Needs root; podman and runc are installed when missing, never skipped.
"""
import hashlib
import io
import os
import subprocess
import sys
import tarfile

from binder import Bind, BindChild, free_port
from harness import (ROOT, cgroup2_mount, cgroup_keys, check, check_equal,
                     json_lines, live_test, package, run_all, run_ecli, trace_around)

PODMAN = ["podman", "--runtime", "runc"]
# podman 4.3: the default nofile and nproc limits fail with EPERM under runc here
RUN = PODMAN + ["run", "--rm", "-d", "--network", "host", "--ulimit", "nofile=20000:20000",
                "--ulimit", "nproc=32768:32768"]
WORKER = os.path.join(ROOT, "build", "tests", "cgroup_worker")
CGROUP_TEST = "ecli-test-%d.slice" % os.getpid()
UNIT = "web-%d.service" % os.getpid()


def podman(*args, timeout=120):
    p = subprocess.run(PODMAN + list(args), capture_output=True, text=True, timeout=timeout)
    check(p.returncode == 0, "podman %s: exit status %d: %s" % (" ".join(args), p.returncode,
                                                                p.stderr.strip()))
    return p.stdout.strip()


def worker_image():
    """localhost/ecli-test-worker:HASH, imported from a tar holding only cgroup_worker; removed
    at the end of the suite (remove_images)."""
    with open(WORKER, "rb") as f:
        data = f.read()
    image = "localhost/ecli-test-worker:" + hashlib.sha256(data).hexdigest()[:16]
    tar = io.BytesIO()
    with tarfile.open(fileobj=tar, mode="w") as t:
        info = tarfile.TarInfo("cgroup_worker")
        info.size, info.mode = len(data), 0o755
        t.addfile(info, io.BytesIO(data))
    p = subprocess.run(PODMAN + ["import", "--quiet", "--change",
                                 'ENTRYPOINT ["/cgroup_worker"]', "-", image],
                       input=tar.getvalue(), capture_output=True, timeout=120)
    check(p.returncode == 0, "podman import: %s" % p.stderr.decode(errors="replace"))
    return image


class Container:
    """A container named web (or web-ecli-test-PID when web exists) running the worker."""

    def __init__(self):
        taken = subprocess.run(PODMAN + ["container", "exists", "web"]).returncode == 0
        self.name = "web-ecli-test-%d" % os.getpid() if taken else "web"
        self.id = podman(*(RUN[1:] + ["--name", self.name, worker_image(), "sleep", "600"]))
        self.pid = int(podman("inspect", "-f", "{{.State.Pid}}", self.name))

    def do(self, op, arg):
        """Runs cgroup_worker OP ARG in the container (podman exec)."""
        check_equal(podman("exec", self.name, "/cgroup_worker", op, str(arg)), "ok",
                    "cgroup_worker %s %s in %s" % (op, arg, self.name))

    def cgroup_id(self):
        return cgroup_keys(self.pid)["cgroup_id"]

    def close(self):
        subprocess.run(PODMAN + ["rm", "-f", "-t", "0", self.name], capture_output=True,
                       timeout=120)


_container = None


def container():
    """One container for the whole suite, removed at its end."""
    global _container
    if _container is None:
        check(subprocess.run([os.path.join(ROOT, "packaging", "need_debs.sh"), "podman",
                              "runc"]).returncode == 0, "podman and runc installed")
        _container = Container()
    return _container


def in_container_keys(c):
    return {"cgroup_id": c.cgroup_id(), "container": c.name, "container_id": c.id,
            "runtime": "podman"}


class Folder:
    """A cgroup this test makes below the cgroup v2 root (path relative to it), removed after."""

    def __init__(self, path):
        self.path = path
        self.dir = cgroup2_mount() + "/" + path
        os.makedirs(self.dir, exist_ok=True)

    def enter(self):
        """In a child: moves it into the cgroup (Child's setup)."""
        with open(os.path.join(self.dir, "cgroup.procs"), "w") as f:
            f.write(str(os.getpid()))

    def close(self):
        for top, dirs, _ in os.walk(cgroup2_mount() + "/" + CGROUP_TEST, topdown=False):
            for d in dirs:
                try:
                    os.rmdir(os.path.join(top, d))
                except OSError:
                    pass
        try:
            os.rmdir(cgroup2_mount() + "/" + CGROUP_TEST)
        except OSError:
            pass


def port_events(out, port):
    return [e for e in json_lines(out) if e.get("port") == port]


class Do:
    """A child of trace_around that runs one operation in the container."""

    def __init__(self, c, op, arg):
        self.c, self.op, self.arg = c, op, arg

    def go(self):
        self.c.do(self.op, self.arg)

    def close(self):
        pass


@live_test
def a_bind_in_a_container_carries_its_name_and_one_on_the_host_none():
    c = container()
    inside, outside = free_port(), free_port()
    _, out = trace_around(["-j", package("bindsnoop")],
                          [Do(c, "bind", inside),
                           BindChild("host-bind", [Bind(2, 1, "127.0.0.1", outside)])])
    (e,) = port_events(out, inside)
    check_equal({k: e.get(k) for k in in_container_keys(c)}, in_container_keys(c),
                "the container's bind")
    check("unit" not in e and "cgroup" not in e, "a container's event has no unit: %r" % e)
    (h,) = port_events(out, outside)
    check("container" not in h, "a host bind names no container: %r" % h)
    want = cgroup_keys()
    check_equal({k: h.get(k) for k in want}, want, "the host bind's cgroup")


@live_test
def container_filter_shows_only_the_containers_binds():
    c = container()
    for value in (c.name, c.id[:12]):
        inside, outside = free_port(), free_port()
        _, out = trace_around(["-j", package("bindsnoop"), "--container", value],
                              [Do(c, "bind", inside),
                               BindChild("host-bind", [Bind(2, 1, "127.0.0.1", outside)])])
        events = json_lines(out)
        check_equal([(e["port"], e.get("container")) for e in events], [(inside, c.name)],
                    "--container %s: the container's bind only" % value)


@live_test
def cgroup_names_columns_show_the_container():
    c = container()
    inside = free_port()
    _, out = trace_around([package("bindsnoop"), "--cgroup-names"], [Do(c, "bind", inside)])
    lines = out.splitlines()
    check(lines[0].split()[-2:] == ["CONTAINER", "UNIT"], "header: %r" % lines[0])
    rows = [line for line in lines[1:] if " %d " % inside in line]
    check_equal(len(rows), 1, "rows of port %d in:\n%s" % (inside, out))
    check_equal(rows[0].split()[-1], c.name, "the CONTAINER column")


@live_test
def every_tool_names_the_container():
    c = container()
    port = free_port()
    path = "/cgroup_worker"
    runs = [("tcpaccept", "accept", port, lambda e: e["lport"] == port),
            ("opensnoop", "open", path, lambda e: e["path"] == path),
            ("execsnoop", "open", path, lambda e: e["comm"] == "cgroup_worker")]
    for tool, op, arg, mine in runs:
        _, out = trace_around(["-j", package(tool), "--container", c.name], [Do(c, op, arg)])
        events = [e for e in json_lines(out) if mine(e)]
        check(events, "%s: no event of cgroup_worker %s %s in:\n%s" % (tool, op, arg, out))
        for e in events:
            check_equal({k: e.get(k) for k in in_container_keys(c)}, in_container_keys(c),
                        "%s's event" % tool)


@live_test
def a_process_in_a_unit_carries_the_unit_and_unit_filters():
    unit = Folder(CGROUP_TEST + "/" + UNIT)
    plain = Folder(CGROUP_TEST + "/plain")
    try:
        ports = [free_port() for _ in range(3)]
        kids = [BindChild("in-unit", [Bind(2, 1, "127.0.0.1", ports[0])], setup=unit.enter),
                BindChild("in-plain", [Bind(2, 1, "127.0.0.1", ports[1])], setup=plain.enter),
                BindChild("on-host", [Bind(2, 1, "127.0.0.1", ports[2])])]
        _, out = trace_around(["-j", package("bindsnoop")], kids)
        (u,) = port_events(out, ports[0])
        check_equal((u.get("unit"), u.get("cgroup"), u.get("container")), (UNIT, None, None),
                    "a unit's process")
        check_equal(u["cgroup_id"], os.stat(unit.dir).st_ino, "its cgroup id")
        (p,) = port_events(out, ports[1])
        check_equal((p.get("unit"), p.get("cgroup")), (None, "/" + plain.path),
                    "a cgroup that names nothing shows its path")

        # --unit takes NAME.service or NAME; the filter is the kernel's cgroup id map
        for value in (UNIT, UNIT[:-len(".service")]):
            ports = [free_port() for _ in range(2)]
            kids = [BindChild("in-unit", [Bind(2, 1, "127.0.0.1", ports[0])], setup=unit.enter),
                    BindChild("on-host", [Bind(2, 1, "127.0.0.1", ports[1])])]
            _, out = trace_around(["-j", package("bindsnoop"), "--unit", value], kids)
            check_equal([(e["port"], e.get("unit")) for e in json_lines(out)],
                        [(ports[0], UNIT)], "--unit %s" % value)

        # a slice takes every cgroup below it: the unit's and the plain one
        ports = [free_port() for _ in range(3)]
        kids = [BindChild("in-unit", [Bind(2, 1, "127.0.0.1", ports[0])], setup=unit.enter),
                BindChild("in-plain", [Bind(2, 1, "127.0.0.1", ports[1])], setup=plain.enter),
                BindChild("on-host", [Bind(2, 1, "127.0.0.1", ports[2])])]
        _, out = trace_around(["-j", package("bindsnoop"), "--unit", CGROUP_TEST], kids)
        check_equal(sorted(e["port"] for e in json_lines(out)), sorted(ports[:2]),
                    "--unit %s" % CGROUP_TEST)

        port = free_port()
        _, out = trace_around([package("bindsnoop"), "--cgroup-names"],
                              [BindChild("in-unit", [Bind(2, 1, "127.0.0.1", port)],
                                         setup=unit.enter)])
        rows = [line for line in out.splitlines() if " %d " % port in line]
        check(len(rows) == 1 and rows[0].split()[-1] == UNIT, "UNIT column in:\n%s" % out)
    finally:
        unit.close()


@live_test
def names_that_match_nothing_are_refused_before_anything_loads():
    for args, want in ((["--container", "no-such-container-here"],
                        "ecli: --container: 'no-such-container-here' is the name or id of no "
                        "running container"),
                       (["--unit", "no-such-unit"],
                        "ecli: --unit: 'no-such-unit' names no systemd unit with a cgroup now")):
        out, err, status = run_ecli(["run", package("bindsnoop")] + args)
        check_equal((status, out, err), (2, "", want + "\n"), "ecli run bindsnoop %s" % args)


@live_test
def container_and_cgroupmap_are_refused_together():
    """Both would fill one map: --container adds to the map --cgroupmap's pin replaces."""
    pin = "/sys/fs/bpf/ecli-test-cgroups-%d" % os.getpid()
    subprocess.run(["bpftool", "map", "create", pin, "type", "hash", "key", "8", "value", "8",
                    "entries", "4", "name", "cgroups"], check=True)
    try:
        out, err, status = run_ecli(["run", package("bindsnoop"), "--cgroupmap", pin,
                                     "--container", container().name])
    finally:
        os.unlink(pin)
    check_equal((status, out, len(err.splitlines())), (2, "", 1), "refused in one line: %r" % err)
    check("--cgroupmap" in err and "--container" in err, "names both options: %r" % err)


def remove_images():
    """Every ecli-test-worker image, this run's and any an interrupted run left."""
    names = subprocess.run(PODMAN + ["images", "--format", "{{.Repository}}:{{.Tag}}",
                                     "localhost/ecli-test-worker"],
                           capture_output=True, text=True, timeout=60).stdout.split()
    if names:
        subprocess.run(PODMAN + ["rmi", "-f"] + names, capture_output=True, timeout=120)


def main():
    try:
        return run_all("cgroup-names")
    finally:
        if _container:
            _container.close()
            remove_images()


if __name__ == "__main__":
    sys.exit(main())
