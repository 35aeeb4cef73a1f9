/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Runs an attached package until SIGINT, SIGTERM, the end of --duration, or the reader of
 * stdout going away: polls the ring buffer (or perf buffer) and renders each event, prints
 * sample maps on their intervals and lost-event counts as they grow. At the end it detaches,
 * drains what is still buffered, prints the exit maps and the total of lost events.
 */
#ifndef ECLI_EVENT_LOOP_H
#define ECLI_EVENT_LOOP_H

#include <stdint.h>
#include "output/map_print.h"
#include "format/meta.h"
#include "output/render.h"
#include "load/printk_pipe.h"
#include "load/variants.h"
#include "run_metrics.h"

struct event_loop_config {
	struct loaded *loaded;
	const struct package_meta *meta;
	struct record_view *events; /* NULL when the package sends no events */
	uint32_t event_size;
	struct map_print_ctx maps;
	uint64_t duration_ms; /* 0: until a signal */
	/* sample maps the package prints at exit (interval 0) also print this often; 0: not */
	uint64_t interval_ms;
	struct printk_pipe *printk;  /* the programs' bpf_printk lines, or NULL */
	struct run_metrics *metrics; /* --metrics: counted and served, or NULL */
	bool no_events;		     /* --no-events: events are counted, not shown */
	/* called once events can be read: the banner ("Hit Ctrl-C to end") means it */
	void (*ready)(void *ctx);
	void *ready_ctx;
};

/*
 * Stops when stop_signal_raised() (SIGINT, SIGTERM, --duration), when the reader of stdout went
 * away (EPIPE) or when writing failed otherwise; the caller reads out->error and
 * out->unwritten to say so.
 */
int event_loop_run(struct event_loop_config *c, struct diag *d);

#endif
