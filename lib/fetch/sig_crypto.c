// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include "fetch/libcrypto.h"
#include "fetch/sig_crypto.h"

struct sig_key {
	EVP_PKEY *pkey;
};

/* Ed25519 signs the message itself; the others a sha256 of it. */
static const EVP_MD *digest_for(const EVP_PKEY *k)
{
	return libcrypto.pkey_base_id(k) == EVP_PKEY_ED25519 ? NULL : libcrypto.sha256();
}

static int known_kind(EVP_PKEY *k, const char *what, struct diag *d)
{
	int id = libcrypto.pkey_base_id(k);

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
		libcrypto.pkey_free(k);
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
	int err = libcrypto_open(d);

	*key = NULL;
	if (err)
		return err;
	if (len > 1 << 20)
		return diag_set(d, -EFBIG, "%s: too large for a public key", what);
	b = libcrypto.bio_new_mem_buf(pem, (int)len);
	if (!b)
		return diag_set(d, -ENOMEM, "out of memory");
	k = libcrypto.pem_read_bio_pubkey(b, NULL, NULL, NULL);
	libcrypto.bio_free(b);
	libcrypto.err_clear();
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
	int err = libcrypto_open(d);

	*key = NULL;
	if (err)
		return err;
	k = libcrypto.d2i_auto_private_key(NULL, &p, (long)len);
	libcrypto.err_clear();
	if (!k)
		return diag_set(d, -EINVAL, "%s: not a PKCS#8 private key", what);
	return wrap(k, what, key, d);
}

void sig_key_free(struct sig_key *key)
{
	if (!key)
		return;
	libcrypto.pkey_free(key->pkey);
	free(key);
}

bool sig_verify(const struct sig_key *key, const void *data, size_t len, const void *sig,
		size_t sig_len)
{
	EVP_MD_CTX *c = libcrypto.md_ctx_new();
	bool ok;

	if (!c)
		return false;
	ok = libcrypto.verify_init(c, NULL, digest_for(key->pkey), NULL, key->pkey) == 1 &&
	     libcrypto.verify(c, sig, sig_len, data, len) == 1;
	libcrypto.md_ctx_free(c);
	libcrypto.err_clear();
	return ok;
}

int sig_sign(const struct sig_key *key, const void *data, size_t len, unsigned char **sig,
	     size_t *sig_len, struct diag *d)
{
	EVP_MD_CTX *c = libcrypto.md_ctx_new();
	int err = 0;

	*sig = NULL;
	if (!c)
		return diag_set(d, -ENOMEM, "out of memory");
	if (libcrypto.sign_init(c, NULL, digest_for(key->pkey), NULL, key->pkey) != 1 ||
	    libcrypto.sign(c, NULL, sig_len, data, len) != 1 || !(*sig = malloc(*sig_len)) ||
	    libcrypto.sign(c, *sig, sig_len, data, len) != 1) {
		free(*sig);
		*sig = NULL;
		err = diag_set(d, -EINVAL, "signing failed");
	}
	libcrypto.md_ctx_free(c);
	libcrypto.err_clear();
	return err;
}
