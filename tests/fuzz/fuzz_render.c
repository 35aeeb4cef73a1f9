// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target: display data and rendering. The input is a JSON object holding "types"
 * (display hints) and "columns", then a NUL, then record bytes; the bindsnoop event type is
 * laid out with those hints, rendered as a table with those columns and as JSON.
 */
#include "fuzz.h"
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include <cjson/cJSON.h>
#include "format/meta.h"
#include "format/package_read.h"
#include "output/render.h"

static struct fuzz_package fp;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_load_package(&fp, "fuzz_render");
	return 0;
}

static bool condition(void *ctx, const char *name)
{
	return name[0] % 2 == 0; /* any answer will do; both branches get exercised */
}

static void render(struct layout *l, const struct column_list *columns, const uint8_t *record)
{
	struct record_view view;
	struct out_buf out;
	struct diag d;
	int mode;

	if (out_buf_init(&out, -1, 256))
		return;
	for (mode = OUTPUT_TABLE; mode <= OUTPUT_JSON; mode++) {
		if (record_view_init(&view, mode, l, columns, NULL, condition, NULL, &out, &d))
			continue;
		record_view_header(&view);
		record_view_row(&view, record);
		record_view_row(&view, record);
		record_view_free(&view);
	}
	out_buf_free(&out);
}

static void render_spec(const cJSON *spec, const uint8_t *bytes, size_t len)
{
	struct type_hints hints;
	struct column_list columns;
	struct layout *l = NULL;
	uint8_t *record;
	struct diag d;

	if (meta_parse_hints(cJSON_GetObjectItemCaseSensitive(spec, "types"), "display.types",
			     &hints, &d))
		return;
	if (meta_parse_columns(cJSON_GetObjectItemCaseSensitive(spec, "columns"), "display.columns",
			       &columns, &d)) {
		meta_free_hints(&hints);
		return;
	}
	if (!layout_build(bpf_object__btf(fp.obj), fp.event_type, &hints, &l, &d)) {
		record = calloc(1, l->size);
		if (record) {
			memcpy(record, bytes, len < l->size ? len : l->size);
			render(l, &columns, record);
			free(record);
		}
		layout_free(l);
	}
	meta_free_columns(&columns);
	meta_free_hints(&hints);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t json_len = nul ? (size_t)(nul - data) : size;
	cJSON *spec = cJSON_ParseWithLength((const char *)data, json_len);

	if (spec)
		render_spec(spec, nul ? nul + 1 : data, nul ? size - json_len - 1 : 0);
	cJSON_Delete(spec);
	return 0;
}
