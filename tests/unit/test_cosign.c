// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * cosign's formats: the payload ecli signs and checks, a real signature cosign made
 * (tests/third_party/cosign/containers-image), cosign's key files (zarf's, sigstore-rs's),
 * signature manifests, and the registry login files.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include "core/file_io.h"
#include "fetch/cosign_key.h"
#include "fetch/cosign_sig.h"
#include "fetch/digest.h"
#include "fetch/registry_auth.h"
#include "fetch/sig_crypto.h"
#include "format/base64.h"
#include "unit.h"

#define FIXTURES "tests/third_party/cosign/"
#define DIGEST_A "sha256:0000000000000000000000000000000000000000000000000000000000000001"

static char *slurp(const char *path, size_t *len)
{
	char *text = NULL;
	struct diag d;

	if (file_read(path, 1 << 20, &text, len, &d))
		return NULL;
	return text;
}

TEST(cosign_payload_is_cosigns_bytes)
{
	char *p = NULL;
	size_t len = 0;
	struct diag d;

	CHECK(cosign_payload_build("127.0.0.1:5000/tools/x", DIGEST_A, &p, &len) == 0);
	CHECK_STR(p,
		  "{\"critical\":{\"identity\":{\"docker-reference\":\"127.0.0.1:5000/tools/x\"},"
		  "\"image\":{\"docker-manifest-digest\":\"" DIGEST_A "\"},"
		  "\"type\":\"cosign container image signature\"},\"optional\":null}");
	CHECK(cosign_payload_check(p, len, DIGEST_A, &d) == 0);
	CHECK(cosign_payload_check(p, len, "sha256:00", &d) == -EINVAL);
	CHECK(strstr(d.msg, "signs " DIGEST_A) != NULL);
	free(p);
	p = "{\"critical\":{\"image\":{\"docker-manifest-digest\":\"" DIGEST_A "\"},"
	    "\"type\":\"other\"}}";
	CHECK(cosign_payload_check(p, strlen(p), DIGEST_A, &d) == -EINVAL);
	/* a key twice: readers would disagree on which digest is signed */
	p = "{\"critical\":{\"image\":{\"docker-manifest-digest\":\"" DIGEST_A "\","
	    "\"docker-manifest-digest\":\"sha256:1\"},"
	    "\"type\":\"cosign container image signature\"}}";
	CHECK(cosign_payload_check(p, strlen(p), DIGEST_A, &d) != 0);
}

/* signature-1: "\0sigstore-json\n" and {"payload": base64, "annotations": {...}} */
static int real_signature(uint8_t **payload, size_t *payload_len, uint8_t **sig, size_t *sig_len)
{
	size_t len = 0, bad;
	char *text = slurp(FIXTURES "containers-image/signature-1", &len);
	const size_t skip = 15;
	cJSON *root = text && len > skip ? cJSON_ParseWithLength(text + skip, len - skip) : NULL;
	const cJSON *pl = cJSON_GetObjectItem(root, "payload"),
		    *s = cJSON_GetObjectItem(cJSON_GetObjectItem(root, "annotations"),
					     COSIGN_SIGNATURE_ANNOTATION);
	int err = -EINVAL;

	if (cJSON_IsString(pl) && cJSON_IsString(s) &&
	    !base64_decode(pl->valuestring, strlen(pl->valuestring), payload, payload_len, &bad) &&
	    !base64_decode(s->valuestring, strlen(s->valuestring), sig, sig_len, &bad))
		err = 0;
	cJSON_Delete(root);
	free(text);
	return err;
}

TEST(a_real_cosign_signature_verifies)
{
	uint8_t *payload = NULL, *sig = NULL;
	size_t payload_len = 0, sig_len = 0, len = 0;
	char digest[DIGEST_STR_LEN + 1], *pem, *manifest;
	struct sig_key *key = NULL;
	struct diag d;

	CHECK(real_signature(&payload, &payload_len, &sig, &sig_len) == 0);
	manifest = slurp(FIXTURES "containers-image/manifest.json", &len);
	CHECK(manifest && digest_sha256(manifest, len, digest, &d) == 0);
	CHECK(cosign_payload_check((char *)payload, payload_len, digest, &d) == 0);
	pem = slurp(FIXTURES "containers-image/cosign.pub", &len);
	CHECK(pem && sig_public_key_parse(pem, len, "cosign.pub", &key, &d) == 0);
	CHECK(sig_verify(key, payload, payload_len, sig, sig_len));
	payload[payload_len / 2] ^= 1;
	CHECK(!sig_verify(key, payload, payload_len, sig, sig_len));
	sig_key_free(key);
	CHECK(sig_public_key_parse("not a key", 9, "x.pub", &key, &d) == -EINVAL && !key);
	CHECK(strstr(d.msg, "x.pub: not a PEM public key") != NULL);
	free(pem);
	free(manifest);
	free(payload);
	free(sig);
}

static void sign_and_verify(struct sig_key *priv, const char *pub_path)
{
	unsigned char *sig = NULL;
	size_t sig_len = 0, len = 0;
	struct sig_key *pub = NULL;
	char *pem = pub_path ? slurp(pub_path, &len) : NULL;
	struct diag d;

	CHECK(sig_sign(priv, "data", 4, &sig, &sig_len, &d) == 0);
	CHECK(sig_verify(priv, "data", 4, sig, sig_len));
	CHECK(!sig_verify(priv, "date", 4, sig, sig_len));
	if (pem) {
		CHECK(sig_public_key_parse(pem, len, pub_path, &pub, &d) == 0);
		CHECK(sig_verify(pub, "data", 4, sig, sig_len));
	}
	sig_key_free(pub);
	free(pem);
	free(sig);
}

TEST(cosign_key_files_open_with_their_password)
{
	size_t len = 0;
	char *text = slurp(FIXTURES "zarf/cosign.key", &len);
	struct sig_key *key = NULL;
	struct diag d;

	CHECK(text != NULL);
	CHECK(cosign_key_decrypt(text, len, "zarf.key", "wrong", &key, &d) == -EACCES);
	CHECK(strstr(d.msg, "wrong password") != NULL);
	CHECK(cosign_key_decrypt(text, len, "zarf.key", "test", &key, &d) == 0);
	sign_and_verify(key, FIXTURES "zarf/cosign.pub");
	sig_key_free(key);
	free(text);
	text = slurp(FIXTURES "sigstore-rs/cosign_generated_encrypted_empty_private.key", &len);
	CHECK(text && cosign_key_decrypt(text, len, "rs.key", "", &key, &d) == 0);
	sign_and_verify(key, NULL);
	sig_key_free(key);
	CHECK(cosign_key_decrypt(text, len / 2, "half.key", "", &key, &d) == -EINVAL);
	free(text);
	text = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n";
	CHECK(cosign_key_decrypt(text, strlen(text), "pub.key", "", &key, &d) == -EINVAL);
	CHECK(strstr(d.msg, "not a cosign private key") != NULL);
}

TEST(signature_manifests_keep_other_signers)
{
	struct cosign_layer a = {.payload = {.digest = DIGEST_A, .size = 10},
				 .signature = "c2lnQQ=="},
			    b = {.payload = {.digest = DIGEST_A, .size = 10},
				 .signature = "c2lnQg=="},
			    *got = NULL;
	char *config = NULL, *m1 = NULL, *m2 = NULL, *config2 = NULL;
	size_t cl = 0, l1 = 0, l2 = 0, n = 0;
	struct diag d;

	CHECK(cosign_sig_manifest(NULL, 0, &a, &config, &cl, &m1, &l1, &d) == 0);
	CHECK(strstr(config, "\"diff_ids\":[\"" DIGEST_A "\"]") != NULL);
	CHECK(cosign_sig_layers(m1, l1, &got, &n, &d) == 0 && n == 1);
	CHECK_STR(got[0].signature, "c2lnQQ==");
	free(got);
	/* another signer's layer stays; the same signature again is not added twice */
	CHECK(cosign_sig_manifest(m1, l1, &b, &config2, &cl, &m2, &l2, &d) == 0);
	CHECK(cosign_sig_layers(m2, l2, &got, &n, &d) == 0 && n == 2);
	CHECK_STR(got[0].signature, "c2lnQQ==");
	CHECK_STR(got[1].signature, "c2lnQg==");
	free(got);
	free(m2);
	free(config2);
	CHECK(cosign_sig_manifest(m1, l1, &a, &config2, &cl, &m2, &l2, &d) == 0);
	CHECK(cosign_sig_layers(m2, l2, &got, &n, &d) == 0 && n == 1);
	free(got);
	free(m1);
	free(m2);
	free(config);
	free(config2);
	CHECK(cosign_sig_layers("{\"layers\":1}", 12, &got, &n, &d) == -EINVAL);
}

TEST(registry_logins_round_trip)
{
	char path[] = "/tmp/ecli-auth-XXXXXX", file[4096];
	struct registry_login l;
	const char *json;
	struct diag d;
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	close(fd);
	unlink(path);
	setenv("REGISTRY_AUTH_FILE", path, 1);
	setenv("HOME", "/nonexistent", 1);
	CHECK(registry_auth_find("reg.example:5000", "a/b", &l, &d) == -ENOENT);
	CHECK(registry_auth_store("reg.example:5000", "alice", "p:w", file, sizeof(file), &d) == 0);
	CHECK_STR(file, path);
	CHECK(access(path, R_OK) == 0);
	CHECK(registry_auth_find("reg.example:5000", "a/b", &l, &d) == 0);
	CHECK_STR(l.user, "alice");
	CHECK_STR(l.password, "p:w");
	CHECK(registry_auth_find("reg.example", "a/b", &l, &d) == -ENOENT);
	CHECK(registry_auth_remove("reg.example:5000", file, sizeof(file), &d) == 0);
	CHECK(registry_auth_remove("reg.example:5000", file, sizeof(file), &d) == -ENOENT);
	/* the most specific entry wins; https:// and a trailing '/' are podman's and docker's */
	json = "{\"auths\":{\"https://r.io/\":{\"auth\":\"dTE6cDE=\"},"
	       "\"r.io/team\":{\"auth\":\"dTI6cDI=\"}},\"credsStore\":\"x\"}";
	CHECK(file_write(path, json, strlen(json), &d) == 0);
	CHECK(registry_auth_find("r.io", "team/tool", &l, &d) == 0);
	CHECK_STR(l.user, "u2");
	CHECK(registry_auth_find("r.io", "teamx/tool", &l, &d) == 0);
	CHECK_STR(l.user, "u1");
	/* others' keys stay when ecli writes */
	CHECK(registry_auth_store("r.io", "u3", "p3", file, sizeof(file), &d) == 0);
	CHECK(registry_auth_find("r.io", "other", &l, &d) == 0);
	CHECK_STR(l.user, "u3");
	json = "{\"auths\":{\"r.io\":{\"auth\":\"bm9jb2xvbg==\"}}}";
	CHECK(file_write(path, json, strlen(json), &d) == 0);
	CHECK(registry_auth_find("r.io", "x", &l, &d) == -EINVAL);
	json = "{\"auths\":{\"r.io\":{},\"r.io\":{}}}";
	CHECK(file_write(path, json, strlen(json), &d) == 0);
	CHECK(registry_auth_find("r.io", "x", &l, &d) == -EINVAL);
	unlink(path);
	unsetenv("REGISTRY_AUTH_FILE");
}
