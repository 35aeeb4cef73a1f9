/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * cosign's private key files, as `cosign generate-key-pair` writes them: a PEM block of type
 * "ENCRYPTED SIGSTORE PRIVATE KEY" (cosign 2; "ENCRYPTED COSIGN PRIVATE KEY" before) holding
 * JSON {"kdf": {"name": "scrypt", "params": {"N", "r", "p"}, "salt"}, "cipher": {"name":
 * "nacl/secretbox", "nonce"}, "ciphertext"} (byte strings in base64): the key that opens the
 * secretbox is scrypt(passphrase, salt, N, r, p) of 32 bytes, and what it holds is the PKCS#8
 * DER of the private key. scrypt and secretbox are libsodium's, opened on first use.
 */
#ifndef FETCH_COSIGN_KEY_H
#define FETCH_COSIGN_KEY_H

#include <stddef.h>
#include "core/diag.h"
#include "fetch/sig_crypto.h"

/* The private key in text (a file's content, named path in messages), opened with pass. */
int cosign_key_decrypt(const char *text, size_t len, const char *path, const char *pass,
		       struct sig_key **key, struct diag *d);

#endif
