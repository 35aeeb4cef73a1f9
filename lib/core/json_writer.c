// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "core/json_writer.h"

void jw_init(struct json_writer *jw, struct out_buf *out)
{
	memset(jw, 0, sizeof(*jw));
	jw->out = out;
}

static void before_value(struct json_writer *jw)
{
	if (jw->after_key) {
		jw->after_key = false;
		return;
	}
	if (jw->depth > 0 && jw->depth <= JSON_MAX_DEPTH) {
		if (jw->has_items[jw->depth - 1])
			out_putc(jw->out, ',');
		jw->has_items[jw->depth - 1] = true;
	}
}

static void open_container(struct json_writer *jw, char c)
{
	before_value(jw);
	out_putc(jw->out, c);
	if (jw->depth < JSON_MAX_DEPTH)
		jw->has_items[jw->depth] = false;
	jw->depth++;
}

static void close_container(struct json_writer *jw, char c)
{
	out_putc(jw->out, c);
	if (jw->depth > 0)
		jw->depth--;
}

void jw_object_begin(struct json_writer *jw)
{
	open_container(jw, '{');
}

void jw_object_end(struct json_writer *jw)
{
	close_container(jw, '}');
}

void jw_array_begin(struct json_writer *jw)
{
	open_container(jw, '[');
}

void jw_array_end(struct json_writer *jw)
{
	close_container(jw, ']');
}

void jw_key(struct json_writer *jw, const char *key)
{
	before_value(jw);
	out_putc(jw->out, '"');
	json_escape(jw->out, key, strlen(key));
	out_write(jw->out, "\":", 2);
	jw->after_key = true;
}

size_t utf8_sequence(const unsigned char *s, size_t len)
{
	size_t n, i;
	uint32_t cp;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	n = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	if (len < n)
		return 0;
	cp = s[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

/* Bytes JSON takes as they are: printable ASCII but the quote and the backslash. */
static bool plain_byte(unsigned char c)
{
	return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

void json_escape(struct out_buf *out, const char *str, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, run = 0, seq;

	while (i < len) {
		unsigned char c = s[i];

		if (plain_byte(c)) {
			i++;
			continue;
		}
		if (c >= 0x80 && (seq = utf8_sequence(s + i, len - i))) {
			i += seq;
			continue;
		}
		out_write(out, s + run, i - run);
		switch (c) {
		case '"':
			out_write(out, "\\\"", 2);
			break;
		case '\\':
			out_write(out, "\\\\", 2);
			break;
		case '\n':
			out_write(out, "\\n", 2);
			break;
		case '\t':
			out_write(out, "\\t", 2);
			break;
		case '\r':
			out_write(out, "\\r", 2);
			break;
		default:
			out_write(out, (char[]){'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]}, 6);
		}
		run = ++i;
	}
	out_write(out, s + run, len - run);
}

void jw_string(struct json_writer *jw, const char *s, size_t len)
{
	before_value(jw);
	out_putc(jw->out, '"');
	json_escape(jw->out, s, len);
	out_putc(jw->out, '"');
}

void jw_u64(struct json_writer *jw, uint64_t v)
{
	before_value(jw);
	out_u64(jw->out, v);
}

void jw_s64(struct json_writer *jw, int64_t v)
{
	before_value(jw);
	out_s64(jw->out, v);
}

static void write_u128(struct out_buf *out, unsigned __int128 v)
{
	char tmp[40];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = '0' + (int)(v % 10);
		v /= 10;
	} while (v);
	out_write(out, tmp + i, sizeof(tmp) - i);
}

void jw_u128(struct json_writer *jw, unsigned __int128 v)
{
	before_value(jw);
	write_u128(jw->out, v);
}

void jw_s128(struct json_writer *jw, __int128 v)
{
	before_value(jw);
	if (v < 0) {
		out_putc(jw->out, '-');
		write_u128(jw->out, -(unsigned __int128)v);
	} else {
		write_u128(jw->out, v);
	}
}

void jw_bool(struct json_writer *jw, bool v)
{
	before_value(jw);
	if (v)
		out_write(jw->out, "true", 4);
	else
		out_write(jw->out, "false", 5);
}

/* JSON has no NaN or infinity; those become null. */
void jw_double(struct json_writer *jw, double v)
{
	before_value(jw);
	if (isfinite(v))
		out_printf(jw->out, "%.17g", v);
	else
		out_write(jw->out, "null", 4);
}

void jw_null(struct json_writer *jw)
{
	before_value(jw);
	out_write(jw->out, "null", 4);
}
