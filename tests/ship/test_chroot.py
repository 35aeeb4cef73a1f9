# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""The runtime .deb in a clean Debian 12 root: no compiler, and the installed bindsnoop traces.

The root is `debootstrap --variant=minbase bookworm` (packaging/debian_base.sh, made once and
cached in build/ship-cache/, or $SHIP_CACHE, as a tarball keyed on debootstrap's inputs),
unpacked into a fresh folder. Only build/deb/ecli_*.deb is installed, with `apt-get install ./ecli_*.deb` in
the chroot, so its dependencies come from the Debian mirror. ecli then runs in the chroot
(tests/ship/in_root.sh: /proc, /sys, cgroup v2, tracefs, bpffs and /dev bound in a private mount
namespace, gone when the command ends) while this test binds ports on the host, and every field
of the events is checked: bindsnoop by installed path and by name, from an http:// URL (a
server of this test on 127.0.0.1) and from Debian's docker-registry on 127.0.0.1 by digest,
pushed there by the root's own ecli. Needs root.
"""
import glob
import http.server
import os
import re
import shutil
import signal
import socket
import threading
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "live"))

import harness  # noqa: E402
from binder import Bind, BindChild, free_port  # noqa: E402
from harness import check, check_equal, json_lines, live_test, run_all  # noqa: E402
from registry import Registry  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "fetch"))
import cosign_format  # noqa: E402

ROOT = harness.ROOT
IN_ROOT = os.path.join(HERE, "in_root.sh")
CACHE = os.environ.get("SHIP_CACHE") or os.path.join(ROOT, "build", "ship-cache")
# Commands that would mean a compiler came along with the runtime package.
COMPILERS = ["cc", "c89", "c99", "gcc", "clang", "tcc", "ecc", "llc", "bpftool"]
COMPILER_PACKAGES = re.compile(r"(gcc|cpp|clang|llvm|tcc)(-[0-9]+)?$|lib(clang|llvm).*|libbpf-dev$|"
                               r"ecc$|bpftool$")
VERSION = subprocess.run(["make", "--no-print-directory", "-s", "-C", ROOT, "print-version"],
                         capture_output=True, text=True, check=True).stdout.strip()
KEYS = ["ts_ns", "pid", "uid", "comm", "proto", "ip", "addr", "port", "opts", "if", "ret",
        "cgroup_id"]


def run(cmd, what, timeout=600):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    check(p.returncode == 0, "%s: exit status %d\n%s%s" % (what, p.returncode, p.stdout[-3000:],
                                                          p.stderr[-3000:]))
    return p.stdout


def make(*targets):
    return run(["make", "--no-print-directory", "-C", ROOT] + list(targets),
               "make " + " ".join(targets))


class Root:
    """A fresh copy of the cached Debian 12 root. Nothing is ever mounted on the host inside
    it (in_root.sh binds in its own mount namespace); leaving checks that and removes it
    without crossing into another file system."""

    def __init__(self):
        tar = run([os.path.join(ROOT, "packaging", "debian_base.sh"), CACHE],
                  "the cached Debian 12 root").strip().splitlines()[-1]
        for stale in glob.glob(os.path.join(CACHE, "ship-root-*")):  # from a run killed hard
            subprocess.run(["rm", "-rf", "--one-file-system", stale])
        self.path = tempfile.mkdtemp(prefix="ship-root-", dir=CACHE)
        run(["tar", "-C", self.path, "--numeric-owner", "-xf", tar], "unpacking " + tar)
        shutil.copy("/etc/resolv.conf", os.path.join(self.path, "etc", "resolv.conf"))

    def mounts_inside(self):
        with open("/proc/self/mountinfo") as f:
            return [line.split()[4] for line in f
                    if line.split()[4].startswith(self.path + "/") or line.split()[4] == self.path]

    def remove(self):
        left = self.mounts_inside()
        subprocess.run(["rm", "-rf", "--one-file-system", self.path])
        check_equal(left, [], "mounts left under the root")

    def sh(self, script, what, timeout=600):
        return run([IN_ROOT, self.path, "/bin/sh", "-ec", script], what, timeout)

    def exists(self, command):
        p = subprocess.run([IN_ROOT, self.path, "/bin/sh", "-c", "command -v " + command],
                           capture_output=True, text=True)
        return p.returncode == 0


_root = None


def root():
    """The root with the runtime package installed, made by the first test that needs it."""
    global _root
    if _root is None:
        make("deb")
        debs = glob.glob(os.path.join(ROOT, "build", "deb", "ecli_*.deb"))
        check_equal(len(debs), 1, "runtime packages in build/deb: %r" % debs)
        r = Root()
        try:
            shutil.copy(debs[0], os.path.join(r.path, "tmp"))
            r.sh("apt-get update -qq && apt-get install -y -qq --no-install-recommends "
                 "./tmp/%s" % os.path.basename(debs[0]), "apt-get install ./ecli_*.deb")
        except BaseException:
            r.remove()
            raise
        _root = r
    return _root


@live_test
def runtime_package_installs_with_apt_and_its_dependencies():
    r = root()
    status = r.sh("dpkg-query -W -f='${Status} ${Version}' ecli", "dpkg-query ecli")
    check_equal(status, "install ok installed " + VERSION, "ecli's status")
    for lib in ("libbpf1", "libelf1", "zlib1g", "libcjson1"):
        r.sh("dpkg-query -W -f='${Status}' %s | grep -qx 'install ok installed'" % lib,
             lib + " installed as a dependency")
    ldd = r.sh("ldd /usr/bin/ecli", "ldd /usr/bin/ecli")
    check("not found" not in ldd, "every library ecli links is found: %s" % ldd)
    files = r.sh("dpkg -L ecli | sort", "dpkg -L ecli").split()
    check("/usr/bin/ecli" in files and "/usr/share/doc/ecli/copyright" in files,
          "ecli's files: %r" % files)
    tools = sorted(os.path.basename(f) for f in files if f.startswith("/usr/share/ecli/packages/"))
    check_equal(tools, ["bindsnoop.json", "execsnoop.json", "opensnoop.json", "tcpaccept.json"],
                "the installed tools")


@live_test
def no_compiler_in_the_root():
    r = root()
    check_equal([c for c in COMPILERS if r.exists(c)], [], "compilers in the root")
    packages = r.sh("dpkg-query -W -f='${Package}\\n'", "the installed packages").split()
    check_equal([p for p in packages if COMPILER_PACKAGES.match(p)], [],
                "compiler packages installed")


def traced_binds(package_arg, comm):
    """Runs `ecli run -j PACKAGE_ARG` in the root while a child named comm binds a TCP and a UDP
    port on the host; checks every field of both events."""
    r = root()
    port = free_port()
    child = BindChild(comm, [Bind(socket.AF_INET, socket.SOCK_STREAM, "127.0.0.1", port),
                             Bind(socket.AF_INET6, socket.SOCK_DGRAM, "::1", port)])
    host_ecli = harness.ECLI
    harness.ECLI = "ecli"  # Ecli runs `PREFIX... ECLI run ARGS`: here ecli on the root's PATH
    try:
        ecli = harness.Ecli(["-j", package_arg], prefix=[IN_ROOT, r.path])
    except AssertionError:
        child.close()
        raise
    finally:
        harness.ECLI = host_ecli
    try:
        expected = child.go()
    finally:
        out, err, status = ecli.stop()
    check_equal(status, 0, "exit status; stderr: " + err)
    events = [e for e in json_lines(out) if e["comm"] == comm]
    check_equal(len(events), len(expected), "events of %s in %r" % (comm, out))
    for got, want in zip(events, expected):
        harness.check_keys(got, KEYS)
        check(isinstance(got["ts_ns"], int) and got["ts_ns"] > 0, "ts_ns: %r" % got)
        check_equal({k: got[k] for k in want}, want, "event")
    check_equal([(e["proto"], e["port"]) for e in events], [("TCP", port), ("UDP", port)],
                "the binds")


@live_test
def installed_bindsnoop_traces_binds_by_path():
    traced_binds("/usr/share/ecli/packages/bindsnoop.json", "ship-bind-path")


@live_test
def installed_bindsnoop_traces_binds_by_name():
    traced_binds("bindsnoop", "ship-bind-name")


@live_test
def installed_ecli_says_its_version():
    out = root().sh("ecli --version", "ecli --version in the root")
    check_equal(out.splitlines()[0], "ecli " + VERSION, "the first line")


def signing_key():
    """A cosign key pair whose public key the root trusts, as a machine that runs what its CI
    signed would (/etc/ecli/keys.d, root's); the private key in the root's /tmp for push."""
    r = root()
    key = os.path.join(r.path, "tmp", "cosign.key")
    if not os.path.exists(key):
        d = tempfile.mkdtemp(prefix="ecli-ship-key-")
        priv, pub = cosign_format.generate_key_pair(b"ship", d, scrypt_n=32768)
        os.makedirs(os.path.join(r.path, "etc", "ecli", "keys.d"), mode=0o755, exist_ok=True)
        shutil.copy(pub, os.path.join(r.path, "etc", "ecli", "keys.d", "ci.pub"))
        shutil.copy(priv, key)
        shutil.rmtree(d)
    return cosign_format.load_private_key(key, b"ship")


class PackageServer:
    """build/packages/bindsnoop/package.json at http://127.0.0.1:PORT/bindsnoop.json, and its
    signature (cosign sign-blob's form) at bindsnoop.json.sig."""

    def __init__(self):
        with open(os.path.join(ROOT, "build", "packages", "bindsnoop", "package.json"), "rb") as f:
            body = f.read()
        files = {"/bindsnoop.json": body,
                 "/bindsnoop.json.sig": cosign_format.sign_blob(signing_key(), body).encode()}

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                data = files.get(self.path)
                self.send_response(200 if data else 404)
                self.send_header("Content-Length", str(len(data) if data else 0))
                self.end_headers()
                if data:
                    self.wfile.write(data)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = "http://127.0.0.1:%d/bindsnoop.json" % self.httpd.server_port

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@live_test
def installed_ecli_traces_binds_from_a_url():
    server = PackageServer()
    try:
        traced_binds(server.url, "ship-bind-url")
    finally:
        server.stop()


@live_test
def installed_ecli_pushes_and_traces_binds_from_a_registry_by_digest():
    """Signed with --sign, verified by the key in the root's /etc/ecli/keys.d."""
    run([os.path.join(ROOT, "packaging", "need_debs.sh"), "docker-registry"],
        "installing docker-registry")
    reg = Registry()
    signing_key()
    try:
        digest = root().sh("COSIGN_PASSWORD=ship ecli push --sign /tmp/cosign.key "
                           "/usr/share/ecli/packages/bindsnoop.json "
                           "localhost:%d/bindsnoop:1.0" % reg.port, "ecli push in the root").strip()
        check(digest.startswith("sha256:") and len(digest) == 71, "push printed %r" % digest)
        traced_binds("localhost:%d/bindsnoop@%s" % (reg.port, digest), "ship-bind-oci")
    finally:
        reg.stop()


@live_test
def removing_the_package_leaves_nothing():
    r = root()
    r.sh("apt-get remove -y -qq --purge ecli >/dev/null", "apt-get remove --purge ecli")
    check(not os.path.exists(os.path.join(r.path, "usr", "bin", "ecli")), "/usr/bin/ecli removed")
    check(not os.path.exists(os.path.join(r.path, "usr", "share", "ecli")),
          "/usr/share/ecli removed")


@live_test
def the_root_is_removed_with_no_mount_left():
    global _root
    r, _root = _root, None
    check(r is not None, "the root was made")
    r.remove()


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("ship-chroot: stopped by SIGTERM"))
    try:
        status = run_all("ship-chroot")
    finally:
        if _root is not None:  # a crash before the last test: still remove the root
            _root.remove()
    sys.exit(status)
