// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "output/format_value.h"
#include "output/render_json.h"

void render_json_line(struct json_writer *jw, const struct layout *l, const void *record)
{
	format_record_json(jw, l, record);
	out_putc(jw->out, '\n');
}
