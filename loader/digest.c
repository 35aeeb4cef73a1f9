// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sha256 through OpenSSL's EVP interface: a maintained, widely reviewed implementation that
 * libcurl already links, rather than a hand-written hash whose one wrong round would pass every
 * local test and accept a tampered package.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <openssl/evp.h>
#include "digest.h"

int digest_sha256(const void *data, size_t len, char out[DIGEST_STR_LEN + 1])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0, i;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok;

	if (!ctx)
		return -ENOMEM;
	ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) && EVP_DigestUpdate(ctx, data, len) &&
	     EVP_DigestFinal_ex(ctx, md, &md_len) && md_len == 32;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return -ENOMEM;
	memcpy(out, DIGEST_SHA256_PREFIX, sizeof(DIGEST_SHA256_PREFIX) - 1);
	for (i = 0; i < md_len; i++)
		snprintf(out + sizeof(DIGEST_SHA256_PREFIX) - 1 + 2 * i, 3, "%02x", md[i]);
	return 0;
}

bool digest_valid(const char *s)
{
	size_t i, n = sizeof(DIGEST_SHA256_PREFIX) - 1;

	if (strncmp(s, DIGEST_SHA256_PREFIX, n) || strlen(s) != DIGEST_STR_LEN)
		return false;
	for (i = n; i < DIGEST_STR_LEN; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}
