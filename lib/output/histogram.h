/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Histograms drawn as bcc's tools draw them, with '*' bars scaled to the largest bucket. */
#ifndef OUTPUT_HISTOGRAM_H
#define OUTPUT_HISTOGRAM_H

#include <stdint.h>
#include "core/out_buf.h"

/* The values log2 bucket i counts, as bcc prints them: 0 -> 1, 2 -> 3, 4 -> 7, ... */
void histogram_log2_bounds(int i, uint64_t *low, uint64_t *high);

/* Bucket i counts values in [2^i/2 .. 2^i - 1]; rows after the last non-empty one are left out. */
void histogram_log2(struct out_buf *out, const uint64_t *vals, int n, const char *unit);
/* Bucket i counts the value i; empty rows at both ends are left out. */
void histogram_linear(struct out_buf *out, const uint64_t *vals, int n, const char *unit);

#endif
