/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* zlib inflation of the packaged BPF object, bounded by the size the package declares. */
#ifndef FORMAT_INFLATE_H
#define FORMAT_INFLATE_H

#include <stddef.h>
#include "core/diag.h"

/*
 * Inflates a zlib stream that must decode to exactly expected bytes. Output beyond expected is
 * never produced: a stream that would go on (a decompression bomb, or a wrong declared size)
 * is refused after expected + 1 bytes. *out is malloc'ed.
 */
int inflate_exact(const void *in, size_t in_len, size_t expected, void **out, struct diag *d);
/* The same; messages name what ("btf_for[0].btf") and the key declaring its size. */
int inflate_exact_as(const void *in, size_t in_len, size_t expected, const char *what,
		     const char *size_key, void **out, struct diag *d);

#endif
