/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Table output: a header line and one line per record, each column a field of the record
 * laid out as the package's display data says (title, width, alignment, truncation, gap,
 * a format such as seconds since the first event or octal). Columns and their overrides can
 * depend on conditions: flags like -t or -w, or variables like report_errors. Building a table
 * also checks its columns against the record: fields, formats against field kinds, conditions.
 */
#ifndef OUTPUT_RENDER_TABLE_H
#define OUTPUT_RENDER_TABLE_H

#include <stdbool.h>
#include <stdint.h>
#include "output/btf_layout.h"
#include "core/diag.h"
#include "format/meta.h"
#include "core/out_buf.h"

struct table_column {
	const struct field *field;
	const struct layout *owner; /* the record holding field: nested paths reach into one */
	uint32_t base;		    /* owner's offset in the row */
	struct column_props props;  /* the defaults, then the package's; "given" is not used */
	char *owned_title;	    /* props.title when the table made it */
};

typedef bool (*condition_fn)(void *ctx, const char *name);

struct table {
	const struct layout *layout;
	struct table_column *cols;
	int nr_cols;
	bool have_first;
	uint64_t first_value;
	uint64_t start_ns; /* CLOCK_MONOTONIC when the table was built: elapsed since start */
	struct out_buf cell;
};

/*
 * columns: the package's column list (not present: a clock column, then every field).
 * custom: a comma list of field keys (from -o custom-columns), or NULL.
 * cond is asked about every condition, overrides included, so a checker sees them all.
 */
int table_build(struct table *t, const struct layout *l, const struct column_list *columns,
		const char *custom, condition_fn cond, void *cond_ctx, struct diag *d);
/* Elapsed "since start" counts from now (the table is built before loading). */
void table_start_clock(struct table *t);
void table_free(struct table *t);
void table_header(struct table *t, struct out_buf *out);
void table_row(struct table *t, struct out_buf *out, const void *record);

/* The cell text of one field as a table shows it (join for arrays of strings). */
void table_field_text(struct out_buf *out, const struct layout *l, const struct field *f,
		      const void *record);

#endif
