/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What `ecli run --metrics HOST:PORT` serves while the tool runs: ecli's own counters (events
 * read, events lost, and each BPF program's runs and run time, from the kernel's BPF statistics,
 * switched on for ecli's lifetime), and the package's counters made from its events
 * (meta.metrics), under a cap on the number of series.
 */
#ifndef ECLI_RUN_METRICS_H
#define ECLI_RUN_METRICS_H

#include <stdbool.h>
#include <stdint.h>
#include "metrics_server.h"
#include "format/meta.h"
#include "load/variants.h"
#include "output/map_print.h"
#include "output/metrics.h"

#define METRICS_MAX_SERIES 10000

/* A package metric from a histogram map: its printer reads the map once the tool is loaded. */
struct histogram_metric {
	const struct metric_spec *spec;
	bool linear; /* the map's sample draws it linear */
	bool ready;  /* the printer is open */
	struct map_printer printer;
};

struct run_metrics {
	struct metrics m;
	struct event_metric *events; /* the package's metrics whose condition holds */
	int nr_events;
	struct histogram_metric *histograms; /* those from histogram maps */
	int nr_histograms;
	const struct package_meta *meta;
	struct out_buf scratch; /* the printers' view, which never prints */
	struct metrics_server *server;
	int stats_fd; /* BPF_ENABLE_STATS while ecli runs, or -1 */
	const struct loaded *loaded;
	uint64_t events_total;
	uint64_t (*read_lost)(void *ctx); /* the events lost so far, read when a page is asked */
	void *lost_ctx;
};

/*
 * Listens on addr and prepares the package's metrics (those whose "when" holds, by cond) over
 * the event layout l (NULL: the package sends no events).
 */
int run_metrics_open(struct run_metrics *rm, const char *addr, size_t max_series,
		     const struct package_meta *meta, const struct layout *l,
		     bool (*cond)(void *ctx, const char *name), void *cond_ctx, struct diag *d);
/* Once the programs are loaded: their statistics are switched on and shown. */
void run_metrics_loaded(struct run_metrics *rm, const struct loaded *loaded);
/* An event read; shown: the view showed it (or would have, under --no-events). */
void run_metrics_event(struct run_metrics *rm, const void *record, bool shown);
/* Answers scrapes that are ready; read_lost(ctx) gives the events lost so far, for a page. */
void run_metrics_step(struct run_metrics *rm, uint64_t (*read_lost)(void *ctx), void *ctx);
void run_metrics_close(struct run_metrics *rm);

#endif
