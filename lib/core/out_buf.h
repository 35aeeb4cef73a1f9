/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Buffered output to a file descriptor. Rendering appends here and the event loop flushes once
 * per poll, so output costs one write() per batch rather than one per event. A write error
 * is remembered and later output is dropped; the records (events) that were not written are
 * counted. A reader that is slow (EAGAIN, a full pipe) is waited for in short polls, and
 * give_up() is asked between them, so a stopped run never hangs on its output.
 */
#ifndef CORE_OUT_BUF_H
#define CORE_OUT_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct out_buf {
	int fd;	   /* -1: keep everything in memory (tests, fuzzing) */
	int error; /* first write error, a negative errno; -ECANCELED: gave up waiting */
	char *data;
	size_t len;
	size_t cap;
	/* asked while the reader is behind; NULL: wait as long as it takes */
	bool (*give_up)(uint64_t waited_ms);
	uint64_t waited_ms;  /* time spent waiting for the reader, in all */
	bool regular_file;   /* written in one go: it never stalls */
	size_t *record_ends; /* where each record in data ends */
	size_t nr_records;
	size_t records_cap;
	uint64_t unwritten; /* records dropped after an error */
};

int out_buf_init(struct out_buf *ob, int fd, size_t cap);
void out_buf_free(struct out_buf *ob);
int out_buf_flush(struct out_buf *ob);
/* The bytes appended since the previous record form one record (an event line). */
void out_buf_end_record(struct out_buf *ob);
void out_buf_reserve(struct out_buf *ob, size_t n);
void out_write(struct out_buf *ob, const void *s, size_t n);
void out_puts(struct out_buf *ob, const char *s);
void out_pad(struct out_buf *ob, char c, size_t n);
void out_u64(struct out_buf *ob, uint64_t v);
void out_s64(struct out_buf *ob, int64_t v);
void out_printf(struct out_buf *ob, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static inline void out_putc(struct out_buf *ob, char c)
{
	if (ob->len == ob->cap)
		out_buf_reserve(ob, 1);
	if (ob->len < ob->cap)
		ob->data[ob->len++] = c;
}

#endif
