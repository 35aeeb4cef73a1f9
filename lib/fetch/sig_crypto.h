/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Signatures as cosign makes them: a public key in PEM ("PUBLIC KEY", PKIX; cosign's keys are
 * ECDSA P-256, RSA and Ed25519 keys are read too), a signature that is the DER encoding of
 * ECDSA over the sha256 of the data (PKCS#1 v1.5 for RSA, pure Ed25519). Through OpenSSL's
 * libcrypto, opened on first use (core/lazy_lib.h), not hand-written crypto.
 */
#ifndef FETCH_SIG_CRYPTO_H
#define FETCH_SIG_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include "core/diag.h"

struct sig_key; /* a public or private key */

/* A public key from PEM text; what names it in messages (a file). */
int sig_public_key_parse(const char *pem, size_t len, const char *what, struct sig_key **key,
			 struct diag *d);
/* A private key from its PKCS#8 DER (what cosign keeps, encrypted). */
int sig_private_key_parse(const void *der, size_t len, const char *what, struct sig_key **key,
			  struct diag *d);
void sig_key_free(struct sig_key *key);

/* True when sig (DER, sig_len bytes) is key's signature over data. */
bool sig_verify(const struct sig_key *key, const void *data, size_t len, const void *sig,
		size_t sig_len);
/* key's signature over data (DER, malloc'd). */
int sig_sign(const struct sig_key *key, const void *data, size_t len, unsigned char **sig,
	     size_t *sig_len, struct diag *d);

#endif
