// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Record layouts from BTF and how their fields are shown (format_value). BTF is built in memory
 * with libbpf; member offsets come from offsetof on C structs of the same shape, so records are
 * filled with plain C assignments and the expected text is what a reader of the record wants.
 */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <bpf/btf.h>
#include "output/btf_layout.h"
#include "output/format_value.h"
#include "btf_types.h"
#include "hints_json.h"
#include "unit.h"

struct types {
	struct base_types b;
};

static struct btf *new_btf(struct types *t)
{
	return btf_with_base_types(&t->b);
}

struct member {
	const char *name;
	int type;
	uint32_t bit_offset;
	uint32_t bit_size;
};

/* clang-format off */
#define MEMBER(name, type, cstruct) {#name, type, offsetof(cstruct, name) * 8, 0}
/* clang-format on */

static int add_record(struct btf *btf, bool is_union, const char *name, uint32_t size,
		      const struct member *m, int n)
{
	int id = is_union ? btf__add_union(btf, name, size) : btf__add_struct(btf, name, size);
	int i;

	for (i = 0; id > 0 && i < n; i++)
		if (btf__add_field(btf, m[i].name, m[i].type, m[i].bit_offset, m[i].bit_size))
			return -1;
	return id;
}

#define STRUCT(btf, name, size, members) \
	add_record(btf, false, name, size, members, sizeof(members) / sizeof(members[0]))
#define UNION(btf, name, size, members) \
	add_record(btf, true, name, size, members, sizeof(members) / sizeof(members[0]))

static int array_of(struct btf *btf, const struct types *t, int elem, int n)
{
	return btf__add_array(btf, t->b.u32, elem, n);
}

static struct layout *build(const struct btf *btf, int id, const struct type_hints *hints)
{
	struct layout *l = NULL;
	struct diag d = {""};

	if (layout_build(btf, id, hints, &l, &d)) {
		fprintf(stderr, "    layout_build: %s\n", d.msg);
		return NULL;
	}
	return l;
}

/* The JSON object of a record, malloc'ed. */
static char *json_of(const struct layout *l, const void *record)
{
	struct out_buf out;
	struct json_writer jw;

	if (!l)
		return strdup("(no layout)");
	out_buf_init(&out, -1, 64);
	jw_init(&jw, &out);
	format_record_json(&jw, l, record);
	out_putc(&out, 0);
	return out.data;
}

/* The table text of the field shown as key, malloc'ed. */
static char *text_of(const struct layout *l, const char *key, const void *record)
{
	const struct field *f = l ? layout_find(l, key) : NULL;
	struct out_buf out;

	if (!f)
		return strdup("(no field)");
	out_buf_init(&out, -1, 64);
	format_text(&out, l, f, record);
	out_putc(&out, 0);
	return out.data;
}

#define CHECK_JSON(l, record, want)                   \
	do {                                          \
		char *got_json_ = json_of(l, record); \
		CHECK_STR(got_json_, want);           \
		free(got_json_);                      \
	} while (0)

#define CHECK_TEXT(l, key, record, want)                   \
	do {                                               \
		char *got_text_ = text_of(l, key, record); \
		CHECK_STR(got_text_, want);                \
		free(got_text_);                           \
	} while (0)

/* ---- integers ---- */

struct c_ints {
	uint8_t u8;
	int8_t s8;
	uint16_t u16;
	int16_t s16;
	uint32_t u32;
	int32_t s32;
	uint64_t u64;
	int64_t s64;
	unsigned __int128 u128;
	__int128 s128;
};

static int ints_struct(struct btf *btf, const struct types *t)
{
	const struct member m[] = {
		MEMBER(u8, t->b.u8, struct c_ints),	MEMBER(s8, t->b.s8, struct c_ints),
		MEMBER(u16, t->b.u16, struct c_ints),	MEMBER(s16, t->b.s16, struct c_ints),
		MEMBER(u32, t->b.u32, struct c_ints),	MEMBER(s32, t->b.s32, struct c_ints),
		MEMBER(u64, t->b.u64, struct c_ints),	MEMBER(s64, t->b.s64, struct c_ints),
		MEMBER(u128, t->b.u128, struct c_ints), MEMBER(s128, t->b.s128, struct c_ints),
	};

	return STRUCT(btf, "ints", sizeof(struct c_ints), m);
}

TEST(layout_integers_at_their_limits)
{
	struct types t;
	struct btf *btf = new_btf(&t);
	struct layout *l = build(btf, ints_struct(btf, &t), NULL);
	struct c_ints r = {
		.u8 = UINT8_MAX,
		.s8 = INT8_MIN,
		.u16 = UINT16_MAX,
		.s16 = INT16_MIN,
		.u32 = UINT32_MAX,
		.s32 = INT32_MIN,
		.u64 = UINT64_MAX,
		.s64 = INT64_MIN,
	};

	r.u128 = ~(unsigned __int128)0;
	r.s128 = -(__int128)(r.u128 >> 1) - 1;
	CHECK(l && l->nr_fields == 10 && l->size == sizeof(r));
	CHECK_JSON(l, &r,
		   "{\"u8\":255,\"s8\":-128,\"u16\":65535,\"s16\":-32768,\"u32\":4294967295,"
		   "\"s32\":-2147483648,\"u64\":18446744073709551615,"
		   "\"s64\":-9223372036854775808,"
		   "\"u128\":340282366920938463463374607431768211455,"
		   "\"s128\":-170141183460469231731687303715884105728}");
	CHECK_TEXT(l, "s16", &r, "-32768");
	CHECK_TEXT(l, "u128", &r, "340282366920938463463374607431768211455");
	layout_free(l);
	btf__free(btf);
}

TEST(layout_integers_small_and_negative)
{
	struct types t;
	struct btf *btf = new_btf(&t);
	struct layout *l = build(btf, ints_struct(btf, &t), NULL);
	struct c_ints r = {
		.u8 = 1, .s8 = -1, .u16 = 2, .s16 = -2, .u32 = 3, .s32 = -3, .u64 = 4, .s64 = -4};
	const struct field *f;

	r.u128 = ((unsigned __int128)1 << 64) + 5;
	r.s128 = -((__int128)1 << 64);
	CHECK_JSON(l, &r,
		   "{\"u8\":1,\"s8\":-1,\"u16\":2,\"s16\":-2,\"u32\":3,\"s32\":-3,\"u64\":4,"
		   "\"s64\":-4,\"u128\":18446744073709551621,\"s128\":-18446744073709551616}");
	CHECK_TEXT(l, "s128", &r, "-18446744073709551616");
	CHECK_TEXT(l, "s8", &r, "-1");
	f = l ? layout_find(l, "s32") : NULL;
	CHECK(f && f->kind == FIELD_INT && f->is_signed && f->size == 4 &&
	      f->offset == offsetof(struct c_ints, s32) && f->bit_size == 0);
	/* integer-like fields widen with their sign */
	CHECK(f && field_u64(f, &r) == (uint64_t)-3);
	f = l ? layout_find(l, "u16") : NULL;
	CHECK(f && !f->is_signed && field_u64(f, &r) == 2);
	layout_free(l);
	btf__free(btf);
}

/* ---- bitfields ---- */

static int bits_struct(struct btf *btf, const struct types *t)
{
	/* a:3 b:6 c:12 d:4 e:7 packed into 32 bits; b, c and d cross byte boundaries */
	const struct member m[] = {
		{"a", t->b.u32, 0, 3},	{"b", t->b.s32, 3, 6},	{"c", t->b.u32, 9, 12},
		{"d", t->b.s32, 21, 4}, {"e", t->b.u32, 25, 7},
	};

	return STRUCT(btf, "bits", 4, m);
}

static uint32_t pack_bits(uint32_t a, int32_t b, uint32_t c, int32_t d, uint32_t e)
{
	return a | ((uint32_t)b & 0x3f) << 3 | c << 9 | ((uint32_t)d & 0xf) << 21 | e << 25;
}

TEST(layout_bitfields_signed_and_unsigned)
{
	struct types t;
	struct btf *btf = new_btf(&t);
	struct layout *l = build(btf, bits_struct(btf, &t), NULL);
	uint32_t r = pack_bits(5, -20, 0xabc, -8, 127);
	const struct field *f;

	CHECK_JSON(l, &r, "{\"a\":5,\"b\":-20,\"c\":2748,\"d\":-8,\"e\":127}");
	r = pack_bits(0, 31, 1, 7, 0);
	CHECK_JSON(l, &r, "{\"a\":0,\"b\":31,\"c\":1,\"d\":7,\"e\":0}");
	r = 0xffffffff;
	CHECK_JSON(l, &r, "{\"a\":7,\"b\":-1,\"c\":4095,\"d\":-1,\"e\":127}");
	CHECK_TEXT(l, "d", &r, "-1");
	f = l ? layout_find(l, "c") : NULL;
	CHECK(f && f->offset == 1 && f->bit_offset == 1 && f->bit_size == 12);
	f = l ? layout_find(l, "d") : NULL;
	CHECK(f && f->offset == 2 && f->bit_offset == 5 && f->bit_size == 4 && f->is_signed);
	layout_free(l);
	btf__free(btf);
}

TEST(layout_bitfields_wider_than_a_word)
{
	struct types t;
	struct btf *btf = new_btf(&t);
	/* g spans bits 36..95, across the boundary of two 64-bit words */
	const struct member m[] = {
		{"lo", t.b.u64, 0, 36}, {"g", t.b.u64, 36, 60}, {"hi", t.b.s64, 96, 32}};
	int id = STRUCT(btf, "wide", 16, m);
	struct layout *l = build(btf, id, NULL);
	unsigned __int128 v = 0xfedcba987ull | (unsigned __int128)0xfedcba987654321ull << 36 |
			      (unsigned __int128)(uint32_t)-2 << 96;
	uint8_t r[16];

	memcpy(r, &v, sizeof(r));
	CHECK_JSON(l, r, "{\"lo\":68414056839,\"g\":1147797409030816545,\"hi\":-2}");
	layout_free(l);
	btf__free(btf);
}

/* ---- bool and enums ---- */

struct c_enums {
	uint8_t flag;
	uint32_t proto;
	int32_t sgn;
	uint64_t e64;
	int64_t se64;
};

static int enums_record(struct btf *btf, const struct types *t, int proto, int sgn, int e64,
			int se64)
{
	const struct member m[] = {
		MEMBER(flag, t->b.boolean, struct c_enums), MEMBER(proto, proto, struct c_enums),
		MEMBER(sgn, sgn, struct c_enums),	    MEMBER(e64, e64, struct c_enums),
		MEMBER(se64, se64, struct c_enums),
	};

	return STRUCT(btf, "enums", sizeof(struct c_enums), m);
}

static int enums_struct(struct btf *btf, const struct types *t)
{
	int proto, sgn, e64, se64;

	/* values are added to the enum added last */
	proto = btf__add_enum(btf, "proto", 4);
	btf__add_enum_value(btf, "TCP", 6);
	btf__add_enum_value(btf, "UDP", 17);
	btf__add_enum_value(btf, "HIGH", 0x80000000u);
	sgn = btf__add_enum(btf, "sgn", 4);
	btf__add_enum_value(btf, "NEG", -1);
	btf__add_enum_value(btf, "POS", 1);
	e64 = btf__add_enum64(btf, "e64", 8, false);
	btf__add_enum64_value(btf, "SMALL", 1);
	btf__add_enum64_value(btf, "HUGE", UINT64_MAX);
	se64 = btf__add_enum64(btf, "se64", 8, true);
	btf__add_enum64_value(btf, "MINUS", -(uint64_t)(1ULL << 40));
	return enums_record(btf, t, proto, sgn, e64, se64);
}

TEST(layout_bool_and_known_enum_values)
{
	struct types t;
	struct btf *btf = new_btf(&t);
	struct layout *l = build(btf, enums_struct(btf, &t), NULL);
	struct c_enums r = {
		.flag = 1, .proto = 6, .sgn = -1, .e64 = UINT64_MAX, .se64 = -(1LL << 40)};
	const struct field *f;

	CHECK_JSON(l, &r,
		   "{\"flag\":true,\"proto\":\"TCP\",\"sgn\":\"NEG\",\"e64\":\"HUGE\","
		   "\"se64\":\"MINUS\"}");
	CHECK_TEXT(l, "flag", &r, "true");
	CHECK_TEXT(l, "proto", &r, "TCP");
	CHECK_TEXT(l, "sgn", &r, "NEG");
	/* an unsigned 32-bit enumerator above INT32_MAX */
	r.proto = 0x80000000u;
	r.flag = 0;
	CHECK_JSON(l, &r,
		   "{\"flag\":false,\"proto\":\"HIGH\",\"sgn\":\"NEG\",\"e64\":\"HUGE\","
		   "\"se64\":\"MINUS\"}");
	CHECK_TEXT(l, "flag", &r, "false");
	f = l ? layout_find(l, "sgn") : NULL;
	CHECK(f && f->kind == FIELD_ENUM && f->is_signed && f->nr_enums == 2);
	CHECK(f && !strcmp(field_enum_name(f, 1) ? field_enum_name(f, 1) : "", "POS"));
	CHECK(f && field_enum_name(f, 2) == NULL);
	f = l ? layout_find(l, "proto") : NULL;
	CHECK(f && f->kind == FIELD_ENUM && !f->is_signed && f->size == 4);
	layout_free(l);
	btf__free(btf);
}

TEST(layout_bool_any_nonzero_is_true)
{
	struct types t;
	struct btf *btf = new_btf(&t);
	struct layout *l = build(btf, enums_struct(btf, &t), NULL);
	struct c_enums r = {.flag = 2, .proto = 17, .sgn = 1, .e64 = 1, .se64 = 0};

	CHECK_JSON(l, &r,
		   "{\"flag\":true,\"proto\":\"UDP\",\"sgn\":\"POS\",\"e64\":\"SMALL\","
		   "\"se64\":0}");
	layout_free(l);
	btf__free(btf);
}

TEST(layout_unknown_enum_values_are_numbers)
{
	struct types t;
	struct btf *btf = new_btf(&t);
	struct layout *l = build(btf, enums_struct(btf, &t), NULL);
	struct c_enums r = {.flag = 0, .proto = 99, .sgn = -5, .e64 = 1ull << 40, .se64 = -2};

	CHECK_JSON(l, &r,
		   "{\"flag\":false,\"proto\":99,\"sgn\":-5,\"e64\":1099511627776,\"se64\":-2}");
	CHECK_TEXT(l, "proto", &r, "99");
	CHECK_TEXT(l, "sgn", &r, "-5");
	/* an unsigned enum's high values stay positive */
	r.proto = 0xfffffffeu;
	r.e64 = UINT64_MAX - 1;
	CHECK_TEXT(l, "proto", &r, "4294967294");
	CHECK_TEXT(l, "e64", &r, "18446744073709551614");
	layout_free(l);
	btf__free(btf);
}

/* ---- strings and arrays ---- */

struct c_arrays {
	char comm[8];
	char full[4];
	uint8_t bytes[4];
	uint16_t m[2][3];
	char names[2][4];
	int32_t neg[2];
};

static int arrays_struct(struct btf *btf, const struct types *t)
{
	int u8_typedef = btf__add_typedef(btf, "__u8", t->b.u8);
	int comm = array_of(btf, t, t->b.chr, 8), full = array_of(btf, t, t->b.chr, 4);
	int bytes = array_of(btf, t, u8_typedef, 4);
	int row = array_of(btf, t, t->b.u16, 3), m = array_of(btf, t, row, 2);
	int name = array_of(btf, t, t->b.chr, 4), names = array_of(btf, t, name, 2);
	int neg = array_of(btf, t, t->b.s32, 2);
	const struct member mem[] = {
		MEMBER(comm, comm, struct c_arrays),   MEMBER(full, full, struct c_arrays),
		MEMBER(bytes, bytes, struct c_arrays), MEMBER(m, m, struct c_arrays),
		MEMBER(names, names, struct c_arrays), MEMBER(neg, neg, struct c_arrays),
	};

	return STRUCT(btf, "arrays", sizeof(struct c_arrays), mem);
}

TEST(layout_char_arrays_and_int_arrays)
{
	struct types t;
	struct btf *btf = new_btf(&t);
	struct layout *l = build(btf, arrays_struct(btf, &t), NULL);
	struct c_arrays r = {.comm = "abc\0xyz",
			     .full = {'a', 'b', 'c', 'd'},
			     .bytes = {1, 2, 3, 255},
			     .m = {{1, 2, 3}, {4, 5, 65535}},
			     .names = {"ab", {'c', 'd', 'e', 'f'}},
			     .neg = {-1, 7}};
	const struct field *f;

	/* full has no NUL: its text ends with the array, not in the bytes after it */
	CHECK_JSON(l, &r,
		   "{\"comm\":\"abc\",\"full\":\"abcd\",\"bytes\":[1,2,3,255],"
		   "\"m\":[[1,2,3],[4,5,65535]],\"names\":[\"ab\",\"cdef\"],\"neg\":[-1,7]}");
	CHECK_TEXT(l, "comm", &r, "abc");
	CHECK_TEXT(l, "full", &r, "abcd");
	CHECK_TEXT(l, "bytes", &r, "[1,2,3,255]");
	CHECK_TEXT(l, "m", &r, "[[1,2,3],[4,5,65535]]");
	f = l ? layout_find(l, "comm") : NULL;
	CHECK(f && f->kind == FIELD_STRING && f->count == 8 && f->size == 8);
	f = l ? layout_find(l, "bytes") : NULL;
	CHECK(f && f->kind == FIELD_ARRAY && f->count == 4 && f->elem->size == 1);
	f = l ? layout_find(l, "m") : NULL;
	CHECK(f && f->kind == FIELD_ARRAY && f->count == 2 && f->size == 12 &&
	      f->elem->kind == FIELD_ARRAY && f->elem->count == 3 && f->elem->size == 6);
	layout_free(l);
	btf__free(btf);
}

TEST(layout_strings_are_escaped_in_json)
{
	struct types t;
	struct btf *btf = new_btf(&t);
	struct layout *l = build(btf, arrays_struct(btf, &t), NULL);
	struct c_arrays r = {.comm = "a\"b\n\xff"};

	CHECK_JSON(l, &r,
		   "{\"comm\":\"a\\\"b\\n\\u00ff\",\"full\":\"\",\"bytes\":[0,0,0,0],"
		   "\"m\":[[0,0,0],[0,0,0]],\"names\":[],\"neg\":[0,0]}"); /* no string in names */
	/* table text is raw; the table sanitizes control characters itself */
	CHECK_TEXT(l, "comm", &r, "a\"b\n\xff");
	layout_free(l);
	btf__free(btf);
}

/* ---- records within records ---- */

struct c_inner {
	uint16_t a;
	int8_t b;
};

union c_u {
	uint32_t i;
	uint8_t b[4];
};

struct c_outer {
	uint32_t x;
	struct c_inner in;
	union c_u u;
	struct {
		uint16_t p;
		uint16_t q;
	};
	union {
		uint32_t d;
		int32_t e;
	};
};

static int outer_struct(struct btf *btf, const struct types *t)
{
	const struct member inner_m[] = {MEMBER(a, t->b.u16, struct c_inner),
					 MEMBER(b, t->b.s8, struct c_inner)};
	int inner = STRUCT(btf, "inner", sizeof(struct c_inner), inner_m);
	int b4 = array_of(btf, t, t->b.u8, 4);
	const struct member u_m[] = {{"i", t->b.u32, 0, 0}, {"b", b4, 0, 0}};
	int u = UNION(btf, "c_u", sizeof(union c_u), u_m);
	const struct member anon_s_m[] = {{"p", t->b.u16, 0, 0}, {"q", t->b.u16, 16, 0}};
	int anon_s = STRUCT(btf, NULL, 4, anon_s_m);
	const struct member anon_u_m[] = {{"d", t->b.u32, 0, 0}, {"e", t->b.s32, 0, 0}};
	int anon_u = UNION(btf, NULL, 4, anon_u_m);
	const struct member m[] = {
		MEMBER(x, t->b.u32, struct c_outer),
		MEMBER(in, inner, struct c_outer),
		MEMBER(u, u, struct c_outer),
		{NULL, anon_s, offsetof(struct c_outer, p) * 8, 0},
		{NULL, anon_u, offsetof(struct c_outer, d) * 8, 0},
	};

	return STRUCT(btf, "outer", sizeof(struct c_outer), m);
}

TEST(layout_nested_struct_union_and_anonymous_members)
{
	struct types t;
	struct btf *btf = new_btf(&t);
	struct layout *l = build(btf, outer_struct(btf, &t), NULL);
	struct c_outer r = {.x = 1, .in = {.a = 7, .b = -1}, .u = {.i = 0x01020304}};
	const struct field *f;

	r.p = 2;
	r.q = 3;
	r.d = UINT32_MAX;
	/* anonymous members appear in the parent, at their offsets within it */
	CHECK_JSON(l, &r,
		   "{\"x\":1,\"in\":{\"a\":7,\"b\":-1},\"u\":{\"i\":16909060,\"b\":[4,3,2,1]},"
		   "\"p\":2,\"q\":3,\"d\":4294967295,\"e\":-1}");
	CHECK_TEXT(l, "in", &r, "{\"a\":7,\"b\":-1}");
	CHECK(l && l->nr_fields == 7);
	f = l ? layout_find(l, "q") : NULL;
	CHECK(f && f->offset == offsetof(struct c_outer, q));
	f = l ? layout_find(l, "e") : NULL;
	CHECK(f && f->offset == offsetof(struct c_outer, e) && f->is_signed);
	f = l ? layout_find(l, "in") : NULL;
	CHECK(f && f->kind == FIELD_RECORD && f->record && f->record->nr_fields == 2 &&
	      !strcmp(f->record->name, "inner"));
	layout_free(l);
	btf__free(btf);
}

TEST(layout_hints_apply_inside_nested_records)
{
	struct types t;
	struct btf *btf = new_btf(&t);
	struct type_hints *hints = test_hints("{\"inner\": {\"a\": {\"key\": \"alpha\"}, "
					      "\"b\": {\"hidden\": true}}}",
					      NULL);
	struct layout *l = build(btf, outer_struct(btf, &t), hints);
	struct c_outer r = {.x = 1, .in = {.a = 7, .b = -1}};

	CHECK_JSON(l, &r,
		   "{\"x\":1,\"in\":{\"alpha\":7},\"u\":{\"i\":0,\"b\":[0,0,0,0]},"
		   "\"p\":0,\"q\":0,\"d\":0,\"e\":0}");
	layout_free(l);
	test_hints_free(hints);
	btf__free(btf);
}

/* ---- modifiers, pointers, floats ---- */

struct c_misc {
	int32_t pid;
	uint64_t ptr;
	float f;
	double d;
	long double ld;
};

static int misc_struct(struct btf *btf, const struct types *t)
{
	int pid_t_ = btf__add_typedef(btf, "pid_t", t->b.s32);
	int my_pid = btf__add_typedef(btf, "my_pid", pid_t_);
	int cnst = btf__add_const(btf, my_pid);
	int vol = btf__add_volatile(btf, cnst);
	int ptr = btf__add_ptr(btf, 0);
	const struct member m[] = {
		MEMBER(pid, vol, struct c_misc),      MEMBER(ptr, ptr, struct c_misc),
		MEMBER(f, t->b.flt, struct c_misc),   MEMBER(d, t->b.dbl, struct c_misc),
		MEMBER(ld, t->b.ldbl, struct c_misc),
	};
	int id = STRUCT(btf, "misc", sizeof(struct c_misc), m);

	btf__add_typedef(btf, "misc_t", id);
	return id;
}

TEST(layout_modifier_chains_pointers_and_floats)
{
	struct types t;
	struct btf *btf = new_btf(&t);
	struct layout *l = build(btf, misc_struct(btf, &t), NULL);
	struct c_misc r = {
		.pid = -5, .ptr = 0xffff888012345678ull, .f = 1.5f, .d = -0.25, .ld = 2.5L};
	const struct field *f;

	CHECK_JSON(l, &r,
		   "{\"pid\":-5,\"ptr\":18446612682375452280,\"f\":1.5,\"d\":-0.25,\"ld\":2.5}");
	CHECK_TEXT(l, "ptr", &r, "18446612682375452280");
	CHECK_TEXT(l, "f", &r, "1.5");
	CHECK_TEXT(l, "pid", &r, "-5");
	r.f = 0.1f;
	r.d = NAN;
	r.ld = INFINITY;
	CHECK_JSON(l, &r,
		   "{\"pid\":-5,\"ptr\":18446612682375452280,\"f\":0.10000000149011612,"
		   "\"d\":null,\"ld\":null}");
	f = l ? layout_find(l, "ptr") : NULL;
	CHECK(f && f->kind == FIELD_POINTER && f->size == 8);
	f = l ? layout_find(l, "pid") : NULL;
	CHECK(f && f->kind == FIELD_INT && f->is_signed && f->size == 4);
	layout_free(l);
	btf__free(btf);
}

TEST(btf_find_record_by_name_and_typedef)
{
	struct types t;
	struct btf *btf = new_btf(&t);
	int id = misc_struct(btf, &t);

	CHECK(id > 0);
	CHECK(layout_find_record(btf, "misc") == id);
	CHECK(layout_find_record(btf, "misc_t") == id);
	CHECK(layout_find_record(btf, "pid_t") == -ENOENT);
	CHECK(layout_find_record(btf, "int") == -ENOENT);
	CHECK(layout_find_record(btf, "nothing") == -ENOENT);
	btf__free(btf);
}

/* ---- display hints ---- */

struct c_net {
	uint8_t addr[16];
	uint8_t fl;
	uint8_t ver; /* after addr: the version member is found wherever it is */
	uint16_t port;
	uint32_t a4;
	uint8_t a4b[4];
	uint32_t x;
	uint32_t pad;
	uint8_t plain6[16];
};

static const char net_hints[] = "{\"net\": {\"addr\": {\"format\": \"ip\", \"version\": \"ver\"},"
				" \"fl\": {\"format\": \"flags\", \"letters\": \"FTNRr\"},"
				" \"x\": {\"key\": \"renamed\"}, \"pad\": {\"hidden\": true},"
				" \"a4\": {\"format\": \"ip\"}, \"a4b\": {\"format\": \"ip\"},"
				" \"plain6\": {\"format\": \"ip\"}}}";

static int net_struct(struct btf *btf, const struct types *t)
{
	int a16 = array_of(btf, t, t->b.u8, 16), a4 = array_of(btf, t, t->b.u8, 4);
	const struct member m[] = {
		MEMBER(addr, a16, struct c_net),    MEMBER(fl, t->b.u8, struct c_net),
		MEMBER(ver, t->b.u8, struct c_net), MEMBER(port, t->b.u16, struct c_net),
		MEMBER(a4, t->b.u32, struct c_net), MEMBER(a4b, a4, struct c_net),
		MEMBER(x, t->b.u32, struct c_net),  MEMBER(pad, t->b.u32, struct c_net),
		MEMBER(plain6, a16, struct c_net),
	};

	return STRUCT(btf, "net", sizeof(struct c_net), m);
}

static void set_v4(uint8_t *addr, uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	addr[0] = a;
	addr[1] = b;
	addr[2] = c;
	addr[3] = d;
}

TEST(layout_hints_ip_flags_key_hidden)
{
	struct types t;
	struct btf *btf = new_btf(&t);
	struct type_hints *hints = test_hints(net_hints, NULL);
	struct layout *l = build(btf, net_struct(btf, &t), hints);
	struct c_net r = {.fl = 0x15, .ver = 4, .port = 80, .x = 5, .pad = 9};
	const struct field *f;

	set_v4(r.addr, 1, 2, 3, 4);
	set_v4((uint8_t *)&r.a4, 10, 0, 0, 1); /* network byte order, as the kernel stores it */
	set_v4(r.a4b, 192, 168, 1, 254);
	r.plain6[15] = 1;
	CHECK_JSON(l, &r,
		   "{\"addr\":\"1.2.3.4\",\"fl\":\"F.N.r\",\"ver\":4,\"port\":80,"
		   "\"a4\":\"10.0.0.1\",\"a4b\":\"192.168.1.254\",\"renamed\":5,"
		   "\"plain6\":\"::1\"}");
	CHECK_TEXT(l, "addr", &r, "1.2.3.4");
	CHECK_TEXT(l, "fl", &r, "F.N.r");
	CHECK_TEXT(l, "renamed", &r, "5");
	/* a hidden field is still there for tables that name it */
	CHECK_TEXT(l, "pad", &r, "9");
	f = l ? layout_find(l, "renamed") : NULL;
	CHECK(f && f == layout_find(l, "x") && !strcmp(f->name, "x"));
	f = l ? layout_find(l, "pad") : NULL;
	CHECK(f && f->hidden);
	f = l ? layout_find(l, "addr") : NULL;
	CHECK(f && f->format == FORMAT_IP && f->version_field >= 0 &&
	      !strcmp(l->fields[f->version_field].name, "ver"));
	layout_free(l);
	test_hints_free(hints);
	btf__free(btf);
}

TEST(layout_hints_ipv6_and_address_family_versions)
{
	static const uint8_t fe80_1[16] = {0xfe, 0x80, [15] = 1};
	static const uint8_t mapped[16] = {[10] = 0xff, [11] = 0xff, 1, 2, 3, 4};
	struct types t;
	struct btf *btf = new_btf(&t);
	struct type_hints *hints = test_hints(net_hints, NULL);
	struct layout *l = build(btf, net_struct(btf, &t), hints);
	struct c_net r = {.ver = 6};

	memcpy(r.addr, fe80_1, 16);
	memcpy(r.plain6, mapped, 16);
	CHECK_TEXT(l, "addr", &r, "fe80::1");
	CHECK_TEXT(l, "plain6", &r, "::ffff:1.2.3.4");
	CHECK_TEXT(l, "fl", &r, ".....");
	memset(r.addr, 0, 16);
	r.addr[15] = 1;
	CHECK_TEXT(l, "addr", &r, "::1");
	r.ver = 10; /* AF_INET6 */
	CHECK_TEXT(l, "addr", &r, "::1");
	r.ver = 2; /* AF_INET */
	set_v4(r.addr, 127, 0, 0, 1);
	CHECK_TEXT(l, "addr", &r, "127.0.0.1");
	memset(r.plain6, 0, 16);
	CHECK_TEXT(l, "plain6", &r, "::");
	layout_free(l);
	test_hints_free(hints);
	btf__free(btf);
}

TEST(layout_hints_flags_letters_per_bit)
{
	struct types t;
	struct btf *btf = new_btf(&t);
	struct type_hints *hints = test_hints(net_hints, NULL);
	struct layout *l = build(btf, net_struct(btf, &t), hints);
	struct c_net r = {.ver = 4};

	r.fl = 0x1f;
	CHECK_TEXT(l, "fl", &r, "FTNRr");
	r.fl = 0x01;
	CHECK_TEXT(l, "fl", &r, "F....");
	r.fl = 0x10;
	CHECK_TEXT(l, "fl", &r, "....r");
	r.fl = 0x0a;
	CHECK_TEXT(l, "fl", &r, ".T.R.");
	/* bits without a letter are not shown */
	r.fl = 0xe0;
	CHECK_TEXT(l, "fl", &r, ".....");
	layout_free(l);
	test_hints_free(hints);
	btf__free(btf);
}

/* layout_build's error for the given hints on struct net, or "" when it succeeds. */
static int build_with_hints(const char *hints_json, char *msg, size_t len)
{
	struct types t;
	struct btf *btf = new_btf(&t);
	struct layout *l = NULL;
	struct diag d = {""};
	struct type_hints *hints = test_hints(hints_json, &d);
	int err = hints ? layout_build(btf, net_struct(btf, &t), hints, &l, &d) : -EINVAL;

	if (!err)
		CHECK(l != NULL);
	else
		CHECK(l == NULL);
	snprintf(msg, len, "%s", err ? d.msg : "");
	layout_free(l);
	test_hints_free(hints);
	btf__free(btf);
	return err;
}

TEST(layout_invalid_hints_fail_with_a_message)
{
	char msg[512];

	CHECK(build_with_hints("{\"net\": {\"port\": {\"format\": \"ip\"}}}", msg, sizeof(msg)) ==
	      -EINVAL);
	CHECK_STR(msg, "display.types.net.port.format: \"ip\" needs 4 or 16 bytes: an integer, an "
		       "array of integers or a struct (in_addr, in6_addr)");

	CHECK(build_with_hints("{\"net\": {\"fl\": {\"format\": \"flags\"}}}", msg, sizeof(msg)) ==
	      -EINVAL);
	CHECK_STR(msg, "display.types.net.fl.format: format \"flags\" and \"letters\" go together");

	CHECK(build_with_hints(
		      "{\"net\": {\"addr\": {\"format\": \"flags\", \"letters\": \"ab\"}}}", msg,
		      sizeof(msg)) == -EINVAL);
	CHECK_STR(msg, "display.types.net.addr.format: \"flags\" needs an integer member");

	CHECK(build_with_hints("{\"net\": {\"x\": {\"format\": \"hex\"}}}", msg, sizeof(msg)) ==
	      -EINVAL);
	CHECK_STR(msg, "display.types.net.x.format: \"hex\" is not one of ip, flags, cgroup");

	CHECK(build_with_hints("{\"net\": {\"x\": {\"formt\": \"ip\"}}}", msg, sizeof(msg)) ==
	      -EINVAL);
	CHECK_STR(msg, "display.types.net.x.formt: unknown key (did you mean \"format\"?)");

	CHECK(build_with_hints("{\"net\": {\"addr\": {\"format\": \"ip\", \"version\": \"nope\"}}}",
			       msg, sizeof(msg)) == -EINVAL);
	CHECK_STR(msg, "display.types.net.addr.version: names no integer member");

	/* the version must be an integer, not another address */
	CHECK(build_with_hints("{\"net\": {\"addr\": {\"format\": \"ip\", "
			       "\"version\": \"plain6\"}}}",
			       msg, sizeof(msg)) == -EINVAL);
	CHECK_STR(msg, "display.types.net.addr.version: names no integer member");

	/* a rename may not make two fields share a key */
	CHECK(build_with_hints("{\"net\": {\"x\": {\"key\": \"port\"}}}", msg, sizeof(msg)) ==
	      -EINVAL);
	CHECK_STR(msg, "display.types.net.x.key: \"port\" is also the key of member port");

	/* hints for other types and unknown members are left alone */
	CHECK(build_with_hints("{\"other\": {\"port\": {\"format\": \"ip\"}}, "
			       "\"net\": {\"nosuch\": {\"format\": \"ip\"}}}",
			       msg, sizeof(msg)) == 0);
}

TEST(layout_ip_hint_on_wrong_sized_array_fails)
{
	struct types t;
	struct btf *btf = new_btf(&t);
	int a8 = array_of(btf, &t, t.b.u8, 8);
	const struct member m[] = {{"addr8", a8, 0, 0}};
	int id = STRUCT(btf, "odd", 8, m);
	struct type_hints *hints = test_hints("{\"odd\": {\"addr8\": {\"format\": \"ip\"}}}", NULL);
	struct layout *l = NULL;
	struct diag d = {""};

	CHECK(layout_build(btf, id, hints, &l, &d) == -EINVAL);
	CHECK_STR(d.msg,
		  "display.types.odd.addr8.format: \"ip\" needs 4 or 16 bytes: an integer, an "
		  "array of integers or a struct (in_addr, in6_addr)");
	CHECK(l == NULL);
	test_hints_free(hints);
	btf__free(btf);
}

/* As libbpf-tools' tcpstates and others keep addresses: 16-byte integers, __u32[4], in6_addr. */
TEST(layout_ip_hint_on_every_16_byte_form)
{
	struct types t;
	struct btf *btf = new_btf(&t);
	int a32 = array_of(btf, &t, t.b.u32, 4), a8 = array_of(btf, &t, t.b.u8, 16);
	const struct member in6_m[] = {{"s6_addr", a8, 0, 0}};
	int in6 = STRUCT(btf, "in6_addr", 16, in6_m);
	const struct member m[] = {{"family", t.b.u16, 0, 0},
				   {"saddr", t.b.u128, 16 * 8, 0},
				   {"daddr", a32, 32 * 8, 0},
				   {"gw", in6, 48 * 8, 0}};
	int id = STRUCT(btf, "conn", 64, m);
	struct type_hints *hints =
		test_hints("{\"conn\": {\"saddr\": {\"format\": \"ip\", \"version\": \"family\"}, "
			   "\"daddr\": {\"format\": \"ip\", \"version\": \"family\"}, "
			   "\"gw\": {\"format\": \"ip\"}}}",
			   NULL);
	struct layout *l = build(btf, id, hints);
	uint8_t r[64] = {0};

	r[0] = 10; /* AF_INET6 */
	r[16] = 0xfe, r[17] = 0x80, r[31] = 1;
	r[32 + 15] = 2;
	r[48 + 10] = 0xff, r[48 + 11] = 0xff, r[48 + 12] = 127, r[48 + 15] = 1;
	CHECK_TEXT(l, "saddr", r, "fe80::1");
	CHECK_TEXT(l, "daddr", r, "::2");
	CHECK_TEXT(l, "gw", r, "::ffff:127.0.0.1");
	memset(r, 0, sizeof(r));
	r[0] = 2; /* AF_INET: the address in the first four bytes */
	r[16] = 10, r[19] = 7;
	r[32] = 192, r[33] = 168, r[35] = 1;
	CHECK_TEXT(l, "saddr", r, "10.0.0.7");
	CHECK_TEXT(l, "daddr", r, "192.168.0.1");
	CHECK_JSON(l, r,
		   "{\"family\":2,\"saddr\":\"10.0.0.7\",\"daddr\":\"192.168.0.1\",\"gw\":\"::\"}");
	layout_free(l);
	test_hints_free(hints);
	btf__free(btf);
}

/* A union shown as the member its tag picks (tcpstates-like), or always as one member. */
TEST(layout_union_shown_as_the_member_selected)
{
	struct types t;
	struct btf *btf = new_btf(&t);
	int a8 = array_of(btf, &t, t.b.u8, 16);
	const struct member um[] = {{"v4", t.b.u32, 0, 0}, {"v6", a8, 0, 0}};
	int addr = UNION(btf, "addr", 16, um);
	const struct member m[] = {
		{"family", t.b.u16, 0, 0}, {"a", addr, 32, 0}, {"b", addr, 160, 0}};
	int id = STRUCT(btf, "conn", 36, m);
	struct type_hints *hints = test_hints(
		"{\"conn\": {\"a\": {\"select\": {\"by\": \"family\", \"cases\": "
		"{\"2\": \"v4\", \"10\": \"v6\"}}}, \"b\": {\"select\": \"v4\"}}, "
		"\"addr\": {\"v4\": {\"format\": \"ip\"}, \"v6\": {\"format\": \"ip\"}}}",
		NULL);
	struct layout *l = build(btf, id, hints);
	uint8_t r[36] = {0};

	r[0] = 2;
	set_v4(r + 4, 10, 0, 0, 1);
	set_v4(r + 20, 192, 168, 0, 1);
	CHECK_JSON(l, r, "{\"family\":2,\"a\":\"10.0.0.1\",\"b\":\"192.168.0.1\"}");
	memset(r, 0, sizeof(r));
	r[0] = 10;
	r[4 + 15] = 1;
	CHECK_TEXT(l, "a", r, "::1");
	r[0] = 7; /* no case: the whole union */
	CHECK_JSON(l, r,
		   "{\"family\":7,\"a\":{\"v4\":\"0.0.0.0\",\"v6\":\"::1\"},"
		   "\"b\":\"0.0.0.0\"}");
	layout_free(l);
	test_hints_free(hints);
	btf__free(btf);
}

TEST(layout_union_select_mistakes_fail_with_a_message)
{
	char msg[512];

	CHECK(build_with_hints("{\"net\": {\"port\": {\"select\": \"x\"}}}", msg, sizeof(msg)) ==
	      -EINVAL);
	CHECK_STR(msg, "display.types.net.port.select: needs a union member");
}

/* ---- map rows ---- */

/* A map row: the key's bytes, then the value's right after them. */
static void *row_of(const void *key, size_t key_size, const void *value, size_t value_size)
{
	uint8_t *row = calloc(1, key_size + value_size);

	memcpy(row, key, key_size);
	memcpy(row + key_size, value, value_size);
	return row;
}

static struct layout *build_row(const struct btf *btf, uint32_t key_type, uint32_t key_size,
				uint32_t value_type, uint32_t value_size,
				const struct type_hints *hints)
{
	struct layout *l = NULL;
	struct diag d = {""};

	if (layout_build_map_row(btf, key_type, key_size, value_type, value_size, "binds", hints,
				 &l, &d)) {
		fprintf(stderr, "    layout_build_map_row: %s\n", d.msg);
		return NULL;
	}
	return l;
}

TEST(map_row_scalar_key_and_value)
{
	struct types t;
	struct btf *btf = new_btf(&t);
	struct layout *l = build_row(btf, t.b.u32, 4, t.b.u64, 8, NULL);
	uint32_t key = 7;
	uint64_t value = 42;
	void *row = row_of(&key, 4, &value, 8);

	CHECK(l && l->size == 12 && l->nr_fields == 2);
	CHECK(l && l->fields[1].offset == 4 && l->fields[1].size == 8);
	CHECK_JSON(l, row, "{\"key\":7,\"binds\":42}");
	free(row);
	layout_free(l);
	btf__free(btf);
}

struct c_count_key {
	uint8_t addr[16];
	uint16_t port;
	uint8_t ip;
	uint8_t pad;
};

TEST(map_row_struct_key_with_hints)
{
	struct types t;
	struct btf *btf = new_btf(&t);
	int a16 = array_of(btf, &t, t.b.u8, 16);
	const struct member m[] = {
		MEMBER(addr, a16, struct c_count_key), MEMBER(port, t.b.u16, struct c_count_key),
		MEMBER(ip, t.b.u8, struct c_count_key), MEMBER(pad, t.b.u8, struct c_count_key)};
	int id = STRUCT(btf, "bind_count_key", sizeof(struct c_count_key), m);
	struct type_hints *hints =
		test_hints("{\"bind_count_key\": {\"addr\": {\"format\": \"ip\", "
			   "\"version\": \"ip\"}, \"pad\": {\"hidden\": true}}}",
			   NULL);
	struct layout *l = build_row(btf, id, sizeof(struct c_count_key), t.b.u64, 8, hints);
	struct c_count_key key = {.port = 80, .ip = 4, .pad = 1};
	uint64_t value = 3;
	void *row;

	set_v4(key.addr, 1, 2, 3, 4);
	row = row_of(&key, sizeof(key), &value, 8);
	CHECK(l && !strcmp(l->name, "bind_count_key") && l->nr_fields == 5);
	CHECK_JSON(l, row, "{\"addr\":\"1.2.3.4\",\"port\":80,\"ip\":4,\"binds\":3}");
	free(row);
	layout_free(l);
	test_hints_free(hints);
	btf__free(btf);
}

struct c_stats {
	uint64_t count;
	uint64_t bytes;
};

TEST(map_row_struct_value)
{
	struct types t;
	struct btf *btf = new_btf(&t);
	const struct member m[] = {MEMBER(count, t.b.u64, struct c_stats),
				   MEMBER(bytes, t.b.u64, struct c_stats)};
	int id = STRUCT(btf, "stats", sizeof(struct c_stats), m);
	struct layout *l = build_row(btf, t.b.s32, 4, id, sizeof(struct c_stats), NULL);
	int32_t key = -1;
	struct c_stats value = {2, 3};
	void *row = row_of(&key, 4, &value, sizeof(value));

	CHECK_JSON(l, row, "{\"key\":-1,\"count\":2,\"bytes\":3}");
	free(row);
	layout_free(l);
	btf__free(btf);
}

TEST(map_row_without_btf)
{
	static const uint8_t odd_key[6] = {1, 2, 3, 4, 5, 6}, odd_value[3] = {7, 8, 9};
	uint32_t key = 7;
	uint64_t value = 42;
	uint16_t key16 = 65535;
	uint8_t value8 = 255;
	struct layout *l = build_row(NULL, 0, 4, 0, 8, NULL);
	void *row = row_of(&key, 4, &value, 8);

	CHECK_JSON(l, row, "{\"key\":7,\"binds\":42}");
	free(row);
	layout_free(l);

	/* sizes that are no C integer become byte arrays */
	l = build_row(NULL, 0, 6, 0, 3, NULL);
	row = row_of(odd_key, 6, odd_value, 3);
	CHECK_JSON(l, row, "{\"key\":[1,2,3,4,5,6],\"binds\":[7,8,9]}");
	free(row);
	layout_free(l);

	l = build_row(NULL, 0, 2, 0, 1, NULL);
	row = row_of(&key16, 2, &value8, 1);
	CHECK_JSON(l, row, "{\"key\":65535,\"binds\":255}");
	free(row);
	layout_free(l);
}

TEST(map_row_btf_value_untyped_key)
{
	struct types t;
	struct btf *btf = new_btf(&t);
	struct layout *l = build_row(btf, 0, 8, t.b.s16, 2, NULL);
	uint64_t key = 1ull << 40;
	int16_t value = -7;
	void *row = row_of(&key, 8, &value, 2);

	CHECK_JSON(l, row, "{\"key\":1099511627776,\"binds\":-7}");
	free(row);
	layout_free(l);
	btf__free(btf);
}

/* ---- types that cannot be laid out ---- */

TEST(layout_build_needs_a_record)
{
	struct types t;
	struct btf *btf = new_btf(&t);
	struct layout *l = NULL;
	struct diag d = {""};
	char want[128];

	CHECK(layout_build(btf, t.b.u32, NULL, &l, &d) == -EINVAL);
	snprintf(want, sizeof(want), "BTF: type %d is not a struct or union", t.b.u32);
	CHECK_STR(d.msg, want);
	CHECK(layout_build(btf, 9999, NULL, &l, &d) == -EINVAL);
	CHECK_STR(d.msg, "BTF: type 9999 is not a struct or union");
	CHECK(l == NULL);
	btf__free(btf);
}

TEST(layout_self_containing_records_are_refused)
{
	struct types t;
	struct btf *btf = new_btf(&t);
	int loop = btf__add_struct(btf, "loop", 4), anon;
	struct layout *l = NULL;
	struct diag d = {""};

	/* BTF can say what C cannot: a struct inside itself, named or anonymous */
	btf__add_field(btf, "self", loop, 0, 0);
	anon = btf__add_struct(btf, "anonloop", 4);
	btf__add_field(btf, NULL, anon, 0, 0);
	CHECK(layout_build(btf, loop, NULL, &l, &d) == -ELOOP);
	CHECK_STR(d.msg, "BTF: records nest too deeply");
	d.msg[0] = 0;
	CHECK(layout_build(btf, anon, NULL, &l, &d) == -ELOOP);
	CHECK_STR(d.msg, "BTF: records nest too deeply");
	CHECK(l == NULL);
	btf__free(btf);
}

TEST(field_describe_globals)
{
	struct types t;
	struct btf *btf = new_btf(&t);
	int str = array_of(btf, &t, t.b.chr, 100);
	int cvol = btf__add_volatile(btf, btf__add_const(btf, t.b.boolean));
	int proto = btf__add_func_proto(btf, t.b.s32);
	struct field f;
	struct diag d = {""};

	CHECK(field_describe(btf, t.b.s32, "v", &f, &d) == 0);
	CHECK(f.kind == FIELD_INT && f.size == 4 && f.is_signed && !strcmp(f.key, "v"));
	field_release(&f);
	CHECK(field_describe(btf, str, "s", &f, &d) == 0);
	CHECK(f.kind == FIELD_STRING && f.count == 100 && f.size == 100);
	field_release(&f);
	CHECK(field_describe(btf, cvol, "b", &f, &d) == 0);
	CHECK(f.kind == FIELD_BOOL && f.size == 1);
	field_release(&f);
	CHECK(field_describe(btf, proto, "fp", &f, &d) == -EINVAL);
	CHECK_STR(d.msg, "BTF: field \"fp\" has a type (kind 13) that cannot be shown");
	btf__free(btf);
}

/* The message layout_build refuses a record with, or "" when it builds one. */
static const char *refusal(const struct btf *btf, int id, const struct type_hints *hints,
			   struct diag *d)
{
	struct layout *l = NULL;

	d->msg[0] = 0;
	if (!layout_build(btf, id, hints, &l, d))
		layout_free(l);
	return d->msg;
}

/* BTF is the package's word: a field it places past its record would be read out of bounds. */
TEST(layout_refuses_fields_outside_their_record)
{
	struct types t;
	struct btf *btf = new_btf(&t);
	struct member wide[] = {{"s", btf__add_array(btf, t.b.u32, t.b.chr, 64), 0, 0}};
	struct member late[] = {{"x", t.b.u32, 64 * 8, 0}};
	struct member bits[] = {{"b", t.b.u32, 12, 8}};
	int wide_id = STRUCT(btf, "wide", 8, wide), late_id = STRUCT(btf, "late", 8, late);
	int bits_id = STRUCT(btf, "bits", 2, bits);
	struct diag d;

	CHECK_STR(refusal(btf, wide_id, NULL, &d),
		  "BTF: field \"s\" of wide lies outside its 8 bytes");
	CHECK_STR(refusal(btf, late_id, NULL, &d),
		  "BTF: field \"x\" of late lies outside its 8 bytes");
	CHECK_STR(refusal(btf, bits_id, NULL, &d),
		  "BTF: field \"b\" of bits lies outside its 2 bytes");
	btf__free(btf);
}

TEST(layout_refuses_ip_on_a_bitfield_and_zero_size_elements)
{
	struct types t;
	struct btf *btf = new_btf(&t);
	struct member bits[] = {{"a", t.b.u32, 0, 32}};
	int empty = btf__add_struct(btf, "empty", 0);
	struct member many[] = {{"e", btf__add_array(btf, t.b.u32, empty, 0x7fffffff), 0, 0}};
	int bits_id = STRUCT(btf, "bits4", 4, bits), many_id = STRUCT(btf, "many", 4, many);
	struct type_hints *hints = test_hints("{\"bits4\": {\"a\": {\"format\": \"ip\"}}}", NULL);
	struct diag d;

	CHECK(strstr(refusal(btf, bits_id, hints, &d), "\"ip\" needs") != NULL);
	CHECK_STR(refusal(btf, many_id, NULL, &d), "BTF: array \"e\" has elements of no size");
	test_hints_free(hints);
	btf__free(btf);
}

/* Records nested by value multiply: 4 members of 4 members ... must not build forever. */
TEST(layout_refuses_too_many_fields_and_too_large_records)
{
	struct types t;
	struct btf *btf = new_btf(&t);
	int id = t.b.u32, size = 4, level;
	int huge = btf__add_struct(btf, "huge", 2u << 20);
	struct diag d;

	for (level = 0; level < 8; level++) {
		int rec = btf__add_struct(btf, level == 7 ? "top" : NULL, size * 4);
		int i;

		for (i = 0; i < 4; i++)
			btf__add_field(btf, (const char *[]){"a", "b", "c", "d"}[i], id,
				       i * size * 8, 0);
		id = rec;
		size *= 4;
	}
	CHECK_STR(refusal(btf, id, NULL, &d), "BTF: (anon) has more than 4096 fields");
	CHECK_STR(refusal(btf, huge, NULL, &d), "BTF: huge is 2097152 bytes, more than 1048576");
	btf__free(btf);
}

struct c_ev {
	uint64_t cg;
	uint32_t pid;
	uint32_t small;
};

/* layout_build of struct ev with these hints: the layout, or NULL with the message in msg. */
static struct layout *ev_layout(struct btf *btf, const struct types *t, const char *hints_json,
				char *msg, size_t len)
{
	const struct member m[] = {MEMBER(cg, t->b.u64, struct c_ev),
				   MEMBER(pid, t->b.u32, struct c_ev),
				   MEMBER(small, t->b.u32, struct c_ev)};
	int id = STRUCT(btf, "ev", sizeof(struct c_ev), m);
	struct diag d = {""};
	struct type_hints *hints = test_hints(hints_json, &d);
	struct layout *l = NULL;

	if (hints && layout_build(btf, id, hints, &l, &d))
		l = NULL;
	snprintf(msg, len, "%s", d.msg);
	test_hints_free(hints);
	return l;
}

TEST(layout_cgroup_member_adds_the_name_fields)
{
	static const char *const keys[] = {"container", "container_id", "runtime", "unit",
					   "cgroup"};
	struct types t;
	struct btf *btf = new_btf(&t);
	struct c_ev r = {.cg = 5, .pid = 1, .small = 2};
	struct layout *l;
	const struct field *f;
	char msg[512];
	size_t i;

	l = ev_layout(btf, &t, "{\"ev\": {\"cg\": {\"format\": \"cgroup\"}}}", msg, sizeof(msg));
	CHECK(l && l->nr_fields == 3 + 5);
	for (i = 0; l && i < sizeof(keys) / sizeof(*keys); i++) {
		f = layout_find(l, keys[i]);
		CHECK(f && f->kind == FIELD_CGROUP_NAME && f->part == (enum cgroup_part)i &&
		      f->offset == 0 && f->size == 8);
	}
	/* nothing resolves them: the id alone, and no key for what is not known */
	CHECK_JSON(l, &r, "{\"cg\":5,\"pid\":1,\"small\":2}");
	CHECK_TEXT(l, "cg", &r, "5");
	CHECK_TEXT(l, "container", &r, "");
	layout_free(l);

	CHECK(!ev_layout(btf, &t, "{\"ev\": {\"small\": {\"format\": \"cgroup\"}}}", msg,
			 sizeof(msg)));
	CHECK_STR(msg, "display.types.ev.small.format: \"cgroup\" needs a 64-bit integer member "
		       "(a cgroup id)");
	CHECK(!ev_layout(
		btf, &t,
		"{\"ev\": {\"cg\": {\"format\": \"cgroup\"}, \"pid\": {\"key\": \"unit\"}}}", msg,
		sizeof(msg)));
	CHECK_STR(msg,
		  "display.types.ev: a \"cgroup\" member adds the key \"unit\", which member pid "
		  "has too");
	btf__free(btf);
}
