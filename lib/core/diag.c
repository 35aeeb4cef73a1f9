// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/diag.h"

/* Bytes of the UTF-8 sequence at s, or 0 when it is not a valid printable one. */
static size_t printable_utf8(const unsigned char *s)
{
	size_t n, i;

	if (*s >= 0x20 && *s < 0x7f)
		return 1;
	if (*s >= 0xc2 && *s <= 0xdf)
		n = 2;
	else if (*s >= 0xe0 && *s <= 0xef)
		n = 3;
	else if (*s >= 0xf0 && *s <= 0xf4)
		n = 4;
	else
		return 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	/* U+0080..U+009F are the C1 controls: CSI (U+009B) starts terminal escapes as ESC [ does */
	return s[0] == 0xc2 && s[1] < 0xa0 ? 0 : n;
}

void diag_escape(const char *text, char *buf, size_t size)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t used = 0, n;

	while (*s) {
		n = printable_utf8(s);
		if (n && used + n < size) {
			memcpy(buf + used, s, n);
			used += n;
			s += n;
		} else if (!n && used + 4 < size) {
			snprintf(buf + used, 5, "\\x%02x", *s++);
			used += 4;
		} else {
			break;
		}
	}
	buf[used] = 0;
}

static void format_escaped(char *buf, size_t size, const char *fmt, va_list ap)
{
	char *raw = NULL;

	if (vasprintf(&raw, fmt, ap) < 0) {
		snprintf(buf, size, "out of memory");
		return;
	}
	diag_escape(raw, buf, size);
	free(raw);
}

int diag_set(struct diag *d, int err, const char *fmt, ...)
{
	va_list ap;

	if (!d)
		return err;
	va_start(ap, fmt);
	format_escaped(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	return err;
}

int diag_prepend(struct diag *d, int err, const char *text)
{
	char old[sizeof(d->msg)];

	snprintf(old, sizeof(old), "%s", d->msg);
	return diag_set(d, err, "%s; %s", text, old);
}

int diag_wrap(struct diag *d, int err, const char *fmt, ...)
{
	char old[sizeof(d->msg)], *what = NULL;
	va_list ap;
	int n;

	if (!d)
		return err;
	snprintf(old, sizeof(old), "%s", d->msg);
	va_start(ap, fmt);
	n = vasprintf(&what, fmt, ap);
	va_end(ap);
	if (n < 0)
		return diag_set(d, err, "out of memory; %s", old);
	diag_set(d, err, "%s: %s", what, old);
	free(what);
	return err;
}

static const char *program = "";

void diag_set_program(const char *name)
{
	program = name;
}

void diag_print(const char *fmt, ...)
{
	char line[sizeof(((struct diag *)0)->msg)];
	va_list ap;

	va_start(ap, fmt);
	format_escaped(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (*program)
		fprintf(stderr, "%s: %s\n", program, line);
	else
		fprintf(stderr, "%s\n", line);
}
