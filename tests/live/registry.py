# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Debian's docker-registry, started by a test on 127.0.0.1 at a free port with its storage in
a temporary folder, and stopped on every path (stop(), and at exit).

Registry() is open to all. Registry(auth="htpasswd", users={"alice": "secret"}) asks for Basic
credentials on every request, /v2/ included (`auth: htpasswd`, bcrypt hashes);
Registry(auth="token", users=..., public_repos=("pub/app",)) asks for a bearer token from a
token issuer (token_issuer.py) that this object starts and stops with it: users get pull and
push on every repository, anonymous requests pull on public_repos. reg.token_requests lists what
the issuer was asked (see token_issuer.py; entries with "helper" true are this module's own).
reg.get(), reg.request() and reg.auth_header() talk to it with credentials for tests.
"""
import atexit
import base64
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings

from binder import free_port

START_SECONDS = 30  # a loaded 2-core machine can take a while to start it
HTPASSWD_REALM = "ecli test registry"
HELPER_HEADER = "X-Ecli-Test-Helper"  # marks its own token requests (as token_issuer.py)


def bcrypt_hash(password):
    """A bcrypt hash ($2b$, cost 4: the least bcrypt allows, so the registry checks fast) of
    password, for htpasswd: libxcrypt's through Python's crypt module (deprecated, gone in 3.13),
    else apache2-utils' htpasswd."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            import crypt
        h = crypt.crypt(password, crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=1 << 4))
        if h and h.startswith("$2"):
            return h
    except ImportError:
        pass
    exe = shutil.which("htpasswd")
    if not exe:
        raise AssertionError("no bcrypt: Python's crypt module is missing or lacks blowfish, "
                             "and htpasswd (apache2-utils) is not installed")
    out = subprocess.run([exe, "-niBC", "4", "user"], input=password.encode(),
                         capture_output=True, check=True).stdout.decode()
    return out.strip().split(":", 1)[1]


def basic_header(user, password):
    return "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()


def parse_challenge(header):
    """'Bearer realm="x",service="y",scope="a b"' -> ("bearer", {"realm": "x", ...})."""
    scheme, _, rest = header.strip().partition(" ")
    params = {}
    for m in re.finditer(r'([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))', rest):
        value = m.group(2) if m.group(2) is not None else m.group(3)
        params[m.group(1).lower()] = re.sub(r"\\(.)", r"\1", value)
    return scheme.lower(), params


class Registry:
    def __init__(self, auth=None, users=None, public_repos=(), token_alg="ES256",
                 token_key_header="x5c", token_ttl=300):
        if auth not in (None, "htpasswd", "token"):
            raise ValueError("auth must be None, 'htpasswd' or 'token'")
        exe = shutil.which("docker-registry") or "/usr/bin/docker-registry"
        if not os.path.exists(exe):
            raise AssertionError("docker-registry is not installed (make deps installs it)")
        self.auth = auth
        self.users = dict(users or {})
        self.public_repos = tuple(public_repos)
        self.issuer = None
        self.token_requests = []  # the issuer's list when auth="token"
        self.realm = self.service = None
        self.proc = self.log = None
        self.dir = tempfile.mkdtemp(prefix="ecli-registry-")
        atexit.register(self.stop)
        try:
            self._start(exe, token_alg, token_key_header, token_ttl)
        except BaseException:
            self.stop()
            raise

    def _start(self, exe, token_alg, token_key_header, token_ttl):
        self.storage = os.path.join(self.dir, "storage")
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        auth_config = ""
        if self.auth == "htpasswd":
            self.realm = HTPASSWD_REALM
            htpasswd = os.path.join(self.dir, "htpasswd")
            with open(htpasswd, "w") as f:  # an empty file is no users (a missing one would
                for user, password in self.users.items():  # be made with a random "docker")
                    f.write("%s:%s\n" % (user, bcrypt_hash(password)))
            auth_config = "auth:\n  htpasswd:\n    realm: %s\n    path: %s\n" % (
                json.dumps(self.realm), json.dumps(htpasswd))
        elif self.auth == "token":
            from token_issuer import TokenIssuer
            self.issuer = TokenIssuer(self.users, self.public_repos, alg=token_alg,
                                      key_header=token_key_header, ttl=token_ttl)
            self.token_requests = self.issuer.requests
            self.realm, self.service = self.issuer.realm, self.issuer.service
            bundle = os.path.join(self.dir, "issuer.pem")
            self.issuer.write_cert(bundle)
            auth_config = ("auth:\n  token:\n    realm: %s\n    service: %s\n    issuer: %s\n"
                           "    rootcertbundle: %s\n" % tuple(json.dumps(v) for v in (
                               self.realm, self.service, self.issuer.issuer, bundle)))
        config = os.path.join(self.dir, "config.yml")
        with open(config, "w") as f:
            f.write("version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\n"
                    "storage:\n  filesystem:\n    rootdirectory: %s\n  delete:\n"
                    "    enabled: true\nhttp:\n  addr: 127.0.0.1:%d\n" % (self.storage, self.port))
            f.write(auth_config)
        self.log_path = os.path.join(self.dir, "log")
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([exe, "serve", config], stdout=self.log, stderr=self.log)
        self._wait_until_it_answers()

    def _wait_until_it_answers(self):
        deadline = time.time() + START_SECONDS
        while True:
            try:
                urllib.request.urlopen("http://127.0.0.1:%d/v2/" % self.port, timeout=1).read()
                return
            except urllib.error.HTTPError as e:
                e.close()
                if e.code == 401:  # it answers, asking for credentials
                    return
                err = e
            except (urllib.error.URLError, OSError) as e:
                err = e
            if self.proc.poll() is None and time.time() < deadline:
                time.sleep(0.1)
                continue
            said = self.log_tail()
            self.stop()
            raise AssertionError("docker-registry did not start within %d s (exit %s; %s): %s"
                                 % (START_SECONDS, self.proc.returncode, err, said))

    def ref(self, rest):
        return "127.0.0.1:%d/%s" % (self.port, rest)

    def log_tail(self, size=500):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()[-size:]
        except OSError:
            return ""

    # -- talking to it with credentials --------------------------------------------------------

    def _password(self, user, password):
        if user is not None and password is None:
            password = self.users[user]
        return password

    def fetch_token(self, user=None, password=None, scope=None, service=None):
        """The issuer's JSON answer for these scopes (a string, or a list of them; each becomes
        a scope parameter) with these credentials (user only: its password from users; no user:
        anonymous); urllib.error.HTTPError on a 4xx. Recorded with "helper": true."""
        if self.issuer is None:
            raise AssertionError("this registry has no token issuer (auth=%r)" % self.auth)
        password = self._password(user, password)
        scopes = [scope] if isinstance(scope, str) else list(scope or ())
        query = [("service", service or self.service)] + [("scope", s) for s in scopes]
        rq = urllib.request.Request(self.realm + "?" + urllib.parse.urlencode(query))
        rq.add_header(HELPER_HEADER, "1")
        if user is not None:
            rq.add_header("Authorization", basic_header(user, password))
        with urllib.request.urlopen(rq, timeout=10) as r:
            return json.loads(r.read())

    def auth_header(self, user=None, password=None, scope=None):
        """Headers ({} or {"Authorization": ...}) for a request to the registry as this user
        (password from users when left out; no user: anonymous): Basic for htpasswd, a bearer
        token for these scopes (e.g. "repository:alice/app:pull") for token."""
        if self.auth == "htpasswd" and user is not None:
            return {"Authorization": basic_header(user, self._password(user, password))}
        if self.auth == "token":
            answer = self.fetch_token(user, password, scope)
            return {"Authorization": "Bearer " + (answer.get("token") or answer["access_token"])}
        return {}

    def _open(self, method, path, data=None, headers=None, user=None, password=None):
        """urlopen of path on the registry, answering a bearer challenge once: a token for its
        scope, from the issuer, with these credentials. HTTPError for a 4xx or 5xx."""
        headers = dict(headers or {})
        if self.auth == "htpasswd":
            headers.update(self.auth_header(user, password))

        def once(extra):
            rq = urllib.request.Request(self.url + path, data=data, method=method,
                                        headers=dict(headers, **extra))
            return urllib.request.urlopen(rq, timeout=10)

        try:
            return once({})
        except urllib.error.HTTPError as e:
            challenge = e.headers.get("WWW-Authenticate", "")
            if e.code != 401 or self.auth != "token" or not challenge.lower().startswith("bearer"):
                raise
            e.close()
        params = parse_challenge(challenge)[1]
        scope = params.get("scope", "").split(" ") if params.get("scope") else []
        return once(self.auth_header(user, password, scope))

    def request(self, method, path, data=None, headers=None, user=None, password=None):
        """(status, headers, body) of a request to path ("/v2/..."), with credentials as
        for get(); no exception for an HTTP error status (an issuer's refusal of the
        credentials comes back as its own 401 and JSON body)."""
        try:
            with self._open(method, path, data, headers, user, password) as r:
                return r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            with e:
                return e.code, e.headers, e.read()

    def get(self, path, accept=None, user=None, password=None):
        """The body at path; HTTPError for an error status. With auth, as user (password from
        users when left out), or anonymous."""
        headers = {"Accept": accept} if accept else {}
        with self._open("GET", path, headers=headers, user=user, password=password) as r:
            return r.read()

    def client_token_requests(self):
        """What the issuer was asked by others than this module."""
        return [r for r in self.token_requests if not r.get("helper")]

    def blob_file(self, digest):
        hexd = digest.split(":")[1]
        return os.path.join(self.storage, "docker", "registry", "v2", "blobs", "sha256",
                            hexd[:2], hexd, "data")

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.log is not None and not self.log.closed:
            self.log.close()
        if self.issuer is not None:
            self.issuer.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
