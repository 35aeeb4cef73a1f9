// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "output/render.h"
#include "output/render_json.h"

int record_view_init(struct record_view *v, enum output_mode mode, const struct layout *l,
		     const struct column_list *columns, const char *custom, condition_fn cond,
		     void *cond_ctx, struct out_buf *out, struct diag *d)
{
	int err;

	memset(v, 0, sizeof(*v));
	v->mode = mode;
	v->layout = l;
	v->out = out;
	jw_init(&v->jw, out);
	if (out_buf_init(&v->scratch, -1, 256))
		return diag_set(d, -ENOMEM, "out of memory");
	if (mode == OUTPUT_JSON)
		return 0;
	err = table_build(&v->table, l, columns, custom, cond, cond_ctx, d);
	if (err)
		out_buf_free(&v->scratch);
	return err;
}

int record_view_filter(struct record_view *v, const struct text_filter *filters, int n,
		       struct diag *d)
{
	int i;

	v->filters = calloc(n ? n : 1, sizeof(*v->filters));
	if (!v->filters)
		return diag_set(d, -ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		struct row_filter *f = &v->filters[i];

		f->field = layout_find_path(v->layout, filters[i].field, &f->owner, &f->base);
		if (!f->field)
			return diag_set(d, -EINVAL, "contains: %s has no field \"%s\"",
					v->layout->name, filters[i].field);
		f->text = filters[i].text;
		v->nr_filters++;
	}
	return 0;
}

void record_view_free(struct record_view *v)
{
	if (v->mode == OUTPUT_TABLE)
		table_free(&v->table);
	out_buf_free(&v->scratch);
	free(v->filters);
	v->filters = NULL;
}

void record_view_start(struct record_view *v)
{
	if (v->mode == OUTPUT_TABLE)
		table_start_clock(&v->table);
}

void record_view_header(struct record_view *v)
{
	if (v->mode == OUTPUT_TABLE)
		table_header(&v->table, v->out);
}

static bool passes_filters(struct record_view *v, const void *record)
{
	int i;

	for (i = 0; i < v->nr_filters; i++) {
		const struct row_filter *f = &v->filters[i];

		v->scratch.len = 0;
		table_field_text(&v->scratch, f->owner, f->field,
				 (const uint8_t *)record + f->base);
		out_putc(&v->scratch, 0);
		if (v->scratch.error || !strstr(v->scratch.data, f->text))
			return false;
	}
	return true;
}

bool record_view_passes(struct record_view *v, const void *record)
{
	return !v->nr_filters || passes_filters(v, record);
}

bool record_view_row(struct record_view *v, const void *record)
{
	if (v->nr_filters && !passes_filters(v, record))
		return false;
	if (v->mode == OUTPUT_TABLE)
		table_row(&v->table, v->out, record);
	else
		render_json_line(&v->jw, v->layout, record);
	return true;
}
