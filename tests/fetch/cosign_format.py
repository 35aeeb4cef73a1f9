# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""An independent implementation of cosign's key and signature formats, for tests.

Written independently, from the formats as cosign's specification and the public sources of
cosign and its libraries describe them (read for understanding; no code copied). It follows:

- Cosign signature spec: https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md
  (tag-based discovery "sha256-<hex>.sig", OCI image manifest, one layer per signature, media
  type application/vnd.dev.cosign.simplesigning.v1+json, base64 signature in the layer
  annotation "dev.cosignproject.cosign/signature", critical.identity.docker-reference ignored).
- Simple signing payload: containers/image docs/containers-signature.5.md ("JSON data format"),
  with cosign's critical.type "cosign container image signature" and sigstore's
  pkg/signature/payload (field set and order; "optional" is null when there are no
  annotations).
- The encrypted private key: the "encrypted" package of go-securesystemslib (formerly go-tuf):
  JSON {"kdf":{"name":"scrypt","params":{"N","r","p"},"salt"},"cipher":{"name":
  "nacl/secretbox","nonce"},"ciphertext"} with []byte fields in padded standard base64, inside
  a PEM block "ENCRYPTED SIGSTORE PRIVATE KEY" (cosign >= 2.0.1) or "ENCRYPTED COSIGN PRIVATE
  KEY" (older); the plaintext is the PKCS#8 DER of the key; scrypt gives the 32-byte secretbox
  key; secretbox (XSalsa20-Poly1305, NaCl) output is the 16-byte Poly1305 tag followed by the
  ciphertext, i.e. libsodium's crypto_secretbox_easy layout (PyNaCl's SecretBox).
- The public key: PEM "PUBLIC KEY" holding the PKIX SubjectPublicKeyInfo DER.
- Signatures: ECDSA P-256 over SHA-256 of the payload, ASN.1 DER, base64 (standard, padded).
- The signature image's config: go-containerregistry's v1.ConfigFile for an empty image with
  one history entry and one rootfs diff_id per signature layer, marshalled by Go's
  encoding/json (struct field order, maps sorted, no spaces, "<>&" escaped).
- OCI distribution spec (blob upload by POST + PUT ?digest=, manifests by tag).

Versions: cosign >= 2.2.0 writes N=65536 and reads N in {32768, 65536, 131072} (r=8, p=1);
cosign < 2.2.0 writes and reads N=32768 only; the SIGSTORE label is written from 2.0.1 on. The
".sig" tag format is cosign 1.x/2.x's default and cosign 3's with --new-bundle-format=false;
cosign 3's verify falls back to it when the image has no Sigstore bundle.

The registry functions speak plain HTTP to a registry such as Debian's docker-registry on
127.0.0.1, with optional extra headers (e.g. Authorization). No Rekor, Fulcio or TSA.
"""
import base64
import hashlib
import json
import os
import urllib.error
import urllib.parse
import urllib.request

import nacl.exceptions
import nacl.secret
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

# --- names ------------------------------------------------------------------------------------
SIGSTORE_PEM_TYPE = "ENCRYPTED SIGSTORE PRIVATE KEY"  # written by cosign >= 2.0.1
COSIGN_PEM_TYPE = "ENCRYPTED COSIGN PRIVATE KEY"  # written by cosign 1.x / 2.0.0; still read
PUBLIC_PEM_TYPE = "PUBLIC KEY"
KEY_FILE = "cosign.key"
PUB_FILE = "cosign.pub"

KDF_NAME = "scrypt"
CIPHER_NAME = "nacl/secretbox"
SALT_SIZE = 32
NONCE_SIZE = 24
BOX_KEY_SIZE = 32
# scrypt parameters: cosign >= 2.2.0 writes N=2^16 and reads exactly these three (r=8, p=1);
# older cosign wrote and read only N=2^15.
SCRYPT_N_LEGACY = 32768
SCRYPT_N_STANDARD = 65536
SCRYPT_N_OWASP = 131072
SCRYPT_R = 8
SCRYPT_P = 1
READABLE_SCRYPT_N = (SCRYPT_N_LEGACY, SCRYPT_N_STANDARD, SCRYPT_N_OWASP)
DEFAULT_SCRYPT_N = SCRYPT_N_STANDARD

SIMPLE_SIGNING_MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json"
SIGNATURE_TYPE = "cosign container image signature"
SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
SIGNATURE_SUFFIX = "sig"
MAX_LAYERS = 1000  # cosign refuses a signature image with more layers
ZERO_TIME = "0001-01-01T00:00:00Z"  # Go's time.Time{} in JSON
HTTP_TIMEOUT = 30


# --- Go encoding/json, for the bytes cosign would write ---------------------------------------
def go_json(value):
    """Compact JSON as Go's json.Marshal writes it, for the values used here: the key order of
    the dicts given (callers put struct fields in order and sort maps), no spaces, UTF-8, and
    '<', '>', '&', U+2028, U+2029 escaped as \\u003c and so on."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text.encode("utf-8")


def _sorted_map(value):
    """A Go map[string]any: keys sorted at every level."""
    if isinstance(value, dict):
        return {k: _sorted_map(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted_map(v) for v in value]
    return value


def _go_get(obj, name, default=None):
    """A JSON object's field as Go's json.Unmarshal fills a struct field: the exact key, or
    else a key equal to it ignoring case (the last such key wins, as Go assigns in order)."""
    if not isinstance(obj, dict):
        return default
    if name in obj:
        return obj[name]
    found = default
    for k, v in obj.items():
        if k.lower() == name.lower():
            found = v
    return found


def _go_b64decode(text):
    """Go's base64.StdEncoding.DecodeString: padded standard alphabet; '\\r' and '\\n' ignored."""
    if isinstance(text, bytes):
        text = text.decode("ascii")
    text = text.replace("\r", "").replace("\n", "")
    return base64.b64decode(text, validate=True)


def _b64(data):
    return base64.b64encode(data).decode("ascii")


# --- PEM --------------------------------------------------------------------------------------
def pem_encode(pem_type, der):
    """Go's pem.EncodeToMemory: 64-column base64, a newline after every line."""
    body = base64.b64encode(der).decode("ascii")
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return ("-----BEGIN %s-----\n%s\n-----END %s-----\n"
            % (pem_type, "\n".join(lines), pem_type)).encode("ascii")


def pem_decode(data):
    """(type, bytes) of the first PEM block in data, as Go's pem.Decode finds it: text before
    it is skipped, and so are RFC 1421 "Name: value" header lines. Raises ValueError when there
    is no block."""
    if isinstance(data, bytes):
        data = data.decode("ascii", errors="replace")
    lines = data.replace("\r\n", "\n").split("\n")
    for i, line in enumerate(lines):
        if not (line.startswith("-----BEGIN ") and line.rstrip().endswith("-----")):
            continue
        pem_type = line.rstrip()[len("-----BEGIN "):-len("-----")]
        end = "-----END %s-----" % pem_type
        body = []
        for rest in lines[i + 1:]:
            if rest.rstrip() == end:
                break
            body.append(rest.strip())
        else:
            continue
        if body and ":" in body[0]:  # headers, up to a blank line
            body = body[body.index(""):] if "" in body else []
        try:
            return pem_type, base64.b64decode("".join(body), validate=True)
        except (ValueError, base64.binascii.Error):
            continue
    raise ValueError("invalid pem block")


# --- the encrypted private key ----------------------------------------------------------------
def _scrypt(password, salt, n, r=SCRYPT_R, p=SCRYPT_P):
    return hashlib.scrypt(password, salt=salt, n=n, r=r, p=p, dklen=BOX_KEY_SIZE,
                          maxmem=256 * r * n + (1 << 20))


def encrypt_private_key_der(der, password, scrypt_n=DEFAULT_SCRYPT_N):
    """The JSON document cosign puts in the encrypted PEM block, for plaintext der."""
    if scrypt_n not in READABLE_SCRYPT_N:
        raise ValueError("cosign reads only scrypt N in %s" % (READABLE_SCRYPT_N,))
    salt = os.urandom(SALT_SIZE)
    nonce = os.urandom(NONCE_SIZE)
    key = _scrypt(password, salt, scrypt_n)
    # SecretBox.encrypt returns nonce || tag || ciphertext; cosign stores tag || ciphertext.
    boxed = nacl.secret.SecretBox(key).encrypt(der, nonce).ciphertext
    doc = {"kdf": {"name": KDF_NAME,
                   "params": {"N": scrypt_n, "r": SCRYPT_R, "p": SCRYPT_P},
                   "salt": _b64(salt)},
           "cipher": {"name": CIPHER_NAME, "nonce": _b64(nonce)},
           "ciphertext": _b64(boxed)}
    return go_json(doc)


def decrypt_private_key_der(doc, password, readable_n=READABLE_SCRYPT_N):
    """The plaintext of cosign's encrypted-key JSON. Raises ValueError (wrong password, unknown
    kdf or cipher, scrypt parameters cosign would refuse, bad base64 or nonce size)."""
    try:
        data = json.loads(doc)
    except (ValueError, UnicodeDecodeError) as e:
        raise ValueError("encrypted key is not JSON: %s" % e) from None
    kdf, cipher = _go_get(data, "kdf", {}), _go_get(data, "cipher", {})
    if _go_get(kdf, "name") != KDF_NAME:
        raise ValueError("encrypted: unknown kdf name %r" % _go_get(kdf, "name"))
    if _go_get(cipher, "name") != CIPHER_NAME:
        raise ValueError("encrypted: unknown cipher name %r" % _go_get(cipher, "name"))
    params = _go_get(kdf, "params", {})
    n, r, p = (_go_get(params, "N"), _go_get(params, "r"), _go_get(params, "p"))
    if (not all(type(v) is int for v in (n, r, p))  # Go decodes them into ints
            or n not in readable_n or r != SCRYPT_R or p != SCRYPT_P):
        raise ValueError("unsupported scrypt parameters N=%r r=%r p=%r" % (n, r, p))
    try:
        salt = _go_b64decode(_go_get(kdf, "salt") or "")
        nonce = _go_b64decode(_go_get(cipher, "nonce") or "")
        boxed = _go_b64decode(_go_get(data, "ciphertext") or "")
    except (ValueError, TypeError, AttributeError, base64.binascii.Error) as e:
        raise ValueError("encrypted key: bad base64: %s" % e) from None
    if len(nonce) != NONCE_SIZE:
        raise ValueError("encrypted: incorrect nonce size")
    key = _scrypt(password, salt, n)
    try:
        return nacl.secret.SecretBox(key).decrypt(boxed, nonce)
    except nacl.exceptions.CryptoError:
        raise ValueError("encrypted: decryption failed (wrong password?)") from None


def encrypted_key_pem(private_key, password, legacy=False, scrypt_n=None):
    """cosign.key's bytes for private_key (a cryptography private key)."""
    if scrypt_n is None:
        scrypt_n = SCRYPT_N_LEGACY if legacy else DEFAULT_SCRYPT_N
    der = private_key.private_bytes(serialization.Encoding.DER,
                                    serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
    return pem_encode(COSIGN_PEM_TYPE if legacy else SIGSTORE_PEM_TYPE,
                      encrypt_private_key_der(der, password, scrypt_n))


def public_key_pem(public_key):
    """cosign.pub's bytes: PEM "PUBLIC KEY" of the PKIX DER."""
    der = public_key.public_bytes(serialization.Encoding.DER,
                                  serialization.PublicFormat.SubjectPublicKeyInfo)
    return pem_encode(PUBLIC_PEM_TYPE, der)


def generate_key_pair(password, directory, legacy=False, scrypt_n=None):
    """Write cosign.key and cosign.pub in directory as `cosign generate-key-pair` does: a new
    ECDSA P-256 key, the private one encrypted under password (bytes; b"" is allowed, as with
    COSIGN_PASSWORD=""). legacy=True writes the old "ENCRYPTED COSIGN PRIVATE KEY" label with
    the old N=32768, as cosign 1.x did. scrypt_n picks another N cosign reads (32768 is the
    cheapest, and the only one cosign < 2.2 reads). Modes 0600 and 0644, as cosign's.
    Returns (key_path, pub_path)."""
    if isinstance(password, str):
        password = password.encode()
    private_key = ec.generate_private_key(ec.SECP256R1())
    key_path = os.path.join(directory, KEY_FILE)
    pub_path = os.path.join(directory, PUB_FILE)
    _write(key_path, encrypted_key_pem(private_key, password, legacy, scrypt_n), 0o600)
    _write(pub_path, public_key_pem(private_key.public_key()), 0o644)
    return key_path, pub_path


def _write(path, data, mode):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(path, mode)


def load_private_key_bytes(pem, password, readable_n=READABLE_SCRYPT_N):
    """The private key in an encrypted cosign PEM (either label), as cosign's LoadPrivateKey
    reads it. Raises ValueError on a wrong password or a bad format."""
    if isinstance(password, str):
        password = password.encode()
    pem_type, doc = pem_decode(pem)
    if pem_type not in (SIGSTORE_PEM_TYPE, COSIGN_PEM_TYPE):
        raise ValueError("unsupported pem type: %s" % pem_type)
    der = decrypt_private_key_der(doc, password, readable_n)
    if not _looks_like_pkcs8(der):  # cosign uses x509.ParsePKCS8PrivateKey, nothing else
        raise ValueError("parsing private key: not PKCS #8")
    try:
        return serialization.load_der_private_key(der, password=None)
    except (ValueError, TypeError) as e:
        raise ValueError("parsing private key: %s" % e) from None


def _der_item(buf, pos):
    """(tag, content start, end) of the DER item at pos."""
    tag, length = buf[pos], buf[pos + 1]
    pos += 2
    if length & 0x80:
        n = length & 0x7F
        length = int.from_bytes(buf[pos:pos + n], "big")
        pos += n
    return tag, pos, pos + length


def _looks_like_pkcs8(der):
    """PrivateKeyInfo: SEQUENCE { INTEGER version, SEQUENCE algorithm, OCTET STRING key, ...}
    (an SEC1 or PKCS #1 key has an INTEGER or OCTET STRING second instead)."""
    try:
        tag, start, end = _der_item(der, 0)
        if tag != 0x30 or end != len(der):
            return False
        tags = []
        pos = start
        while pos < end and len(tags) < 3:
            t, s, e = _der_item(der, pos)
            tags.append(t)
            pos = e
        return tags == [0x02, 0x30, 0x04]
    except IndexError:
        return False


def load_private_key(path, password, readable_n=READABLE_SCRYPT_N):
    with open(path, "rb") as f:
        return load_private_key_bytes(f.read(), password, readable_n)


def load_public_key(pub):
    """A public key from a path, or from PEM bytes/str ("PUBLIC KEY", PKIX)."""
    if isinstance(pub, str) and "-----BEGIN" not in pub:
        with open(pub, "rb") as f:
            pub = f.read()
    if isinstance(pub, str):
        pub = pub.encode()
    pem_type, der = pem_decode(pub)
    if pem_type != PUBLIC_PEM_TYPE:
        raise ValueError("unknown Public key PEM file type: %s" % pem_type)
    return serialization.load_der_public_key(der)


# --- signatures -------------------------------------------------------------------------------
def _check_p256(key):
    curve = getattr(key, "curve", None)
    if not isinstance(curve, ec.SECP256R1):
        raise ValueError("only ECDSA P-256 keys (cosign's default) are implemented here")


def sign_raw(private_key, data):
    """DER ECDSA-SHA256 signature of data."""
    _check_p256(private_key)
    return private_key.sign(data, ec.ECDSA(hashes.SHA256()))


def sign_blob(private_key, data):
    """What `cosign sign-blob --key` writes with --output-signature: the base64 (standard,
    padded) of the DER ECDSA-SHA256 signature, with no newline (on stdout cosign prints the same
    text followed by one newline)."""
    return _b64(sign_raw(private_key, data))


def verify_raw(public_key, data, signature):
    _check_p256(public_key)
    try:
        public_key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        return True
    except InvalidSignature:
        return False


def verify_blob(pub_path, data, sig_text):
    """What `cosign verify-blob --key pub --signature sig` accepts (no tlog): sig_text is the
    base64 signature (surrounding newlines are fine: Go's base64 decoder skips them) or, when it
    is not base64, the raw DER signature itself. Returns True or False."""
    public_key = load_public_key(pub_path)
    raw = sig_text.encode() if isinstance(sig_text, str) else bytes(sig_text)
    try:
        signature = _go_b64decode(raw)
    except (ValueError, UnicodeDecodeError, base64.binascii.Error):
        signature = raw
    return verify_raw(public_key, data, signature)


# --- the simple signing payload ---------------------------------------------------------------
def simple_signing_payload(docker_reference, manifest_digest, annotations=None):
    """The bytes cosign signs for an image: Go's json.Marshal of
    {"critical":{"identity":{"docker-reference":R},"image":{"docker-manifest-digest":D},
    "type":"cosign container image signature"},"optional":null}. cosign sets R to the image's
    repository name without tag or digest (e.g. "127.0.0.1:5000/tools/foo"; Docker Hub images
    get "index.docker.io/..."), or to --sign-container-identity; annotations (-a k=v) go in
    "optional" with sorted keys."""
    doc = {"critical": {"identity": {"docker-reference": docker_reference},
                        "image": {"docker-manifest-digest": manifest_digest},
                        "type": SIGNATURE_TYPE},
           "optional": _sorted_map(annotations) if annotations is not None else None}
    return go_json(doc)


def signature_tag(manifest_digest, suffix=SIGNATURE_SUFFIX):
    """sha256:abc... -> sha256-abc....sig"""
    algo, _, hexd = manifest_digest.partition(":")
    if not hexd:
        raise ValueError("not a digest: %r" % manifest_digest)
    return "%s-%s.%s" % (algo, hexd, suffix)


def digest_of(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


# --- the signature image ----------------------------------------------------------------------
_CONFIG_FIELDS = (  # go-containerregistry v1.ConfigFile: (name, omitempty)
    ("architecture", False), ("author", True), ("container", True), ("created", False),
    ("docker_version", True), ("history", True), ("os", False), ("rootfs", False),
    ("config", False), ("os.version", True), ("variant", True), ("os.features", True))
_HISTORY_FIELDS = (("author", True), ("created", False), ("created_by", True),
                   ("comment", True), ("empty_layer", True))
_RUNCONFIG_FIELDS = (  # v1.Config, every field omitempty
    "AttachStderr", "AttachStdin", "AttachStdout", "Cmd", "Healthcheck", "Domainname",
    "Entrypoint", "Env", "Hostname", "Image", "Labels", "OnBuild", "OpenStdin", "StdinOnce",
    "Tty", "User", "Volumes", "WorkingDir", "ExposedPorts", "ArgsEscaped", "NetworkDisabled",
    "MacAddress", "StopSignal", "Shell")
_DESCRIPTOR_FIELDS = (("mediaType", False), ("size", False), ("digest", False), ("data", True),
                      ("urls", True), ("annotations", True), ("platform", True),
                      ("artifactType", True))
_MANIFEST_FIELDS = (("schemaVersion", False), ("mediaType", True), ("config", False),
                    ("layers", False), ("annotations", True), ("subject", True),
                    ("artifactType", True))


def _empty(v):
    return v is None or v is False or v == "" or v == 0 or v == [] or v == {}


def _struct(obj, fields, conv=None):
    """obj's known fields in Go struct order, omitempty ones dropped when empty."""
    out = {}
    for name, omitempty in fields:
        v = _go_get(obj, name)
        if conv and name in conv:
            v = conv[name](v)
        if omitempty and _empty(v):
            continue
        out[name] = v
    return out


def _descriptor(d):
    return _struct(d, _DESCRIPTOR_FIELDS, {
        "annotations": lambda v: _sorted_map(v) if v else v,
        "size": lambda v: v or 0, "mediaType": lambda v: v or "", "digest": lambda v: v or ""})


def _runconfig(c):
    return {k: (_sorted_map(_go_get(c, k)) if isinstance(_go_get(c, k), dict)
                else _go_get(c, k))
            for k in _RUNCONFIG_FIELDS if not _empty(_go_get(c, k))}


def _config_file(cfg):
    """Re-marshal a config as go-containerregistry does after parsing it into v1.ConfigFile."""
    rootfs = _go_get(cfg, "rootfs") or {}
    return _struct(cfg, _CONFIG_FIELDS, {
        "architecture": lambda v: v or "", "os": lambda v: v or "",
        "created": lambda v: v or ZERO_TIME,
        "history": lambda v: [_struct(h, _HISTORY_FIELDS,
                                      {"created": lambda t: t or ZERO_TIME}) for h in v or []],
        "rootfs": lambda v: {"type": _go_get(rootfs, "type") or "",
                             "diff_ids": _go_get(rootfs, "diff_ids")},
        "config": lambda v: _runconfig(v or {})})


def empty_signature_config():
    """The config of cosign's empty signature image (go-containerregistry's empty.Image)."""
    return {"architecture": "", "created": ZERO_TIME, "os": "",
            "rootfs": {"type": "layers", "diff_ids": None}, "config": {}}


def append_signature(manifest, config, payload, b64sig, docker_media_types=False):
    """(manifest_bytes, config_bytes) of the signature image after appending one layer, as
    cosign's mutate.AppendSignatures + go-containerregistry's mutate.Append compute them.
    manifest/config are the parsed existing ones, or None for a new image."""
    if manifest is None:
        config = empty_signature_config()
        manifest = {"schemaVersion": 2,
                    "mediaType": DOCKER_MANIFEST if docker_media_types else OCI_MANIFEST,
                    "config": {"mediaType": DOCKER_CONFIG if docker_media_types else OCI_CONFIG},
                    "layers": []}
    cfg = _config_file(config)
    cfg["history"] = list(cfg.get("history") or []) + [{"created": ZERO_TIME}]
    cfg["rootfs"]["diff_ids"] = list(cfg["rootfs"].get("diff_ids") or []) + [digest_of(payload)]
    cfg = _config_file(cfg)  # back into field order with history present
    config_bytes = go_json(cfg)
    layer = {"mediaType": SIMPLE_SIGNING_MEDIA_TYPE, "size": len(payload),
             "digest": digest_of(payload), "annotations": {SIGNATURE_ANNOTATION: b64sig}}
    out = _struct(manifest, _MANIFEST_FIELDS, {
        "schemaVersion": lambda v: v if v is not None else 0,
        "config": lambda v: _descriptor(v or {}),
        "layers": lambda v: [_descriptor(d) for d in v or []],
        "annotations": lambda v: _sorted_map(v) if v else v,
        "subject": lambda v: _descriptor(v) if v else v})
    out["config"]["size"] = len(config_bytes)
    out["config"]["digest"] = digest_of(config_bytes)
    out["config"] = _descriptor(out["config"])
    out["layers"] = out["layers"] + [_descriptor(layer)]
    return go_json(out), config_bytes


# --- registry (OCI distribution API over HTTP) ------------------------------------------------
class RegistryError(Exception):
    pass


def _url(base_url, repo, kind, ref):
    return "%s/v2/%s/%s/%s" % (base_url.rstrip("/"), repo, kind, ref)


def _http(method, url, body=None, headers=None, extra=None):
    rq = urllib.request.Request(url, data=body, method=method)
    for k, v in list((headers or {}).items()) + list((extra or {}).items()):
        rq.add_header(k, v)
    try:
        with urllib.request.urlopen(rq, timeout=HTTP_TIMEOUT) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def _blob_exists(base_url, repo, digest, headers):
    status, _, _ = _http("HEAD", _url(base_url, repo, "blobs", digest), headers=headers)
    return status == 200


def upload_blob(base_url, repo, data, headers=None):
    """Monolithic upload (POST, then PUT ?digest=) unless the blob is already there."""
    digest = digest_of(data)
    if _blob_exists(base_url, repo, digest, headers):
        return digest
    status, hdrs, body = _http("POST", _url(base_url, repo, "blobs", "uploads/"), b"",
                               headers, {"Content-Length": "0"})
    if status != 202 or not hdrs.get("Location"):
        raise RegistryError("starting a blob upload to %s: HTTP %d %s" % (repo, status, body[:200]))
    loc = urllib.parse.urljoin(base_url.rstrip("/") + "/", hdrs["Location"])
    loc += ("&" if "?" in loc else "?") + "digest=" + urllib.parse.quote(digest)
    status, _, body = _http("PUT", loc, data, headers,
                            {"Content-Type": "application/octet-stream"})
    if status != 201:
        raise RegistryError("uploading blob %s to %s: HTTP %d %s" % (digest, repo, status,
                                                                    body[:200]))
    return digest


def get_blob(base_url, repo, digest, headers=None):
    status, _, body = _http("GET", _url(base_url, repo, "blobs", digest), headers=headers)
    if status != 200:
        raise RegistryError("blob %s of %s: HTTP %d" % (digest, repo, status))
    return body


def get_manifest(base_url, repo, ref, headers=None):
    """(bytes, media type) of a manifest, or None when the registry says 404."""
    status, hdrs, body = _http("GET", _url(base_url, repo, "manifests", ref), headers=headers,
                               extra={"Accept": "%s, %s" % (OCI_MANIFEST, DOCKER_MANIFEST)})
    if status == 404:
        return None
    if status != 200:
        raise RegistryError("manifest %s:%s: HTTP %d %s" % (repo, ref, status, body[:200]))
    return body, (hdrs.get("Content-Type") or "").split(";")[0].strip()


def put_manifest(base_url, repo, ref, body, media_type, headers=None):
    status, hdrs, text = _http("PUT", _url(base_url, repo, "manifests", ref), body, headers,
                               {"Content-Type": media_type})
    if status != 201:
        raise RegistryError("putting manifest %s:%s: HTTP %d %s" % (repo, ref, status, text[:300]))
    return hdrs.get("Docker-Content-Digest") or digest_of(body)


def _is_duplicate(layers, payload, public_key):
    """cosign's dupe detector: an existing layer with the same payload digest and media type
    (and no other annotations to compare) whose signature verifies under the signer's key."""
    for d in layers:
        if _go_get(d, "digest") != digest_of(payload):
            continue
        if _go_get(d, "mediaType") != SIMPLE_SIGNING_MEDIA_TYPE:
            continue
        b64sig = (_go_get(d, "annotations") or {}).get(SIGNATURE_ANNOTATION)
        if not b64sig:
            continue
        try:
            if verify_raw(public_key, payload, _go_b64decode(b64sig)):
                return True
        except (ValueError, base64.binascii.Error):
            continue
    return False


def sign_image(base_url, repo, manifest_digest, private_key, docker_reference, headers=None,
               annotations=None, docker_media_types=False):
    """Do what `cosign sign --key K --tlog-upload=false <registry>/<repo>@<digest>` does (the
    tag-based format; cosign 3 writes it with --new-bundle-format=false): sign the simple
    signing payload, upload the payload blob and the config blob, and PUT the signature image
    at tag sha256-<hex>.sig, appending a layer to the image already there (a signature of the
    same payload by the same key is not added twice, as cosign's dupe detector does).
    Returns a dict: tag, manifest (bytes), manifest_digest, payload, signature (base64),
    appended (False when it was a duplicate)."""
    payload = simple_signing_payload(docker_reference, manifest_digest, annotations)
    b64sig = sign_blob(private_key, payload)
    tag = signature_tag(manifest_digest)
    existing = get_manifest(base_url, repo, tag, headers)
    manifest = config = None
    if existing is not None:
        manifest = json.loads(existing[0])
        config = json.loads(get_blob(base_url, repo, _go_get(manifest["config"], "digest"),
                                     headers))
        if _is_duplicate(manifest.get("layers") or [], payload, private_key.public_key()):
            return {"tag": tag, "manifest": existing[0], "manifest_digest":
                    digest_of(existing[0]), "payload": payload, "signature": b64sig,
                    "appended": False}
    manifest_bytes, config_bytes = append_signature(manifest, config, payload, b64sig,
                                                    docker_media_types)
    upload_blob(base_url, repo, payload, headers)
    upload_blob(base_url, repo, config_bytes, headers)
    media_type = json.loads(manifest_bytes).get("mediaType") or OCI_MANIFEST
    put_manifest(base_url, repo, tag, manifest_bytes, media_type, headers)
    return {"tag": tag, "manifest": manifest_bytes, "manifest_digest": digest_of(manifest_bytes),
            "payload": payload, "signature": b64sig, "appended": True}


def _check_layer(base_url, repo, desc, manifest_digest, public_key, headers):
    """The payload (parsed) of one signature layer, or raise ValueError saying why not."""
    digest, size = _go_get(desc, "digest"), _go_get(desc, "size")
    b64sig = (_go_get(desc, "annotations") or {}).get(SIGNATURE_ANNOTATION)
    if b64sig is None:
        raise ValueError("signature layer %s is missing %r annotation"
                         % (digest, SIGNATURE_ANNOTATION))
    try:
        payload = get_blob(base_url, repo, digest, headers)
    except RegistryError as e:
        raise ValueError(str(e)) from None
    if digest_of(payload) != digest:
        raise ValueError("payload blob digest mismatch: manifest says %s, blob is %s"
                         % (digest, digest_of(payload)))
    if size is not None and len(payload) != size:
        raise ValueError("payload blob size mismatch: manifest says %s, blob has %d bytes"
                         % (size, len(payload)))
    try:
        signature = _go_b64decode(b64sig)
    except (ValueError, base64.binascii.Error) as e:
        raise ValueError("signature annotation is not base64: %s" % e) from None
    if not verify_raw(public_key, payload, signature):
        raise ValueError("invalid signature when validating ASN.1 encoded signature")
    try:
        doc = json.loads(payload)
    except (ValueError, UnicodeDecodeError) as e:
        raise ValueError("payload is not JSON: %s" % e) from None
    found = _go_get(_go_get(_go_get(doc, "critical", {}), "image", {}),
                    "docker-manifest-digest")
    if found != manifest_digest:
        raise ValueError("invalid or missing digest in claim: %s (expected %s)"
                         % (found, manifest_digest))
    return doc


def verify_image(base_url, repo, manifest_digest, pub_path, headers=None, require_all=False):
    """What `cosign verify --key pub --insecure-ignore-tlog` checks for an image digest: read
    the signature image at sha256-<hex>.sig; for each layer fetch the payload blob (its digest
    and size must match the descriptor), check the base64 ECDSA signature in the annotation
    over the payload bytes with the public key, and check that the payload's
    critical.image.docker-manifest-digest is the image's digest. critical.type and
    critical.identity.docker-reference are NOT checked (cosign ignores them).

    Returns the parsed payloads of the layers that verify. Raises AssertionError when the tag
    is missing, the image has no layers, or no layer verifies (the message gives each layer's
    reason: bad signature, blob digest mismatch, wrong docker-manifest-digest ...); with
    require_all=True also when any layer fails (cosign itself accepts an image if one verifies).
    """
    public_key = load_public_key(pub_path)
    tag = signature_tag(manifest_digest)
    got = get_manifest(base_url, repo, tag, headers)
    if got is None:
        raise AssertionError("no signatures found: %s has no tag %s" % (repo, tag))
    manifest = json.loads(got[0])
    layers = _go_get(manifest, "layers") or []
    if not layers:
        raise AssertionError("no signatures found: %s:%s has no layers" % (repo, tag))
    if len(layers) > MAX_LAYERS:
        raise AssertionError("%s:%s has %d layers, more than cosign's %d"
                             % (repo, tag, len(layers), MAX_LAYERS))
    verified, errors = [], []
    for i, desc in enumerate(layers):
        try:
            verified.append(_check_layer(base_url, repo, desc, manifest_digest, public_key,
                                         headers))
        except ValueError as e:
            errors.append("layer %d (%s): %s" % (i, _go_get(desc, "digest"), e))
    if not verified:
        raise AssertionError("no matching signatures for %s@%s:\n  %s"
                             % (repo, manifest_digest, "\n  ".join(errors)))
    if require_all and errors:
        raise AssertionError("signatures that do not verify for %s@%s:\n  %s"
                             % (repo, manifest_digest, "\n  ".join(errors)))
    return verified
