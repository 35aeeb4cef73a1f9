/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Printing a map's entries: exit maps (a sorted table at exit, e.g. counts per address) and
 * eunomia-bpf sample maps (every interval: log2 or linear histograms, or key/value rows). A
 * printer lays out its map's rows and builds its view once; each print only reads the map.
 */
#ifndef OUTPUT_MAP_PRINT_H
#define OUTPUT_MAP_PRINT_H

#include <bpf/libbpf.h>
#include "format/meta.h"
#include "output/render.h"

struct map_print_ctx {
	struct bpf_object *obj;
	enum output_mode mode;
	const struct type_hints *hints;
	condition_fn cond;
	void *cond_ctx;
	struct out_buf *out;
};

struct map_printer {
	struct bpf_map *map;
	struct layout *layout; /* a row: the key's fields, then the value's */
	const struct field *value;
	const struct field *slots; /* a histogram's buckets, or NULL */
	uint32_t key_size;
	size_t row_size;
	uint8_t *rows; /* room for max_entries rows */
	size_t nr_rows;
	uint8_t *key;
	uint8_t *values; /* one value per possible CPU for per-CPU maps */
	struct record_view view;
	bool view_ready;
	bool header_done;
};

/*
 * A sample header's first {NAME} that names no field of the row (its *len bytes), or NULL. A
 * { without a closing } is text.
 */
const char *map_print_unknown_field(const struct layout *row, const char *header, int *len);

/* A map's rows as one layout: its key's fields, then its value's (value_name if scalar). */
int map_print_row_layout(const struct btf *btf, const struct bpf_map *map, const char *value_name,
			 const struct type_hints *hints, struct layout **row, struct diag *d);

/* A histogram's buckets: an array of integers of up to 8 bytes named slots, or NULL. */
const struct field *map_print_slots(const struct layout *row);

/* columns may be NULL: the default table. */
int map_printer_init(struct map_printer *p, const struct map_print_ctx *c, const char *map,
		     const char *value_name, const struct column_list *columns, struct diag *d);
void map_printer_free(struct map_printer *p);

int map_print_exit(struct map_printer *p, const struct exit_map_spec *x);

/*
 * A histogram metric s (`ecli run --metrics`) from p's map, drawn log2 unless linear (bucket i
 * counts the value i): the map's rows now, one series each, labelled by s's fields of the row,
 * with cumulative buckets, each `le` the high bound of a bucket as the histogram draws it (log2:
 * 1, 3, 7, ...), then +Inf, and _count. There is no _sum: the map counts values, it does not add
 * them up.
 */
void map_print_prometheus(struct map_printer *p, const struct metric_spec *s, bool linear,
			  struct out_buf *out);
int map_print_sample(struct map_printer *p, const struct map_print_ctx *c,
		     const struct sample_spec *s, struct diag *d);

#endif
