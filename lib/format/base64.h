/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Standard base64 (RFC 4648, '=' padding), the encoding of package.json's bpf_object. */
#ifndef FORMAT_BASE64_H
#define FORMAT_BASE64_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decodes len characters; spaces, tabs, CR and LF are skipped. Returns 0, or -EINVAL with *bad_pos
 * set to the offset of the first character that is not base64 (or len when the input ends
 * in the middle of a quantum), or -ENOMEM. *out is malloc'ed.
 */
int base64_decode(const char *in, size_t len, uint8_t **out, size_t *out_len, size_t *bad_pos);

/* Returns a malloc'ed NUL-terminated encoding, or NULL when out of memory. */
char *base64_encode(const void *data, size_t len);

#endif
