# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Checks registry.py's registries with authentication (and without), by hand:

    /usr/bin/python3 tests/live/registry_auth_selftest.py

Only urllib talks to them. With htpasswd: /v2/ without credentials is 401 with a Basic
challenge, Basic credentials work, wrong ones are 401, a package-shaped push and pull work. With
token: the full flow (challenge, token request with Basic, bearer retry) pushes blobs and a
manifest and pulls them back; an anonymous token pulls a public repository and cannot push; a
wrong password is 401 from the issuer; the registry refuses forged, expired, mistargeted and
malformed tokens; every token variant (ES256/RS256, x5c/kid) is accepted. Prints the challenges
and a token answer. Exit status 0 when all pass.
"""
import base64
import hashlib
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from registry import Registry, parse_challenge  # noqa: E402

for _var in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
    os.environ.pop(_var, None)

USERS = {"alice": "secret", "bob": "hunter2"}
PUBLIC = "pub/app"
MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json"
CONFIG_TYPE = "application/vnd.ecli.package.config.v1+json"
PACKAGE_TYPE = "application/vnd.ecli.package.v1+json"
FAILED = []
CHECKED = []


def check(cond, what):
    print("  %s %s" % ("ok  " if cond else "FAIL", what))
    CHECKED.append(what)
    if not cond:
        FAILED.append(what)
    return cond


def sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def http(method, url, data=None, headers=None):
    """(status, headers, body) without raising for an error status."""
    rq = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(rq, timeout=10) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        with e:
            return e.code, e.headers, e.read()


def basic(user, password):
    return "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()


def claims_of(token):
    def part(p):
        return json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))
    h, c, _ = token.split(".")
    return part(h), part(c)


class Client:
    """A registry client the way ecli must be one: a request without credentials (or with
    Basic, for Basic challenges), and on a bearer challenge a token for its scope, from its
    realm, with Basic credentials when it has them, then the request again with the token.
    With a scope_key, the token got is kept under it and sent first the next time."""

    def __init__(self, base, user=None, password=None):
        self.base, self.user, self.password = base, user, password
        self.tokens = {}  # scope -> token
        self.last_challenge = self.last_answer = None

    def _auth(self, scope_key):
        if scope_key in self.tokens:
            return {"Authorization": "Bearer " + self.tokens[scope_key]}
        if self.user is not None and scope_key == "basic":
            return {"Authorization": basic(self.user, self.password)}
        return {}

    def token(self, challenge):
        params = parse_challenge(challenge)[1]
        query = [("service", params["service"])]
        query += [("scope", s) for s in params.get("scope", "").split(" ") if s]
        headers = {"Authorization": basic(self.user, self.password)} if self.user else {}
        status, _, body = http("GET", params["realm"] + "?" + urllib.parse.urlencode(query),
                               headers=headers)
        return status, body

    def request(self, method, path, data=None, headers=None, scope_key=None):
        url = path if path.startswith("http") else self.base + path
        headers = dict(headers or {})
        status, rh, body = http(method, url, data, dict(headers, **self._auth(scope_key)))
        if status != 401:
            return status, rh, body
        challenge = rh.get("WWW-Authenticate", "")
        self.last_challenge = challenge
        scheme = parse_challenge(challenge)[0]
        if scheme == "basic":
            if self.user is None or "Authorization" in headers:
                return status, rh, body
            return http(method, url, data, dict(headers, Authorization=basic(self.user,
                                                                             self.password)))
        tstatus, tbody = self.token(challenge)
        if tstatus != 200:
            return tstatus, {}, tbody  # the issuer's refusal
        answer = json.loads(tbody)
        self.last_answer = answer
        token = answer.get("token") or answer.get("access_token")
        key = scope_key or parse_challenge(challenge)[1].get("scope", "")
        self.tokens[key] = token
        return http(method, url, data, dict(headers, Authorization="Bearer " + token))


def push_blob(client, repo, data, key, chunked=False):
    digest = sha256(data)
    status, h, body = client.request("POST", "/v2/%s/blobs/uploads/" % repo, b"", scope_key=key)
    if not check(status == 202, "upload to %s started (%d %s)" % (repo, status, body[:200])):
        return None
    loc = h["Location"]
    if chunked:
        half = len(data) // 2
        status, h, body = client.request("PATCH", loc, data[:half], {
            "Content-Type": "application/octet-stream",
            "Content-Range": "0-%d" % (half - 1)}, scope_key=key)
        check(status == 202, "PATCH of the first half: %d" % status)
        loc, data = h["Location"], data[half:]
    sep = "&" if "?" in loc else "?"
    status, h, body = client.request("PUT", loc + sep + "digest=" + digest, data, {
        "Content-Type": "application/octet-stream"}, scope_key=key)
    check(status == 201, "blob PUT %d" % status)
    return h.get("Docker-Content-Digest")


def push_package(client, repo, tag, key=None):
    """A package-shaped artifact: a config blob, a layer blob (in two parts), a manifest."""
    config = json.dumps({"name": repo}).encode()
    layer = json.dumps({"package": repo, "padding": "x" * 3000}).encode()
    for blob, chunked in ((config, False), (layer, True)):
        got = push_blob(client, repo, blob, key, chunked)
        check(got == sha256(blob), "blob digest %s" % got)
    manifest = json.dumps({
        "schemaVersion": 2, "mediaType": MANIFEST_TYPE, "artifactType": PACKAGE_TYPE,
        "config": {"mediaType": CONFIG_TYPE, "digest": sha256(config), "size": len(config)},
        "layers": [{"mediaType": PACKAGE_TYPE, "digest": sha256(layer), "size": len(layer)}],
    }).encode()
    status, h, body = client.request("PUT", "/v2/%s/manifests/%s" % (repo, tag), manifest,
                                     {"Content-Type": MANIFEST_TYPE}, scope_key=key)
    check(status == 201, "manifest PUT %d %s" % (status, body[:200]))
    return manifest, layer


def pull_back(client, repo, tag, manifest, layer, key=None):
    status, _, body = client.request("GET", "/v2/%s/manifests/%s" % (repo, tag),
                                     headers={"Accept": MANIFEST_TYPE}, scope_key=key)
    check(status == 200 and body == manifest, "manifest pulled back (%d)" % status)
    status, _, body = client.request("GET", "/v2/%s/blobs/%s" % (repo, sha256(layer)),
                                     scope_key=key)
    check(status == 200 and body == layer, "layer pulled back (%d)" % status)


# ---------------------------------------------------------------------------------------------

def no_auth():
    print("== no auth (Registry())")
    reg = Registry()
    try:
        status, h, _ = http("GET", reg.url + "/v2/")
        check(status == 200, "GET /v2/ is 200 with no credentials")
        client = Client(reg.url)
        manifest, layer = push_package(client, "open/app", "1.0")
        pull_back(client, "open/app", "1.0", manifest, layer)
        check(reg.get("/v2/open/app/manifests/1.0", accept=MANIFEST_TYPE) == manifest,
              "reg.get() works as before")
        check(os.path.exists(reg.blob_file(sha256(layer))), "reg.blob_file() finds the layer")
        check(reg.token_requests == [], "no token requests")
    finally:
        reg.stop()
    check(not os.path.exists(reg.dir), "stop() removed its folder")


def htpasswd():
    print("== htpasswd")
    reg = Registry(auth="htpasswd", users=USERS)
    try:
        with open(os.path.join(reg.dir, "htpasswd")) as f:
            print("  htpasswd file: %s" % f.read().splitlines()[0])
        status, h, body = http("GET", reg.url + "/v2/")
        print("  WWW-Authenticate: %s" % h.get("WWW-Authenticate"))
        print("  body: %s" % body.decode().strip())
        check(status == 401 and h.get("WWW-Authenticate") == 'Basic realm="ecli test registry"',
              "anonymous GET /v2/ is 401 with a Basic challenge")
        status, _, _ = http("GET", reg.url + "/v2/", headers={
            "Authorization": basic("alice", "secret")})
        check(status == 200, "GET /v2/ with alice's Basic credentials is 200")
        for user, password in (("alice", "wrong"), ("mallory", "secret"), ("alice", "")):
            status, h, _ = http("GET", reg.url + "/v2/", headers={
                "Authorization": basic(user, password)})
            check(status == 401 and h.get("WWW-Authenticate", "").startswith("Basic "),
                  "GET /v2/ as %s:%r is 401 with the challenge again" % (user, password))
        status, h, _ = http("GET", reg.url + "/v2/", headers={"Authorization": "Bearer x"})
        check(status == 401, "a Bearer header is 401 on a Basic registry")

        client = Client(reg.url, "alice", "secret")
        manifest, layer = push_package(client, "alice/app", "1.0", key="basic")
        pull_back(client, "alice/app", "1.0", manifest, layer, key="basic")
        pull_back(Client(reg.url, "bob", "hunter2"), "alice/app", "1.0", manifest, layer,
                  key="basic")  # htpasswd has no per-repository rights
        status, _, _ = http("POST", reg.url + "/v2/alice/app/blobs/uploads/", b"")
        check(status == 401, "anonymous upload POST is 401")
        status, _, _ = http("GET", reg.url + "/v2/_catalog",
                            headers={"Authorization": basic("alice", "secret")})
        check(status == 200, "the catalog is open to any valid user")
        check(reg.get("/v2/alice/app/manifests/1.0", accept=MANIFEST_TYPE, user="alice")
              == manifest, "reg.get(user=...) sends Basic credentials")
        try:
            reg.get("/v2/alice/app/manifests/1.0")
            check(False, "reg.get() without a user is refused")
        except urllib.error.HTTPError as e:
            check(e.code == 401, "reg.get() without a user is refused (401)")
        check(reg.auth_header("alice") == {"Authorization": basic("alice", "secret")},
              "reg.auth_header('alice') is Basic")
    finally:
        reg.stop()


def token():
    print("== token (ES256, x5c)")
    reg = Registry(auth="token", users=USERS, public_repos=(PUBLIC,))
    try:
        status, h, body = http("GET", reg.url + "/v2/")
        print("  WWW-Authenticate: %s" % h.get("WWW-Authenticate"))
        check(status == 401 and h.get("WWW-Authenticate") ==
              'Bearer realm="%s",service="ecli-test-registry"' % reg.realm,
              "anonymous GET /v2/ is 401 with a bearer challenge (no scope)")
        for method, path in (("GET", "/v2/alice/app/manifests/1.0"),
                             ("HEAD", "/v2/alice/app/blobs/sha256:" + "0" * 64),
                             ("POST", "/v2/alice/app/blobs/uploads/"),
                             ("PUT", "/v2/alice/app/manifests/1.0"),
                             ("DELETE", "/v2/alice/app/manifests/1.0"),
                             ("POST", "/v2/bob/app/blobs/uploads/?mount=sha256:%s&from=alice/app"
                              % ("0" * 64)),
                             ("GET", "/v2/_catalog"),
                             ("GET", "/v2/alice/app/tags/list")):
            status, h, _ = http(method, reg.url + path, b"" if method in ("POST", "PUT") else None)
            print("  %s %s -> %d, WWW-Authenticate: %s" % (method, path, status,
                                                         h.get("WWW-Authenticate")))
            check(status == 401, "%s %s without a token is 401" % (method, path))

        # the full flow as alice: push, pull back
        alice = Client(reg.url, "alice", "secret")
        manifest, layer = push_package(alice, "alice/app", "1.0")
        answer = alice.last_answer
        print("  token answer: %s" % json.dumps(dict(answer, token=answer["token"][:40] + "...",
                                                     access_token="(the same)")))
        header, claims = claims_of(answer["token"])
        print("  JWT header: %s" % json.dumps(dict(header, x5c=["(%d chars)" % len(
            header["x5c"][0])])))
        print("  JWT claims: %s" % json.dumps(claims))
        check(answer["token"] == answer["access_token"] and answer["expires_in"] == 300
              and answer["issued_at"].endswith("Z"), "token answer fields")
        check(claims["access"] == [{"type": "repository", "name": "alice/app",
                                    "actions": ["pull", "push"]}]
              or claims["access"] == [{"type": "repository", "name": "alice/app",
                                       "actions": ["push", "pull"]}],
              "alice's token grants pull and push on alice/app")
        pull_back(Client(reg.url, "alice", "secret"), "alice/app", "1.0", manifest, layer)
        check(reg.get("/v2/alice/app/manifests/1.0", accept=MANIFEST_TYPE, user="alice")
              == manifest, "reg.get(user='alice') follows the challenge")
        client_reqs = reg.client_token_requests()
        check(client_reqs and all(r["credentials"] and r["user"] == "alice" and r["valid"]
                                  and r["status"] == 200 for r in client_reqs),
              "token_requests recorded alice's %d requests with credentials" % len(client_reqs))
        print("  a recorded request: %s" % client_reqs[0])

        # the upload session survives a 401 on PATCH and PUT
        hdr = reg.auth_header("alice", scope="repository:alice/app:pull,push")
        status, h, _ = http("POST", reg.url + "/v2/alice/app/blobs/uploads/", b"", hdr)
        loc = h["Location"]
        status, h, body = http("PATCH", loc, b"abc", {"Content-Type": "application/octet-stream"})
        print("  PATCH without a token -> %d, Connection: %s, WWW-Authenticate: %s"
              % (status, h.get("Connection"), h.get("WWW-Authenticate")))
        check(status == 401, "PATCH of an upload without a token is 401")
        status, h, _ = http("PATCH", loc, b"abc", dict(hdr, **{
            "Content-Type": "application/octet-stream"}))
        check(status == 202, "the same PATCH with the token is 202 (the session lives on)")
        put = h["Location"] + "&digest=" + sha256(b"abc")
        status, h, _ = http("PUT", put, b"")
        check(status == 401, "PUT without a token is 401")
        status, h, _ = http("PUT", put, b"", hdr)
        check(status == 201, "the same PUT with the token is 201")
        status, h, _ = http("DELETE", reg.url + "/v2/alice/app/blobs/" + sha256(b"abc"), None,
                            hdr)
        print("  DELETE with pull,push -> %d, %s" % (status, h.get("WWW-Authenticate")))
        check(status == 401 and 'error="insufficient_scope"' in h.get("WWW-Authenticate", ""),
              "DELETE needs the delete action: 401 insufficient_scope")

        # a cross-repository mount asks for two scopes in one parameter
        bob = Client(reg.url, "bob", "hunter2")
        status, h, _ = bob.request("POST", "/v2/bob/app/blobs/uploads/?mount=%s&from=alice/app"
                                   % sha256(layer), b"")
        check(status == 201, "bob mounts alice's layer (%d), scopes %s"
              % (status, reg.client_token_requests()[-1]["scopes"]))

        # the catalog
        status, h, _ = Client(reg.url, "alice", "secret").request("GET", "/v2/_catalog")
        print("  GET /v2/_catalog as alice -> %d, %s" % (status, h.get("WWW-Authenticate")))
        check(status == 401, "the catalog is granted to nobody (registry:catalog:*)")

        # anonymous: pull a public repository, not push to it; nothing else
        push_package(alice, PUBLIC, "1.0")
        pub_manifest = reg.get("/v2/%s/manifests/1.0" % PUBLIC, accept=MANIFEST_TYPE,
                               user="alice")
        anon = Client(reg.url)
        reg.token_requests.clear()
        status, h, body = anon.request("GET", "/v2/%s/manifests/1.0" % PUBLIC,
                                       headers={"Accept": MANIFEST_TYPE})
        check(status == 200 and body == pub_manifest, "anonymous pull of %s" % PUBLIC)
        r = reg.token_requests[-1]
        check(not r["credentials"] and r["user"] is None and r["valid"] is None
              and r["access"] == [{"type": "repository", "name": PUBLIC, "actions": ["pull"]}],
              "recorded as anonymous, granted pull")
        check(reg.get("/v2/%s/manifests/1.0" % PUBLIC, accept=MANIFEST_TYPE) == pub_manifest,
              "reg.get() anonymous on the public repository")
        status, h, body = anon.request("POST", "/v2/%s/blobs/uploads/" % PUBLIC, b"")
        print("  anonymous POST upload to %s -> %d, %s; token access %s"
              % (PUBLIC, status, h.get("WWW-Authenticate"), reg.token_requests[-1]["access"]))
        check(status == 401 and 'error="insufficient_scope"' in h.get("WWW-Authenticate", ""),
              "anonymous push to the public repository: 401 insufficient_scope")
        status, h, body = anon.request("GET", "/v2/alice/app/manifests/1.0",
                                       headers={"Accept": MANIFEST_TYPE})
        check(status == 401 and reg.token_requests[-1]["access"] == []
              and reg.token_requests[-1]["status"] == 200,
              "anonymous pull of a private repository: a token with no access, then 401")

        # bad credentials: 401 from the issuer
        for user, password in (("alice", "wrong"), ("mallory", "secret")):
            status, _, body = Client(reg.url, user, password).request(
                "GET", "/v2/alice/app/manifests/1.0")
            r = reg.token_requests[-1]
            print("  issuer for %s:%s -> %d %s" % (user, password, status, body.decode()))
            check(status == 401 and r["status"] == 401 and r["credentials"] and
                  r["user"] == user and r["valid"] is False,
                  "the issuer refuses %s:%s with 401 (recorded)" % (user, password))

        # the issuer's own checks
        q = reg.realm + "?service=%s&scope=%s&scope=%s" % (
            reg.service, "repository:alice/app:pull", "repository:bob/app:push")
        status, _, body = http("GET", q, headers={"Authorization": basic("alice", "secret")})
        check(status == 200 and claims_of(json.loads(body)["token"])[1]["access"] == [
            {"type": "repository", "name": "alice/app", "actions": ["pull"]},
            {"type": "repository", "name": "bob/app", "actions": ["push"]}],
            "two scope parameters, each granted what it asked")
        status, _, _ = http("GET", reg.realm + "?service=other&scope=repository:a:pull")
        check(status == 400, "a wrong service is 400")
        status, _, _ = http("GET", reg.realm + "?service=%s&scope=nonsense" % reg.service)
        check(status == 400, "a malformed scope is 400")
        reg.issuer.fields = ("access_token",)
        answer = reg.fetch_token("alice", scope="repository:alice/app:pull")
        check("token" not in answer and "access_token" in answer, "fields=('access_token',)")
        reg.issuer.fields = ("token", "access_token")

        # what the registry refuses
        iss = reg.issuer
        good = [{"type": "repository", "name": "alice/app", "actions": ["pull"]}]
        path = reg.url + "/v2/alice/app/manifests/1.0"

        def with_token(tok):
            return http("GET", path, headers={"Authorization": "Bearer " + tok,
                                              "Accept": MANIFEST_TYPE})

        status, _, _ = with_token(iss.make_token("alice", good))
        check(status == 200, "a token from make_token() works")
        status, _, _ = with_token(iss.make_token("alice", good, nbf=None, jti=None, sub=None,
                                                 iat=None))
        check(status == 200, "nbf, iat, jti and sub are optional to 2.8")
        status, _, _ = with_token(iss.make_token("alice", good, exp=int(time.time()) - 30))
        check(status == 200, "a token expired 30 s ago is still accepted (60 s of leeway)")
        for what, tok in (
                ("expired past the leeway", iss.make_token("alice", good, exp=0)),
                ("exp missing", iss.make_token("alice", good, exp=None)),
                ("aud as a list", iss.make_token("alice", good, aud=[iss.service])),
                ("another aud", iss.make_token("alice", good, aud="other")),
                ("another iss", iss.make_token("alice", good, iss="other")),
                ("a forged signature", iss.make_token("alice", good)[:-4] + "AAAA"),
                ("no x5c nor kid", iss.sign(claims_of(iss.make_token("alice", good))[1],
                                            {"x5c": None})),
                ("an unknown kid", iss.sign(claims_of(iss.make_token("alice", good))[1],
                                            {"x5c": None, "kid": "AAAA:BBBB"}))):
            status, h, _ = with_token(tok)
            check(status == 401 and 'error="invalid_token"' in h.get("WWW-Authenticate", ""),
                  "a token with %s: 401 invalid_token" % what)
    finally:
        reg.stop()
    check(not os.path.exists(reg.dir), "stop() removed its folder")
    try:
        http("GET", reg.realm + "?service=x")
        status = 0
    except (urllib.error.URLError, OSError):
        status = -1
    check(status == -1, "stop() stopped the issuer")


def token_variants():
    for alg, key_header in (("RS256", "x5c"), ("ES256", "kid"), ("RS256", "kid")):
        print("== token (%s, %s)" % (alg, key_header))
        reg = Registry(auth="token", users=USERS, token_alg=alg, token_key_header=key_header)
        try:
            hdr = reg.auth_header("alice", scope="repository:alice/app:pull")
            header, _ = claims_of(hdr["Authorization"].split(" ")[1])
            print("  JWT header: %s" % json.dumps(dict(header, x5c=["..."]) if "x5c" in header
                                                  else header))
            status, _, _ = http("GET", reg.url + "/v2/", headers=hdr)
            check(status == 200, "GET /v2/ with the token is 200")
            status, h, _ = http("GET", reg.url + "/v2/alice/app/tags/list", headers=hdr)
            check(status == 404, "a pull with it reaches the repository (404: none yet)")
            forged = hdr["Authorization"][:-4] + "AAAA"
            status, _, _ = http("GET", reg.url + "/v2/", headers={"Authorization": forged})
            check(status == 401, "a forged signature is 401")
        finally:
            reg.stop()


def main():
    no_auth()
    htpasswd()
    token()
    token_variants()
    if FAILED:
        print("%d FAILED:\n  %s" % (len(FAILED), "\n  ".join(FAILED)))
    print("registry-auth: %d passed, %d failed" % (len(CHECKED) - len(FAILED), len(FAILED)))
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
