/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Content digests as OCI writes them: "sha256:" and 64 lowercase hex digits. */
#ifndef FETCH_DIGEST_H
#define FETCH_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include "core/diag.h"

#define DIGEST_SHA256_PREFIX "sha256:"
#define DIGEST_STR_LEN	     (sizeof(DIGEST_SHA256_PREFIX) - 1 + 64) /* without the NUL */

/*
 * Writes "sha256:<hex>" of data into out (DIGEST_STR_LEN + 1 bytes). 0, or -ENOMEM, or
 * -ELIBACC when libcrypto cannot be loaded; d says which.
 */
int digest_sha256(const void *data, size_t len, char out[DIGEST_STR_LEN + 1], struct diag *d);
/* True for "sha256:" followed by exactly 64 lowercase hex digits and nothing else. */
bool digest_valid(const char *s);

#endif
