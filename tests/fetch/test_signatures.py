# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Signed packages and registry logins.

What runs as root must be signed by a key the machine trusts. Packages are signed here three
ways: by `ecli push --sign`, by cosign_format.py (an independent implementation of cosign's
format, written from cosign's documentation, standing in for cosign, which Debian does not
package), and with cosign's own key files (tests/third_party/cosign). Each signature made by
one side is checked by the other. Debian's docker-registry serves them on 127.0.0.1, without
auth, with htpasswd (Basic) and with token auth (token_issuer.py issues the tokens).

ecli must refuse, in one line naming the reference and the keys it tried, with exit status 2
and nothing shown, a package that is unsigned, signed by another key, or changed after it was
signed; run it when signed by a trusted key; and say on every run what it runs. No test here
loads a program: -h shows the tool's help once the package passed (no root needed).
"""
import base64
import hashlib
import json
import re
import os
import shutil
import stat
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "live"))
from registry import Registry  # noqa: E402
from harness import (BANNER_END, ECLI, ROOT, check, check_equal, live_test, package,  # noqa: E402
                     record_case, run_all)
import cosign_format  # noqa: E402

test = live_test
for _var in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
             "REGISTRY_AUTH_FILE", "COSIGN_PASSWORD", "ECLI_KEYS"):
    os.environ.pop(_var, None)

PKG = package("bindsnoop")
OTHER_PKG = package("opensnoop")
with open(PKG, "rb") as f:
    PKG_BYTES = f.read()
TOOL_HELP = "usage: bindsnoop "
COSIGN = os.path.join(ROOT, "tests", "third_party", "cosign")

WORK = tempfile.mkdtemp(prefix="ecli-sig-")
# the machine's keys: a folder of public keys only its owner can change
KEYS_D = os.path.join(WORK, "keys.d")
os.makedirs(KEYS_D)
os.makedirs(os.path.join(WORK, "trusted"))
os.makedirs(os.path.join(WORK, "other"))
TRUSTED_KEY, TRUSTED_PUB = cosign_format.generate_key_pair(
    b"trusted", os.path.join(WORK, "trusted"), scrypt_n=32768)
OTHER_KEY, OTHER_PUB = cosign_format.generate_key_pair(
    b"other", os.path.join(WORK, "other"), scrypt_n=32768)
shutil.copy(TRUSTED_PUB, os.path.join(KEYS_D, "ci.pub"))
ZARF_KEY = os.path.join(COSIGN, "zarf", "cosign.key")  # cosign's key pair, password "test"
ZARF_PUB = os.path.join(COSIGN, "zarf", "cosign.pub")
AUTH_FILE = os.path.join(WORK, "auth.json")


def env(**kv):
    e = dict(os.environ, ECLI_KEYS=KEYS_D, REGISTRY_AUTH_FILE=AUTH_FILE,
             HOME=os.path.join(WORK, "home"))
    e.update(kv)
    return {k: v for k, v in e.items() if v is not None}


def ecli(args, password=None, stdin=None, **kv):
    p = subprocess.run([ECLI] + list(args), capture_output=True, timeout=60, input=stdin,
                       env=env(COSIGN_PASSWORD=password, **kv))
    return p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace"), p.returncode


def push(reg, ref, key=TRUSTED_KEY, password="trusted", pkg=PKG, **kv):
    args = ["push"] + (["--sign", key] if key else []) + [pkg, reg.ref(ref)]
    out, err, status = ecli(args, password=password, **kv)
    check_equal(status, 0, "push %s: exit status; stderr: %s" % (ref, err))
    return out.strip()


def runs(args, want_line=None, **kv):
    """ecli run ARGS -h passes verification and shows the tool's help; its stderr."""
    out, err, status = ecli(["run"] + list(args) + ["-h"], **kv)
    check_equal(status, 0, "exit status; stderr: " + err)
    check(TOOL_HELP in out, "no tool help: %r" % out[:200])
    if want_line:
        check(want_line in err, "stderr %r lacks %r" % (err, want_line))
    return err


def refused(args, *wants, case=None, **kv):
    """ecli run ARGS -h is refused before anything is shown: exit 2, one line."""
    out, err, status = ecli(["run"] + list(args) + ["-h"], **kv)
    check_equal((status, out), (2, ""), "exit status and stdout; stderr: " + err)
    check_equal(len(err.splitlines()), 1, "one line: %r" % err)
    check(BANNER_END not in err and TOOL_HELP not in err, "something was shown: %r" % err)
    for w in wants:
        check(w in err, "stderr %r lacks %r" % (err, w))
    if case:
        record_case(case, status, re.sub(r"sha256:[0-9a-f]{64}", "sha256:DIGEST",
                                         err.strip().replace(WORK, "DIR")))
    return err


_regs = {}


def registry(auth=None):
    if auth not in _regs:
        _regs[auth] = Registry(auth=auth, users={"alice": "wonderland"},
                               public_repos=("public/bindsnoop",))
    return _regs[auth]


# ---------------------------------------------------------------------------------------------
# Registries


@test
def unsigned_registry_package_refused_naming_the_keys():
    reg = registry()
    digest = push(reg, "plain/bindsnoop:1", key=None)
    ref = reg.ref("plain/bindsnoop:1")
    refused([ref], ref + ": " + digest + " is not signed", "keys tried: " + KEYS_D + "/ci.pub",
            "--insecure-skip-verify",
            case="a package from a registry that is not signed (refused by default)")
    out, err, status = ecli(["pull", ref, "-o", os.path.join(WORK, "x.json")])
    check_equal(status, 2, "pull exit status; stderr " + err)
    check(not os.path.exists(os.path.join(WORK, "x.json")), "pull wrote the file")


@test
def signed_package_runs_and_names_its_digest_and_key():
    reg = registry()
    digest = push(reg, "signed/bindsnoop:1")
    ref = reg.ref("signed/bindsnoop:1")
    for r in (ref, reg.ref("signed/bindsnoop@" + digest)):
        err = runs([r])
        check_equal(err.strip(), "ecli: %s: running %s, verified by key %s/ci.pub"
                    % (r, digest, KEYS_D), "the line saying what runs")


@test
def signed_by_another_key_refused_and_runs_with_that_key():
    reg = registry()
    digest = push(reg, "other/bindsnoop:1", key=OTHER_KEY, password="other")
    ref = reg.ref("other/bindsnoop:1")
    refused([ref], "none of the 1 signatures of " + digest + " verifies",
            case="a package from a registry signed by a key not trusted")
    runs(["--key", OTHER_PUB, ref], "verified by key " + OTHER_PUB)
    refused(["--key", TRUSTED_PUB, ref], "keys tried: %s/ci.pub, %s" % (KEYS_D, TRUSTED_PUB))


@test
def a_retagged_package_is_refused():
    """The trial's case: a tag pushed again with another package (unsigned, or signed by another
    key) no longer runs, where it ran the other package without a word."""
    reg = registry()
    push(reg, "tools/bindsnoop:1.0")
    ref = reg.ref("tools/bindsnoop:1.0")
    runs([ref])
    other = push(reg, "tools/bindsnoop:1.0", key=None, pkg=OTHER_PKG)
    refused([ref], other + " is not signed")
    push(reg, "tools/bindsnoop:1.0", key=OTHER_KEY, password="other", pkg=OTHER_PKG)
    refused([ref], "none of the 1 signatures of " + other + " verifies")


@test
def push_sign_is_verified_by_an_independent_implementation():
    """cosign_format.verify_image, written from cosign's documentation, accepts what ecli
    signs; a second signer's signature is added beside the first, as cosign does."""
    reg = registry()
    digest = push(reg, "indep/bindsnoop:1")
    base = "http://127.0.0.1:%d" % reg.port
    payloads = cosign_format.verify_image(base, "indep/bindsnoop", digest, TRUSTED_PUB)
    check_equal([p["critical"]["image"]["docker-manifest-digest"] for p in payloads], [digest],
                "payload digest")
    check_equal(payloads[0]["critical"]["identity"]["docker-reference"],
                reg.ref("indep/bindsnoop"), "docker-reference")
    try:
        cosign_format.verify_image(base, "indep/bindsnoop", digest, OTHER_PUB)
        raise AssertionError("verified with a key that did not sign")
    except AssertionError as e:
        check("verif" in str(e).lower() or "signature" in str(e).lower(), str(e))
    push(reg, "indep/bindsnoop:1", key=OTHER_KEY, password="other")
    cosign_format.verify_image(base, "indep/bindsnoop", digest, TRUSTED_PUB)
    cosign_format.verify_image(base, "indep/bindsnoop", digest, OTHER_PUB)
    runs([reg.ref("indep/bindsnoop:1")], "verified by key %s/ci.pub" % KEYS_D)
    runs(["--key", OTHER_PUB, reg.ref("indep/bindsnoop:1")])


@test
def a_signature_made_by_cosigns_format_is_accepted():
    """A signature made outside ecli (cosign_format.sign_image, as `cosign sign --key` does)
    is accepted; one made with another key is not."""
    reg = registry()
    digest = push(reg, "ci/bindsnoop:1", key=None)
    base = "http://127.0.0.1:%d" % reg.port
    other = cosign_format.load_private_key(OTHER_KEY, b"other")
    cosign_format.sign_image(base, "ci/bindsnoop", digest, other, reg.ref("ci/bindsnoop"))
    refused([reg.ref("ci/bindsnoop:1")], "none of the 1 signatures")
    trusted = cosign_format.load_private_key(TRUSTED_KEY, b"trusted")
    cosign_format.sign_image(base, "ci/bindsnoop", digest, trusted, reg.ref("ci/bindsnoop"))
    runs([reg.ref("ci/bindsnoop:1")], "verified by key %s/ci.pub" % KEYS_D)


@test
def cosigns_own_key_files_sign_and_verify():
    """zarf's cosign key pair (made by cosign's library): ecli opens the private key with its
    password and signs; its cosign.pub verifies; a wrong password is one line."""
    reg = registry()
    push(reg, "zarf/bindsnoop:1", key=ZARF_KEY, password="test")
    runs(["--key", ZARF_PUB, reg.ref("zarf/bindsnoop:1")], "verified by key " + ZARF_PUB)
    out, err, status = ecli(["push", "--sign", ZARF_KEY, PKG, reg.ref("zarf/bindsnoop:2")],
                            password="nope")
    check_equal((status, err.strip()),
                (2, "ecli: %s: wrong password (or a damaged key file)" % ZARF_KEY),
                "wrong password")
    out, err, status = ecli(["push", "--sign", ZARF_KEY, PKG, reg.ref("zarf/bindsnoop:2")])
    check_equal(status, 2, "no password, no terminal: stderr " + err)
    check("set COSIGN_PASSWORD" in err, err)
    p = subprocess.run([ECLI, "run", reg.ref("zarf/bindsnoop:2"), "-h"], capture_output=True,
                       env=env(), timeout=60)
    check_equal(p.returncode, 2, "nothing was pushed: " + p.stderr.decode())


@test
def a_changed_signature_is_refused():
    """The signature tag's annotation changed in the registry (one base64 character)."""
    reg = registry()
    digest = push(reg, "changed/bindsnoop:1")
    tag = "sha256-%s.sig" % digest.split(":")[1]
    accept = "application/vnd.oci.image.manifest.v1+json"
    m = json.loads(reg.get("/v2/changed/bindsnoop/manifests/" + tag, accept))
    ann = m["layers"][0]["annotations"]
    sig = ann["dev.cosignproject.cosign/signature"]
    ann["dev.cosignproject.cosign/signature"] = sig[:10] + ("A" if sig[10] != "A" else "B") + sig[11:]
    status, _, body = reg.request("PUT", "/v2/changed/bindsnoop/manifests/" + tag,
                                  json.dumps(m).encode(), {"Content-Type": accept})
    check_equal(status, 201, "the changed signature manifest was stored: %r" % body)
    refused([reg.ref("changed/bindsnoop:1")], "none of the 1 signatures of %s verifies" % digest)


@test
def the_key_password_is_asked_on_the_terminal_without_echo():
    """Without $COSIGN_PASSWORD, push --sign asks on the terminal (a pty here), echo off."""
    import pty
    reg = registry()
    args = [ECLI, "push", "--sign", TRUSTED_KEY, PKG, reg.ref("tty/bindsnoop:1")]
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(ECLI, args, env())
    seen = b""
    try:
        while b"Enter password for private key" not in seen:
            seen += os.read(fd, 1024)
        os.write(fd, b"trusted\n")
        while True:
            try:
                chunk = os.read(fd, 1024)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    text = seen.decode(errors="replace")
    check_equal(os.waitstatus_to_exitcode(status), 0, "exit status; terminal: %r" % text)
    after_prompt = text.split(TRUSTED_KEY + ": ", 1)[1]
    check(after_prompt.startswith("\r\nsha256:"), "the password was echoed: %r" % text)
    runs([reg.ref("tty/bindsnoop:1")], "verified by key")


@test
def insecure_skip_verify_runs_and_says_so_every_time():
    reg = registry()
    digest = push(reg, "skip/bindsnoop:1", key=None)
    ref = reg.ref("skip/bindsnoop:1")
    for _ in range(2):
        err = runs(["--insecure-skip-verify", ref])
        check_equal(err.strip(), "ecli: %s: running %s, NOT VERIFIED (--insecure-skip-verify)"
                    % (ref, digest), "the warning")


@test
def keys_others_can_change_are_refused():
    """A key in the keys folder anyone could have added proves nothing: the folder or key
    writable by group or others (or not root's, as root) is refused, not skipped."""
    reg = registry()
    push(reg, "perm/bindsnoop:1")
    ref = reg.ref("perm/bindsnoop:1")
    key = os.path.join(KEYS_D, "ci.pub")
    try:
        os.chmod(key, 0o664)
        refused([ref], key + ": ", "or its group or others may write to it",
                case="a key in the keys folder that others may change (refused)")
        os.chmod(key, 0o644)
        os.chmod(KEYS_D, 0o777)
        refused([ref], KEYS_D + ": ")
        os.chmod(KEYS_D, 0o755)
        link = os.path.join(KEYS_D, "link.pub")
        os.symlink(TRUSTED_PUB, link)
        try:
            refused([ref], link + ": is a symbolic link")
        finally:
            os.unlink(link)
        if os.geteuid() == 0:
            os.chown(key, 65534, 65534)
            refused([ref], key + ": is not root's")
            os.chown(key, 0, 0)
        runs([ref])
    finally:
        os.chmod(KEYS_D, 0o755)
        os.chmod(key, 0o644)


@test
def pull_saves_the_signature_and_run_checks_it_offline():
    reg = registry()
    digest = push(reg, "pull/bindsnoop:1")
    d = os.path.join(WORK, "pulled")
    os.makedirs(d, exist_ok=True)
    out_file = os.path.join(d, "b.json")
    _, err, status = ecli(["pull", reg.ref("pull/bindsnoop:1"), "-o", out_file])
    check_equal(status, 0, "pull: " + err)
    check("verified by key" in err and digest in err, "pull says what it verified: " + err)
    bundle = json.load(open(out_file + ".sig"))
    check_equal(bundle["mediaType"], "application/vnd.ecli.signature.v1+json", "FILE.sig")
    # offline: the registry is not asked
    runs([out_file], "ecli: %s: running sha256:%s, verified by key" % (
        out_file, hashlib.sha256(base64.b64decode(bundle["manifest"])).hexdigest()))
    with open(out_file, "ab") as f:
        f.write(b" ")
    refused([out_file], out_file + ": the package has digest",
            case="a pulled file changed after its signature was saved (FILE.sig)")
    with open(out_file, "wb") as f:
        f.write(PKG_BYTES)
    os.unlink(out_file + ".sig")
    check_equal(runs([out_file]).strip(), "", "a file without a signature runs quietly")
    # a pull that verifies nothing leaves no old signature beside the new file
    push(reg, "pull/unsigned:1", key=None, pkg=OTHER_PKG)
    shutil.copy(os.path.join(WORK, "pulled", "b.json"), os.path.join(d, "c.json"))
    with open(os.path.join(d, "c.json.sig"), "w") as f:
        f.write("stale")
    _, err, status = ecli(["pull", "--insecure-skip-verify", reg.ref("pull/unsigned:1"), "-o",
                           os.path.join(d, "c.json")])
    check_equal(status, 0, "pull: " + err)
    check(not os.path.exists(os.path.join(d, "c.json.sig")), "the stale signature is left")


# ---------------------------------------------------------------------------------------------
# URLs


class Blobs:
    """A tiny HTTP server of files in a folder."""

    def __init__(self):
        self.dir = os.path.join(WORK, "www")
        os.makedirs(self.dir, exist_ok=True)
        port_file = os.path.join(WORK, "www.port")
        self.proc = subprocess.Popen(
            [sys.executable, "-c",
             "import http.server,functools,sys,os\n"
             "h=functools.partial(http.server.SimpleHTTPRequestHandler,directory=sys.argv[1])\n"
             "h.func.log_message=lambda *a:None\n"
             "s=http.server.ThreadingHTTPServer(('127.0.0.1',0),h)\n"
             "open(sys.argv[2]+'.tmp','w').write(str(s.server_port));"
             "os.rename(sys.argv[2]+'.tmp',sys.argv[2])\n"
             "s.serve_forever()", self.dir, port_file])
        for _ in range(300):
            if os.path.exists(port_file):
                break
            __import__("time").sleep(0.05)
        self.port = int(open(port_file).read())

    def put(self, name, data):
        with open(os.path.join(self.dir, name), "wb") as f:
            f.write(data)
        return "http://127.0.0.1:%d/%s" % (self.port, name)

    def stop(self):
        self.proc.kill()
        self.proc.wait()


_blobs = []


def blobs():
    if not _blobs:
        _blobs.append(Blobs())
    return _blobs[0]


@test
def url_needs_a_signature_or_a_pin():
    b = blobs()
    url = b.put("u1.json", PKG_BYTES)
    refused([url], url + ": not signed: no URL.sig beside it, and no #sha256= pin",
            case="a package from a URL with neither URL.sig nor a #sha256= pin (refused)")
    trusted = cosign_format.load_private_key(TRUSTED_KEY, b"trusted")
    b.put("u1.json.sig", cosign_format.sign_blob(trusted, PKG_BYTES).encode() + b"\n")
    runs([url], "ecli: %s: running sha256:%s, verified by key %s/ci.pub"
         % (url, hashlib.sha256(PKG_BYTES).hexdigest(), KEYS_D))
    runs([url + "?v=1"], "verified by key")  # URL.sig is the file's name + .sig, query after
    other = cosign_format.load_private_key(OTHER_KEY, b"other")
    b.put("u1.json.sig", cosign_format.sign_blob(other, PKG_BYTES).encode())
    refused([url], url + ": the signature at URL.sig does not verify")
    b.put("u1.json.sig", cosign_format.sign_blob(trusted, PKG_BYTES + b" ").encode())
    refused([url], "does not verify")
    pin = url + "#sha256=" + hashlib.sha256(PKG_BYTES).hexdigest()
    runs([pin], "verified by the pinned digest")
    bad_pin = url + "#sha256=" + hashlib.sha256(b"x").hexdigest()
    refused([bad_pin], "not the pinned one; refused")
    refused([url + "#sha256=abc"], "#sha256= must be followed by 64 lowercase hex digits")


@test
def a_files_sign_blob_signature_is_checked():
    """FILE.sig in sign-blob's form beside a file: checked, with the keys, offline."""
    d = os.path.join(WORK, "files")
    os.makedirs(d, exist_ok=True)
    f = os.path.join(d, "b.json")
    shutil.copy(PKG, f)
    trusted = cosign_format.load_private_key(TRUSTED_KEY, b"trusted")
    with open(f + ".sig", "w") as s:
        s.write(cosign_format.sign_blob(trusted, PKG_BYTES))
    runs([f], "verified by key")
    with open(f, "ab") as x:
        x.write(b"\n")
    refused([f], f + ": the signature " + f + ".sig does not verify")
    runs(["--insecure-skip-verify", f], "NOT VERIFIED")


# ---------------------------------------------------------------------------------------------
# Logins


def login(reg, password="wonderland", user="alice", **kv):
    return ecli(["login", "-u", user, "--password-stdin", "127.0.0.1:%d" % reg.port],
                stdin=(password + "\n").encode(), **kv)


def auth_round_trip(auth):
    reg = registry(auth)
    host = "127.0.0.1:%d" % reg.port
    if os.path.exists(AUTH_FILE):
        os.unlink(AUTH_FILE)
    out, err, status = ecli(["push", "--sign", TRUSTED_KEY, PKG, reg.ref("alice/b:1")],
                            password="trusted")
    check_equal((status, err.strip().endswith("the registry needs a login: ecli login " + host)),
                (2, True), "push without a login: " + err)
    record_case("push to a registry that needs a login, with none (%s)" % auth, status,
                err.strip())
    out, err, status = login(reg, password="queen of hearts")
    check_equal(status, 2, "a wrong password: " + err)
    check("refused" in err, err)
    check(not os.path.exists(AUTH_FILE), "a refused login was saved")
    out, err, status = login(reg)
    check_equal(status, 0, "login: " + err)
    check_equal(stat.S_IMODE(os.stat(AUTH_FILE).st_mode), 0o600, "the login file's mode")
    saved = json.load(open(AUTH_FILE))["auths"][host]["auth"]
    check_equal(base64.b64decode(saved), b"alice:wonderland", "what login saved")
    digest = push(reg, "alice/b:1")
    runs([reg.ref("alice/b:1")], digest)
    _, err, status = ecli(["pull", reg.ref("alice/b:1"), "-o", os.path.join(WORK, "a.json")])
    check_equal(status, 0, "pull: " + err)
    out, err, status = ecli(["logout", host])
    check_equal(status, 0, "logout: " + err)
    check(host not in json.load(open(AUTH_FILE))["auths"], "logout left the login")
    refused([reg.ref("alice/b:1")], "the registry needs a login: ecli login " + host)
    # docker's file, where docker login writes it, is read too
    home = os.path.join(WORK, "home", ".docker")
    os.makedirs(home, exist_ok=True)
    with open(os.path.join(home, "config.json"), "w") as f:
        json.dump({"auths": {"http://" + host: {
            "auth": base64.b64encode(b"alice:wonderland").decode()}}}, f)
    try:
        runs([reg.ref("alice/b:1")], digest)
    finally:
        os.unlink(os.path.join(home, "config.json"))
    return reg


@test
def basic_auth_registry_with_stored_credentials():
    auth_round_trip("htpasswd")


@test
def token_auth_registry_with_stored_credentials():
    reg = auth_round_trip("token")
    users = {r["user"] for r in reg.client_token_requests()}
    check_equal(users, {None, "alice"}, "who asked the issuer for tokens")


@test
def token_registry_public_repository_anonymously():
    """Docker Hub's case: no login, an anonymous token for a public repository's pull."""
    reg = registry("token")
    login(reg)
    digest = push(reg, "public/bindsnoop:1")
    ecli(["logout", "127.0.0.1:%d" % reg.port])
    reg.token_requests.clear()
    runs([reg.ref("public/bindsnoop:1")], digest)
    asked = reg.client_token_requests()
    check(asked and all(r["user"] is None and r["status"] == 200 for r in asked),
          "anonymous tokens: %r" % asked)


@test
def signing_and_logins_are_clean_under_valgrind():
    """Memcheck over what this suite adds: a login and the token flow, push --sign (cosign's
    key opened), a verified pull saving FILE.sig, a verified file, and refusals; no errors,
    no leaks."""
    reg = registry("token")
    host = "127.0.0.1:%d" % reg.port
    vg = ["valgrind", "--leak-check=full", "--errors-for-leak-kinds=definite,indirect",
          "--error-exitcode=99", "-q",
          "--suppressions=" + os.path.join(ROOT, "tests", "valgrind.supp")]
    out_file = os.path.join(WORK, "vg.json")
    steps = [(["login", "-u", "alice", "--password-stdin", host], b"wonderland\n", 0),
             (["push", "--sign", ZARF_KEY, PKG, reg.ref("alice/vg:1")], None, 0),
             (["pull", "--key", ZARF_PUB, reg.ref("alice/vg:1"), "-o", out_file], None, 0),
             (["run", "--key", ZARF_PUB, out_file, "-h"], None, 0),
             (["run", reg.ref("alice/vg:1"), "-h"], None, 2),
             (["logout", host], None, 0),
             (["run", reg.ref("alice/vg:1"), "-h"], None, 2)]
    for args, stdin, want in steps:
        p = subprocess.run(vg + [ECLI] + args, capture_output=True, timeout=300, input=stdin,
                           env=env(COSIGN_PASSWORD="test"))
        check_equal(p.returncode, want, "%s under valgrind (99: errors); stderr: %s"
                    % (args, p.stderr.decode(errors="replace")))


@test
def login_checks_its_arguments():
    _, err, status = ecli(["login", "-u", "alice", "--password-stdin", "not a host"],
                          stdin=b"x\n")
    check_equal((status, err.strip()), (2, "ecli: login: 'not a host' is not a registry "
                                           "(HOST[:PORT], with a dot, a port or localhost)"),
                "bad host")
    _, err, status = ecli(["login", "--password-stdin", "127.0.0.1:1"], stdin=b"x\n")
    check_equal(status, 2, "no user and no terminal: " + err)
    check("-u USER" in err, err)
    _, err, status = ecli(["logout", "127.0.0.1:1"])
    check_equal(status, 2, "logout of what has no login: " + err)


if __name__ == "__main__":
    try:
        status = run_all("signatures")
    finally:
        for r in _regs.values():
            r.stop()
        for b in _blobs:
            b.stop()
        shutil.rmtree(WORK, ignore_errors=True)
    sys.exit(status)
