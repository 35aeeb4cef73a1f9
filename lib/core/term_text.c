// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "core/term_text.h"

/* The length of the well-formed UTF-8 sequence at s (n bytes left), or 0. */
static size_t utf8_sequence(const unsigned char *s, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0; /* no overlong forms */
	else if (s[0] == 0xed)
		hi = 0x9f; /* no surrogates */
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (len > n || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

void term_text_sanitize(char *text, size_t n, bool keep_newlines)
{
	unsigned char *s = (unsigned char *)text;
	size_t i = 0, len;

	while (i < n) {
		if (s[i] < 0x80) {
			if ((s[i] < 0x20 && !(keep_newlines && s[i] == '\n')) || s[i] == 0x7f)
				s[i] = '?';
			i++;
			continue;
		}
		len = utf8_sequence(s + i, n - i);
		if (!len) {
			s[i++] = '?';
			continue;
		}
		if (len == 2 && s[i] == 0xc2 && s[i + 1] < 0xa0) /* a C1 control */
			s[i] = s[i + 1] = '?';
		i += len;
	}
}
