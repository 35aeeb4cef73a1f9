/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Runs an attached package until SIGINT, SIGTERM, the end of --duration, or the reader of
 * stdout going away: polls the ring buffer (or perf buffer) and renders each event, prints
 * sample maps on their intervals and lost-event counts as they grow. At the end it detaches,
 * drains what is still buffered, prints the exit maps and the total of lost events.
 */
#ifndef EVENT_LOOP_H
#define EVENT_LOOP_H

#include <stdint.h>
#include "map_print.h"
#include "meta.h"
#include "render.h"
#include "variants.h"

struct event_loop_config {
	struct loaded *loaded;
	const struct package_meta *meta;
	struct record_view *events; /* NULL when the package sends no events */
	uint32_t event_size;
	struct map_print_ctx maps;
	uint64_t duration_ms; /* 0: until a signal */
	/* called once events can be read: the banner ("Hit Ctrl-C to end") means it */
	void (*ready)(void *ctx);
	void *ready_ctx;
};

/*
 * SIGINT and SIGTERM ask the loop to stop, SIGPIPE becomes an EPIPE write. Installed once the
 * package is read and before anything loads, so a signal during loading still ends in a clean
 * detach (and one while a package is read from a pipe simply ends ecli). No SA_RESTART: a
 * signal interrupts the poll at once.
 */
void event_loop_install_signals(void);

int event_loop_run(struct event_loop_config *c, struct diag *d);

#endif
