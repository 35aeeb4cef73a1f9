#include <string.h>
#include "render.h"

int record_view_init(struct record_view *v, enum output_mode mode, const struct layout *l,
		     const cJSON *columns, const char *custom, condition_fn cond, void *cond_ctx,
		     struct out_buf *out, struct diag *d)
{
	memset(v, 0, sizeof(*v));
	v->mode = mode;
	v->layout = l;
	v->out = out;
	jw_init(&v->jw, out);
	if (mode == OUTPUT_JSON)
		return 0;
	return table_build(&v->table, l, columns, custom, cond, cond_ctx, d);
}

void record_view_free(struct record_view *v)
{
	if (v->mode == OUTPUT_TABLE)
		table_free(&v->table);
}

void record_view_header(struct record_view *v)
{
	if (v->mode == OUTPUT_TABLE)
		table_header(&v->table, v->out);
}

void record_view_row(struct record_view *v, const void *record)
{
	if (v->mode == OUTPUT_TABLE)
		table_row(&v->table, v->out, record);
	else
		render_json_line(&v->jw, v->layout, record);
}
