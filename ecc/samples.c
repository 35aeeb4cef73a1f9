// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <string.h>
#include "output/btf_layout.h"
#include "output/map_print.h"
#include "btf_describe.h"
#include "samples.h"

/* A map of keys and values whose value holds slots: libbpf-tools' histogram. */
static bool holds_histogram(const struct btf *btf, struct bpf_map *map)
{
	enum bpf_map_type type = bpf_map__type(map);
	struct layout *row = NULL;
	struct diag ignored;
	bool found;

	if (type == BPF_MAP_TYPE_RINGBUF || type == BPF_MAP_TYPE_PERF_EVENT_ARRAY ||
	    !bpf_map__btf_value_type_id(map))
		return false;
	if (map_print_row_layout(btf, map, "value", NULL, &row, &ignored))
		return false;
	found = map_print_slots(row) != NULL;
	layout_free(row);
	return found;
}

static cJSON *inferred_sample(void)
{
	cJSON *s = cJSON_CreateObject();

	if (s && cJSON_AddStringToObject(s, "type", "log2_hist") &&
	    cJSON_AddNumberToObject(s, "interval", 0) && cJSON_AddStringToObject(s, "header", "") &&
	    cJSON_AddBoolToObject(s, "clear_map", true))
		return s;
	cJSON_Delete(s);
	return NULL;
}

/* The schema's samples onto their maps; each name must be a map of the object. */
static int add_given(cJSON *skel, cJSON *samples, struct diag *d)
{
	cJSON *s, *m;

	while (samples && (s = samples->child)) {
		m = describe_skeleton_map(skel, s->string);
		if (!m)
			return diag_set(d, -EINVAL, "samples.%s: no map of that name in the object",
					s->string);
		cJSON_DetachItemViaPointer(samples, s);
		cJSON_DeleteItemFromObjectCaseSensitive(m, "sample");
		cJSON_AddItemToObject(m, "sample", s);
	}
	return 0;
}

/* The source's @sample marks, on maps the schema left alone. */
static int add_marked(cJSON *skel, const struct source_scan *src, struct diag *d)
{
	cJSON *m, *s;
	int i;

	for (i = 0; src && i < src->nr_vars; i++) {
		if (!src->vars[i].sample)
			continue;
		m = describe_skeleton_map(skel, src->vars[i].name);
		if (!m)
			return diag_set(d, -EINVAL,
					"%s:%d: @sample above \"%s\", which is not a map",
					src->path, src->vars[i].sample_line, src->vars[i].name);
		if (cJSON_GetObjectItemCaseSensitive(m, "sample"))
			continue;
		s = cJSON_Duplicate(src->vars[i].sample, true);
		if (!s || !cJSON_AddItemToObject(m, "sample", s)) {
			cJSON_Delete(s);
			return diag_set(d, -ENOMEM, "out of memory");
		}
	}
	return 0;
}

int samples_complete(struct bpf_object *obj, cJSON *skel, cJSON *samples,
		     const struct source_scan *src, FILE *log, struct diag *d)
{
	struct bpf_map *map;
	cJSON *item, *s;
	int err = 0;

	if (samples && !cJSON_IsObject(samples))
		err = diag_set(d, -EINVAL, "samples: is not an object");
	err = err ?: add_given(skel, samples, d);
	err = err ?: add_marked(skel, src, d);
	cJSON_Delete(samples);
	if (err)
		return err;
	bpf_object__for_each_map(map, obj) {
		item = describe_skeleton_map(skel, bpf_map__name(map));
		if (!item || cJSON_GetObjectItemCaseSensitive(item, "sample") ||
		    !holds_histogram(bpf_object__btf(obj), map))
			continue;
		s = inferred_sample();
		if (!s)
			return diag_set(d, -ENOMEM, "out of memory");
		cJSON_AddItemToObject(item, "sample", s);
		if (log)
			fprintf(log,
				"ecc: map %s holds slots: printed as a log2 histogram at exit\n",
				bpf_map__name(map));
	}
	return 0;
}
