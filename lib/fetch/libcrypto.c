// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "core/lazy_lib.h"
#include "fetch/libcrypto.h"

struct libcrypto libcrypto;

int libcrypto_open(struct diag *d)
{
	static const struct lazy_symbol syms[] = {
		{"EVP_Digest", (void **)&libcrypto.digest},
		{"EVP_sha256", (void **)&libcrypto.sha256},
		{"BIO_new_mem_buf", (void **)&libcrypto.bio_new_mem_buf},
		{"BIO_free", (void **)&libcrypto.bio_free},
		{"PEM_read_bio_PUBKEY", (void **)&libcrypto.pem_read_bio_pubkey},
		{"d2i_AutoPrivateKey", (void **)&libcrypto.d2i_auto_private_key},
		{"EVP_PKEY_free", (void **)&libcrypto.pkey_free},
		{"EVP_PKEY_get_base_id", (void **)&libcrypto.pkey_base_id},
		{"EVP_MD_CTX_new", (void **)&libcrypto.md_ctx_new},
		{"EVP_MD_CTX_free", (void **)&libcrypto.md_ctx_free},
		{"EVP_DigestVerifyInit", (void **)&libcrypto.verify_init},
		{"EVP_DigestVerify", (void **)&libcrypto.verify},
		{"EVP_DigestSignInit", (void **)&libcrypto.sign_init},
		{"EVP_DigestSign", (void **)&libcrypto.sign},
		{"ERR_clear_error", (void **)&libcrypto.err_clear},
	};

	if (libcrypto.digest)
		return 0;
	return lazy_lib_open("libcrypto.so.3", syms, sizeof(syms) / sizeof(syms[0]), d);
}
