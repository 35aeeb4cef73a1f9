/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Counters and gauges in Prometheus's text format (version 0.0.4): families of series, each
 * series a set of label values. The number of series in all is capped, so a label taken from a port
 * or a path cannot exhaust memory: a new series past the cap is dropped and counted
 * (ecli_metrics_series_dropped_total).
 */
#ifndef OUTPUT_METRICS_H
#define OUTPUT_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/diag.h"
#include "core/out_buf.h"
#include "output/btf_layout.h"

struct metric_series {
	char *labels; /* `{a="1",b="x"}`, or "" for none; NULL: a free slot */
	uint64_t value;
};

struct metric_family {
	const char *name;
	const char *help;
	bool gauge; /* a gauge holds signed values set, a counter unsigned ones added */
	struct metric_series *slots; /* open addressing, a power of two */
	size_t nr_slots;
	size_t nr_series;
};

struct metrics {
	struct metric_family *families;
	int nr_families;
	size_t max_series; /* in all families */
	size_t nr_series;
	uint64_t dropped;
};

void metrics_init(struct metrics *m, size_t max_series);
void metrics_free(struct metrics *m);
/*
 * A counter family, or a gauge family (its name checked by the caller: meta.c); its index, or a
 * negative errno.
 */
int metrics_add_family(struct metrics *m, const char *name, const char *help, bool gauge,
		       struct diag *d);
/*
 * Adds by to the series of family f with these labels (`{...}` text, len bytes). -ENOSPC: a new
 * series past the cap, dropped and counted; -ENOMEM.
 */
int metrics_count(struct metrics *m, int f, const char *labels, size_t len, uint64_t by);
/* Sets the gauge series of family f with these labels to value; errors as metrics_count. */
int metrics_set(struct metrics *m, int f, const char *labels, size_t len, int64_t value);
/* Every family, then ecli_metrics_series_dropped_total. */
void metrics_write(const struct metrics *m, struct out_buf *out);

/* A family's HELP and TYPE lines (type: "counter", "gauge"), for metrics written directly. */
void metrics_write_help(struct out_buf *out, const char *name, const char *help, const char *type);
/* One sample line: name, its labels (`{...}` or ""), the value. */
void metrics_write_value(struct out_buf *out, const char *name, const char *labels, uint64_t value);
/* A label, name="value" with \, " and newline escaped, after a comma unless first. */
void metrics_label(struct out_buf *out, bool first, const char *name, const char *value,
		   size_t len);

/*
 * Labels from a record's fields, name="the field as the table shows it" for each (comma-separated,
 * no braces); text is scratch for one value. A NULL field gives an empty value.
 */
void metrics_field_labels(struct out_buf *out, struct out_buf *text, const struct layout *l,
			  const struct field *const *fields, const char *const *names, int n,
			  const void *record);

/*
 * A counter or gauge family made from events (a metric_spec): one series per distinct value of
 * its label fields, each shown as the table shows it. A counter adds 1 per event, or its value
 * field; a gauge holds the value field of the last event.
 */
struct event_metric {
	int family;
	bool gauge;
	const struct layout *layout;
	const struct field *value_field; /* NULL: count events */
	const struct field **fields;
	const char **names;
	int nr_labels;
	struct out_buf scratch; /* the label text being built */
	struct out_buf value;	/* one field's text */
};

int event_metric_init(struct event_metric *em, struct metrics *m, const struct metric_spec *s,
		      const struct layout *l, struct diag *d);
void event_metric_free(struct event_metric *em);
/* Counts the record; a series dropped at the cap is counted by metrics. */
void event_metric_count(struct event_metric *em, struct metrics *m, const void *record);

#endif
