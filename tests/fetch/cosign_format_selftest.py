# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Self-test of cosign_format.py (run by hand: /usr/bin/python3 cosign_format_selftest.py).

Key files: generate, load with the right password, refuse a wrong one, the PEM labels, the
JSON fields and their sizes, file modes. Blobs: sign_blob/verify_blob round trip, a changed
blob, another key, a newline after the base64, a raw DER signature. Images, against Debian's
docker-registry on 127.0.0.1 (tests/live/registry.py): push a tiny image with urllib, sign it,
check the signature image's bytes (manifest, config, payload), verify it, sign again with the
same key (no second layer) and with another key (a second layer), and check that verification
fails for an unsigned image, a wrong key, a tampered signature, a payload blob changed in the
registry's storage, and a signature whose payload names another digest. Exit status 0 when
everything holds.
"""
import base64
import hashlib
import json
import os
import stat
import sys
import tempfile
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "live"))

import cosign_format as cf  # noqa: E402
from registry import Registry  # noqa: E402

FAILED = []
CHECKED = []


def check(cond, what):
    print("%s  %s" % ("ok  " if cond else "FAIL", what))
    CHECKED.append(what)
    if not cond:
        FAILED.append(what)


def raises(exc, fn, *args, contains=None, **kw):
    try:
        fn(*args, **kw)
    except exc as e:
        return contains is None or contains in str(e)
    return False


def read(path):
    with open(path, "rb") as f:
        return f.read()


def sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def http(method, url, body=None, content_type=None):
    rq = urllib.request.Request(url, data=body, method=method)
    if content_type:
        rq.add_header("Content-Type", content_type)
    with urllib.request.urlopen(rq, timeout=10) as r:
        return r.status, r.headers, r.read()


def push_image(base, repo, tag, layer_text):
    """A tiny OCI image pushed with plain urllib; returns its manifest digest."""
    config = b'{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}'
    layer = layer_text.encode()
    for blob in (config, layer):
        _, h, _ = http("POST", "%s/v2/%s/blobs/uploads/" % (base, repo), b"")
        loc = urllib.request.urljoin(base + "/", h["Location"])
        sep = "&" if "?" in loc else "?"
        status, _, _ = http("PUT", loc + sep + "digest=" + sha256(blob), blob,
                            "application/octet-stream")
        assert status == 201
    manifest = json.dumps({
        "schemaVersion": 2, "mediaType": cf.OCI_MANIFEST,
        "config": {"mediaType": cf.OCI_CONFIG, "size": len(config), "digest": sha256(config)},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "size": len(layer),
                    "digest": sha256(layer)}]}).encode()
    status, _, _ = http("PUT", "%s/v2/%s/manifests/%s" % (base, repo, tag), manifest,
                        cf.OCI_MANIFEST)
    assert status == 201
    return sha256(manifest)


def test_keys(tmp):
    d1 = os.path.join(tmp, "k1")
    os.mkdir(d1)
    key_path, pub_path = cf.generate_key_pair(b"s3cret", d1)
    check(os.path.basename(key_path) == "cosign.key" and os.path.basename(pub_path) ==
          "cosign.pub", "generate_key_pair writes cosign.key and cosign.pub")
    check(stat.S_IMODE(os.stat(key_path).st_mode) == 0o600 and
          stat.S_IMODE(os.stat(pub_path).st_mode) == 0o644, "modes 0600 and 0644")
    text = read(key_path)
    check(text.startswith(b"-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n") and
          text.endswith(b"-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n"),
          "cosign.key is an ENCRYPTED SIGSTORE PRIVATE KEY PEM block")
    check(all(len(line) <= 64 for line in text.split(b"\n")[1:-2]), "PEM lines of 64 columns")
    pem_type, doc = cf.pem_decode(text)
    j = json.loads(doc)
    check(list(j) == ["kdf", "cipher", "ciphertext"] and
          list(j["kdf"]) == ["name", "params", "salt"] and
          list(j["kdf"]["params"]) == ["N", "r", "p"] and list(j["cipher"]) == ["name", "nonce"],
          "key JSON fields in Go's order")
    check(j["kdf"]["name"] == "scrypt" and j["kdf"]["params"] == {"N": 65536, "r": 8, "p": 1}
          and j["cipher"]["name"] == "nacl/secretbox", "scrypt N=65536 r=8 p=1, nacl/secretbox")
    check(len(base64.b64decode(j["kdf"]["salt"])) == 32 and
          len(base64.b64decode(j["cipher"]["nonce"])) == 24, "salt 32 bytes, nonce 24 bytes")
    check(b" " not in doc and b"\n" not in doc, "key JSON is compact")
    k1 = cf.load_private_key(key_path, b"s3cret")
    der = cf.decrypt_private_key_der(doc, b"s3cret")
    check(len(base64.b64decode(j["ciphertext"])) == len(der) + 16,
          "ciphertext = 16-byte Poly1305 tag + PKCS#8 DER")
    check(k1.curve.name == "secp256r1", "the key is ECDSA P-256")
    check(cf.public_key_pem(k1.public_key()) == read(pub_path),
          "cosign.pub is the PKIX PEM of the private key's public half")
    check(read(pub_path).startswith(b"-----BEGIN PUBLIC KEY-----\n"),
          "cosign.pub is a PUBLIC KEY PEM block")
    check(raises(ValueError, cf.load_private_key, key_path, b"wrong", contains="decryption"),
          "a wrong password is refused (ValueError)")
    check(raises(ValueError, cf.load_private_key, pub_path, b"s3cret"),
          "a public key is refused as a private key")
    no_ct = cf.pem_encode(cf.SIGSTORE_PEM_TYPE, doc.replace(b'"ciphertext"', b'"plaintext"'))
    check(raises(ValueError, cf.load_private_key_bytes, no_ct, b"s3cret"),
          "a key JSON without ciphertext is refused")
    bad_n = doc.replace(b'"N":65536', b'"N":16384')
    check(raises(ValueError, cf.load_private_key_bytes, cf.pem_encode(cf.SIGSTORE_PEM_TYPE, bad_n),
                 b"s3cret", contains="scrypt"), "scrypt N cosign does not read is refused")

    d2 = os.path.join(tmp, "k2")
    os.mkdir(d2)
    key2, pub2 = cf.generate_key_pair(b"", d2, legacy=True)
    text2 = read(key2)
    check(text2.startswith(b"-----BEGIN ENCRYPTED COSIGN PRIVATE KEY-----\n"),
          "legacy=True writes ENCRYPTED COSIGN PRIVATE KEY")
    check(json.loads(cf.pem_decode(text2)[1])["kdf"]["params"]["N"] == 32768,
          "legacy=True uses N=32768")
    k2 = cf.load_private_key(key2, b"")
    check(raises(ValueError, cf.load_private_key, key2, b"x"), "empty password: 'x' is refused")

    d3 = os.path.join(tmp, "k3")
    os.mkdir(d3)
    key3, pub3 = cf.generate_key_pair(b"pw", d3, scrypt_n=cf.SCRYPT_N_LEGACY)
    check(json.loads(cf.pem_decode(read(key3))[1])["kdf"]["params"]["N"] == 32768,
          "scrypt_n=32768 is written")
    k3 = cf.load_private_key(key3, "pw")
    check(raises(ValueError, cf.generate_key_pair, b"pw", d3, scrypt_n=1024),
          "an N cosign cannot read is refused at generation")
    return (k1, pub_path), (k2, pub2), (k3, pub3)


def test_blobs(k1, pub1, pub2):
    data = b"hello, cosign\n"
    sig = cf.sign_blob(k1, data)
    raw = base64.b64decode(sig, validate=True)
    check(isinstance(sig, str) and not sig.endswith("\n") and raw[0] == 0x30,
          "sign_blob gives base64 of a DER SEQUENCE, no newline")
    check(cf.verify_blob(pub1, data, sig), "verify_blob accepts sign_blob's signature")
    check(cf.verify_blob(pub1, data, sig + "\n"), "... with a trailing newline too")
    check(cf.verify_blob(pub1, data, raw), "... and the raw DER signature")
    check(not cf.verify_blob(pub1, data + b"x", sig), "verify_blob refuses a changed blob")
    check(not cf.verify_blob(pub2, data, sig), "verify_blob refuses another key")
    other = cf.sign_blob(k1, b"other")
    check(not cf.verify_blob(pub1, data, other), "verify_blob refuses another blob's signature")


def test_payload():
    p = cf.simple_signing_payload("example.com/a/b", "sha256:" + "0" * 64)
    want = (b'{"critical":{"identity":{"docker-reference":"example.com/a/b"},"image":'
            b'{"docker-manifest-digest":"sha256:' + b"0" * 64 + b'"},"type":'
            b'"cosign container image signature"},"optional":null}')
    check(p == want, "payload bytes as cosign marshals them")
    p2 = cf.simple_signing_payload("r", "sha256:1", {"z": "1", "a": "<&>"})
    check(p2.endswith(b'"optional":{"a":"\\u003c\\u0026\\u003e","z":"1"}}'),
          "annotations sorted, <&> escaped as Go does")
    check(cf.signature_tag("sha256:abc") == "sha256-abc.sig", "tag sha256-<hex>.sig")


def test_images(keys):
    (k1, pub1), (k2, pub2), (k3, pub3) = keys
    reg = Registry()
    try:
        base = "http://127.0.0.1:%d" % reg.port
        repo = "tools/pkg"
        ref = "127.0.0.1:%d/%s" % (reg.port, repo)
        dig_a = push_image(base, repo, "a", "layer a")
        dig_b = push_image(base, repo, "b", "layer b")
        dig_c = push_image(base, repo, "c", "layer c")
        dig_d = push_image(base, repo, "d", "layer d")

        check(raises(AssertionError, cf.verify_image, base, repo, dig_a, pub1,
                     contains="no signatures found"), "an unsigned image fails verification")

        r = cf.sign_image(base, repo, dig_a, k1, ref)
        tag = "sha256-%s.sig" % dig_a.split(":")[1]
        check(r["tag"] == tag and r["appended"], "sign_image writes tag sha256-<hex>.sig")
        raw = reg.get("/v2/%s/manifests/%s" % (repo, tag), accept=cf.OCI_MANIFEST)
        check(raw == r["manifest"], "the registry holds the manifest sign_image wrote")
        m = json.loads(raw)
        payload = reg.get("/v2/%s/blobs/%s" % (repo, m["layers"][0]["digest"]))
        check(payload == cf.simple_signing_payload(ref, dig_a), "the layer blob is the payload")
        config = reg.get("/v2/%s/blobs/%s" % (repo, m["config"]["digest"]))
        want_config = ('{"architecture":"","created":"0001-01-01T00:00:00Z","history":'
                       '[{"created":"0001-01-01T00:00:00Z"}],"os":"","rootfs":{"type":"layers",'
                       '"diff_ids":["%s"]},"config":{}}' % sha256(payload)).encode()
        check(config == want_config, "config blob as cosign writes it")
        want_manifest = (
            '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",'
            '"config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":%d,'
            '"digest":"%s"},"layers":[{"mediaType":"application/vnd.dev.cosign.simplesigning.v1'
            '+json","size":%d,"digest":"%s","annotations":{"dev.cosignproject.cosign/signature":'
            '"%s"}}]}' % (len(config), sha256(config), len(payload), sha256(payload),
                          r["signature"])).encode()
        check(raw == want_manifest, "signature manifest bytes as cosign writes them")

        got = cf.verify_image(base, repo, dig_a, pub1)
        check(len(got) == 1 and got[0]["critical"]["image"]["docker-manifest-digest"] == dig_a
              and got[0]["critical"]["identity"]["docker-reference"] == ref,
              "verify_image returns the verified payload")
        check(raises(AssertionError, cf.verify_image, base, repo, dig_a, pub2,
                     contains="invalid signature"), "a wrong key fails verification")

        r2 = cf.sign_image(base, repo, dig_a, k1, ref)
        m2 = json.loads(reg.get("/v2/%s/manifests/%s" % (repo, tag), accept=cf.OCI_MANIFEST))
        check(not r2["appended"] and len(m2["layers"]) == 1,
              "signing the same payload with the same key adds no layer")
        r3 = cf.sign_image(base, repo, dig_a, k2, ref)
        m3 = json.loads(reg.get("/v2/%s/manifests/%s" % (repo, tag), accept=cf.OCI_MANIFEST))
        check(r3["appended"] and len(m3["layers"]) == 2 and
              m3["layers"][0] == m["layers"][0], "another key appends a second layer")
        config3 = json.loads(reg.get("/v2/%s/blobs/%s" % (repo, m3["config"]["digest"])))
        check(len(config3["history"]) == 2 and len(config3["rootfs"]["diff_ids"]) == 2,
              "the config gets a second history entry and diff_id")
        check(len(cf.verify_image(base, repo, dig_a, pub1)) == 1 and
              len(cf.verify_image(base, repo, dig_a, pub2)) == 1,
              "each key verifies its own layer")
        check(raises(AssertionError, cf.verify_image, base, repo, dig_a, pub1, require_all=True),
              "require_all=True fails when one layer is another key's")
        check(raises(AssertionError, cf.verify_image, base, repo, dig_a, pub3),
              "a third key fails verification")

        # a tampered signature: image b's layer carries a signature of other bytes
        rb = cf.sign_image(base, repo, dig_b, k1, ref)
        mb = json.loads(rb["manifest"])
        mb["layers"][0]["annotations"][cf.SIGNATURE_ANNOTATION] = cf.sign_blob(k1, b"other")
        cf.put_manifest(base, repo, rb["tag"], cf.go_json(mb), cf.OCI_MANIFEST)
        check(raises(AssertionError, cf.verify_image, base, repo, dig_b, pub1,
                     contains="invalid signature"), "a tampered signature fails verification")
        mb["layers"][0]["annotations"][cf.SIGNATURE_ANNOTATION] = "not base64!"
        cf.put_manifest(base, repo, rb["tag"], cf.go_json(mb), cf.OCI_MANIFEST)
        check(raises(AssertionError, cf.verify_image, base, repo, dig_b, pub1,
                     contains="base64"), "a signature that is not base64 fails verification")

        # a payload naming another digest: image b's (good) signature put at image c's tag
        rb2 = cf.sign_image(base, repo, dig_b, k2, ref)
        cf.put_manifest(base, repo, cf.signature_tag(dig_c), rb2["manifest"], cf.OCI_MANIFEST)
        check(raises(AssertionError, cf.verify_image, base, repo, dig_c, pub2,
                     contains="digest in claim"),
              "a payload with another docker-manifest-digest fails verification")

        # the payload blob changed in the registry's storage
        rd = cf.sign_image(base, repo, dig_d, k3, ref)
        check(len(cf.verify_image(base, repo, dig_d, pub3)) == 1, "image d verifies")
        layer_digest = json.loads(rd["manifest"])["layers"][0]["digest"]
        path = reg.blob_file(layer_digest)
        with open(path, "r+b") as f:
            data = f.read()
            f.seek(0)
            f.write(data.replace(b"critical", b"CRITICAL"))
        try:
            cf.verify_image(base, repo, dig_d, pub3)
            said = "verified"
        except AssertionError as e:
            said = str(e)
        check("digest mismatch" in said, "a changed payload blob fails verification"
              + ("" if "digest mismatch" in said else " (%s)" % said.replace("\n", " ")))
    finally:
        reg.stop()


def main():
    with tempfile.TemporaryDirectory(prefix="cosign-format-") as tmp:
        keys = test_keys(tmp)
        test_blobs(keys[0][0], keys[0][1], keys[1][1])
        test_payload()
        test_images(keys)
    print("%s: %d passed, %d failed" % ("cosign-format", len(CHECKED) - len(FAILED), len(FAILED)))
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
