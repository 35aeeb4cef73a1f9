// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Table output, byte for byte: column widths, alignment of titles and cells, truncation, gaps,
 * columns and overrides that depend on conditions, elapsed-time and errno formats, custom and
 * default column sets.
 */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <bpf/btf.h>
#include "output/btf_layout.h"
#include "output/render_table.h"
#include "hints_json.h"
#include "unit.h"

struct c_ev {
	uint64_t ts; /* ns */
	int32_t ret;
	uint32_t pid;
	char comm[8];
	uint16_t port;
	uint8_t fl;
	uint8_t pad;
	uint64_t us; /* microseconds */
};

struct ev_fixture {
	struct btf *btf;
	struct type_hints *hints;
	struct layout *layout;
};

/* clang-format off */
#define MEMBER(name, type) {#name, type, offsetof(struct c_ev, name) * 8}
/* clang-format on */

static int ev_open(struct ev_fixture *f)
{
	struct btf *btf = btf__new_empty();
	int u8 = btf__add_int(btf, "unsigned char", 1, 0);
	int u16 = btf__add_int(btf, "unsigned short", 2, 0);
	int u32 = btf__add_int(btf, "unsigned int", 4, 0);
	int s32 = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	int u64 = btf__add_int(btf, "unsigned long long", 8, 0);
	int chr = btf__add_int(btf, "char", 1, BTF_INT_SIGNED);
	int comm = btf__add_array(btf, u32, chr, 8);
	const struct {
		const char *name;
		int type;
		uint32_t bit_offset;
	} m[] = {
		MEMBER(ts, u64),   MEMBER(ret, s32), MEMBER(pid, u32), MEMBER(comm, comm),
		MEMBER(port, u16), MEMBER(fl, u8),   MEMBER(pad, u8),  MEMBER(us, u64),
	};
	int id = btf__add_struct(btf, "ev", sizeof(struct c_ev));
	struct diag d = {""};
	size_t i;

	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		btf__add_field(btf, m[i].name, m[i].type, m[i].bit_offset, 0);
	f->btf = btf;
	f->hints = test_hints("{\"ev\": {\"fl\": {\"format\": \"flags\", \"letters\": \"AB\"},"
			      " \"pad\": {\"hidden\": true}}}",
			      NULL);
	f->layout = NULL;
	if (layout_build(btf, id, f->hints, &f->layout, &d)) {
		fprintf(stderr, "    layout_build: %s\n", d.msg);
		return -1;
	}
	return 0;
}

static void ev_close(struct ev_fixture *f)
{
	layout_free(f->layout);
	test_hints_free(f->hints);
	btf__free(f->btf);
}

/* Conditions hold when named in the NULL-terminated list ctx. */
static bool holds(void *ctx, const char *name)
{
	const char *const *set = ctx;

	for (; set && *set; set++)
		if (!strcmp(*set, name))
			return true;
	return false;
}

struct tab {
	struct table t;
	struct column_list *spec;
	struct out_buf out;
	bool built;
};

static int tab_build(struct tab *tb, const struct layout *l, const char *spec_json,
		     const char *custom, const char *const *conds, struct diag *d)
{
	int err;

	memset(tb, 0, sizeof(*tb));
	out_buf_init(&tb->out, -1, 64);
	tb->spec = spec_json ? test_columns(spec_json, d) : NULL;
	if (spec_json && !tb->spec)
		return -EINVAL;
	err = table_build(&tb->t, l, tb->spec, custom, holds, (void *)conds, d);
	tb->built = !err;
	return err;
}

static void tab_free(struct tab *tb)
{
	if (tb->built)
		table_free(&tb->t);
	test_columns_free(tb->spec);
	out_buf_free(&tb->out);
}

static const char *tab_text(struct tab *tb)
{
	out_putc(&tb->out, 0);
	tb->out.len--;
	return tb->out.data;
}

static const char *tab_header(struct tab *tb)
{
	tb->out.len = 0;
	if (tb->built)
		table_header(&tb->t, &tb->out);
	return tab_text(tb);
}

static const char *tab_row(struct tab *tb, const struct c_ev *r)
{
	tb->out.len = 0;
	if (tb->built)
		table_row(&tb->t, &tb->out, r);
	return tab_text(tb);
}

/* Builds a table that must build; its failure message is printed. */
static void tab_must_build(struct tab *tb, const struct layout *l, const char *spec_json,
			   const char *custom, const char *const *conds)
{
	struct diag d = {""};

	if (tab_build(tb, l, spec_json, custom, conds, &d)) {
		fprintf(stderr, "    table_build: %s\n", d.msg);
		CHECK(!"table builds");
	}
}

static const char layout_spec[] =
	"[{\"field\": \"pid\", \"title\": \"PID\", \"width\": 6},"
	" {\"field\": \"comm\", \"title\": \"COMM\", \"width\": 5, \"align\": \"left\","
	"  \"truncate\": true},"
	" {\"field\": \"port\", \"title\": \"PORT\", \"width\": 6, \"align\": \"right\","
	"  \"title_align\": \"left\"},"
	" {\"field\": \"fl\", \"title\": \"FL\", \"width\": 4, \"gap\": 3,"
	"  \"title_align\": \"right\"},"
	" {\"field\": \"ret\", \"title\": \"RC\", \"width\": 2, \"align\": \"left\"}]";

TEST(table_widths_alignment_truncation_gap)
{
	struct ev_fixture f;
	struct tab tb;
	struct c_ev r1 = {.pid = 42, .comm = "bash", .port = 80, .fl = 1, .ret = -1};
	struct c_ev r2 = {.pid = 1234567, .comm = "systemd-", .port = 65535, .fl = 3, .ret = -98};

	if (ev_open(&f)) {
		CHECK(!"layout builds");
		ev_close(&f);
		return;
	}
	tab_must_build(&tb, f.layout, layout_spec, NULL, NULL);
	/* numbers right-aligned, text left-aligned, unless the column says otherwise; a title
	 * may be aligned either way against its cells */
	CHECK_STR(tab_header(&tb), "   PID COMM  PORT       FL RC\n");
	CHECK_STR(tab_row(&tb, &r1), "    42 bash      80   A.   -1\n");
	/* too wide: truncated only where the column says so */
	CHECK_STR(tab_row(&tb, &r2), "1234567 syste  65535   AB   -98\n");
	tab_free(&tb);
	ev_close(&f);
}

static const char cond_spec[] =
	"[{\"field\": \"ts\", \"title\": \"TIME(s)\", \"when\": \"timestamp\","
	"  \"format\": \"elapsed\", \"unit\": \"ns\", \"decimals\": 6, \"width\": 9,"
	"  \"align\": \"left\"},"
	" {\"field\": \"ret\", \"title\": \"RC\", \"when\": \"errors\", \"width\": 3,"
	"  \"align\": \"right\", \"overrides\": [{\"when\": \"wide\", \"format\": \"strerror\","
	"  \"width\": 25, \"align\": \"left\"}]},"
	" {\"field\": \"pid\", \"title\": \"PID\", \"width\": 7,"
	"  \"overrides\": [{\"when\": \"wide\", \"width\": 10},"
	"  {\"when\": \"never\", \"width\": 99}]},"
	" {\"field\": \"comm\", \"title\": \"COMM\", \"width\": 4, \"align\": \"left\","
	"  \"truncate\": true, \"overrides\": [{\"when\": \"wide\", \"truncate\": false}]}]";

TEST(table_when_leaves_columns_out)
{
	struct ev_fixture f;
	struct tab tb;
	struct c_ev r = {.ts = 5, .pid = 42, .comm = "python3", .ret = -98};

	if (ev_open(&f)) {
		CHECK(!"layout builds");
		ev_close(&f);
		return;
	}
	tab_must_build(&tb, f.layout, cond_spec, NULL, NULL);
	CHECK(tb.t.nr_cols == 2);
	CHECK_STR(tab_header(&tb), "    PID COMM\n");
	CHECK_STR(tab_row(&tb, &r), "     42 pyth\n");
	tab_free(&tb);
	ev_close(&f);
}

TEST(table_elapsed_and_conditional_columns)
{
	static const char *const conds[] = {"timestamp", "errors", NULL};
	struct ev_fixture f;
	struct tab tb;
	struct c_ev r = {.ts = 1000000000, .pid = 42, .comm = "python3", .ret = -98};

	if (ev_open(&f)) {
		CHECK(!"layout builds");
		ev_close(&f);
		return;
	}
	tab_must_build(&tb, f.layout, cond_spec, NULL, conds);
	CHECK_STR(tab_header(&tb), "TIME(s)    RC     PID COMM\n");
	CHECK_STR(tab_row(&tb, &r), "0.000000  -98      42 pyth\n");
	r.ts += 1500000000;
	r.ret = 0;
	CHECK_STR(tab_row(&tb, &r), "1.500000    0      42 pyth\n");
	r.ts += 250;
	CHECK_STR(tab_row(&tb, &r), "1.500000    0      42 pyth\n");
	r.ts += 1000;
	CHECK_STR(tab_row(&tb, &r), "1.500001    0      42 pyth\n");
	tab_free(&tb);
	ev_close(&f);
}

TEST(table_overrides_apply_when_their_condition_holds)
{
	static const char *const conds[] = {"errors", "wide", NULL};
	struct ev_fixture f;
	struct tab tb;
	struct c_ev r = {.pid = 42, .comm = "python3", .ret = -98};

	if (ev_open(&f)) {
		CHECK(!"layout builds");
		ev_close(&f);
		return;
	}
	tab_must_build(&tb, f.layout, cond_spec, NULL, conds);
	/* wide: RC becomes a left-aligned errno text, PID wider, COMM untruncated; the
	 * "never" override does not apply */
	CHECK_STR(tab_header(&tb), "RC                               PID COMM\n");
	CHECK_STR(tab_row(&tb, &r), "Address already in use            42 python3\n");
	r.ret = 13; /* a positive errno reads the same */
	CHECK_STR(tab_row(&tb, &r), "Permission denied                 42 python3\n");
	r.ret = 0;
	CHECK_STR(tab_row(&tb, &r), "Success                           42 python3\n");
	tab_free(&tb);
	ev_close(&f);
}

TEST(table_elapsed_in_microseconds)
{
	static const char spec[] = "[{\"field\": \"us\", \"title\": \"T\", \"format\": \"elapsed\","
				   " \"unit\": \"us\", \"decimals\": 3, \"width\": 7}]";
	struct ev_fixture f;
	struct tab tb;
	struct c_ev r = {.us = 5000000};

	if (ev_open(&f)) {
		CHECK(!"layout builds");
		ev_close(&f);
		return;
	}
	tab_must_build(&tb, f.layout, spec, NULL, NULL);
	CHECK_STR(tab_header(&tb), "      T\n");
	CHECK_STR(tab_row(&tb, &r), "  0.000\n");
	r.us = 5250000;
	CHECK_STR(tab_row(&tb, &r), "  0.250\n");
	r.us = 17000000;
	CHECK_STR(tab_row(&tb, &r), " 12.000\n");
	/* an event stamped before the first stays negative rather than wrapping */
	r.us = 4000000;
	CHECK_STR(tab_row(&tb, &r), " -1.000\n");
	tab_free(&tb);
	ev_close(&f);
}

TEST(table_custom_columns)
{
	struct ev_fixture f;
	struct tab tb;
	struct c_ev r = {.pid = 42, .comm = "python3", .port = 8080, .fl = 2};

	if (ev_open(&f)) {
		CHECK(!"layout builds");
		ev_close(&f);
		return;
	}
	/* the package's look for a field it describes, the key in capitals as the title */
	tab_must_build(&tb, f.layout, cond_spec, "comm,pid", NULL);
	CHECK_STR(tab_header(&tb), "COMM     PID\n");
	CHECK_STR(tab_row(&tb, &r), "pyth      42\n");
	tab_free(&tb);
	/* fields the package has no column for get a default one */
	tab_must_build(&tb, f.layout, cond_spec, "port,fl,pid", NULL);
	CHECK_STR(tab_header(&tb), " PORT FL     PID\n");
	CHECK_STR(tab_row(&tb, &r), " 8080 .B      42\n");
	tab_free(&tb);
	/* without a package column list */
	tab_must_build(&tb, f.layout, NULL, "pid,comm", NULL);
	CHECK_STR(tab_header(&tb), "    PID COMM   \n");
	CHECK_STR(tab_row(&tb, &r), "     42 python3\n");
	tab_free(&tb);
	ev_close(&f);
}

TEST(table_custom_column_title_is_never_cut)
{
	static const char spec[] = "[{\"field\": \"ret\", \"title\": \"R\", \"width\": 1}]";
	struct ev_fixture f;
	struct tab tb;
	struct c_ev r = {.ret = 5};

	if (ev_open(&f)) {
		CHECK(!"layout builds");
		ev_close(&f);
		return;
	}
	tab_must_build(&tb, f.layout, spec, "ret", NULL);
	CHECK_STR(tab_header(&tb), "RET\n");
	CHECK_STR(tab_row(&tb, &r), "  5\n");
	tab_free(&tb);
	ev_close(&f);
}

TEST(table_custom_unknown_column_lists_keys)
{
	struct ev_fixture f;
	struct tab tb;
	struct diag d = {""};

	if (ev_open(&f)) {
		CHECK(!"layout builds");
		ev_close(&f);
		return;
	}
	CHECK(tab_build(&tb, f.layout, cond_spec, "pid,nope", NULL, &d) == -EINVAL);
	CHECK_STR(d.msg, "-o custom-columns: no column 'nope' (columns: ts, ret, pid, comm, port, "
			 "fl, pad, us)");
	tab_free(&tb);
	ev_close(&f);
}

static bool is_clock(const char *s)
{
	return isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) && s[2] == ':' &&
	       isdigit((unsigned char)s[3]) && isdigit((unsigned char)s[4]) && s[5] == ':' &&
	       isdigit((unsigned char)s[6]) && isdigit((unsigned char)s[7]);
}

TEST(table_default_columns_start_with_clock)
{
	struct ev_fixture f;
	struct tab tb;
	/* control characters would break the line: they show as '?' */
	struct c_ev r = {.ts = 1, .ret = -98, .pid = 42, .comm = "a\tb\001c\177", .port = 80};
	const char *row;

	r.fl = 1;
	r.pad = 9;
	r.us = 7;

	if (ev_open(&f)) {
		CHECK(!"layout builds");
		ev_close(&f);
		return;
	}
	tab_must_build(&tb, f.layout, NULL, NULL, NULL);
	/* the hidden pad has no column */
	CHECK_STR(tab_header(&tb),
		  "TIME             TS     RET     PID COMM     PORT FL         US\n");
	row = tab_row(&tb, &r);
	CHECK(strlen(row) > 8 && is_clock(row));
	CHECK_STR(row + 8, "          1     -98      42 a?b?c?     80 A.          7\n");
	tab_free(&tb);
	ev_close(&f);
}

TEST(table_control_characters_in_cells)
{
	struct ev_fixture f;
	struct tab tb;
	struct c_ev r = {.comm = "\n\r\x1b[31m"};

	if (ev_open(&f)) {
		CHECK(!"layout builds");
		ev_close(&f);
		return;
	}
	tab_must_build(&tb, f.layout, NULL, "comm", NULL);
	CHECK_STR(tab_row(&tb, &r), "???[31m\n");
	/* bytes of UTF-8 text are not control characters */
	memcpy(r.comm, "h\xc3\xa9", 4);
	CHECK_STR(tab_row(&tb, &r), "h\xc3\xa9    \n");
	/* C1: U+009B (CSI) in UTF-8, and the raw byte 0x9b an 8-bit terminal reads as CSI */
	memcpy(r.comm,
	       "a\xc2\x9b"
	       "2J",
	       6);
	CHECK_STR(tab_row(&tb, &r), "a??2J  \n");
	memcpy(r.comm,
	       "\x9b"
	       "31m\xff",
	       6);
	CHECK_STR(tab_row(&tb, &r), "?31m?  \n");
	/* U+00A0 and up are text; an overlong form is not */
	memcpy(r.comm, "\xc2\xa0\xe2\x82\xac", 6);
	CHECK_STR(tab_row(&tb, &r), "\xc2\xa0\xe2\x82\xac  \n");
	memcpy(r.comm, "\xe0\x80\x80", 4);
	CHECK_STR(tab_row(&tb, &r), "???    \n");
	tab_free(&tb);
	ev_close(&f);
}

TEST(table_clock_column_needs_no_field)
{
	static const char spec[] = "[{\"format\": \"clock\"}, {\"field\": \"pid\", \"width\": 3}]";
	struct ev_fixture f;
	struct tab tb;
	struct c_ev r = {.pid = 7};
	const char *row;

	if (ev_open(&f)) {
		CHECK(!"layout builds");
		ev_close(&f);
		return;
	}
	tab_must_build(&tb, f.layout, spec, NULL, NULL);
	/* untitled columns take "TIME" or the field's key; a clock is at least HH:MM:SS wide */
	CHECK_STR(tab_header(&tb), "TIME     pid\n");
	row = tab_row(&tb, &r);
	CHECK(strlen(row) == 13 && is_clock(row));
	CHECK_STR(row + 8, "   7\n");
	tab_free(&tb);
	ev_close(&f);
}

TEST(table_result_errno_scaled_text_and_named_values)
{
	static const char spec[] =
		"[{\"field\": \"ret\", \"title\": \"FD\", \"format\": \"result\", \"width\": 3},"
		" {\"field\": \"ret\", \"title\": \"ERR\", \"format\": \"errno\", \"width\": 3},"
		" {\"field\": \"us\", \"title\": \"MS\", \"format\": \"scaled\", \"divide\": 1000,"
		"  \"decimals\": 2, \"width\": 7},"
		" {\"format\": \"text\", \"text\": \"->\"},"
		" {\"field\": \"port\", \"title\": \"STATE\", \"width\": 6, \"align\": \"left\","
		"  \"values\": {\"1\": \"ESTAB\", \"0x0a\": \"LISTEN\"}}]";
	struct ev_fixture f;
	struct tab tb;
	struct c_ev r = {.ret = 3, .us = 1234, .port = 1};

	if (ev_open(&f)) {
		CHECK(!"layout builds");
		ev_close(&f);
		return;
	}
	tab_must_build(&tb, f.layout, spec, NULL, NULL);
	CHECK_STR(tab_header(&tb), " FD ERR      MS -> STATE \n");
	CHECK_STR(tab_row(&tb, &r), "  3   0    1.23 -> ESTAB \n");
	r = (struct c_ev){.ret = -2, .us = 7, .port = 10};
	CHECK_STR(tab_row(&tb, &r), " -1   2    0.01 -> LISTEN\n");
	/* a value without a name is shown as the number */
	r = (struct c_ev){.ret = 0, .us = 0, .port = 7};
	CHECK_STR(tab_row(&tb, &r), "  0   0    0.00 -> 7     \n");
	tab_free(&tb);
	ev_close(&f);
}

/* table_build's message for a one-column spec that must be refused. */
static int spec_error(const struct layout *l, const char *spec, char *msg, size_t len)
{
	struct tab tb;
	struct diag d = {""};
	int err = tab_build(&tb, l, spec, NULL, NULL, &d);

	snprintf(msg, len, "%s", d.msg);
	tab_free(&tb);
	return err;
}

TEST(table_bad_column_specs)
{
	static const struct {
		const char *spec, *msg;
	} cases[] = {
		{"[{\"field\": \"nope\"}]", "display.columns[0].field: ev has no field \"nope\""},
		{"[{\"title\": \"X\"}]",
		 "display.columns[0].field: missing (only a clock or text column has none)"},
		{"[{\"field\": \"pid\", \"format\": \"bogus\"}]",
		 "display.columns[0].format: \"bogus\" is not one of value, elapsed, strerror, "
		 "clock, hex, octal, join, char, result, errno, scaled, text"},
		{"[{\"field\": \"ts\", \"format\": \"elapsed\", \"unit\": \"min\"}]",
		 "display.columns[0].unit: \"min\" is not one of ns, us, ms, s"},
		{"[{\"field\": \"comm\", \"format\": \"elapsed\"}]",
		 "display.columns[0].format: elapsed needs an integer field"},
		{"[{\"field\": \"pid\", \"align\": \"center\"}]",
		 "display.columns[0].align: \"center\" is not one of right, left"},
		{"[{\"field\": \"pid\", \"width\": 300}]",
		 "display.columns[0].width: is not an integer in 0..256"},
		{"[{\"field\": \"pid\", \"overrides\": {}}]",
		 "display.columns[0].overrides: is not an array"},
		{"[{\"field\": \"pid\"}, 5]", "display.columns[1]: is not an object"},
		{"[{\"field\": \"pid\", \"widht\": 3}]",
		 "display.columns[0].widht: unknown key (did you mean \"width\"?)"},
		{"[{\"field\": \"pid\", \"overrides\": [{\"field\": \"comm\"}]}]",
		 "display.columns[0].overrides[0].field: unknown key (expected one of: when, "
		 "title, "
		 "width, align, title_align, truncate, gap, format, decimals, unit, since, "
		 "zero_pad, separator, quote, divide, values, text)"},
		{"[{\"field\": \"comm\", \"format\": \"hex\"}]",
		 "display.columns[0].format: hex needs an integer field"},
		{"[{\"field\": \"pid\", \"format\": \"join\"}]",
		 "display.columns[0].format: join needs an array of strings"},
		{"[{\"field\": \"pid\", \"format\": \"char\"}]",
		 "display.columns[0].format: char needs a one-byte integer"},
		/* an override's format is checked whether or not its condition holds */
		{"[{\"field\": \"comm\", \"overrides\": [{\"when\": \"x\", \"format\": "
		 "\"octal\"}]}]",
		 "display.columns[0].overrides[0].format: octal needs an integer field"},
		{"[{\"field\": \"comm.x\"}]",
		 "display.columns[0].field: ev has no field \"comm.x\""},
		{"[{\"field\": \"pid\", \"format\": \"result\"}]",
		 "display.columns[0].format: result and errno need a signed integer"},
		{"[{\"field\": \"comm\", \"format\": \"errno\"}]",
		 "display.columns[0].format: result and errno need a signed integer"},
		{"[{\"field\": \"comm\", \"format\": \"scaled\"}]",
		 "display.columns[0].format: scaled needs an integer field"},
		{"[{\"field\": \"us\", \"format\": \"scaled\", \"divide\": 0}]",
		 "display.columns[0].divide: is not an integer in 1..1000000000"},
		{"[{\"field\": \"pid\", \"values\": {\"one\": \"x\"}}]",
		 "display.columns[0].values.one: \"one\" is not an integer"},
		{"[{\"field\": \"pid\", \"values\": {\"1\": 2}}]",
		 "display.columns[0].values.1: is not a name"},
		{"[{\"field\": \"pid\", \"values\": []}]",
		 "display.columns[0].values: is not an object"},
		{"[{\"field\": \"pid\", \"format\": \"text\", \"text\": \"x\"}]",
		 "display.columns[0]: a text column has \"text\" and no \"field\""},
	};
	struct ev_fixture f;
	char msg[512];
	size_t i;

	if (ev_open(&f)) {
		CHECK(!"layout builds");
		ev_close(&f);
		return;
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK(spec_error(f.layout, cases[i].spec, msg, sizeof(msg)) == -EINVAL);
		CHECK_STR(msg, cases[i].msg);
	}
	ev_close(&f);
}
