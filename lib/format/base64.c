// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "format/base64.h"

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

#define NOT_SEXTET (-1)

/* Each byte's value in the alphabet, or NOT_SEXTET. */
static void sextet_table(int8_t table[256])
{
	int i;

	memset(table, NOT_SEXTET, 256);
	for (i = 0; i < 64; i++)
		table[(unsigned char)alphabet[i]] = i;
}

/* Four characters' 24 bits, or -1 where one is not in the alphabet (a space, '='). */
static inline int32_t quad(const int8_t table[256], const char *in)
{
	int32_t a = table[(unsigned char)in[0]], b = table[(unsigned char)in[1]],
		c = table[(unsigned char)in[2]], d = table[(unsigned char)in[3]];

	return (a | b | c | d) < 0 ? -1 : a << 18 | b << 12 | c << 6 | d;
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

int base64_decode(const char *in, size_t len, uint8_t **out, size_t *out_len, size_t *bad_pos)
{
	uint8_t *buf = malloc(len / 4 * 3 + 3);
	size_t i, n = 0, pads = 0, quantum = 0;
	uint32_t acc = 0;
	int8_t table[256];
	int32_t v;

	*bad_pos = 0;
	if (!buf)
		return -ENOMEM;
	sextet_table(table);
	for (i = 0; i < len; i++) {
		unsigned char c = in[i];

		/* the common case: a whole quantum of four characters of the alphabet */
		if (!quantum && !pads && len - i >= 4 && (v = quad(table, in + i)) >= 0) {
			buf[n++] = v >> 16;
			buf[n++] = v >> 8;
			buf[n++] = v;
			i += 3;
			continue;
		}
		if (is_space(c))
			continue;
		v = table[c];
		if (c == '=' && quantum >= 2) {
			pads++;
			v = 0;
		} else if (v < 0 || pads) {
			goto bad;
		}
		acc = acc << 6 | v;
		if (++quantum < 4)
			continue;
		buf[n++] = acc >> 16;
		if (pads < 2)
			buf[n++] = acc >> 8;
		if (pads < 1)
			buf[n++] = acc;
		quantum = 0;
		acc = 0;
	}
	if (quantum)
		goto bad;
	*out = buf;
	*out_len = n;
	return 0;
bad:
	*bad_pos = i;
	free(buf);
	return -EINVAL;
}

char *base64_encode(const void *data, size_t len)
{
	const uint8_t *s = data;
	char *out = malloc((len + 2) / 3 * 4 + 1);
	size_t i, n = 0;

	if (!out)
		return NULL;
	for (i = 0; i + 2 < len; i += 3) {
		uint32_t v = (uint32_t)s[i] << 16 | s[i + 1] << 8 | s[i + 2];

		out[n++] = alphabet[v >> 18];
		out[n++] = alphabet[v >> 12 & 63];
		out[n++] = alphabet[v >> 6 & 63];
		out[n++] = alphabet[v & 63];
	}
	if (i < len) {
		uint32_t v = (uint32_t)s[i] << 16 | (i + 1 < len ? s[i + 1] << 8 : 0);

		out[n++] = alphabet[v >> 18];
		out[n++] = alphabet[v >> 12 & 63];
		out[n++] = i + 1 < len ? alphabet[v >> 6 & 63] : '=';
		out[n++] = '=';
	}
	out[n] = 0;
	return out;
}
