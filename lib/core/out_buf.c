// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "core/out_buf.h"

/* how long one wait for a slow reader lasts before give_up() is asked again */
#define OUT_WAIT_MS 100

int out_buf_init(struct out_buf *ob, int fd, size_t cap)
{
	struct stat st;

	memset(ob, 0, sizeof(*ob));
	ob->fd = fd;
	ob->regular_file = fd >= 0 && !fstat(fd, &st) && S_ISREG(st.st_mode);
	ob->data = malloc(cap);
	if (!ob->data)
		return -ENOMEM;
	ob->cap = cap;
	return 0;
}

void out_buf_free(struct out_buf *ob)
{
	free(ob->data);
	free(ob->record_ends);
	ob->data = NULL;
	ob->record_ends = NULL;
	ob->len = ob->cap = ob->nr_records = ob->records_cap = 0;
}

void out_buf_end_record(struct out_buf *ob)
{
	size_t *ends;

	if (ob->fd < 0)
		return;
	if (ob->error) {
		ob->unwritten++;
		return;
	}
	if (ob->nr_records == ob->records_cap) {
		size_t cap = ob->records_cap ? ob->records_cap * 2 : 256;

		ends = realloc(ob->record_ends, cap * sizeof(*ends));
		if (!ends)
			return;
		ob->record_ends = ends;
		ob->records_cap = cap;
	}
	ob->record_ends[ob->nr_records++] = ob->len;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * 1: the fd takes data now; 0: not yet (timeout, signal); or a negative errno. give_up() is
 * asked only when the reader is behind, so a reader that keeps up always gets everything.
 */
static int wait_writable(struct out_buf *ob)
{
	struct pollfd p = {.fd = ob->fd, .events = POLLOUT};
	int n = poll(&p, 1, 0);
	uint64_t start;

	if (n == 0) {
		if (ob->give_up && ob->give_up(ob->waited_ms))
			return -ECANCELED;
		start = now_ms();
		n = poll(&p, 1, OUT_WAIT_MS);
		ob->waited_ms += now_ms() - start;
	}
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	if (n == 0)
		return 0;
	if (p.revents & POLLNVAL)
		return -EBADF;
	return 1; /* POLLOUT, or POLLERR/POLLHUP that write() names */
}

/*
 * At most PIPE_BUF bytes, ending with the last whole line that fits: a pipe takes that much at
 * once or not at all, so a reader that is given up on never gets half a line (unless one line
 * is longer than PIPE_BUF).
 */
static size_t pipe_chunk(const struct out_buf *ob, size_t done)
{
	const char *nl = memrchr(ob->data + done, '\n', PIPE_BUF);

	return nl ? (size_t)(nl - (ob->data + done)) + 1 : PIPE_BUF;
}

/*
 * One write after poll() said the fd takes data. A blocking pipe then takes PIPE_BUF bytes
 * without blocking, so a reader that never reads cannot hold ecli in write().
 */
static int write_some(struct out_buf *ob, size_t done)
{
	size_t n = ob->len - done;
	ssize_t w;

	if (n > PIPE_BUF && !ob->regular_file)
		n = pipe_chunk(ob, done);
	w = write(ob->fd, ob->data + done, n);
	if (w > 0)
		return w;
	if (w == 0)
		return -EIO;
	return errno == EINTR || errno == EAGAIN ? 0 : -errno;
}

static void count_unwritten(struct out_buf *ob, size_t done)
{
	size_t i;

	for (i = 0; ob->error && i < ob->nr_records; i++)
		if (ob->record_ends[i] > done)
			ob->unwritten++;
	ob->nr_records = 0;
}

int out_buf_flush(struct out_buf *ob)
{
	size_t done = 0;
	int n;

	if (ob->fd < 0)
		return ob->error;
	while (done < ob->len && !ob->error) {
		n = wait_writable(ob);
		if (n > 0)
			n = write_some(ob, done);
		if (n < 0)
			ob->error = n;
		else
			done += n;
	}
	count_unwritten(ob, done);
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
