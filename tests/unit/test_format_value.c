// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * format_value: the display formats bcc tools need, byte for byte: hex and octal integers with
 * zero padding, an array of strings joined (and quoted), a nested member as a column, elapsed
 * time since the tool started, a plain char as a character in tables and JSON, addresses.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <bpf/btf.h>
#include "output/btf_layout.h"
#include "btf_types.h"
#include "output/format_value.h"
#include "hints_json.h"
#include "output/render.h"
#include "unit.h"

struct c_pt {
	int32_t x;
	int32_t y;
};

struct c_fmt {
	uint32_t flags;
	int32_t neg;
	char c;
	uint8_t byte;
	char args[3][8];
	struct c_pt pt;
	uint64_t ts;
};

struct fmt_fixture {
	struct btf *btf;
	struct layout *layout;
	struct table t;
	struct column_list *spec;
	struct out_buf out;
	bool built;
};

static int fmt_struct(struct btf *btf, const struct base_types *b)
{
	int str = btf__add_array(btf, b->u32, b->chr, 8);
	int args = btf__add_array(btf, b->u32, str, 3);
	int pt = btf__add_struct(btf, "pt", sizeof(struct c_pt));
	int id;

	btf__add_field(btf, "x", b->s32, 0, 0);
	btf__add_field(btf, "y", b->s32, 32, 0);
	id = btf__add_struct(btf, "fmt", sizeof(struct c_fmt));
	btf__add_field(btf, "flags", b->u32, offsetof(struct c_fmt, flags) * 8, 0);
	btf__add_field(btf, "neg", b->s32, offsetof(struct c_fmt, neg) * 8, 0);
	btf__add_field(btf, "c", b->chr, offsetof(struct c_fmt, c) * 8, 0);
	btf__add_field(btf, "byte", b->u8, offsetof(struct c_fmt, byte) * 8, 0);
	btf__add_field(btf, "args", args, offsetof(struct c_fmt, args) * 8, 0);
	btf__add_field(btf, "pt", pt, offsetof(struct c_fmt, pt) * 8, 0);
	btf__add_field(btf, "ts", b->u64, offsetof(struct c_fmt, ts) * 8, 0);
	return id;
}

/* Builds the layout and a table of the given columns; d says why when it fails. */
static int fmt_open(struct fmt_fixture *f, const char *columns, struct diag *d)
{
	struct base_types b;
	int err;

	memset(f, 0, sizeof(*f));
	f->btf = btf_with_base_types(&b);
	out_buf_init(&f->out, -1, 256);
	err = layout_build(f->btf, fmt_struct(f->btf, &b), NULL, &f->layout, d);
	f->spec = err ? NULL : test_columns(columns, d);
	if (!err && !f->spec)
		err = -EINVAL;
	err = err ?: table_build(&f->t, f->layout, f->spec, NULL, NULL, NULL, d);
	f->built = !err;
	return err;
}

static void fmt_close(struct fmt_fixture *f)
{
	if (f->built)
		table_free(&f->t);
	test_columns_free(f->spec);
	layout_free(f->layout);
	out_buf_free(&f->out);
	btf__free(f->btf);
}

static const char *text_of(struct out_buf *out)
{
	out_putc(out, 0);
	out->len--;
	return out->data;
}

static const char *row(struct fmt_fixture *f, const struct c_fmt *r)
{
	f->out.len = 0;
	if (f->built)
		table_row(&f->t, &f->out, r);
	return text_of(&f->out);
}

static const char *header(struct fmt_fixture *f)
{
	f->out.len = 0;
	if (f->built)
		table_header(&f->t, &f->out);
	return text_of(&f->out);
}

static void must_open(struct fmt_fixture *f, const char *columns)
{
	struct diag d = {""};

	if (fmt_open(f, columns, &d)) {
		fprintf(stderr, "    %s\n", d.msg);
		CHECK(!"the table builds");
	}
}

TEST(format_octal_zero_padded_like_printf)
{
	struct fmt_fixture f;
	struct c_fmt r = {.flags = 0101101, .neg = -5};
	char want[64];

	must_open(&f, "[{\"field\": \"flags\", \"title\": \"FLAGS\", \"format\": \"octal\","
		      " \"width\": 8, \"zero_pad\": true},"
		      " {\"field\": \"neg\", \"format\": \"octal\"},"
		      " {\"field\": \"neg\", \"title\": \"N\", \"width\": 5, \"zero_pad\": true}]");
	CHECK_STR(header(&f), "   FLAGS neg     N\n");
	snprintf(want, sizeof(want), "%08o %o %05d\n", 0101101, (uint32_t)-5, -5);
	CHECK_STR(row(&f, &r), want);
	fmt_close(&f);
}

TEST(format_hex_is_lowercase_without_prefix)
{
	struct fmt_fixture f;
	struct c_fmt r = {.flags = 0xBEEF, .byte = 0xff};

	must_open(&f,
		  "[{\"field\": \"flags\", \"format\": \"hex\", \"width\": 8, \"zero_pad\": true},"
		  " {\"field\": \"byte\", \"format\": \"hex\"},"
		  " {\"field\": \"byte\", \"format\": \"octal\", \"width\": 5, \"zero_pad\": true,"
		  "  \"align\": \"left\", \"title_align\": \"left\"}]");
	/* zeros fill a zero-padded number's width even in a left-aligned column */
	CHECK_STR(header(&f), "   flags byte byte \n");
	CHECK_STR(row(&f, &r), "0000beef ff 00377\n");
	fmt_close(&f);
}

TEST(format_join_ends_after_the_last_non_empty_string)
{
	struct fmt_fixture f;
	struct c_fmt r = {.args = {"ls", "-l", ""}};
	struct json_writer jw;
	struct out_buf json;

	must_open(&f, "[{\"field\": \"args\", \"format\": \"join\"}]");
	CHECK_STR(row(&f, &r), "ls -l\n");
	memcpy(r.args[2], "a\"b", 4);
	CHECK_STR(row(&f, &r), "ls -l a\"b\n");
	/* an empty argument in the middle stays, as in `echo "" x` */
	r.args[1][0] = 0;
	CHECK_STR(row(&f, &r), "ls  a\"b\n");
	out_buf_init(&json, -1, 256);
	jw_init(&jw, &json);
	format_json(&jw, f.layout, layout_find(f.layout, "args"), &r);
	CHECK_STR(text_of(&json), "[\"ls\",\"\",\"a\\\"b\"]");
	memset(r.args, 0, sizeof(r.args));
	CHECK_STR(row(&f, &r), "\n");
	json.len = 0;
	format_json(&jw, f.layout, layout_find(f.layout, "args"), &r);
	CHECK_STR(text_of(&json), "[]");
	out_buf_free(&json);
	fmt_close(&f);
}

TEST(format_join_quotes_and_separates)
{
	struct fmt_fixture f;
	struct c_fmt r = {.args = {"echo", "say \"hi\"", "x"}};

	must_open(&f, "[{\"field\": \"args\", \"format\": \"join\", \"quote\": true},"
		      " {\"field\": \"args\", \"format\": \"join\", \"separator\": \",\"}]");
	CHECK_STR(row(&f, &r), "\"echo\" \"say \\\"hi\\\"\" \"x\" echo,say \"hi\",x\n");
	fmt_close(&f);
}

TEST(format_nested_member_as_a_column)
{
	struct fmt_fixture f;
	struct c_fmt r = {.pt = {.x = 3, .y = -4}};

	must_open(&f, "[{\"field\": \"pt.y\", \"title\": \"Y\", \"width\": 3},"
		      " {\"field\": \"pt.x\", \"width\": 2}]");
	CHECK_STR(header(&f), "  Y  x\n");
	CHECK_STR(row(&f, &r), " -4  3\n");
	fmt_close(&f);
}

TEST(format_plain_char_is_a_character)
{
	struct fmt_fixture f;
	struct c_fmt r = {.c = 'R', .byte = 'Q'};
	struct json_writer jw;
	struct out_buf json;

	must_open(&f, "[{\"field\": \"c\"}, {\"field\": \"byte\"}, "
		      "{\"field\": \"byte\", \"format\": \"char\"}]");
	CHECK_STR(row(&f, &r), "R 81 Q\n");
	out_buf_init(&json, -1, 256);
	jw_init(&jw, &json);
	format_record_json(&jw, f.layout, &r);
	CHECK(strstr(text_of(&json), "\"c\":\"R\",\"byte\":81,") != NULL);
	r.c = 0;
	json.len = 0;
	format_record_json(&jw, f.layout, &r);
	CHECK(strstr(text_of(&json), "\"c\":\"\",") != NULL);
	out_buf_free(&json);
	fmt_close(&f);
}

TEST(format_elapsed_since_start_uses_the_monotonic_clock)
{
	struct fmt_fixture f;
	struct timespec now;
	struct c_fmt r;

	must_open(&f, "[{\"field\": \"ts\", \"format\": \"elapsed\", \"since\": \"start\","
		      " \"decimals\": 1, \"unit\": \"ns\"},"
		      " {\"field\": \"ts\", \"format\": \"elapsed\", \"decimals\": 1}]");
	clock_gettime(CLOCK_MONOTONIC, &now);
	r.ts = (uint64_t)now.tv_sec * 1000000000 + now.tv_nsec + 2500000000ull;
	/* 2.5 s after the table was built; the first row is its own origin for "first" */
	CHECK_STR(row(&f, &r), "2.5 0.0\n");
	r.ts += 1000000000;
	CHECK_STR(row(&f, &r), "3.5 1.0\n");
	fmt_close(&f);
}

TEST(format_refused_on_fields_that_cannot_show_it)
{
	static const char *const bad[][2] = {
		{"[{\"field\": \"args\", \"format\": \"octal\"}]", "octal needs an integer field"},
		{"[{\"field\": \"pt\", \"format\": \"hex\"}]", "hex needs an integer field"},
		{"[{\"field\": \"flags\", \"format\": \"join\"}]",
		 "join needs an array of strings"},
		{"[{\"field\": \"flags\", \"format\": \"char\"}]", "char needs a one-byte integer"},
		{"[{\"field\": \"pt.z\"}]", "fmt has no field \"pt.z\""},
		{"[{\"field\": \"flags.x\"}]", "fmt has no field \"flags.x\""},
	};
	struct fmt_fixture f;
	struct diag d;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		d.msg[0] = 0;
		CHECK(fmt_open(&f, bad[i][0], &d) == -EINVAL);
		CHECK(strstr(d.msg, bad[i][1]) != NULL);
		fmt_close(&f);
	}
}

TEST(format_ip_directly)
{
	static const uint8_t v4[4] = {8, 8, 4, 4};
	static const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x42};
	char buf[64], tiny[4];

	static const uint8_t v4_edges[][4] = {
		{0, 0, 0, 0}, {255, 255, 255, 255}, {10, 0, 100, 9}, {192, 99, 1, 20}};
	static const char *const v4_texts[] = {"0.0.0.0", "255.255.255.255", "10.0.100.9",
					       "192.99.1.20"};
	char exact[sizeof("255.255.255.255")];
	size_t i;

	format_ip(buf, sizeof(buf), v4, 4);
	CHECK_STR(buf, "8.8.4.4");
	for (i = 0; i < sizeof(v4_edges) / sizeof(v4_edges[0]); i++) {
		format_ip(buf, sizeof(buf), v4_edges[i], 4);
		CHECK_STR(buf, v4_texts[i]);
	}
	/* the longest address fits a buffer of its length and NUL, and not one byte less */
	format_ip(exact, sizeof(exact), v4_edges[1], 4);
	CHECK_STR(exact, "255.255.255.255");
	format_ip(exact, sizeof(exact) - 1, v4_edges[1], 4);
	CHECK_STR(exact, "?");
	format_ip(buf, sizeof(buf), v6, 6);
	CHECK_STR(buf, "2001:db8::42");
	/* too small a buffer gives a marker, not a cut address */
	format_ip(tiny, sizeof(tiny), v4, 4);
	CHECK_STR(tiny, "?");
}
