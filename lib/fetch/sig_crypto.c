// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include "core/lazy_lib.h"
#include "fetch/sig_crypto.h"

struct sig_key {
	EVP_PKEY *pkey;
};

/* from libcrypto, opened on first use */
static struct {
	BIO *(*bio_new_mem_buf)(const void *buf, int len);
	int (*bio_free)(BIO *b);
	EVP_PKEY *(*pem_read_bio_pubkey)(BIO *bp, EVP_PKEY **x, pem_password_cb *cb, void *u);
	EVP_PKEY *(*d2i_auto_private_key)(EVP_PKEY **a, const unsigned char **pp, long length);
	void (*pkey_free)(EVP_PKEY *k);
	int (*pkey_base_id)(const EVP_PKEY *k);
	EVP_MD_CTX *(*md_ctx_new)(void);
	void (*md_ctx_free)(EVP_MD_CTX *c);
	int (*verify_init)(EVP_MD_CTX *c, EVP_PKEY_CTX **pctx, const EVP_MD *md, ENGINE *e,
			   EVP_PKEY *k);
	int (*verify)(EVP_MD_CTX *c, const unsigned char *sig, size_t siglen,
		      const unsigned char *tbs, size_t tbslen);
	int (*sign_init)(EVP_MD_CTX *c, EVP_PKEY_CTX **pctx, const EVP_MD *md, ENGINE *e,
			 EVP_PKEY *k);
	int (*sign)(EVP_MD_CTX *c, unsigned char *sig, size_t *siglen, const unsigned char *tbs,
		    size_t tbslen);
	const EVP_MD *(*sha256)(void);
	void (*err_clear)(void);
} ssl;

static int ssl_open(struct diag *d)
{
	static const struct lazy_symbol syms[] = {
		{"BIO_new_mem_buf", (void **)&ssl.bio_new_mem_buf},
		{"BIO_free", (void **)&ssl.bio_free},
		{"PEM_read_bio_PUBKEY", (void **)&ssl.pem_read_bio_pubkey},
		{"d2i_AutoPrivateKey", (void **)&ssl.d2i_auto_private_key},
		{"EVP_PKEY_free", (void **)&ssl.pkey_free},
		{"EVP_PKEY_get_base_id", (void **)&ssl.pkey_base_id},
		{"EVP_MD_CTX_new", (void **)&ssl.md_ctx_new},
		{"EVP_MD_CTX_free", (void **)&ssl.md_ctx_free},
		{"EVP_DigestVerifyInit", (void **)&ssl.verify_init},
		{"EVP_DigestVerify", (void **)&ssl.verify},
		{"EVP_DigestSignInit", (void **)&ssl.sign_init},
		{"EVP_DigestSign", (void **)&ssl.sign},
		{"EVP_sha256", (void **)&ssl.sha256},
		{"ERR_clear_error", (void **)&ssl.err_clear},
	};

	if (ssl.sha256)
		return 0;
	return lazy_lib_open("libcrypto.so.3", syms, sizeof(syms) / sizeof(syms[0]), d);
}

/* Ed25519 signs the message itself; the others a sha256 of it. */
static const EVP_MD *digest_for(const EVP_PKEY *k)
{
	return ssl.pkey_base_id(k) == EVP_PKEY_ED25519 ? NULL : ssl.sha256();
}

static int known_kind(EVP_PKEY *k, const char *what, struct diag *d)
{
	int id = ssl.pkey_base_id(k);

	if (id == EVP_PKEY_EC || id == EVP_PKEY_RSA || id == EVP_PKEY_ED25519)
		return 0;
	return diag_set(d, -EINVAL, "%s: not an ECDSA, RSA or Ed25519 key", what);
}

static int wrap(EVP_PKEY *k, const char *what, struct sig_key **key, struct diag *d)
{
	int err = known_kind(k, what, d);

	*key = err ? NULL : calloc(1, sizeof(**key));
	if (!err && !*key)
		err = diag_set(d, -ENOMEM, "out of memory");
	if (err) {
		ssl.pkey_free(k);
		return err;
	}
	(*key)->pkey = k;
	return 0;
}

int sig_public_key_parse(const char *pem, size_t len, const char *what, struct sig_key **key,
			 struct diag *d)
{
	EVP_PKEY *k = NULL;
	BIO *b;
	int err = ssl_open(d);

	*key = NULL;
	if (err)
		return err;
	if (len > 1 << 20)
		return diag_set(d, -EFBIG, "%s: too large for a public key", what);
	b = ssl.bio_new_mem_buf(pem, (int)len);
	if (!b)
		return diag_set(d, -ENOMEM, "out of memory");
	k = ssl.pem_read_bio_pubkey(b, NULL, NULL, NULL);
	ssl.bio_free(b);
	ssl.err_clear();
	if (!k)
		return diag_set(d, -EINVAL, "%s: not a PEM public key (\"BEGIN PUBLIC KEY\")",
				what);
	return wrap(k, what, key, d);
}

int sig_private_key_parse(const void *der, size_t len, const char *what, struct sig_key **key,
			  struct diag *d)
{
	const unsigned char *p = der;
	EVP_PKEY *k;
	int err = ssl_open(d);

	*key = NULL;
	if (err)
		return err;
	k = ssl.d2i_auto_private_key(NULL, &p, (long)len);
	ssl.err_clear();
	if (!k)
		return diag_set(d, -EINVAL, "%s: not a PKCS#8 private key", what);
	return wrap(k, what, key, d);
}

void sig_key_free(struct sig_key *key)
{
	if (!key)
		return;
	ssl.pkey_free(key->pkey);
	free(key);
}

bool sig_verify(const struct sig_key *key, const void *data, size_t len, const void *sig,
		size_t sig_len)
{
	EVP_MD_CTX *c = ssl.md_ctx_new();
	bool ok;

	if (!c)
		return false;
	ok = ssl.verify_init(c, NULL, digest_for(key->pkey), NULL, key->pkey) == 1 &&
	     ssl.verify(c, sig, sig_len, data, len) == 1;
	ssl.md_ctx_free(c);
	ssl.err_clear();
	return ok;
}

int sig_sign(const struct sig_key *key, const void *data, size_t len, unsigned char **sig,
	     size_t *sig_len, struct diag *d)
{
	EVP_MD_CTX *c = ssl.md_ctx_new();
	int err = 0;

	*sig = NULL;
	if (!c)
		return diag_set(d, -ENOMEM, "out of memory");
	if (ssl.sign_init(c, NULL, digest_for(key->pkey), NULL, key->pkey) != 1 ||
	    ssl.sign(c, NULL, sig_len, data, len) != 1 || !(*sig = malloc(*sig_len)) ||
	    ssl.sign(c, *sig, sig_len, data, len) != 1) {
		free(*sig);
		*sig = NULL;
		err = diag_set(d, -EINVAL, "signing failed");
	}
	ssl.md_ctx_free(c);
	ssl.err_clear();
	return err;
}
