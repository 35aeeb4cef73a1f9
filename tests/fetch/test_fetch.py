# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Where `ecli run` gets its package: URLs, OCI registries, installed tool names.

A local HTTP server (Python's, on 127.0.0.1) serves the real bindsnoop package, a redirect, a
404, a 500, a truncated body, a body larger than the cap (declared and streamed), an endpoint
that never answers, and a small fake registry whose manifests lie about their digests. Debian's
docker-registry, started on 127.0.0.1 with a temporary storage folder, is the real registry
for push, pull and run, by tag and by digest, and for a blob corrupted in its storage.

Every failure must be one line on stderr naming the URL or reference, exit status 2, and
nothing loaded: no banner, and with -v no hook variant tried. The tests without "live" in their
name need no root (a package that is fetched is shown by its tool's -h); the live tests (root)
load bindsnoop from a URL, a redirect, a registry and an installed name, and check a bind's
event. SKIP_LIVE=1, or not being root, skips the live tests and says so.
"""
import hashlib
import http.server
import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "live"))
from binder import Bind, BindChild, free_port  # noqa: E402
from registry import Registry  # noqa: E402
import cosign_format  # noqa: E402
from harness import (BANNER_END, ECLI, ROOT, check, check_equal, json_lines,  # noqa: E402
                     live_test, package, record_case, run_all, run_ecli, trace_around)

LIVE = os.geteuid() == 0 and os.environ.get("SKIP_LIVE") != "1"
test = live_test
# every server here is on 127.0.0.1: a proxy from the environment must not come between
for _var in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
    os.environ.pop(_var, None)


def live(fn):
    return live_test(fn) if LIVE else fn


# Every package this suite fetches is signed with a key of its own, the one ecli trusts here
# ($ECLI_KEYS: a folder only its owner can change); test_signatures.py tests the signing.
KEYS = tempfile.mkdtemp(prefix="ecli-fetch-keys-")
SIGN_KEY, _pub = cosign_format.generate_key_pair(b"fetch-test", KEYS, scrypt_n=32768)
os.makedirs(os.path.join(KEYS, "keys.d"))
shutil.copy(_pub, os.path.join(KEYS, "keys.d", "test.pub"))
os.environ["ECLI_KEYS"] = os.path.join(KEYS, "keys.d")
os.environ["COSIGN_PASSWORD"] = "fetch-test"
SIGNER = cosign_format.load_private_key(SIGN_KEY, b"fetch-test")


PKG = package("bindsnoop")
with open(PKG, "rb") as f:
    PKG_BYTES = f.read()
CAP = 256 << 20  # PACKAGE_MAX_FILE_BYTES
MIB = 1 << 20
TOOL_HELP = "usage: bindsnoop "  # how bindsnoop's -h starts
MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json"
PACKAGE_TYPE = "application/vnd.ecli.package.v1+json"
CONFIG_TYPE = "application/vnd.ecli.package.config.v1+json"


def sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------------------------------------
# The local HTTP server


class Served:
    """What the HTTP server's handlers share with the tests."""
    release = threading.Event()  # set at the end: the never-answering handler returns
    sent = {}  # path -> bytes written, for the endpoints that stream
    requests = []  # paths asked for, in order
    manifests = {}  # fake registry: path -> (bytes, headers)
    blobs = {}  # fake registry: digest -> bytes


def fake_manifest(layer_type=PACKAGE_TYPE, size=None, digest=None, media_type=MANIFEST_TYPE):
    layer = {"mediaType": layer_type, "digest": digest or sha256(PKG_BYTES),
             "size": len(PKG_BYTES) if size is None else size}
    m = {"schemaVersion": 2, "mediaType": media_type,
         "config": {"mediaType": CONFIG_TYPE, "digest": sha256(b"{}"), "size": 2},
         "layers": [layer]}
    return json.dumps(m, sort_keys=True).encode()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # the connection closes after each answer

    def log_message(self, *args):
        pass

    def answer(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def stream(self, chunks_mib, length=None):
        """Writes up to chunks_mib MiB until the reader goes away; counts what was written."""
        self.send_response(200)
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.end_headers()
        chunk, sent = b" " * MIB, 0
        try:
            for _ in range(chunks_mib):
                self.wfile.write(chunk)
                sent += len(chunk)
        except OSError:
            pass
        Served.sent[self.path] = sent

    def do_GET(self):
        p = self.path
        Served.requests.append(p)
        if p in ("/bindsnoop.json.sig", "/redirect.sig", "/redirect2.sig"):
            self.answer(200, cosign_format.sign_blob(SIGNER, PKG_BYTES).encode() + b"\n")
        elif p == "/bindsnoop.json":
            self.answer(200, PKG_BYTES, [("Content-Type", "application/json")])
        elif p == "/redirect":
            self.answer(302, headers=[("Location", "/bindsnoop.json")])
        elif p == "/redirect2":
            self.answer(301, headers=[("Location", "http://127.0.0.1:%d/redirect"
                                       % self.server.server_port)])
        elif p == "/loop":
            self.answer(302, headers=[("Location", "/loop")])
        elif p == "/error":
            self.answer(500, b"oops")
        elif p == "/not-a-package.json":
            self.answer(200, b"<html>hello</html>")
        elif p == "/truncated.json":
            self.send_response(200)
            self.send_header("Content-Length", str(len(PKG_BYTES)))
            self.end_headers()
            self.wfile.write(PKG_BYTES[:len(PKG_BYTES) // 2])
        elif p == "/huge-declared.json":
            self.stream(CAP // MIB + 64, length=CAP + 64 * MIB)
        elif p == "/huge-streamed.json":
            self.stream(1024)  # 1 GiB unless ecli stops reading, as it must at the cap
        elif p == "/never-answers.json":
            Served.release.wait(30)
        elif p in Served.manifests:
            body, headers = Served.manifests[p]
            self.answer(200, body, [("Content-Type", MANIFEST_TYPE)] + list(headers))
        elif p.startswith("/v2/") and "/blobs/" in p and p.split("/blobs/")[1] in Served.blobs:
            self.answer(200, Served.blobs[p.split("/blobs/")[1]])
        elif p.startswith("/v2/"):
            self.answer(404, json.dumps({"errors": [{"code": "MANIFEST_UNKNOWN",
                                                     "message": "manifest unknown"}]}).encode())
        else:
            self.answer(404, b"no such thing")


class Server:
    def __init__(self):
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_port
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def ref(self, rest):
        return "127.0.0.1:%d/%s" % (self.port, rest)

    def stop(self):
        Served.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


_server = []


def server():
    if not _server:
        _server.append(Server())
    return _server[0]


# ---------------------------------------------------------------------------------------------
# Debian's docker-registry

_registry = []


def registry():
    if not _registry:
        _registry.append(Registry())
    return _registry[0]


def pushed(reg, pkg_path, repo_tag):
    """Pushes a package with ecli, signed; returns the manifest digest it printed."""
    out, err, status = run_ecli(["push", "--sign", SIGN_KEY, pkg_path, reg.ref(repo_tag)])
    check_equal(status, 0, "push exit status; stderr: " + err)
    digest = out.strip()
    check(len(digest) == 71 and digest.startswith("sha256:"), "push printed %r" % out)
    return digest


# ---------------------------------------------------------------------------------------------
# Checks

def refused(args, *wants, verbose_too=True):
    """ecli run ARGS fails before loading anything: exit 2, one line naming what it says,
    no banner; with -v, no hook variant is tried either."""
    out, err, status = run_ecli(["run"] + list(args), timeout=60)
    check_equal(status, 2, "exit status; stderr: " + err)
    check_equal(out, "", "stdout")
    lines = err.splitlines()
    check_equal(len(lines), 1, "stderr lines: %r" % err)
    for w in wants:
        check(w in err, "stderr %r lacks %r" % (err, w))
    check(BANNER_END not in err, "banner printed")
    if verbose_too:
        _, err_v, status_v = run_ecli(["run", "-v"] + list(args), timeout=60)
        check_equal(status_v, 2, "exit status with -v; stderr: " + err_v)
        check(not any(l.startswith("variant ") for l in err_v.splitlines()),
              "a hook variant was tried: " + err_v)
        check(BANNER_END not in err_v, "banner printed with -v")
        check_equal(err_v.splitlines()[-1], lines[0], "last line with -v")
    return err


def shows_tool_help(args, env=None, exe=ECLI, cwd=None):
    """ecli run ARGS -h read the package and printed its tool's help (no root needed)."""
    p = subprocess.run([exe, "run"] + list(args) + ["-h"], capture_output=True, timeout=60,
                       env=env, cwd=cwd)
    err = p.stderr.decode(errors="replace")
    check_equal(p.returncode, 0, "exit status; stderr: " + err)
    check(TOOL_HELP in p.stdout.decode(errors="replace"), "no tool help: %r" % p.stdout[:300])


def traces_a_bind(args, comm, prefix=()):
    """Live: ecli run -j ARGS shows the bind a child makes, with its pid and port."""
    port = free_port()
    child = BindChild(comm, [Bind(socket.AF_INET, socket.SOCK_STREAM, "127.0.0.1", port)])
    if prefix:
        from harness import Ecli
        ecli = Ecli(["-j"] + list(args), prefix=prefix)
        try:
            (expected,) = [child.go()]
        finally:
            out, err, status = ecli.stop()
        check_equal(status, 0, "exit status; stderr: " + err)
    else:
        (expected,), out = trace_around(["-j"] + list(args), [child])
    got = [e for e in json_lines(out) if e.get("comm") == comm[:15]]
    want = expected[0]
    check_equal([(e["pid"], e["port"], e["addr"], e["proto"], e["ret"]) for e in got],
                [(want["pid"], port, "127.0.0.1", "TCP", 0)], "the child's bind event")


# ---------------------------------------------------------------------------------------------
# ecli --version, help


@test
def version_names_ecli_and_libbpf():
    out, err, status = run_ecli(["--version"])
    check_equal(status, 0, "exit status")
    lines = out.splitlines()
    check_equal(lines[0], "ecli 0.8.0", "first line")
    check(lines[1].startswith("libbpf ") and lines[1].split()[1][0].isdigit(), "libbpf: %r" % out)
    check(any(l.startswith("libcurl ") for l in lines), "libcurl: %r" % out)


@test
def help_tells_every_form():
    out, _, status = run_ecli(["help"])
    check_equal(status, 0, "exit status")
    for w in ["ecli push", "ecli pull", "--version", "http://", "@sha256:", "ECLI_PACKAGES",
              "--fetch-timeout", "--plain-http", PACKAGE_TYPE]:
        check(w in out, "help lacks %r" % w)


# ---------------------------------------------------------------------------------------------
# URLs


@test
def url_serves_the_package():
    shows_tool_help([server().url("/bindsnoop.json")])


@test
def url_redirects_are_followed():
    shows_tool_help([server().url("/redirect")])
    shows_tool_help([server().url("/redirect2")])


@test
def url_redirect_loop_refused():
    u = server().url("/loop")
    refused([u], u + ": more than 5 redirects")


@test
def url_404_refused():
    u = server().url("/missing.json")
    refused([u], u + ": HTTP 404 Not Found")


@test
def url_500_refused():
    u = server().url("/error")
    refused([u], u + ": HTTP 500")


@test
def url_server_down_refused():
    u = "http://127.0.0.1:%d/bindsnoop.json" % free_port()
    refused([u], u + ": cannot connect")


@test
def url_truncated_body_refused():
    u = server().url("/truncated.json")
    refused([u], u + ": truncated: the body ended after %d of %d bytes"
            % (len(PKG_BYTES) // 2, len(PKG_BYTES)))


@test
def url_declared_too_large_refused_before_reading():
    u = server().url("/huge-declared.json")
    refused([u], u + ": larger than 256 MiB, refused", verbose_too=False)
    time.sleep(0.5)
    sent = Served.sent.get("/huge-declared.json", 0)
    check(sent < 64 * MIB, "the server could write %d bytes: the body was read" % sent)


@test
def url_streamed_too_large_refused_at_the_cap():
    u = server().url("/huge-streamed.json")
    refused([u], u + ": larger than 256 MiB, refused", verbose_too=False)
    deadline = time.time() + 10
    while "/huge-streamed.json" not in Served.sent and time.time() < deadline:
        time.sleep(0.1)
    sent = Served.sent.get("/huge-streamed.json")
    check(sent is not None and CAP <= sent < CAP + 64 * MIB,
          "the server wrote %s bytes: ecli should stop reading at the cap" % sent)


@test
def url_that_never_answers_times_out():
    u = server().url("/never-answers.json")
    start = time.time()
    refused(["--fetch-timeout", "1", u], u + ": timed out (limit 1 s)", verbose_too=False)
    check(time.time() - start < 10, "took %.1f s" % (time.time() - start))


@test
def url_not_a_package_names_the_url():
    u = server().url("/not-a-package.json#sha256=" +
                     hashlib.sha256(b"<html>hello</html>").hexdigest())  # what it serves
    refused([u], u + ": package: not valid JSON")


@test
def url_other_schemes_refused():
    refused(["ftp://127.0.0.1/x.json"], "ftp://127.0.0.1/x.json: only http:// and https://")


@test
def fetch_timeout_value_checked():
    refused(["--fetch-timeout", "0", PKG], "--fetch-timeout", verbose_too=False)
    refused(["--fetch-timeout", "x", PKG], "--fetch-timeout", verbose_too=False)


# ---------------------------------------------------------------------------------------------
# A registry: push, pull, run


@test
def push_pull_round_trip_by_tag_and_digest():
    reg = registry()
    digest = pushed(reg, PKG, "bindsnoop:1.0")
    manifest = reg.get("/v2/bindsnoop/manifests/1.0", MANIFEST_TYPE)
    check_equal(sha256(manifest), digest, "the printed digest is the manifest's sha256")
    m = json.loads(manifest)
    check_equal((m["schemaVersion"], m["mediaType"], m["config"]["mediaType"]),
                (2, MANIFEST_TYPE, CONFIG_TYPE), "manifest")
    check_equal([(l["mediaType"], l["digest"], l["size"]) for l in m["layers"]],
                [(PACKAGE_TYPE, sha256(PKG_BYTES), len(PKG_BYTES))], "layers")
    check_equal(pushed(reg, PKG, "bindsnoop:again"), digest, "the same package's digest")
    p = subprocess.run([ECLI, "pull", reg.ref("bindsnoop:1.0")], capture_output=True, timeout=60)
    check_equal(p.returncode, 0, "pull by tag: " + p.stderr.decode())
    check(p.stdout == PKG_BYTES, "pull by tag: the bytes differ")
    d = tempfile.mkdtemp(prefix="ecli-pull-")
    try:
        out_file = os.path.join(d, "pulled.json")
        _, err, status = run_ecli(["pull", reg.ref("bindsnoop@" + digest), "-o", out_file])
        check_equal(status, 0, "pull by digest: " + err)
        check(digest in err, "pull names the digest: %r" % err)
        with open(out_file, "rb") as f:
            check(f.read() == PKG_BYTES, "pull by digest: the bytes differ")
        # the signature that verified it, checked again when the file runs
        check_equal(sorted(os.listdir(d)), ["pulled.json", "pulled.json.sig"], "files left")
        shows_tool_help([out_file])
    finally:
        shutil.rmtree(d)
    shows_tool_help([reg.ref("bindsnoop:1.0")])
    shows_tool_help([reg.ref("bindsnoop@" + digest)])
    shows_tool_help(["localhost:%d/bindsnoop:1.0" % reg.port])


@test
def pull_into_a_pipe_writes_through_it():
    """-o naming a FIFO (or a device) writes into it; it is not replaced by a file."""
    reg = registry()
    digest = pushed(reg, PKG, "bindsnoop:1.0")
    d = tempfile.mkdtemp(prefix="ecli-fifo-")
    try:
        fifo = os.path.join(d, "fifo")
        os.mkfifo(fifo)
        got = []
        reader = threading.Thread(target=lambda: got.append(open(fifo, "rb").read()))
        reader.start()
        _, err, status = run_ecli(["pull", reg.ref("bindsnoop@" + digest), "-o", fifo])
        reader.join(10)
        check_equal(status, 0, "exit status; stderr: " + err)
        check(got and got[0] == PKG_BYTES, "the reader did not get the package")
        check(stat.S_ISFIFO(os.stat(fifo).st_mode), "the FIFO was replaced")
        check_equal(os.listdir(d), ["fifo"], "files left")
    finally:
        shutil.rmtree(d)


@test
def pull_to_dev_stdout_writes_into_the_redirected_file():
    """`ecli pull REF -o /dev/stdout > pkg.json`, as root: the package goes into pkg.json
    (through the descriptor, also for >> and -o /dev/fd/1), and /dev/stdout stays the system's
    link; a link another user could have made is not followed."""
    reg = registry()
    digest = pushed(reg, PKG, "bindsnoop:1.0")
    ref = reg.ref("bindsnoop@" + digest)
    link_before = os.readlink("/dev/stdout")
    d = tempfile.mkdtemp(prefix="ecli-stdout-")
    try:
        for target in ("/dev/stdout", "/dev/fd/1"):
            out_file = os.path.join(d, "pkg.json")
            with open(out_file, "wb") as f:
                p = subprocess.run([ECLI, "pull", ref, "-o", target], stdout=f,
                                   stderr=subprocess.PIPE, timeout=60)
            check_equal(p.returncode, 0, "-o %s: exit status; stderr: %s" % (target, p.stderr))
            with open(out_file, "rb") as f:
                check(f.read() == PKG_BYTES, "-o %s: pkg.json holds the package" % target)
        check_equal(os.readlink("/dev/stdout"), link_before, "/dev/stdout is still the link")
        check_equal([f for f in os.listdir("/dev") if f.startswith("stdout.")], [],
                    "no temporary file left in /dev")
        victim, link = os.path.join(d, "victim"), os.path.join(d, "link")
        with open(victim, "wb") as f:
            f.write(b"mine")
        os.symlink(victim, link)
        _, err, status = run_ecli(["pull", ref, "-o", link])
        record_case("pull -o a symbolic link (not followed: root must not write where another "
                    "user's link points)", status, err.strip().replace(d, "DIR"))
        check_equal((status, err.strip()),
                    (2, "ecli: %s: is a symbolic link, which is not followed: give the file it "
                        "points to" % link), "a link is refused")
        with open(victim, "rb") as f:
            check_equal(f.read(), b"mine", "what the link points to is left as it was")
    finally:
        shutil.rmtree(d)


@test
def plain_http_from_another_machine_needs_plain_http():
    """What ecli loads as root is not fetched in plain http from another machine unless asked:
    refused before any connection (192.0.2.1 is TEST-NET-1: nothing answers there)."""
    p = subprocess.run([ECLI, "run", "http://192.0.2.1/x.json"], capture_output=True, timeout=30)
    record_case("an http:// URL of another machine, without --plain-http", p.returncode,
                p.stderr.decode().strip())
    check_equal((p.returncode, p.stderr.decode()),
                (2, "ecli: http://192.0.2.1/x.json: plain http from another machine: what ecli "
                    "loads could be changed on the way; use https, a #sha256= pin, or --plain-http\n"),
                "refused in one line")
    p = subprocess.run([ECLI, "run", "--plain-http", "--fetch-timeout", "1",
                        "http://192.0.2.1:9/x.json"], capture_output=True, timeout=30)
    check(p.returncode == 2 and "plain http" not in p.stderr.decode(),
          "--plain-http fetches it (and fails to connect): %r" % p.stderr)
    # loopback URLs, as every other fetch test uses, need no flag
    shows_tool_help([server().url("/bindsnoop.json")])


@test
def ctrl_c_stops_a_fetch_within_a_second():
    """A server that accepts and never answers: SIGINT ends `ecli run URL` at once (libcurl's
    progress callback looks at the stop flag), not after --fetch-timeout's 120 s."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held = []
    threading.Thread(target=lambda: held.append(server.accept()), daemon=True).start()
    url = "http://127.0.0.1:%d/x.json" % server.getsockname()[1]
    try:
        p = subprocess.Popen([ECLI, "run", url], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.time() + 10
        while not held and time.time() < deadline:  # the request is under way
            time.sleep(0.05)
        check(held, "ecli connected")
        time.sleep(0.3)
        sent = time.time()
        p.send_signal(signal.SIGINT)
        try:
            out, err = p.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            raise AssertionError("ecli still fetching 10 s after SIGINT")
        took = time.time() - sent
        record_case("Ctrl-C while a URL's server never answers (ends at once)", p.returncode,
                    err.decode().strip())
        check(took < 1.5, "ecli ended %.2f s after SIGINT (within a second or so)" % took)
        check_equal(p.returncode, 0, "a stop is a clean exit; stderr: %r" % err)
    finally:
        server.close()
        for c, _ in held:
            c.close()


@test
def push_again_uploads_nothing_new():
    """A blob the registry has (HEAD 200; here larger than any answer ecli reads) is not sent
    again, and the same package gets the same digest."""
    reg = registry()
    d = tempfile.mkdtemp(prefix="ecli-push-")
    try:
        big = os.path.join(d, "big.json")
        with open(big, "wb") as f:
            f.write(PKG_BYTES + b" " * (200 << 10) + b"\n")
        digest = pushed(reg, big, "big:1")
        out, err, status = run_ecli(["push", "-v", big, reg.ref("big:2")])
        check_equal((status, out.strip()), (0, digest), "second push; stderr: " + err)
        check("HEAD " in err and "POST " not in err, "the second push uploaded again: " + err)
    finally:
        shutil.rmtree(d)


@test
def push_from_a_url_and_a_registry():
    reg = registry()
    for src, dst in [(server().url("/bindsnoop.json"), "fromurl:1"),
                     (reg.ref("fromurl:1"), "copied:1")]:
        digest = pushed(reg, src, dst)
        p = subprocess.run([ECLI, "pull", reg.ref(dst.split(":")[0] + "@" + digest)],
                           capture_output=True, timeout=60)
        check(p.returncode == 0 and p.stdout == PKG_BYTES, "%s pushed from %s: pull %r"
              % (dst, src, p.stderr))


@test
def registry_unknown_digest_refused():
    reg = registry()
    pushed(reg, PKG, "bindsnoop:1.0")
    ref = reg.ref("bindsnoop@sha256:" + "0" * 64)
    refused([ref], ref + ": manifest: HTTP 404 Not Found (MANIFEST_UNKNOWN")


@test
def registry_unknown_tag_refused():
    ref = registry().ref("bindsnoop:nosuchtag")
    refused([ref], ref + ": manifest: HTTP 404")


@test
def registry_down_refused():
    ref = "127.0.0.1:%d/bindsnoop:1.0" % free_port()
    refused([ref], ref + ": manifest: cannot connect")
    out, err, status = run_ecli(["pull", ref])
    check_equal((status, out, len(err.splitlines())), (2, "", 1), "pull: " + err)


@test
def registry_corrupted_blob_refused():
    reg = registry()
    data = PKG_BYTES + b"\n"  # a package of its own: its blob is not shared with other tests
    d = tempfile.mkdtemp(prefix="ecli-corrupt-")
    try:
        src = os.path.join(d, "corrupt.json")
        with open(src, "wb") as f:
            f.write(data)
        digest = pushed(reg, src, "corrupt:1")
        shows_tool_help([reg.ref("corrupt:1")])
        blob = reg.blob_file(sha256(data))
        with open(blob, "r+b") as f:  # same length, one byte changed in the base64
            f.seek(len(data) // 2)
            c = f.read(1)
            f.seek(len(data) // 2)
            f.write(b"A" if c != b"A" else b"B")
        ref = reg.ref("corrupt@" + digest)
        refused([ref], ref + ": the package blob has digest", "the manifest says " + sha256(data))
        out_file = os.path.join(d, "out.json")
        _, err, status = run_ecli(["pull", ref, "-o", out_file])
        check_equal(status, 2, "pull exit status: " + err)
        check(not os.path.exists(out_file), "pull wrote a file")
        check_equal(sorted(os.listdir(d)), ["corrupt.json"], "files left")
    finally:
        shutil.rmtree(d)


@test
def push_refuses_what_is_not_a_package():
    reg = registry()
    d = tempfile.mkdtemp(prefix="ecli-push-")
    try:
        bad = os.path.join(d, "bad.json")
        with open(bad, "w") as f:
            f.write('{"meta": {}}')
        out, err, status = run_ecli(["push", bad, reg.ref("badpkg:1")])
        check_equal((status, out), (2, ""), "exit status, stdout; stderr: " + err)
        check(err.startswith("ecli: %s: package: " % bad) and len(err.splitlines()) == 1,
              "stderr: %r" % err)
        meta = json.loads(PKG_BYTES)
        meta["meta"]["tool"] = {"nmae": "x"}  # readable, but its meta is not
        with open(bad, "w") as f:
            json.dump(meta, f)
        out, err, status = run_ecli(["push", bad, reg.ref("badpkg:1")])
        check_equal((status, out), (2, ""), "exit status, stdout; stderr: " + err)
        check(err.startswith("ecli: %s: tool.nmae: unknown key" % bad), "stderr: %r" % err)
        catalog = json.loads(reg.get("/v2/_catalog"))
        check("badpkg" not in catalog.get("repositories", []), "uploaded: %r" % catalog)
    finally:
        shutil.rmtree(d)


@test
def push_to_a_digest_must_match():
    reg = registry()
    digest = pushed(reg, PKG, "bindsnoop:1.0")
    check_equal(pushed(reg, PKG, "bindsnoop@" + digest), digest, "push by its own digest")
    ref = reg.ref("bindsnoop@sha256:" + "1" * 64)
    out, err, status = run_ecli(["push", PKG, ref])
    check_equal((status, out), (2, ""), "exit status; stderr: " + err)
    check(("this package's manifest has digest " + digest) in err, "stderr: %r" % err)


@test
def bad_references_refused():
    for ref, want in [("localhost:5000/Upper:1", "repository \"Upper\""),
                      ("localhost:5000/x:bad!tag", "tag \"bad!tag\""),
                      ("localhost:5000/x@sha256:abc", "64 lowercase hex"),
                      ("localhost:5000/x@md5:" + "0" * 32, "only sha256"),
                      ("localhost:99999/x:1", "not an OCI reference")]:
        out, err, status = run_ecli(["pull", ref])
        check_equal((status, out), (2, ""), ref + ": exit status; stderr " + err)
        check(want in err and len(err.splitlines()) == 1, "%s: stderr %r" % (ref, err))
    refused(["localhost:5000/Upper:1"], "repository \"Upper\"")


# ---------------------------------------------------------------------------------------------
# A fake registry that lies


def fake(path, body, headers=()):
    Served.manifests[path] = (body, headers)
    Served.blobs[sha256(PKG_BYTES)] = PKG_BYTES


@test
def fake_registry_manifest_not_matching_its_digest_refused():
    s = server()
    good = fake_manifest()
    fake("/v2/fake/manifests/" + sha256(good), good)
    # the fake answers rightly (it signs nothing) ...
    shows_tool_help(["--insecure-skip-verify", s.ref("fake@" + sha256(good))])
    other = sha256(b"another manifest")
    fake("/v2/fake/manifests/" + other, good)  # ... and here with another digest's manifest
    ref = s.ref("fake@" + other)
    refused([ref], ref + ": the manifest the registry sent has digest " + sha256(good))
    out, err, status = run_ecli(["pull", ref])
    check_equal((status, out), (2, ""), "pull; stderr " + err)


@test
def fake_registry_manifest_with_layers_twice_refused():
    """A manifest giving "layers" twice: ecli read the first, the registry and Go and Python
    readers the last, so what ran could differ from what a reviewer saw (CVE-2021-41190's
    class). Refused, whichever layer is the package."""
    s = server()
    layer = json.loads(fake_manifest())["layers"][0]
    other = dict(layer, mediaType="application/octet-stream")
    for first, last in ((layer, other), (other, layer)):
        body = ('{"schemaVersion":2,"mediaType":"%s","config":{"mediaType":"%s","digest":"%s",'
                '"size":2},"layers":[%s],"layers":[%s]}'
                % (MANIFEST_TYPE, CONFIG_TYPE, sha256(b"{}"), json.dumps(first),
                   json.dumps(last))).encode()
        fake("/v2/twice/manifests/" + sha256(body), body)
        ref = s.ref("twice@" + sha256(body))
        err = refused(["--insecure-skip-verify", ref],
                      ref + ': manifest: (top level): key "layers" is given twice')
    record_case("a registry manifest giving \"layers\" twice (readers disagree on which counts)",
                2, re.sub(r"sha256:[0-9a-f]{64}", "sha256:DIGEST", err.strip()))


@test
def fake_registry_digest_header_must_match():
    s = server()
    good = fake_manifest()
    fake("/v2/fake/manifests/lying", good, [("Docker-Content-Digest", sha256(b"x"))])
    ref = s.ref("fake:lying")
    refused([ref], ref + ": the manifest received has digest " + sha256(good))


@test
def fake_registry_other_media_types_refused():
    s = server()
    fake("/v2/fake/manifests/image", fake_manifest(layer_type="application/vnd.oci.image.layer.v1.tar"))
    ref = s.ref("fake:image")
    refused([ref], ref + ": manifest: not an ecli package: layer media type "
            "application/vnd.oci.image.layer.v1.tar")
    fake("/v2/fake/manifests/index",
         fake_manifest(media_type="application/vnd.oci.image.index.v1+json"))
    refused([s.ref("fake:index")], "manifest: media type application/vnd.oci.image.index.v1+json")


@test
def fake_registry_layer_over_the_cap_refused_before_download():
    s = server()
    digest = sha256(b"huge")
    fake("/v2/fake/manifests/huge", fake_manifest(size=CAP + 1, digest=digest))
    ref = s.ref("fake:huge")
    refused([ref], ref + ": the package layer is %d bytes, over the 256 MiB" % (CAP + 1))
    check(not any(digest in p for p in Served.requests), "the blob was requested")


@test
def fake_registry_blob_of_the_wrong_size_refused():
    s = server()
    short = PKG_BYTES[:-10]
    Served.blobs[sha256(b"short")] = short
    fake("/v2/fake/manifests/short", fake_manifest(digest=sha256(b"short")))
    ref = s.ref("fake:short")
    refused([ref], ref + ": the package blob is %d bytes, the manifest says %d"
            % (len(short), len(PKG_BYTES)))


@test
def fetching_is_clean_under_valgrind():
    """Memcheck: a URL, a push, a pull and two refusals; no errors, no leaks."""
    reg = registry()
    digest = pushed(reg, PKG, "bindsnoop:1.0")
    vg = ["valgrind", "--leak-check=full", "--errors-for-leak-kinds=definite,indirect",
          "--error-exitcode=99", "-q", "--suppressions=" + os.path.join(ROOT, "tests", "valgrind.supp")]
    for args, want in [(["run", server().url("/redirect"), "-h"], 0),
                       (["push", PKG, reg.ref("vg:1")], 0),
                       (["pull", reg.ref("bindsnoop@" + digest)], 0),
                       (["run", server().url("/truncated.json")], 2),
                       (["run", reg.ref("bindsnoop@sha256:" + "0" * 64)], 2)]:
        p = subprocess.run(vg + [ECLI] + args, capture_output=True, timeout=120)
        check_equal(p.returncode, want, "%s under valgrind (99: errors); stderr: %s"
                    % (args, p.stderr.decode(errors="replace")))


# ---------------------------------------------------------------------------------------------
# Installed tool names and what counts as a path


def env_with(**kv):
    env = {k: v for k, v in os.environ.items() if k != "ECLI_PACKAGES"}
    env.update(kv)
    return env


@test
def name_found_in_ecli_packages():
    d = tempfile.mkdtemp(prefix="ecli-pkgs-")
    try:
        os.mkdir(os.path.join(d, "a"))
        os.mkdir(os.path.join(d, "b"))
        shutil.copy(PKG, os.path.join(d, "b", "bindsnoop.json"))
        shows_tool_help(["bindsnoop"], env=env_with(ECLI_PACKAGES="%s/a:%s/b" % (d, d)))
    finally:
        shutil.rmtree(d)


@test
def name_not_found_lists_where_it_looked():
    p = subprocess.run([ECLI, "run", "nosuchtool"], capture_output=True, timeout=30,
                       env=env_with(ECLI_PACKAGES="/nonexistent/one:/nonexistent/two"))
    err = p.stderr.decode()
    check_equal(p.returncode, 2, "exit status")
    check_equal(err, "ecli: nosuchtool: no installed package nosuchtool.json in "
                "$ECLI_PACKAGES (/nonexistent/one, /nonexistent/two)\n", "stderr")
    p = subprocess.run([ECLI, "run", "nosuchtool"], capture_output=True, timeout=30,
                       env=env_with())
    err = p.stderr.decode()
    check_equal(p.returncode, 2, "exit status")
    for where in [os.path.join(ROOT, "share", "ecli", "packages"), "/usr/share/ecli/packages",
                  "/usr/local/share/ecli/packages"]:
        check(where in err, "stderr %r lacks %r" % (err, where))


@test
def name_found_beside_an_installed_ecli():
    d = tempfile.mkdtemp(prefix="ecli-prefix-")
    try:
        os.makedirs(os.path.join(d, "bin"))
        os.makedirs(os.path.join(d, "share", "ecli", "packages"))
        shutil.copy(ECLI, os.path.join(d, "bin", "ecli"))
        shutil.copy(PKG, os.path.join(d, "share", "ecli", "packages", "bindsnoop.json"))
        shows_tool_help(["bindsnoop"], env=env_with(), exe=os.path.join(d, "bin", "ecli"))
    finally:
        shutil.rmtree(d)


@test
def name_with_a_broken_package_names_the_file():
    d = tempfile.mkdtemp(prefix="ecli-pkgs-")
    try:
        with open(os.path.join(d, "broken.json"), "w") as f:
            f.write("{")
        p = subprocess.run([ECLI, "run", "broken"], capture_output=True, timeout=30,
                           env=env_with(ECLI_PACKAGES=d))
        check_equal(p.returncode, 2, "exit status")
        check(p.stderr.decode().startswith("ecli: %s/broken.json: package: not valid JSON" % d),
              "stderr: %r" % p.stderr)
    finally:
        shutil.rmtree(d)


@test
def an_existing_file_is_a_path_whatever_it_looks_like():
    """A path with a / (or ending in .json) that exists is that file, whatever it looks like;
    a bare word is an installed tool, even with a file of that name in the working folder
    (another user's file there must not run as root): ./mytool runs the file. A missing path
    whose first folder exists here is a missing file, not a registry."""
    d = tempfile.mkdtemp(prefix="ecli-paths-")
    try:
        os.makedirs(os.path.join(d, "localhost:5000"))
        os.makedirs(os.path.join(d, "tools.d"))
        shutil.copy(PKG, os.path.join(d, "localhost:5000", "bindsnoop"))
        shutil.copy(PKG, os.path.join(d, "mytool"))
        shows_tool_help(["localhost:5000/bindsnoop"], env=env_with(), cwd=d)
        shows_tool_help(["./mytool"], env=env_with(ECLI_PACKAGES="/nonexistent"), cwd=d)
        p = subprocess.run([ECLI, "run", "mytool"], capture_output=True, cwd=d,
                           env=env_with(ECLI_PACKAGES="/nonexistent"))
        record_case("a tool's name, with a file of that name in the working folder (not run)",
                    p.returncode, p.stderr.decode().strip())
        check_equal((p.returncode, p.stderr.decode()),
                    (2, "ecli: mytool: no installed package mytool.json in $ECLI_PACKAGES "
                        "(/nonexistent); the file here runs as ./mytool\n"),
                    "a bare name is never the working folder's file")
        for missing in ("./missing.json", "tools.d/bindsnoop"):
            p = subprocess.run([ECLI, "run", missing], capture_output=True, cwd=d)
            check_equal((p.returncode, p.stderr.decode()),
                        (2, "ecli: %s: No such file or directory\n" % missing), "a missing path")
    finally:
        shutil.rmtree(d)


@live
def an_installed_package_others_can_change_is_not_run_as_root():
    """Run as root, an installed package (and its folder) must be root's and not writable by
    group or others."""
    d = tempfile.mkdtemp(prefix="ecli-pkgs-")
    try:
        path = os.path.join(d, "bindsnoop.json")
        shutil.copy(PKG, path)
        os.chmod(d, 0o755)
        os.chmod(path, 0o644)
        shows_tool_help(["bindsnoop"], env=env_with(ECLI_PACKAGES=d))
        for what, mode_of, owner in ((path, 0o666, None), (d, 0o777, None), (path, 0o644, 65534)):
            os.chmod(what, mode_of)
            if owner is not None:
                os.chown(what, owner, -1)
            p = subprocess.run([ECLI, "run", "bindsnoop", "-h"], capture_output=True,
                               timeout=30, env=env_with(ECLI_PACKAGES=d))
            if what == path and mode_of == 0o666:
                record_case("as root, an installed package others may write to", p.returncode,
                            p.stderr.decode().strip().replace(d, "DIR"))
            check_equal((p.returncode, p.stderr.decode()),
                        (2, "ecli: bindsnoop: %s is not root's, or its group or others may write "
                            "to it: an installed package runs as root only when root alone can "
                            "change it\n" % what), "refused: %s mode %o" % (what, mode_of))
            os.chmod(what, 0o755 if what == d else 0o644)
            os.chown(what, 0, -1)
    finally:
        shutil.rmtree(d)


# ---------------------------------------------------------------------------------------------
# Live: events from fetched packages


@live
def live_url_traces_a_bind():
    traces_a_bind([server().url("/bindsnoop.json")], "fetch-url")


@live
def live_redirect_traces_a_bind():
    traces_a_bind([server().url("/redirect2")], "fetch-redirect")


@live
def live_registry_tag_and_digest_trace_a_bind():
    reg = registry()
    digest = pushed(reg, PKG, "bindsnoop:1.0")
    traces_a_bind([reg.ref("bindsnoop:1.0")], "fetch-oci-tag")
    traces_a_bind(["localhost:%d/bindsnoop@%s" % (reg.port, digest)], "fetch-oci-digest")


@live
def live_installed_name_traces_a_bind():
    d = tempfile.mkdtemp(prefix="ecli-pkgs-")
    try:
        shutil.copy(PKG, os.path.join(d, "bindsnoop.json"))
        traces_a_bind(["bindsnoop"], "fetch-name", prefix=["env", "ECLI_PACKAGES=" + d])
    finally:
        shutil.rmtree(d)


if __name__ == "__main__":
    if not LIVE:
        print("live tests SKIPPED: %s" % ("SKIP_LIVE=1" if os.geteuid() == 0 else "not root"))
    try:
        status = run_all("fetch")
    finally:
        for r in _registry:
            r.stop()
        for s in _server:
            s.stop()
    sys.exit(status)
