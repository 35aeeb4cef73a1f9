// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Command-line text to the bytes of a BTF type: every integer width at its edges, and the
 * reasons given for what is refused. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <bpf/btf.h>
#include "btf_types.h"
#include "unit.h"
#include "args/value_parse.h"

struct types {
	struct base_types b;
	int proto, sgn, e64, str8, u16x3, s32x2, pid, ptr, rec;
};

static struct btf *new_btf(struct types *t)
{
	struct btf *btf = btf_with_base_types(&t->b);
	int typedef_id;

	t->proto = btf__add_enum(btf, "proto", 4);
	btf__add_enum_value(btf, "TCP", 6);
	btf__add_enum_value(btf, "UDP", 17);
	btf__add_enum_value(btf, "HIGH", 0x80000000u);
	t->sgn = btf__add_enum(btf, "sgn", 4);
	btf__add_enum_value(btf, "NEG", -1);
	btf__add_enum_value(btf, "POS", 1);
	t->e64 = btf__add_enum64(btf, "e64", 8, false);
	btf__add_enum64_value(btf, "SMALL", 1);
	btf__add_enum64_value(btf, "HUGE", UINT64_MAX);
	t->str8 = btf__add_array(btf, t->b.u32, t->b.chr, 8);
	t->u16x3 = btf__add_array(btf, t->b.u32, t->b.u16, 3);
	t->s32x2 = btf__add_array(btf, t->b.u32, t->b.s32, 2);
	typedef_id = btf__add_typedef(btf, "pid_t", t->b.s32);
	t->pid = btf__add_volatile(btf, btf__add_const(btf, typedef_id));
	t->ptr = btf__add_ptr(btf, t->b.s32);
	t->rec = btf__add_struct(btf, "rec", 4);
	btf__add_field(btf, "x", t->b.s32, 0, 0);
	return btf;
}

/* Parses text as type id into size bytes and compares them with want; 0 when equal. */
static int parse_eq(const struct btf *btf, int id, const char *text, uint32_t size,
		    const void *want)
{
	uint8_t buf[64];
	char why[256] = "";
	int err;

	memset(buf, 0xaa, sizeof(buf)); /* value_parse must zero what it does not set */
	err = value_parse(btf, id, text, buf, size, why, sizeof(why));
	if (err) {
		fprintf(stderr, "    '%s': %s\n", text, why);
		return err;
	}
	return memcmp(buf, want, size) ? -EBADMSG : 0;
}

/* Parses text expecting a failure; the reason goes to why. */
static int parse_fail(const struct btf *btf, int id, const char *text, uint32_t size, char *why,
		      size_t why_len)
{
	uint8_t buf[64];

	why[0] = 0;
	return value_parse(btf, id, text, buf, size, why, why_len);
}

/* Expects text to be stored as the low size bytes of v (the host is little-endian, as BPF). */
#define CHECK_VALUE(btf, id, size, text, v)                     \
	do {                                                    \
		uint64_t v_ = (uint64_t)(v);                    \
		CHECK(parse_eq(btf, id, text, size, &v_) == 0); \
	} while (0)

#define CHECK_REFUSED(btf, id, size, text, err, msg)                                 \
	do {                                                                         \
		char why_[256];                                                      \
		CHECK(parse_fail(btf, id, text, size, why_, sizeof(why_)) == (err)); \
		CHECK_STR(why_, msg);                                                \
	} while (0)

TEST(value_parse_unsigned_edges)
{
	struct types t;
	struct btf *btf = new_btf(&t);

	CHECK_VALUE(btf, t.b.u8, 1, "0", 0);
	CHECK_VALUE(btf, t.b.u8, 1, "255", 255);
	CHECK_REFUSED(btf, t.b.u8, 1, "256", -ERANGE, "'256' is out of range 0..255");
	CHECK_REFUSED(btf, t.b.u8, 1, "-1", -ERANGE, "'-1' is out of range 0..255");
	CHECK_VALUE(btf, t.b.u16, 2, "65535", 65535);
	CHECK_REFUSED(btf, t.b.u16, 2, "65536", -ERANGE, "'65536' is out of range 0..65535");
	CHECK_REFUSED(btf, t.b.u16, 2, "70000", -ERANGE, "'70000' is out of range 0..65535");
	CHECK_VALUE(btf, t.b.u32, 4, "4294967295", 4294967295u);
	CHECK_REFUSED(btf, t.b.u32, 4, "4294967296", -ERANGE,
		      "'4294967296' is out of range 0..4294967295");
	CHECK_REFUSED(btf, t.b.u32, 4, "-3", -ERANGE, "'-3' is out of range 0..4294967295");
	CHECK_VALUE(btf, t.b.u64, 8, "18446744073709551615", UINT64_MAX);
	CHECK_REFUSED(btf, t.b.u64, 8, "18446744073709551616", -ERANGE,
		      "'18446744073709551616' is out of range 0..18446744073709551615");
	CHECK_REFUSED(btf, t.b.u64, 8, "-1", -ERANGE,
		      "'-1' is out of range 0..18446744073709551615");
	btf__free(btf);
}

TEST(value_parse_negative_unsigned_after_whitespace)
{
	struct types t;
	struct btf *btf = new_btf(&t);

	/* strtoull skips any whitespace and then wraps a minus sign around */
	CHECK_REFUSED(btf, t.b.u64, 8, " -3", -ERANGE,
		      "'-3' is out of range 0..18446744073709551615");
	CHECK_REFUSED(btf, t.b.u64, 8, "\t-3", -ERANGE,
		      "'-3' is out of range 0..18446744073709551615");
	CHECK_REFUSED(btf, t.b.u32, 4, "\n-1", -ERANGE, "'-1' is out of range 0..4294967295");
	CHECK_VALUE(btf, t.b.u32, 4, " 7", 7);
	btf__free(btf);
}

TEST(value_parse_signed_edges)
{
	struct types t;
	struct btf *btf = new_btf(&t);

	CHECK_VALUE(btf, t.b.s8, 1, "-128", -128);
	CHECK_VALUE(btf, t.b.s8, 1, "127", 127);
	CHECK_REFUSED(btf, t.b.s8, 1, "128", -ERANGE, "'128' is out of range -128..127");
	CHECK_REFUSED(btf, t.b.s8, 1, "-129", -ERANGE, "'-129' is out of range -128..127");
	CHECK_VALUE(btf, t.b.s16, 2, "-32768", -32768);
	CHECK_VALUE(btf, t.b.s16, 2, "32767", 32767);
	CHECK_REFUSED(btf, t.b.s16, 2, "32768", -ERANGE, "'32768' is out of range -32768..32767");
	CHECK_REFUSED(btf, t.b.s16, 2, "-32769", -ERANGE, "'-32769' is out of range -32768..32767");
	CHECK_VALUE(btf, t.b.s32, 4, "-2147483648", INT32_MIN);
	CHECK_VALUE(btf, t.b.s32, 4, "2147483647", INT32_MAX);
	CHECK_REFUSED(btf, t.b.s32, 4, "2147483648", -ERANGE,
		      "'2147483648' is out of range -2147483648..2147483647");
	CHECK_REFUSED(btf, t.b.s32, 4, "-2147483649", -ERANGE,
		      "'-2147483649' is out of range -2147483648..2147483647");
	CHECK_VALUE(btf, t.b.s64, 8, "-9223372036854775808", INT64_MIN);
	CHECK_VALUE(btf, t.b.s64, 8, "9223372036854775807", INT64_MAX);
	CHECK_REFUSED(btf, t.b.s64, 8, "9223372036854775808", -ERANGE,
		      "'9223372036854775808' is out of range "
		      "-9223372036854775808..9223372036854775807");
	CHECK_REFUSED(btf, t.b.s64, 8, "-9223372036854775809", -ERANGE,
		      "'-9223372036854775809' is out of range "
		      "-9223372036854775808..9223372036854775807");
	btf__free(btf);
}

TEST(value_parse_hex)
{
	struct types t;
	struct btf *btf = new_btf(&t);

	CHECK_VALUE(btf, t.b.u8, 1, "0xff", 255);
	CHECK_VALUE(btf, t.b.u8, 1, "0XFF", 255);
	CHECK_REFUSED(btf, t.b.u8, 1, "0x100", -ERANGE, "'0x100' is out of range 0..255");
	CHECK_VALUE(btf, t.b.s8, 1, "-0x80", -128);
	CHECK_VALUE(btf, t.b.u32, 4, "0xdeadbeef", 0xdeadbeefu);
	CHECK_VALUE(btf, t.b.s64, 8, "0x7fffffffffffffff", INT64_MAX);
	CHECK_VALUE(btf, t.b.u64, 8, "0xffffffffffffffff", UINT64_MAX);
	/* without 0x, digits are decimal even with a leading zero */
	CHECK_VALUE(btf, t.b.u16, 2, "010", 10);
	CHECK_REFUSED(btf, t.b.u8, 1, "0x", -EINVAL, "'0x' is not an integer");
	CHECK_REFUSED(btf, t.b.u8, 1, "ff", -EINVAL, "'ff' is not an integer");
	btf__free(btf);
}

TEST(value_parse_not_an_integer)
{
	struct types t;
	struct btf *btf = new_btf(&t);

	CHECK_REFUSED(btf, t.b.u32, 4, "x", -EINVAL, "'x' is not an integer");
	CHECK_REFUSED(btf, t.b.s32, 4, "x", -EINVAL, "'x' is not an integer");
	CHECK_REFUSED(btf, t.b.u32, 4, "", -EINVAL, "'' is not an integer");
	CHECK_REFUSED(btf, t.b.s32, 4, "", -EINVAL, "'' is not an integer");
	CHECK_REFUSED(btf, t.b.u32, 4, "12abc", -EINVAL, "'12abc' is not an integer");
	CHECK_REFUSED(btf, t.b.s16, 2, "1.5", -EINVAL, "'1.5' is not an integer");
	CHECK_REFUSED(btf, t.b.u8, 1, "1 ", -EINVAL, "'1 ' is not an integer");
	CHECK_REFUSED(btf, t.b.s8, 1, "--1", -EINVAL, "'--1' is not an integer");
	btf__free(btf);
}

TEST(value_parse_int_without_btf)
{
	uint8_t buf[8] = {0};
	char why[128];

	CHECK(value_parse_int("16777215", false, 3, buf, why, sizeof(why)) == 0);
	CHECK(buf[0] == 0xff && buf[1] == 0xff && buf[2] == 0xff && buf[3] == 0);
	CHECK(value_parse_int("16777216", false, 3, buf, why, sizeof(why)) == -ERANGE);
	CHECK_STR(why, "'16777216' is out of range 0..16777215");
	CHECK(value_parse_int("-8388609", true, 3, buf, why, sizeof(why)) == -ERANGE);
	CHECK_STR(why, "'-8388609' is out of range -8388608..8388607");
	CHECK(value_parse_int("1", false, 0, buf, why, sizeof(why)) == -EINVAL);
	CHECK_STR(why, "'1': integers of 0 bytes are not supported");
	CHECK(value_parse_int("1", true, 9, buf, why, sizeof(why)) == -EINVAL);
	CHECK_STR(why, "'1': integers of 9 bytes are not supported");
	CHECK(value_parse_int("443", false, 2, buf, why, sizeof(why)) == 0);
	CHECK(buf[0] == 0xbb && buf[1] == 0x01);
}

TEST(value_parse_128_bit_int_refused)
{
	struct types t;
	struct btf *btf = new_btf(&t);

	CHECK_REFUSED(btf, t.b.u128, 16, "1", -EINVAL,
		      "'1': integers of 16 bytes are not supported");
	btf__free(btf);
}

TEST(value_parse_bool_words)
{
	static const char *const yes[] = {"true", "TRUE", "1", "yes", "Yes", "on"};
	static const char *const no[] = {"false", "False", "0", "no", "off", "OFF"};
	struct types t;
	struct btf *btf = new_btf(&t);
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		CHECK_VALUE(btf, t.b.boolean, 1, yes[i], 1);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		CHECK_VALUE(btf, t.b.boolean, 1, no[i], 0);
	CHECK_REFUSED(btf, t.b.boolean, 1, "maybe", -EINVAL, "'maybe' is not true or false");
	CHECK_REFUSED(btf, t.b.boolean, 1, "2", -EINVAL, "'2' is not true or false");
	CHECK_REFUSED(btf, t.b.boolean, 1, "", -EINVAL, "'' is not true or false");
	btf__free(btf);
}

TEST(value_parse_enum_by_name_and_number)
{
	struct types t;
	struct btf *btf = new_btf(&t);

	CHECK_VALUE(btf, t.proto, 4, "UDP", 17);
	CHECK_VALUE(btf, t.proto, 4, "HIGH", 0x80000000u);
	CHECK_VALUE(btf, t.proto, 4, "6", 6);
	/* a number need not name an enumerator */
	CHECK_VALUE(btf, t.proto, 4, "99", 99);
	CHECK_REFUSED(btf, t.proto, 4, "udp", -EINVAL,
		      "'udp' is not a name of enum proto or a number");
	CHECK_REFUSED(btf, t.proto, 4, "-1", -ERANGE, "'-1' is out of range 0..4294967295");
	CHECK_VALUE(btf, t.sgn, 4, "NEG", 0xffffffffu);
	CHECK_VALUE(btf, t.sgn, 4, "-7", (uint32_t)-7);
	CHECK_REFUSED(btf, t.sgn, 4, "2147483648", -ERANGE,
		      "'2147483648' is out of range -2147483648..2147483647");
	CHECK_VALUE(btf, t.e64, 8, "HUGE", UINT64_MAX);
	CHECK_VALUE(btf, t.e64, 8, "SMALL", 1);
	btf__free(btf);
}

TEST(value_parse_char_array_string)
{
	struct types t;
	struct btf *btf = new_btf(&t);

	CHECK(parse_eq(btf, t.str8, "hello", 8, "hello\0\0\0") == 0);
	CHECK(parse_eq(btf, t.str8, "1234567", 8, "1234567\0") == 0);
	CHECK(parse_eq(btf, t.str8, "", 8, "\0\0\0\0\0\0\0\0") == 0);
	/* the last byte stays for the NUL */
	CHECK_REFUSED(btf, t.str8, 8, "12345678", -ERANGE,
		      "'12345678' is longer than 7 characters");
	/* commas are text in a string, not a list */
	CHECK(parse_eq(btf, t.str8, "a,b", 8, "a,b\0\0\0\0\0") == 0);
	btf__free(btf);
}

TEST(value_parse_int_array_lists)
{
	static const uint16_t one_two_three[3] = {1, 2, 3}, one_two[3] = {1, 2, 0},
			      hex[3] = {16, 32, 0};
	static const int32_t negs[2] = {-1, -2};
	struct types t;
	struct btf *btf = new_btf(&t);

	CHECK(parse_eq(btf, t.u16x3, "1,2,3", 6, one_two_three) == 0);
	CHECK(parse_eq(btf, t.u16x3, "1,2", 6, one_two) == 0);
	CHECK(parse_eq(btf, t.u16x3, "0x10,0x20", 6, hex) == 0);
	CHECK(parse_eq(btf, t.s32x2, "-1,-2", 8, negs) == 0);
	CHECK_REFUSED(btf, t.u16x3, 6, "1,2,3,4", -ERANGE, "'1,2,3,4' has more than 3 values");
	CHECK_REFUSED(btf, t.u16x3, 6, "1,70000", -ERANGE, "'70000' is out of range 0..65535");
	CHECK_REFUSED(btf, t.u16x3, 6, "1,x", -EINVAL, "'x' is not an integer");
	CHECK_REFUSED(btf, t.u16x3, 6, "", -EINVAL, "'' holds no values");
	CHECK_REFUSED(btf, t.u16x3, 6, ",", -EINVAL, "',' holds no values");
	btf__free(btf);
}

TEST(value_parse_floats)
{
	struct types t;
	struct btf *btf = new_btf(&t);
	float f = 1.5f;
	double d = -2.25;

	CHECK(parse_eq(btf, t.b.flt, "1.5", 4, &f) == 0);
	CHECK(parse_eq(btf, t.b.dbl, "-2.25", 8, &d) == 0);
	d = 1e10;
	CHECK(parse_eq(btf, t.b.dbl, "1e10", 8, &d) == 0);
	CHECK_REFUSED(btf, t.b.dbl, 8, "abc", -EINVAL, "'abc' is not a number");
	CHECK_REFUSED(btf, t.b.dbl, 8, "1.5x", -EINVAL, "'1.5x' is not a number");
	CHECK_REFUSED(btf, t.b.dbl, 8, "", -EINVAL, "'' is not a number");
	CHECK_REFUSED(btf, t.b.dbl, 8, "1e999", -EINVAL, "'1e999' is not a number");
	CHECK_REFUSED(btf, t.b.ldbl, 16, "1", -EINVAL, "'1': this floating type is not supported");
	btf__free(btf);
}

TEST(value_parse_modifiers_and_unsettable_types)
{
	struct types t;
	struct btf *btf = new_btf(&t);

	CHECK_VALUE(btf, t.pid, 4, "-5", (uint32_t)-5);
	/* a buffer larger than the type: the rest is zeroed */
	CHECK_VALUE(btf, t.b.u32, 8, "1", 1);
	CHECK_REFUSED(btf, t.b.u64, 4, "1", -EINVAL, "'1': the variable's type does not fit");
	CHECK_REFUSED(btf, 9999, 4, "1", -EINVAL, "'1': the variable's type is unknown");
	CHECK_REFUSED(btf, t.ptr, 8, "1", -EINVAL, "'1': variables of this type cannot be set");
	CHECK_REFUSED(btf, t.rec, 4, "1", -EINVAL, "'1': variables of this type cannot be set");
	btf__free(btf);
}
