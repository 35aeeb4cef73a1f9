/*
 * Table output: a header line and one line per record, each column a field of the record
 * laid out as the package's display data says (title, width, alignment, truncation, gap,
 * a format such as seconds since the first event). Columns and their overrides can depend on
 * conditions: flags like -t or -w, or variables like report_errors.
 */
#ifndef RENDER_TABLE_H
#define RENDER_TABLE_H

#include <stdbool.h>
#include <stdint.h>
#include <cjson/cJSON.h>
#include "btf_layout.h"
#include "diag.h"
#include "out_buf.h"

enum column_format {
	COLUMN_VALUE,
	COLUMN_ELAPSED,	 /* seconds since the first row's value of this field */
	COLUMN_STRERROR, /* an errno (or its negative) as its text */
	COLUMN_CLOCK,	 /* wall clock time of printing, HH:MM:SS; needs no field */
};

struct table_column {
	const struct field *field;
	const char *title;
	char *owned_title;
	int width;
	bool left;
	bool title_left;
	bool truncate;
	int gap; /* spaces before the column unless it comes first */
	enum column_format format;
	int decimals;
	uint64_t units_per_second; /* COLUMN_ELAPSED */
};

typedef bool (*condition_fn)(void *ctx, const char *name);

struct table {
	const struct layout *layout;
	struct table_column *cols;
	int nr_cols;
	bool have_first;
	uint64_t first_value;
	struct out_buf cell;
};

/*
 * columns: the package's column list, or NULL for one column per field after a clock.
 * custom: a comma list of field keys (from -o custom-columns), or NULL.
 */
int table_build(struct table *t, const struct layout *l, const cJSON *columns, const char *custom,
		condition_fn cond, void *cond_ctx, struct diag *d);
void table_free(struct table *t);
void table_header(struct table *t, struct out_buf *out);
void table_row(struct table *t, struct out_buf *out, const void *record);

#endif
