// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* base64: RFC 4648 vectors, round trips, and the offsets reported for malformed input. */
#include <errno.h>
#include <stdlib.h>
#include "format/base64.h"
#include "unit.h"

/* RFC 4648 section 10, plus a seventh byte so lengths 0..7 are all covered. */
static const char *const plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar", "foobarx"};
static const char *const coded[] = {"",		"Zg==",	    "Zm8=",	"Zm9v",
				    "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy", "Zm9vYmFyeA=="};

/* Decodes text and compares with want (want_len bytes); returns the decoder's result. */
static int decode_eq(const char *text, const void *want, size_t want_len)
{
	uint8_t *out = NULL;
	size_t out_len = 12345, bad = 12345;
	int err = base64_decode(text, strlen(text), &out, &out_len, &bad);

	if (err)
		return err;
	err = out_len != want_len || memcmp(out, want, want_len) ? -EBADMSG : 0;
	free(out);
	return err;
}

/* The decoder's result for malformed text; *bad_pos receives where it stopped. */
static int decode_bad(const char *text, size_t len, size_t *bad_pos)
{
	uint8_t *out = (uint8_t *)"untouched";
	size_t out_len = 0;
	int err = base64_decode(text, len, &out, &out_len, bad_pos);

	if (!err)
		free(out);
	return err;
}

TEST(base64_encode_rfc4648_vectors)
{
	size_t i;

	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		char *s = base64_encode(plain[i], strlen(plain[i]));

		CHECK_STR(s, coded[i]);
		free(s);
	}
}

TEST(base64_encode_uses_plus_and_slash)
{
	static const uint8_t high[] = {0xfb, 0xff};
	static const uint8_t all_62[] = {0xfb, 0xef, 0xbe};
	char *s = base64_encode(high, sizeof(high));

	CHECK_STR(s, "+/8=");
	free(s);
	s = base64_encode(all_62, sizeof(all_62));
	CHECK_STR(s, "++++");
	free(s);
}

TEST(base64_decode_rfc4648_vectors)
{
	size_t i;

	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		CHECK(decode_eq(coded[i], plain[i], strlen(plain[i])) == 0);
}

TEST(base64_round_trip_binary_lengths_0_to_7)
{
	uint8_t data[8];
	size_t len, i;

	/* bytes chosen so every length holds 0x00, 0xff and values that map to '+' and '/' */
	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(0xfb + i * 37);
	for (len = 0; len < sizeof(data); len++) {
		char *s = base64_encode(data, len);

		CHECK(s && strlen(s) == (len + 2) / 3 * 4);
		CHECK(s && decode_eq(s, data, len) == 0);
		free(s);
	}
}

TEST(base64_round_trip_every_byte_value)
{
	uint8_t data[256];
	char *s;
	int i;

	for (i = 0; i < 256; i++)
		data[i] = (uint8_t)i;
	s = base64_encode(data, sizeof(data));
	CHECK(s && strlen(s) == 344);
	CHECK(s && decode_eq(s, data, sizeof(data)) == 0);
	free(s);
}

TEST(base64_decode_skips_whitespace)
{
	CHECK(decode_eq("Zm9v\nYmFy\r\n", "foobar", 6) == 0);
	CHECK(decode_eq(" Z m\t9 v ", "foo", 3) == 0);
	CHECK(decode_eq("Zg==\n", "f", 1) == 0);
	CHECK(decode_eq("Zg\n==", "f", 1) == 0);
	CHECK(decode_eq(" \n\t\r", "", 0) == 0);
}

TEST(base64_decode_reports_invalid_characters)
{
	size_t bad = 999;

	CHECK(decode_bad("Zm9v*mFy", 8, &bad) == -EINVAL);
	CHECK(bad == 4);
	/* the URL-safe alphabet is not the one ecc writes */
	CHECK(decode_bad("Zm-v", 4, &bad) == -EINVAL);
	CHECK(bad == 2);
	CHECK(decode_bad("Zm9_", 4, &bad) == -EINVAL);
	CHECK(bad == 3);
	CHECK(decode_bad("Zm9v\xc3\xa9", 6, &bad) == -EINVAL);
	CHECK(bad == 4);
	/* a NUL inside the given length is data, not the end */
	CHECK(decode_bad("Zm\0v", 4, &bad) == -EINVAL);
	CHECK(bad == 2);
}

TEST(base64_decode_rejects_truncated_quantum)
{
	size_t bad = 999;

	CHECK(decode_bad("Zm9vY", 5, &bad) == -EINVAL);
	CHECK(bad == 5);
	CHECK(decode_bad("Zg=", 3, &bad) == -EINVAL);
	CHECK(bad == 3);
	CHECK(decode_bad("Zg", 2, &bad) == -EINVAL);
	CHECK(bad == 2);
	CHECK(decode_bad("Zm9vYmFy Zm9 \n", 14, &bad) == -EINVAL);
	CHECK(bad == 14);
}

TEST(base64_decode_rejects_misplaced_padding)
{
	size_t bad = 999;

	CHECK(decode_bad("====", 4, &bad) == -EINVAL);
	CHECK(bad == 0);
	CHECK(decode_bad("Z===", 4, &bad) == -EINVAL);
	CHECK(bad == 1);
	CHECK(decode_bad("Zg=a", 4, &bad) == -EINVAL);
	CHECK(bad == 3);
	CHECK(decode_bad("Zg===", 5, &bad) == -EINVAL);
	CHECK(bad == 4);
}

TEST(base64_decode_rejects_data_after_padding)
{
	size_t bad = 999;

	CHECK(decode_bad("Zg==Zg==", 8, &bad) == -EINVAL);
	CHECK(bad == 4);
	CHECK(decode_bad("Zm8=Zm9v", 8, &bad) == -EINVAL);
	CHECK(bad == 4);
	CHECK(decode_bad("Zm8=\nA", 6, &bad) == -EINVAL);
	CHECK(bad == 5);
}
