/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Shows records of one layout either as a table or as JSON lines, as the user chose. */
#ifndef OUTPUT_RENDER_H
#define OUTPUT_RENDER_H

#include "output/btf_layout.h"
#include "core/json_writer.h"
#include "output/render_table.h"

enum output_mode {
	OUTPUT_TABLE,
	OUTPUT_JSON,
};

/* Only records whose field holds text are shown (a tool option with "contains"). */
struct text_filter {
	const char *field;
	char *text;
};

/* A "contains" option resolved against the layout: rows whose field lacks text are skipped. */
struct row_filter {
	const struct field *field;
	const struct layout *owner;
	uint32_t base;
	const char *text;
};

struct record_view {
	enum output_mode mode;
	const struct layout *layout;
	struct table table;
	struct json_writer jw;
	struct out_buf *out;
	struct row_filter *filters;
	int nr_filters;
	struct out_buf scratch; /* a filtered field's text */
};

int record_view_init(struct record_view *v, enum output_mode mode, const struct layout *l,
		     const struct column_list *columns, const char *custom, condition_fn cond,
		     void *cond_ctx, struct out_buf *out, struct diag *d);
/* Only records whose fields hold these texts are shown (tool options with "contains"). */
int record_view_filter(struct record_view *v, const struct text_filter *filters, int n,
		       struct diag *d);
void record_view_free(struct record_view *v);
/* Tracing has started: times since the start count from here. */
void record_view_start(struct record_view *v);
/* The table's header line; nothing for JSON. */
void record_view_header(struct record_view *v);
/* false: the filters left the record out */
bool record_view_row(struct record_view *v, const void *record);
/* Whether the filters keep the record, without showing it. */
bool record_view_passes(struct record_view *v, const void *record);

#endif
