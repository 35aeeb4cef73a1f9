/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What ecli uses of OpenSSL's libcrypto, opened on first use (core/lazy_lib.h says why): sha256
 * (digest.h) and signatures (sig_crypto.h), from one table, so the library is opened and its
 * symbols looked up once.
 */
#ifndef FETCH_LIBCRYPTO_H
#define FETCH_LIBCRYPTO_H

#include <openssl/evp.h>
#include <openssl/pem.h>
#include "core/diag.h"

struct libcrypto {
	int (*digest)(const void *data, size_t len, unsigned char *md, unsigned int *md_len,
		      const EVP_MD *type, ENGINE *impl);
	const EVP_MD *(*sha256)(void);
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
	void (*err_clear)(void);
};

/* Filled by libcrypto_open; before it, every member is NULL. */
extern struct libcrypto libcrypto;

/* 0 once libcrypto is open; -ELIBACC with d naming the library or symbol missing. */
int libcrypto_open(struct diag *d);

#endif
