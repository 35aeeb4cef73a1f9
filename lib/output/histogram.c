// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "output/histogram.h"

static void bar(struct out_buf *out, uint64_t val, uint64_t max, int width)
{
	uint64_t stars = max ? (val < max ? val : max) * width / max : 0;

	out_putc(out, '|');
	out_pad(out, '*', stars);
	out_pad(out, ' ', width - stars);
	out_puts(out, "|\n");
}

void histogram_log2_bounds(int i, uint64_t *low, uint64_t *high)
{
	*low = 1ULL << i;
	*high = i < 63 ? (1ULL << (i + 1)) - 1 : ~0ULL;
	if (*low == *high)
		*low -= 1;
}

void histogram_log2(struct out_buf *out, const uint64_t *vals, int n, const char *unit)
{
	int i, idx_max = -1, width, stars;
	uint64_t max = 0;

	for (i = 0; i < n && i < 64; i++) {
		if (vals[i] > 0)
			idx_max = i;
		if (vals[i] > max)
			max = vals[i];
	}
	if (idx_max < 0)
		return;
	stars = idx_max <= 32 ? 40 : 20;
	width = idx_max <= 32 ? 10 : 20;
	out_printf(out, "%*s%-*s : count    distribution\n", idx_max <= 32 ? 5 : 15, "",
		   idx_max <= 32 ? 19 : 29, unit);
	for (i = 0; i <= idx_max; i++) {
		uint64_t low, high;

		histogram_log2_bounds(i, &low, &high);
		out_printf(out, "%*llu -> %-*llu : %-8llu ", width, (unsigned long long)low, width,
			   (unsigned long long)high, (unsigned long long)vals[i]);
		bar(out, vals[i], max, stars);
	}
}

void histogram_linear(struct out_buf *out, const uint64_t *vals, int n, const char *unit)
{
	int i, first = -1, last = -1;
	uint64_t max = 0;

	for (i = 0; i < n; i++) {
		if (vals[i] > 0) {
			if (first < 0)
				first = i;
			last = i;
		}
		if (vals[i] > max)
			max = vals[i];
	}
	if (first < 0)
		return;
	out_printf(out, "     %-13s : count     distribution\n", unit);
	for (i = first; i <= last; i++) {
		out_printf(out, "        %-10d : %-8llu ", i, (unsigned long long)vals[i]);
		bar(out, vals[i], max, 40);
	}
}
