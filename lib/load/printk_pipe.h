/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What a package's programs write with bpf_printk (bpf_trace_printk, bpf_trace_vprintk), read
 * while it runs: from a tracefs instance of ecli's own (instances/ecli-PID, with only the
 * bpf_trace:bpf_trace_printk event enabled), so that the host's trace_pipe and its readers
 * keep theirs; the instance is removed at the end (and one a killed ecli left, by the next).
 * Every program's bpf_printk reaches it, the package's and any other loaded at the same time.
 */
#ifndef LOAD_PRINTK_PIPE_H
#define LOAD_PRINTK_PIPE_H

#include <limits.h>
#include <stddef.h>
#include "core/diag.h"

struct printk_pipe {
	int fd; /* the instance's trace_pipe, non-blocking; -1: closed */
	char dir[PATH_MAX];
	char buf[8192];
	size_t used;
};

/* A printk line: the task that printed it ("comm-pid"), its pid, and the text. */
struct printk_line {
	const char *task;
	size_t task_len;
	int pid;
	const char *text;
};

int printk_pipe_open(struct printk_pipe *p, struct diag *d);

/*
 * Calls line(ctx, ...) for each whole line that has arrived, reading at most a few buffers'
 * worth; never blocks.
 */
void printk_pipe_read(struct printk_pipe *p, void (*line)(void *ctx, const struct printk_line *l),
		      void *ctx);

/* Closes the pipe and removes the instance. */
void printk_pipe_close(struct printk_pipe *p);

#endif
