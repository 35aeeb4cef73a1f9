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
#include "meta.h"
#include "package_read.h"
#include "render.h"

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

static void render(struct layout *l, const cJSON *columns, const uint8_t *record)
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t json_len = nul ? (size_t)(nul - data) : size;
	cJSON *spec = cJSON_ParseWithLength((const char *)data, json_len);
	struct layout *l = NULL;
	uint8_t *record;
	struct diag d;

	if (!spec)
		return 0;
	if (!layout_build(bpf_object__btf(fp.obj), fp.event_type,
			  cJSON_GetObjectItemCaseSensitive(spec, "types"), &l, &d)) {
		record = calloc(1, l->size);
		if (record) {
			if (nul)
				memcpy(record, nul + 1,
				       size - json_len - 1 < l->size ? size - json_len - 1
								     : l->size);
			render(l, cJSON_GetObjectItemCaseSensitive(spec, "columns"), record);
			free(record);
		}
		layout_free(l);
	}
	cJSON_Delete(spec);
	return 0;
}
