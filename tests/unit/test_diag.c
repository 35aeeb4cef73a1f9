// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* diag: messages stay one line and carry no byte that a terminal would obey. */
#include <errno.h>
#include "core/diag.h"
#include "unit.h"

static const char *escaped(const char *text, size_t size)
{
	static char buf[64];

	diag_escape(text, buf, size);
	return buf;
}

TEST(diag_escapes_c0_controls_and_del)
{
	CHECK_STR(escaped("a\x1b[31mb\nc\td\x7f", 64), "a\\x1b[31mb\\x0ac\\x09d\\x7f");
}

TEST(diag_keeps_utf8_but_escapes_c1_and_invalid_bytes)
{
	CHECK_STR(escaped("caf\xc3\xa9 \xe2\x82\xac", 64), "caf\xc3\xa9 \xe2\x82\xac");
	CHECK_STR(escaped("x\xc2\x9by", 64), "x\\xc2\\x9by");
	CHECK_STR(escaped("\x9b\xff\xe2\x82", 64), "\\x9b\\xff\\xe2\\x82");
}

TEST(diag_cuts_only_whole_escapes)
{
	CHECK_STR(escaped("ab\x1b", 6), "ab");
	CHECK_STR(escaped("ab\x1b", 7), "ab\\x1b");
	CHECK_STR(escaped("a\xc3\xa9", 3), "a");
}

TEST(diag_set_formats_escaped_and_returns_err)
{
	struct diag d;

	CHECK(diag_set(&d, -EINVAL, "-P: '%s' is not an integer", "1\x1b]0;t\x07") == -EINVAL);
	CHECK_STR(d.msg, "-P: '1\\x1b]0;t\\x07' is not an integer");
	CHECK(diag_set(NULL, -ENOENT, "ignored") == -ENOENT);
}

TEST(diag_prepend_keeps_the_new_text_whole)
{
	struct diag d;
	char long_text[600];

	memset(long_text, 'x', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = 0;
	diag_set(&d, -ENOTSUP, "%s", long_text);
	CHECK(diag_prepend(&d, -ENOTSUP, "tracefs: cannot mount") == -ENOTSUP);
	CHECK(!strncmp(d.msg, "tracefs: cannot mount; xxx", 26));
	CHECK(strlen(d.msg) == sizeof(d.msg) - 1);
}
