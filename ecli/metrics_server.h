/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * `ecli run --metrics HOST:PORT`: serves GET /metrics (Prometheus's text format) on a socket
 * of its own, a step at a time from the event loop, never blocking it: connections are
 * non-blocking, at most METRICS_MAX_CONNS at once, each closed after its answer or after
 * METRICS_CONN_MS without one.
 */
#ifndef ECLI_METRICS_SERVER_H
#define ECLI_METRICS_SERVER_H

#include "core/diag.h"
#include "core/out_buf.h"

#define METRICS_MAX_CONNS 16
#define METRICS_CONN_MS	  5000

/* Writes the metrics page's body into out. */
typedef void (*metrics_page_fn)(void *ctx, struct out_buf *out);

struct metrics_server;

/* Listens on HOST:PORT ([IPV6]:PORT for an IPv6 address; HOST may be a name). */
int metrics_server_open(struct metrics_server **s, const char *addr, metrics_page_fn page,
			void *ctx, struct diag *d);
/* Accepts, reads and answers what is ready, without waiting. */
void metrics_server_step(struct metrics_server *s);
void metrics_server_close(struct metrics_server *s);

#endif
