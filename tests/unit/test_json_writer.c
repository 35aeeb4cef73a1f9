// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The streaming JSON writer: separators, escaping, UTF-8 checks and exact wide integers. */
#include <math.h>
#include <stdint.h>
#include "core/json_writer.h"
#include "unit.h"

/* A writer into memory; a small initial buffer so growth is exercised too. */
struct sink {
	struct out_buf out;
	struct json_writer jw;
};

static void sink_init(struct sink *s)
{
	out_buf_init(&s->out, -1, 8);
	jw_init(&s->jw, &s->out);
}

/* The text written so far, NUL-terminated in place (the NUL is not counted in len). */
static const char *sink_text(struct sink *s)
{
	out_putc(&s->out, 0);
	s->out.len--;
	return s->out.data;
}

static void sink_reset(struct sink *s)
{
	s->out.len = 0;
	jw_init(&s->jw, &s->out);
}

/* The escaped body of the len bytes at str, in a fresh sink. */
#define CHECK_ESCAPE(str, len, want)                \
	do {                                        \
		struct sink s_;                     \
		sink_init(&s_);                     \
		json_escape(&s_.out, (str), (len)); \
		CHECK_STR(sink_text(&s_), (want));  \
		out_buf_free(&s_.out);              \
	} while (0)

TEST(json_nesting_and_commas)
{
	struct sink s;

	sink_init(&s);
	jw_object_begin(&s.jw);
	jw_key(&s.jw, "a");
	jw_u64(&s.jw, 1);
	jw_key(&s.jw, "b");
	jw_array_begin(&s.jw);
	jw_u64(&s.jw, 1);
	jw_s64(&s.jw, -2);
	jw_object_begin(&s.jw);
	jw_key(&s.jw, "c");
	jw_array_begin(&s.jw);
	jw_array_end(&s.jw);
	jw_object_end(&s.jw);
	jw_null(&s.jw);
	jw_array_end(&s.jw);
	jw_key(&s.jw, "d");
	jw_object_begin(&s.jw);
	jw_object_end(&s.jw);
	jw_key(&s.jw, "e");
	jw_bool(&s.jw, true);
	jw_key(&s.jw, "f");
	jw_bool(&s.jw, false);
	jw_object_end(&s.jw);
	CHECK_STR(sink_text(&s),
		  "{\"a\":1,\"b\":[1,-2,{\"c\":[]},null],\"d\":{},\"e\":true,\"f\":false}");
	CHECK(s.jw.depth == 0);
	out_buf_free(&s.out);
}

TEST(json_top_level_values_are_not_separated)
{
	struct sink s;

	/* one object per line: the caller adds the newline, the writer no comma */
	sink_init(&s);
	jw_object_begin(&s.jw);
	jw_key(&s.jw, "x");
	jw_u64(&s.jw, 1);
	jw_object_end(&s.jw);
	out_putc(&s.out, '\n');
	jw_object_begin(&s.jw);
	jw_key(&s.jw, "x");
	jw_u64(&s.jw, 2);
	jw_object_end(&s.jw);
	CHECK_STR(sink_text(&s), "{\"x\":1}\n{\"x\":2}");
	out_buf_free(&s.out);
}

TEST(json_deep_nesting_stays_balanced)
{
	struct sink s;
	char want[2 * 70 + 8];
	int i;

	/* deeper than JSON_MAX_DEPTH: brackets balance, nothing is written out of bounds */
	sink_init(&s);
	for (i = 0; i < 70; i++)
		jw_array_begin(&s.jw);
	for (i = 0; i < 70; i++)
		jw_array_end(&s.jw);
	memset(want, '[', 70);
	memset(want + 70, ']', 70);
	want[140] = 0;
	CHECK_STR(sink_text(&s), want);
	CHECK(s.jw.depth == 0);
	out_buf_free(&s.out);
}

TEST(json_escapes_quotes_backslash_and_controls)
{
	CHECK_ESCAPE("a\"b\\c", 5, "a\\\"b\\\\c");
	CHECK_ESCAPE("\n\t\r", 3, "\\n\\t\\r");
	CHECK_ESCAPE("\x01", 1, "\\u0001");
	CHECK_ESCAPE("\x1f\b\f", 3, "\\u001f\\u0008\\u000c");
	CHECK_ESCAPE("a\0b", 3, "a\\u0000b");
	CHECK_ESCAPE("", 0, "");
	/* DEL is legal in JSON strings */
	CHECK_ESCAPE("\x7f", 1, "\x7f");
	CHECK_ESCAPE("plain text, no escapes", 22, "plain text, no escapes");
}

TEST(json_escape_respects_length)
{
	/* only the first 3 bytes are the value */
	CHECK_ESCAPE("abc\"def", 3, "abc");
}

TEST(json_valid_utf8_passes_through)
{
	CHECK_ESCAPE("h\xc3\xa9llo", 6, "h\xc3\xa9llo");
	CHECK_ESCAPE("\xe2\x82\xac", 3, "\xe2\x82\xac");	   /* U+20AC */
	CHECK_ESCAPE("\xf0\x9f\x98\x80!", 5, "\xf0\x9f\x98\x80!"); /* U+1F600 */
	CHECK_ESCAPE("\xf4\x8f\xbf\xbf", 4, "\xf4\x8f\xbf\xbf");   /* U+10FFFF */
	CHECK_ESCAPE("\xc2\x80", 2, "\xc2\x80");		   /* U+0080 */
	CHECK_ESCAPE("\xef\xbf\xbf", 3, "\xef\xbf\xbf");	   /* U+FFFF */
}

TEST(json_invalid_utf8_becomes_u00xx)
{
	CHECK_ESCAPE("\xff", 1, "\\u00ff");
	CHECK_ESCAPE("\x80", 1, "\\u0080");
	/* a sequence cut short by the end of the value */
	CHECK_ESCAPE("ab\xc3", 3, "ab\\u00c3");
	CHECK_ESCAPE("\xf0\x9f\x98", 3, "\\u00f0\\u009f\\u0098");
	/* overlong encodings */
	CHECK_ESCAPE("\xc0\x80", 2, "\\u00c0\\u0080");
	CHECK_ESCAPE("\xe0\x80\xaf", 3, "\\u00e0\\u0080\\u00af");
	CHECK_ESCAPE("\xf0\x80\x80\x80", 4, "\\u00f0\\u0080\\u0080\\u0080");
	/* UTF-16 surrogates and code points past U+10FFFF */
	CHECK_ESCAPE("\xed\xa0\x80", 3, "\\u00ed\\u00a0\\u0080");
	CHECK_ESCAPE("\xf4\x90\x80\x80", 4, "\\u00f4\\u0090\\u0080\\u0080");
	/* a lead byte followed by ASCII rather than a continuation byte */
	CHECK_ESCAPE("\xc3(", 2, "\\u00c3(");
	/* valid then invalid */
	CHECK_ESCAPE("\xc3\xa9\xff.", 4, "\xc3\xa9\\u00ff.");
}

TEST(json_string_and_key_are_quoted_and_escaped)
{
	struct sink s;

	sink_init(&s);
	jw_object_begin(&s.jw);
	jw_key(&s.jw, "k\"\n");
	jw_string(&s.jw, "v\\\x02\xff", 4);
	jw_object_end(&s.jw);
	CHECK_STR(sink_text(&s), "{\"k\\\"\\n\":\"v\\\\\\u0002\\u00ff\"}");
	out_buf_free(&s.out);
}

TEST(json_64_bit_integers)
{
	struct sink s;

	sink_init(&s);
	jw_array_begin(&s.jw);
	jw_u64(&s.jw, UINT64_MAX);
	jw_u64(&s.jw, 0);
	jw_s64(&s.jw, INT64_MIN);
	jw_s64(&s.jw, INT64_MAX);
	jw_s64(&s.jw, -1);
	jw_s64(&s.jw, 0);
	jw_array_end(&s.jw);
	CHECK_STR(sink_text(&s), "[18446744073709551615,0,-9223372036854775808,"
				 "9223372036854775807,-1,0]");
	out_buf_free(&s.out);
}

TEST(json_128_bit_integers)
{
	unsigned __int128 u_max = ~(unsigned __int128)0;
	__int128 s_max = (__int128)(u_max >> 1), s_min = -s_max - 1;
	struct sink s;

	sink_init(&s);
	jw_array_begin(&s.jw);
	jw_u128(&s.jw, u_max);
	jw_u128(&s.jw, 0);
	jw_u128(&s.jw, (unsigned __int128)UINT64_MAX + 1);
	jw_s128(&s.jw, s_min);
	jw_s128(&s.jw, s_max);
	jw_s128(&s.jw, -1);
	jw_s128(&s.jw, 0);
	jw_array_end(&s.jw);
	CHECK_STR(sink_text(&s), "[340282366920938463463374607431768211455,0,"
				 "18446744073709551616,"
				 "-170141183460469231731687303715884105728,"
				 "170141183460469231731687303715884105727,-1,0]");
	out_buf_free(&s.out);
}

TEST(json_doubles)
{
	struct sink s;

	sink_init(&s);
	jw_array_begin(&s.jw);
	jw_double(&s.jw, 1.5);
	jw_double(&s.jw, -0.25);
	jw_double(&s.jw, 0.1);
	jw_double(&s.jw, 1e300);
	jw_double(&s.jw, 0);
	jw_double(&s.jw, NAN);
	jw_double(&s.jw, INFINITY);
	jw_double(&s.jw, -INFINITY);
	jw_array_end(&s.jw);
	CHECK_STR(sink_text(&s),
		  "[1.5,-0.25,0.10000000000000001,1.0000000000000001e+300,0,null,null,null]");
	out_buf_free(&s.out);
}

TEST(json_values_after_keys_get_no_comma)
{
	struct sink s;

	sink_init(&s);
	jw_object_begin(&s.jw);
	jw_key(&s.jw, "a");
	jw_array_begin(&s.jw);
	jw_array_end(&s.jw);
	jw_key(&s.jw, "b");
	jw_object_begin(&s.jw);
	jw_key(&s.jw, "c");
	jw_string(&s.jw, "", 0);
	jw_object_end(&s.jw);
	jw_key(&s.jw, "d");
	jw_double(&s.jw, NAN);
	jw_object_end(&s.jw);
	CHECK_STR(sink_text(&s), "{\"a\":[],\"b\":{\"c\":\"\"},\"d\":null}");
	sink_reset(&s);
	jw_string(&s.jw, "again", 5);
	CHECK_STR(sink_text(&s), "\"again\"");
	out_buf_free(&s.out);
}

TEST(json_long_string_grows_buffer)
{
	char big[5000];
	struct sink s;

	memset(big, 'x', sizeof(big));
	sink_init(&s);
	jw_string(&s.jw, big, sizeof(big));
	CHECK(s.out.len == sizeof(big) + 2);
	CHECK(s.out.error == 0);
	CHECK(s.out.data[0] == '"' && s.out.data[sizeof(big) + 1] == '"');
	CHECK(s.out.data[1] == 'x' && s.out.data[sizeof(big)] == 'x');
	out_buf_free(&s.out);
}
