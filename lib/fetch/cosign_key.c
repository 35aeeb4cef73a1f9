// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "core/lazy_lib.h"
#include "fetch/cosign_key.h"
#include "format/base64.h"
#include "format/meta_json.h"

#define KEY_BYTES   32
#define NONCE_BYTES 24
#define MAC_BYTES   16
/* scrypt takes 128 * N * r bytes: at most 1 GiB, whatever the file asks */
#define SCRYPT_MAX_MEMORY (1ull << 30)

static const char *const pem_types[] = {"ENCRYPTED SIGSTORE PRIVATE KEY",
					"ENCRYPTED COSIGN PRIVATE KEY"};

/* from libsodium, opened on first use */
static struct {
	int (*init)(void);
	int (*scrypt)(const uint8_t *passwd, size_t passwdlen, const uint8_t *salt, size_t saltlen,
		      uint64_t N, uint32_t r, uint32_t p, uint8_t *buf, size_t buflen);
	int (*open)(unsigned char *m, const unsigned char *c, unsigned long long clen,
		    const unsigned char *n, const unsigned char *k);
} na;

static int sodium_open(struct diag *d)
{
	static const struct lazy_symbol syms[] = {
		{"sodium_init", (void **)&na.init},
		{"crypto_pwhash_scryptsalsa208sha256_ll", (void **)&na.scrypt},
		{"crypto_secretbox_open_easy", (void **)&na.open},
	};
	int err;

	if (na.init)
		return 0;
	err = lazy_lib_open("libsodium.so.23", syms, sizeof(syms) / sizeof(syms[0]), d);
	if (!err && na.init() < 0)
		err = diag_set(d, -ELIBACC, "libsodium could not be initialised");
	return err;
}

/* The base64 text between the BEGIN and END lines of one of pem_types. */
static int pem_body(const char *text, size_t len, const char *path, const char **body,
		    size_t *body_len, struct diag *d)
{
	char begin[80], end[80];
	const char *b, *e;
	size_t i;

	for (i = 0; i < sizeof(pem_types) / sizeof(pem_types[0]); i++) {
		snprintf(begin, sizeof(begin), "-----BEGIN %s-----", pem_types[i]);
		snprintf(end, sizeof(end), "-----END %s-----", pem_types[i]);
		b = memmem(text, len, begin, strlen(begin));
		if (!b)
			continue;
		b += strlen(begin);
		e = memmem(b, len - (b - text), end, strlen(end));
		if (!e)
			break;
		*body = b;
		*body_len = e - b;
		return 0;
	}
	return diag_set(d, -EINVAL, "%s: not a cosign private key (a PEM block \"%s\" or \"%s\")",
			path, pem_types[0], pem_types[1]);
}

static int name_is(const cJSON *obj, const char *want, const char *what, const char *path,
		   struct diag *d)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(obj, "name");

	if (cJSON_IsString(n) && !strcmp(n->valuestring, want))
		return 0;
	return diag_set(d, -EINVAL, "%s: %s is not %s", path, what, want);
}

static int scrypt_params(const cJSON *kdf, const char *path, uint64_t *N, uint32_t *r, uint32_t *p,
			 struct diag *d)
{
	const cJSON *params = cJSON_GetObjectItemCaseSensitive(kdf, "params");
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(params, "N"),
		    *rr = cJSON_GetObjectItemCaseSensitive(params, "r"),
		    *pp = cJSON_GetObjectItemCaseSensitive(params, "p");

	if (!cJSON_IsNumber(n) || !cJSON_IsNumber(rr) || !cJSON_IsNumber(pp) ||
	    n->valuedouble < 2 || n->valuedouble > (1 << 24) || rr->valuedouble < 1 ||
	    rr->valuedouble > 64 || pp->valuedouble < 1 || pp->valuedouble > 64)
		return diag_set(d, -EINVAL, "%s: kdf.params N, r, p missing or out of range", path);
	*N = (uint64_t)n->valuedouble;
	*r = (uint32_t)rr->valuedouble;
	*p = (uint32_t)pp->valuedouble;
	if ((*N & (*N - 1)) || 128ull * *N * *r > SCRYPT_MAX_MEMORY)
		return diag_set(d, -EINVAL,
				"%s: kdf.params N must be a power of two and 128*N*r at most "
				"1 GiB",
				path);
	return 0;
}

struct sealed {
	uint8_t *salt, *nonce, *box, *plain;
	size_t salt_len, nonce_len, box_len;
	uint64_t N;
	uint32_t r, p;
};

static int parse_sealed(const cJSON *root, const char *path, struct sealed *s, struct diag *d)
{
	const cJSON *kdf = cJSON_GetObjectItemCaseSensitive(root, "kdf"),
		    *cipher = cJSON_GetObjectItemCaseSensitive(root, "cipher");
	int err;

	err = name_is(kdf, "scrypt", "kdf.name", path, d);
	err = err ?: name_is(cipher, "nacl/secretbox", "cipher.name", path, d);
	err = err ?: scrypt_params(kdf, path, &s->N, &s->r, &s->p, d);
	err = err ?: json_base64_member(kdf, "salt", path, &s->salt, &s->salt_len, d);
	err = err ?: json_base64_member(cipher, "nonce", path, &s->nonce, &s->nonce_len, d);
	err = err ?: json_base64_member(root, "ciphertext", path, &s->box, &s->box_len, d);
	if (!err && (s->nonce_len != NONCE_BYTES || s->box_len <= MAC_BYTES || !s->salt_len))
		err = diag_set(d, -EINVAL, "%s: nonce, salt or ciphertext of the wrong size", path);
	return err;
}

static int open_box(struct sealed *s, const char *path, const char *pass, struct diag *d)
{
	uint8_t key[KEY_BYTES];
	int err = 0;

	if (na.scrypt((const uint8_t *)pass, strlen(pass), s->salt, s->salt_len, s->N, s->r, s->p,
		      key, sizeof(key)))
		return diag_set(d, -ENOMEM, "%s: scrypt failed (out of memory?)", path);
	s->plain = malloc(s->box_len - MAC_BYTES);
	if (!s->plain)
		err = diag_set(d, -ENOMEM, "out of memory");
	else if (na.open(s->plain, s->box, s->box_len, s->nonce, key))
		err = diag_set(d, -EACCES, "%s: wrong password (or a damaged key file)", path);
	explicit_bzero(key, sizeof(key));
	return err;
}

int cosign_key_decrypt(const char *text, size_t len, const char *path, const char *pass,
		       struct sig_key **key, struct diag *d)
{
	struct sealed s = {0};
	const char *body = NULL;
	size_t body_len = 0, json_len = 0, bad;
	uint8_t *json = NULL;
	cJSON *root = NULL;
	int err;

	*key = NULL;
	err = sodium_open(d);
	err = err ?: pem_body(text, len, path, &body, &body_len, d);
	if (!err && base64_decode(body, body_len, &json, &json_len, &bad))
		err = diag_set(d, -EINVAL, "%s: the PEM block is not base64", path);
	err = err ?: json_parse_document((const char *)json, json_len, path, &root, d);
	err = err ?: parse_sealed(root, path, &s, d);
	err = err ?: open_box(&s, path, pass, d);
	err = err ?: sig_private_key_parse(s.plain, s.box_len - MAC_BYTES, path, key, d);
	if (s.plain)
		explicit_bzero(s.plain, s.box_len - MAC_BYTES);
	free(s.plain);
	free(s.salt);
	free(s.nonce);
	free(s.box);
	free(json);
	cJSON_Delete(root);
	return err;
}
