// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Histograms must read exactly as bcc's print_log2_hist and print_linear_hist draw them. The
 * expected text was produced by a transcription of bcc's code (libbpf-tools trace_helpers.c for
 * log2; bcc's table.py for linear, which keeps empty rows between the first and last).
 */
#include <stdint.h>
#include "output/histogram.h"
#include "unit.h"

static const char *text_of(struct out_buf *out)
{
	out_putc(out, 0);
	out->len--;
	return out->data;
}

#define CHECK_LOG2(vals, n, unit, want)                   \
	do {                                              \
		struct out_buf o_;                        \
		out_buf_init(&o_, -1, 64);                \
		histogram_log2(&o_, (vals), (n), (unit)); \
		CHECK_STR(text_of(&o_), (want));          \
		out_buf_free(&o_);                        \
	} while (0)

#define CHECK_LINEAR(vals, n, unit, want)                   \
	do {                                                \
		struct out_buf o_;                          \
		out_buf_init(&o_, -1, 64);                  \
		histogram_linear(&o_, (vals), (n), (unit)); \
		CHECK_STR(text_of(&o_), (want));            \
		out_buf_free(&o_);                          \
	} while (0)

/* Line i (from 0) of text, copied into buf without its newline. */
static const char *line_of(const char *text, int i, char *buf, size_t len)
{
	const char *end;

	while (i-- > 0 && text)
		text = (text = strchr(text, '\n')) ? text + 1 : NULL;
	if (!text)
		return NULL;
	end = strchr(text, '\n');
	if (!end || (size_t)(end - text) >= len)
		return NULL;
	memcpy(buf, text, end - text);
	buf[end - text] = 0;
	return buf;
}

static int count_lines(const char *text)
{
	int n = 0;

	for (; *text; text++)
		n += *text == '\n';
	return n;
}

TEST(histogram_log2_small)
{
	static const uint64_t vals[] = {0, 1, 4, 2};

	CHECK_LOG2(
		vals, 4, "usecs",
		"     usecs               : count    distribution\n"
		"         0 -> 1          : 0        |                                        |\n"
		"         2 -> 3          : 1        |**********                              |\n"
		"         4 -> 7          : 4        |****************************************|\n"
		"         8 -> 15         : 2        |********************                    |\n");
}

TEST(histogram_log2_single_bucket)
{
	static const uint64_t vals[] = {3};

	CHECK_LOG2(
		vals, 1, "nsecs",
		"     nsecs               : count    distribution\n"
		"         0 -> 1          : 3        |****************************************|\n");
}

TEST(histogram_log2_leading_empty_rows_kept)
{
	static const uint64_t vals[] = {0, 0, 0, 0, 0, 7};

	CHECK_LOG2(
		vals, 6, "msecs",
		"     msecs               : count    distribution\n"
		"         0 -> 1          : 0        |                                        |\n"
		"         2 -> 3          : 0        |                                        |\n"
		"         4 -> 7          : 0        |                                        |\n"
		"         8 -> 15         : 0        |                                        |\n"
		"        16 -> 31         : 0        |                                        |\n"
		"        32 -> 63         : 7        |****************************************|\n");
}

TEST(histogram_log2_trailing_empty_rows_dropped_and_bars_round_down)
{
	static const uint64_t vals[] = {5, 3, 1, 0, 0, 0};

	CHECK_LOG2(
		vals, 6, "x",
		"     x                   : count    distribution\n"
		"         0 -> 1          : 5        |****************************************|\n"
		"         2 -> 3          : 3        |************************                |\n"
		"         4 -> 7          : 1        |********                                |\n");
}

TEST(histogram_log2_all_zero_prints_nothing)
{
	static const uint64_t vals[8];

	CHECK_LOG2(vals, 8, "usecs", "");
	CHECK_LOG2(vals, 0, "usecs", "");
}

TEST(histogram_log2_bucket_32_still_narrow)
{
	uint64_t vals[33] = {0};
	struct out_buf out;
	char line[128];

	vals[32] = 1;
	out_buf_init(&out, -1, 64);
	histogram_log2(&out, vals, 33, "ns");
	text_of(&out);
	CHECK(count_lines(out.data) == 34);
	CHECK_STR(line_of(out.data, 0, line, sizeof(line)),
		  "     ns                  : count    distribution");
	CHECK_STR(line_of(out.data, 33, line, sizeof(line)),
		  "4294967296 -> 8589934591 : 1        |****************************************|");
	out_buf_free(&out);
}

TEST(histogram_log2_wide_past_bucket_32)
{
	uint64_t vals[64] = {0};
	struct out_buf out;
	char line[128];

	/* past bucket 32 the columns widen and bars halve; bucket 63 ends at 2^64 - 1 */
	vals[33] = 3;
	vals[63] = 1;
	out_buf_init(&out, -1, 64);
	histogram_log2(&out, vals, 64, "ns");
	text_of(&out);
	CHECK(count_lines(out.data) == 65);
	CHECK_STR(line_of(out.data, 0, line, sizeof(line)),
		  "               ns                            : count    distribution");
	CHECK_STR(line_of(out.data, 1, line, sizeof(line)),
		  "                   0 -> 1                    : 0        |                    |");
	CHECK_STR(line_of(out.data, 34, line, sizeof(line)),
		  "          8589934592 -> 17179869183          : 3        |********************|");
	CHECK_STR(line_of(out.data, 64, line, sizeof(line)),
		  " 9223372036854775808 -> 18446744073709551615 : 1        |******              |");
	out_buf_free(&out);
}

static const char wide_counts[] =
	"     usecs               : count    distribution\n"
	"         0 -> 1          : 5000000000 |****************************************|\n"
	"         2 -> 3          : 2500000000 |********************                    |\n";

TEST(histogram_log2_counts_wider_than_32_bits)
{
	static const uint64_t vals[] = {5000000000ull, 2500000000ull};

	CHECK_LOG2(vals, 2, "usecs", wide_counts);
}

TEST(histogram_linear_trims_empty_ends)
{
	static const uint64_t vals[] = {0, 0, 3, 0, 1, 0, 0};

	CHECK_LINEAR(vals, 7, "slot",
		     "     slot          : count     distribution\n"
		     "        2          : 3        |****************************************|\n"
		     "        3          : 0        |                                        |\n"
		     "        4          : 1        |*************                           |\n");
}

TEST(histogram_linear_single_and_empty)
{
	static const uint64_t one[] = {9};
	static const uint64_t none[4];

	CHECK_LINEAR(one, 1, "pid",
		     "     pid           : count     distribution\n"
		     "        0          : 9        |****************************************|\n");
	CHECK_LINEAR(none, 4, "pid", "");
}
