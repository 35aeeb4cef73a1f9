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

/* Whether meta's metrics already serve map (as the schema wrote them). */
static bool has_map_metric(const cJSON *metrics, const char *map)
{
	const cJSON *m, *name;

	cJSON_ArrayForEach(m, metrics) {
		name = cJSON_GetObjectItemCaseSensitive(m, "map");
		if (cJSON_IsString(name) && !strcmp(name->valuestring, map))
			return true;
	}
	return false;
}

/* TOOL_MAP with every byte a Prometheus name cannot hold as '_'. */
static void metric_name(const char *tool, const char *map, char *name, size_t len)
{
	char *c;

	snprintf(name, len, "%s_%s", tool, map);
	for (c = name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9' && c > name) || *c == '_'))
			*c = '_';
}

/*
 * The row's fields but its slots, and but names Prometheus keeps for itself (le, the bucket's
 * label, and __*).
 */
static cJSON *row_labels(const struct btf *btf, struct bpf_map *map)
{
	cJSON *labels = cJSON_CreateArray();
	struct layout *row = NULL;
	const struct field *slots;
	struct diag ignored;
	int i;

	if (!labels || map_print_row_layout(btf, map, "value", NULL, &row, &ignored)) {
		cJSON_Delete(labels);
		return NULL;
	}
	slots = map_print_slots(row);
	for (i = 0; i < row->nr_fields; i++)
		if (&row->fields[i] != slots && strcmp(row->fields[i].name, "le") &&
		    strncmp(row->fields[i].name, "__", 2))
			cJSON_AddItemToArray(labels, cJSON_CreateString(row->fields[i].name));
	layout_free(row);
	return labels;
}

/* Served while the map is printed: the sample's condition, if it has one. */
static cJSON *inferred_metric(const struct btf *btf, struct bpf_map *map, const char *tool,
			      const char *unit, const char *when)
{
	cJSON *m = cJSON_CreateObject(), *labels = row_labels(btf, map);
	char name[256], help[320];

	metric_name(tool, bpf_map__name(map), name, sizeof(name));
	snprintf(help, sizeof(help), "The histogram of map %s%s%s, as printed at exit",
		 bpf_map__name(map), unit ? " in " : "", unit ? unit : "");
	if (m && labels && cJSON_AddStringToObject(m, "name", name) &&
	    cJSON_AddStringToObject(m, "type", "histogram") &&
	    cJSON_AddStringToObject(m, "map", bpf_map__name(map)) &&
	    cJSON_AddStringToObject(m, "help", help) &&
	    cJSON_AddItemToObject(m, "labels", labels) &&
	    (!when || cJSON_AddStringToObject(m, "when", when)))
		return m;
	if (!cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(m, "labels")))
		cJSON_Delete(labels);
	cJSON_Delete(m);
	return NULL;
}

int samples_metrics_complete(struct bpf_object *obj, cJSON *meta, FILE *log, struct diag *d)
{
	cJSON *skel = cJSON_GetObjectItemCaseSensitive(meta, "bpf_skel");
	cJSON *metrics = cJSON_GetObjectItemCaseSensitive(meta, "metrics"), *item, *m;
	const char *tool = describe_string(meta, "tool", "name"), *type;
	struct bpf_map *map;

	bpf_object__for_each_map(map, obj) {
		item = describe_skeleton_map(skel, bpf_map__name(map));
		type = describe_string(item, "sample", "type");
		if (!tool || !type || (strcmp(type, "log2_hist") && strcmp(type, "linear_hist")) ||
		    has_map_metric(metrics, bpf_map__name(map)))
			continue;
		if (!metrics && !(metrics = cJSON_AddArrayToObject(meta, "metrics")))
			return diag_set(d, -ENOMEM, "out of memory");
		m = inferred_metric(bpf_object__btf(obj), map, tool,
				    describe_string(item, "sample", "unit"),
				    describe_string(item, "sample", "when"));
		if (!m || !cJSON_AddItemToArray(metrics, m)) {
			cJSON_Delete(m);
			return diag_set(d, -ENOMEM, "out of memory");
		}
		if (log)
			fprintf(log, "ecc: map %s: served by ecli run --metrics as histogram %s\n",
				bpf_map__name(map),
				cJSON_GetObjectItemCaseSensitive(m, "name")->valuestring);
	}
	return 0;
}
