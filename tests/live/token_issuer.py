# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""A token issuer for the distribution token flow, for a docker-registry started by a test with
`auth: token`: an HTTP server on 127.0.0.1 (a thread) that answers

    GET /token?service=SERVICE&scope=repository:NAME:pull,push[&scope=...]
        [Authorization: Basic base64(user:password)]

with {"token", "access_token", "expires_in", "issued_at"} (either token field can be left out
with `fields`). Valid users get what they ask of pull and push on any repository; an anonymous
request gets pull on the repositories in public_repos; anything else is left out of the token's
access list (an empty list is still a token, as real issuers give it: the registry then answers
insufficient_scope). Bad credentials get 401, a wrong or missing service or a malformed scope
400. A scope parameter may hold several scopes separated by spaces (the registry's challenge
for a cross-repository mount names two that way).

The token is a JWT the way docker-registry 2.8 verifies it (registry/auth/token/token.go):
  - header {"typ": "JWT", "alg": "ES256"|"RS256", and "x5c": [base64 DER of the signing
    certificate]} (the certificate is self-signed and is the registry's rootcertbundle), or,
    with key_header="kid", "kid": the libtrust fingerprint of that certificate's public key;
  - claims iss (= the registry's `issuer`), aud (= its `service`; a string: 2.8 decodes aud into
    a Go string, so a JSON array makes the token malformed), exp and nbf (both checked with 60 s
    of leeway; a missing nbf is 0, which passes), iat, sub, jti and access
    [{"type", "name", "actions"}];
  - ES256's signature is r||s (64 bytes), not DER; RS256's is PKCS#1 v1.5.

Every request is recorded in `requests` (a list that is only ever appended to or cleared): dicts
with method, path, query (raw), params (parse_qs), scopes, service, credentials (whether an
Authorization header came), scheme (its first word), user (the name in a Basic header, valid or
not), valid (whether the credentials were good: None without any), status and access (what the
token granted; None without a token) and helper (whether registry.py's helpers made it).
"""
import base64
import datetime
import hashlib
import http.server
import json
import threading
import time
import urllib.parse
import uuid

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import NameOID

ISSUER = "ecli-test-issuer"
SERVICE = "ecli-test-registry"
USER_ACTIONS = ("pull", "push")
ANONYMOUS_PUBLIC_ACTIONS = ("pull",)
HELPER_HEADER = "X-Ecli-Test-Helper"  # registry.py's own requests carry it ("helper": true)


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def libtrust_key_id(public_key):
    """docker/libtrust's fingerprint: sha256 of the DER SubjectPublicKeyInfo, first 240 bits,
    base32 in 12 groups of 4 joined by ':'."""
    der = public_key.public_bytes(serialization.Encoding.DER,
                                  serialization.PublicFormat.SubjectPublicKeyInfo)
    s = base64.b32encode(hashlib.sha256(der).digest()[:30]).decode().rstrip("=")
    return ":".join(s[i:i + 4] for i in range(0, len(s), 4))


def parse_scope(scope):
    """"repository:NAME:pull,push" -> ("repository", "NAME", ["pull", "push"]). The name may
    hold ':' (a host:port); the type ends at the first ':', the actions start after the last."""
    first, last = scope.find(":"), scope.rfind(":")
    if first <= 0 or last == first:
        raise ValueError("malformed scope %r" % scope)
    typ, name, actions = scope[:first], scope[first + 1:last], scope[last + 1:]
    if not name:
        raise ValueError("malformed scope %r" % scope)
    return typ, name, [a for a in actions.split(",") if a]


class TokenIssuer:
    def __init__(self, users=None, public_repos=(), alg="ES256", key_header="x5c", ttl=300,
                 issuer=ISSUER, service=SERVICE):
        if alg not in ("ES256", "RS256"):
            raise ValueError("alg must be ES256 or RS256")
        if key_header not in ("x5c", "kid"):
            raise ValueError("key_header must be x5c or kid")
        self.users = dict(users or {})
        self.public_repos = set(public_repos)
        self.alg, self.key_header = alg, key_header
        self.ttl = ttl  # seconds; a negative one makes expired tokens (past the 60 s leeway)
        self.fields = ("token", "access_token")  # which of the two the response carries
        self.issuer, self.service = issuer, service
        self.requests = []
        if alg == "ES256":
            self.key = ec.generate_private_key(ec.SECP256R1())
        else:
            self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ecli test token issuer")])
        now = datetime.datetime.now(datetime.timezone.utc)
        self.cert = (x509.CertificateBuilder()
                     .subject_name(name).issuer_name(name)
                     .public_key(self.key.public_key())
                     .serial_number(x509.random_serial_number())
                     .not_valid_before(now - datetime.timedelta(days=1))
                     .not_valid_after(now + datetime.timedelta(days=3650))
                     .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
                     .add_extension(x509.KeyUsage(True, False, False, False, False, True, False,
                                                  False, False), True)
                     .sign(self.key, hashes.SHA256()))
        self.cert_pem = self.cert.public_bytes(serialization.Encoding.PEM)
        self.key_id = libtrust_key_id(self.key.public_key())
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.issuer = self
        self.port = self._server.server_address[1]
        self.realm = "http://127.0.0.1:%d/token" % self.port
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.1}, daemon=True)
        self._thread.start()

    def write_cert(self, path):
        with open(path, "wb") as f:
            f.write(self.cert_pem)

    # -- tokens --------------------------------------------------------------------------------

    def sign(self, claims, header=None):
        """A compact JWS of these claims; header entries replace the default header's (None
        removes one)."""
        hdr = {"typ": "JWT", "alg": self.alg}
        if self.key_header == "x5c":
            hdr["x5c"] = [base64.b64encode(
                self.cert.public_bytes(serialization.Encoding.DER)).decode()]
        else:
            hdr["kid"] = self.key_id
        for k, v in (header or {}).items():  # None removes an entry
            if v is None:
                hdr.pop(k, None)
            else:
                hdr[k] = v
        signing_input = (b64url(json.dumps(hdr, separators=(",", ":")).encode()) + "." +
                         b64url(json.dumps(claims, separators=(",", ":")).encode()))
        data = signing_input.encode()
        if self.alg == "ES256":
            r, s = decode_dss_signature(self.key.sign(data, ec.ECDSA(hashes.SHA256())))
            sig = r.to_bytes(32, "big") + s.to_bytes(32, "big")
        else:
            sig = self.key.sign(data, padding.PKCS1v15(), hashes.SHA256())
        return signing_input + "." + b64url(sig)

    def make_token(self, user, access, now=None, **overrides):
        """A signed token for this user ("" for anonymous) with this access list
        ([{"type", "name", "actions"}]); overrides replace or add claims (None removes one)."""
        now = int(time.time() if now is None else now)
        claims = {"iss": self.issuer, "sub": user or "", "aud": self.service,
                  "exp": now + self.ttl, "nbf": now - 1, "iat": now,
                  "jti": uuid.uuid4().hex, "access": access}
        for k, v in overrides.items():
            if v is None:
                claims.pop(k, None)
            else:
                claims[k] = v
        return self.sign(claims)

    def grant(self, user, scopes):
        """The access list a token for this user (None: anonymous) gets for these scopes."""
        merged = {}  # (type, name) -> actions, in the order first asked
        for typ, name, actions in scopes:
            if typ != "repository":
                continue  # registry:catalog:* and the like: nobody gets them
            if user is not None:
                allowed = USER_ACTIONS
            elif name in self.public_repos:
                allowed = ANONYMOUS_PUBLIC_ACTIONS
            else:
                allowed = ()
            got = merged.setdefault((typ, name), [])
            for a in (allowed if "*" in actions else actions):
                if a in allowed and a not in got:
                    got.append(a)
        return [{"type": t, "name": n, "actions": a} for (t, n), a in merged.items() if a]

    # -- lifetime ------------------------------------------------------------------------------

    def stop(self):
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(10)
        self._server = None


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ecli-test-token-issuer"

    def log_message(self, *args):
        pass

    def _reply(self, status, body, record, headers=()):
        record["status"] = status
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _credentials(self, record):
        """None for an anonymous request, the user for good Basic credentials; False for bad."""
        auth = self.headers.get("Authorization")
        record["credentials"] = auth is not None
        if auth is None:
            return None
        scheme, _, rest = auth.strip().partition(" ")
        record["scheme"] = scheme
        if scheme.lower() != "basic":
            return False
        try:
            user, sep, password = base64.b64decode(rest.strip(), validate=True).decode() \
                .partition(":")
        except (ValueError, UnicodeDecodeError):
            return False
        record["user"] = user
        issuer = self.server.issuer
        if not sep or issuer.users.get(user) != password:
            return False
        return user

    def do_GET(self):
        issuer = self.server.issuer
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        record = {"method": self.command, "path": url.path, "query": url.query, "params": params,
                  "scopes": [], "service": None, "credentials": False, "scheme": None,
                  "user": None, "valid": None, "status": None, "access": None,
                  "helper": HELPER_HEADER in self.headers}
        issuer.requests.append(record)
        if url.path != "/token":
            return self._reply(404, {"details": "not found"}, record)
        user = self._credentials(record)
        record["valid"] = None if user is None else user is not False
        if user is False:
            return self._reply(401, {"details": "incorrect username or password"}, record)
        service = params.get("service", [None])[-1]
        record["service"] = service
        if service != issuer.service:
            return self._reply(400, {"details": "unknown service %r" % service}, record)
        scopes = []
        for param in params.get("scope", []):
            scopes.extend(s for s in param.split(" ") if s)
        record["scopes"] = scopes
        try:
            parsed = [parse_scope(s) for s in scopes]
        except ValueError as e:
            return self._reply(400, {"details": str(e)}, record)
        access = issuer.grant(user, parsed)
        record["access"] = access
        now = time.time()
        token = issuer.make_token(user, access, now=now)
        body = {f: token for f in issuer.fields}
        body["expires_in"] = issuer.ttl
        body["issued_at"] = datetime.datetime.fromtimestamp(int(now), datetime.timezone.utc) \
            .strftime("%Y-%m-%dT%H:%M:%SZ")
        self._reply(200, body, record)

    def do_POST(self):
        """The OAuth2 form (grant_type=password / refresh_token) is not offered: 404, which
        docker's clients take as "use GET"."""
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        url = urllib.parse.urlsplit(self.path)
        form = urllib.parse.parse_qs(body.decode(errors="replace"))
        form.pop("password", None)
        record = {"method": "POST", "path": url.path, "query": url.query, "params": form,
                  "scopes": [],
                  "service": None, "credentials": "Authorization" in self.headers,
                  "scheme": None, "user": None, "valid": None, "status": None, "access": None,
                  "helper": HELPER_HEADER in self.headers}
        self.server.issuer.requests.append(record)
        self._reply(404, {"details": "POST is not supported; use GET"}, record)
