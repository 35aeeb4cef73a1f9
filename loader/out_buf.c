// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "out_buf.h"

int out_buf_init(struct out_buf *ob, int fd, size_t cap)
{
	memset(ob, 0, sizeof(*ob));
	ob->fd = fd;
	ob->data = malloc(cap);
	if (!ob->data)
		return -ENOMEM;
	ob->cap = cap;
	return 0;
}

void out_buf_free(struct out_buf *ob)
{
	free(ob->data);
	ob->data = NULL;
	ob->len = ob->cap = 0;
}

int out_buf_flush(struct out_buf *ob)
{
	size_t done = 0;

	if (ob->fd < 0)
		return ob->error;
	while (done < ob->len && !ob->error) {
		ssize_t n = write(ob->fd, ob->data + done, ob->len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			ob->error = n < 0 ? -errno : -EIO;
		else
			done += n;
	}
	ob->len = 0;
	return ob->error;
}

/* Makes room for n more bytes: flushes to the fd, or grows the buffer in memory mode. */
void out_buf_reserve(struct out_buf *ob, size_t n)
{
	size_t cap;
	char *data;

	if (ob->cap - ob->len >= n)
		return;
	if (ob->fd >= 0) {
		out_buf_flush(ob);
		if (ob->cap >= n)
			return;
	}
	cap = ob->cap ? ob->cap : 256;
	while (cap - ob->len < n)
		cap *= 2;
	data = realloc(ob->data, cap);
	if (!data) {
		ob->error = -ENOMEM;
		return;
	}
	ob->data = data;
	ob->cap = cap;
}

void out_write(struct out_buf *ob, const void *s, size_t n)
{
	out_buf_reserve(ob, n);
	if (ob->cap - ob->len < n)
		return;
	memcpy(ob->data + ob->len, s, n);
	ob->len += n;
}

void out_puts(struct out_buf *ob, const char *s)
{
	out_write(ob, s, strlen(s));
}

void out_pad(struct out_buf *ob, char c, size_t n)
{
	out_buf_reserve(ob, n);
	if (ob->cap - ob->len < n)
		return;
	memset(ob->data + ob->len, c, n);
	ob->len += n;
}

void out_u64(struct out_buf *ob, uint64_t v)
{
	char tmp[20];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = '0' + v % 10;
		v /= 10;
	} while (v);
	out_write(ob, tmp + i, sizeof(tmp) - i);
}

void out_s64(struct out_buf *ob, int64_t v)
{
	if (v < 0) {
		out_putc(ob, '-');
		out_u64(ob, -(uint64_t)v);
	} else {
		out_u64(ob, v);
	}
}

void out_printf(struct out_buf *ob, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	out_buf_reserve(ob, n + 1);
	if (ob->cap - ob->len < (size_t)n + 1)
		return;
	va_start(ap, fmt);
	vsnprintf(ob->data + ob->len, n + 1, fmt, ap);
	va_end(ap);
	ob->len += n;
}
