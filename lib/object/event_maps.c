// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <string.h>
#include <bpf/btf.h>
#include "object/event_maps.h"
#include "object/object_vars.h"

#define PERFBUF_SWITCH "use_perfbuf"

static bool is_lost_counter(const struct bpf_map *map)
{
	return bpf_map__type(map) == BPF_MAP_TYPE_PERCPU_ARRAY && bpf_map__key_size(map) == 4 &&
	       bpf_map__value_size(map) == 8 && bpf_map__max_entries(map) == 1;
}

static bool is_kind(const struct bpf_map *map, enum bpf_map_type type)
{
	return type == BPF_MAP_TYPE_PERCPU_ARRAY ? is_lost_counter(map)
						 : bpf_map__type(map) == type;
}

int event_maps_count(struct bpf_object *obj, enum bpf_map_type type)
{
	struct bpf_map *map;
	int n = 0;

	bpf_object__for_each_map(map, obj)
		n += is_kind(map, type);
	return n;
}

struct bpf_map *event_maps_find(struct bpf_object *obj, const char *name, enum bpf_map_type type)
{
	struct bpf_map *found = NULL, *map;

	if (name)
		return bpf_object__find_map_by_name(obj, name);
	bpf_object__for_each_map(map, obj) {
		if (!is_kind(map, type))
			continue;
		if (found)
			return NULL;
		found = map;
	}
	return found;
}

bool event_maps_present(struct bpf_object *obj)
{
	struct bpf_map *map;

	bpf_object__for_each_map(map, obj)
		if (bpf_map__type(map) == BPF_MAP_TYPE_RINGBUF ||
		    bpf_map__type(map) == BPF_MAP_TYPE_PERF_EVENT_ARRAY)
			return true;
	return false;
}

static bool is_bool_var(struct bpf_object *obj, const char *name)
{
	struct var_ref ref;
	const struct btf_type *t = object_var_type(obj, name, &ref);

	return t && btf_is_int(t) && (btf_int_encoding(t) & BTF_INT_BOOL);
}

static int add_missing(cJSON *events, const char *key, const char *value)
{
	if (!value || cJSON_GetObjectItemCaseSensitive(events, key))
		return 0;
	return cJSON_AddStringToObject(events, key, value) ? 0 : -ENOMEM;
}

int event_maps_complete(struct bpf_object *obj, cJSON *events, struct diag *d)
{
	struct bpf_map *rb = event_maps_find(obj, NULL, BPF_MAP_TYPE_RINGBUF);
	struct bpf_map *pb = event_maps_find(obj, NULL, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	struct bpf_map *lost = event_maps_find(obj, NULL, BPF_MAP_TYPE_PERCPU_ARRAY);
	int err;

	err = add_missing(events, "ringbuf", rb ? bpf_map__name(rb) : NULL);
	err = err ?: add_missing(events, "perfbuf", pb ? bpf_map__name(pb) : NULL);
	if (lost && (rb || pb))
		err = err ?: add_missing(events, "lost_counter", bpf_map__name(lost));
	if (rb && pb && is_bool_var(obj, PERFBUF_SWITCH))
		err = err ?: add_missing(events, "perfbuf_switch", PERFBUF_SWITCH);
	return err ? diag_set(d, err, "out of memory") : 0;
}
