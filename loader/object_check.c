#include <errno.h>
#include <string.h>
#include <bpf/btf.h>
#include "object_check.h"
#include "object_vars.h"

/* Each program a variant names exists, once: the loader attaches a variant's list as given. */
static int check_variants(const struct package_meta *m, struct bpf_object *obj, struct diag *d)
{
	int i, j, k;

	for (i = 0; i < m->nr_variants; i++) {
		const struct hook_variant *v = &m->variants[i];

		for (j = 0; j < v->nr_programs; j++) {
			if (!bpf_object__find_program_by_name(obj, v->programs[j]))
				return diag_set(
					d, -EINVAL,
					"meta: hook_variants[%d] (%s): the BPF object has no "
					"program \"%s\"",
					i, v->name, v->programs[j]);
			for (k = 0; k < j; k++)
				if (!strcmp(v->programs[k], v->programs[j]))
					return diag_set(d, -EINVAL,
							"meta: hook_variants[%d] (%s): program "
							"\"%s\" is listed twice",
							i, v->name, v->programs[j]);
		}
	}
	return 0;
}

/* A named map must exist and have the type, key and value sizes the loader reads it by. */
static int check_map(struct bpf_object *obj, const char *key, const char *name,
		     enum bpf_map_type type, __u32 key_size, __u32 value_size, struct diag *d)
{
	struct bpf_map *map;

	if (!name)
		return 0;
	map = bpf_object__find_map_by_name(obj, name);
	if (!map)
		return diag_set(d, -EINVAL, "meta: events.%s: the BPF object has no map \"%s\"",
				key, name);
	if (bpf_map__type(map) != type || (key_size && (bpf_map__key_size(map) != key_size ||
							bpf_map__value_size(map) != value_size)))
		return diag_set(d, -EINVAL, "meta: events.%s: map \"%s\" is not a %s%s", key, name,
				type == BPF_MAP_TYPE_RINGBUF		? "ring buffer"
				: type == BPF_MAP_TYPE_PERF_EVENT_ARRAY ? "perf event array"
									: "per-CPU array",
				key_size ? " of u32 keys and u64 values" : "");
	return 0;
}

static int need_var(struct bpf_object *obj, const char *var, const char *where, int index,
		    const char *name, struct diag *d)
{
	struct var_ref ref;

	if (!object_find_var(obj, var, &ref))
		return 0;
	if (index < 0)
		return diag_set(d, -EINVAL, "meta: %s: the BPF object has no variable \"%s\"",
				where, var);
	return diag_set(d, -EINVAL, "meta: %s[%d] (%s): the BPF object has no variable \"%s\"",
			where, index, name, var);
}

/* Options that name what the object lacks are refused whether or not they are given. */
static int check_args(const struct package_meta *m, struct bpf_object *obj, struct diag *d)
{
	const cJSON *item;
	int i, err = 0;

	for (i = 0; i < m->nr_args && !err; i++) {
		const struct arg_spec *a = &m->args[i];
		const char *map = a->map_keys ? a->map_keys : a->pinned_map;

		if (a->var)
			err = need_var(obj, a->var, "args", i, a->name, d);
		if (!err && map && !bpf_object__find_map_by_name(obj, map))
			err = diag_set(d, -EINVAL,
				       "meta: args[%d] (%s): the BPF object has no map \"%s\"", i,
				       a->name, map);
		cJSON_ArrayForEach(item, a->sets)
			err = err ?: need_var(obj, item->string, "args", i, a->name, d);
	}
	return err;
}

int object_check(const struct package_meta *m, struct bpf_object *obj, struct diag *d)
{
	const struct events_spec *e = &m->events;
	int err;

	err = check_args(m, obj, d);
	err = err ?: check_variants(m, obj, d);
	if (!err && e->perfbuf_switch)
		err = need_var(obj, e->perfbuf_switch, "events.perfbuf_switch", -1, NULL, d);
	err = err ?: check_map(obj, "ringbuf", e->ringbuf, BPF_MAP_TYPE_RINGBUF, 0, 0, d);
	err = err ?: check_map(obj, "perfbuf", e->perfbuf, BPF_MAP_TYPE_PERF_EVENT_ARRAY, 0, 0, d);
	return err
		       ?: check_map(obj, "lost_counter", e->lost_counter, BPF_MAP_TYPE_PERCPU_ARRAY,
				    sizeof(__u32), sizeof(__u64), d);
}

int object_check_btf_file(const char *path, struct diag *d)
{
	struct btf *btf = btf__parse(path, NULL);
	int err = libbpf_get_error(btf);

	if (err)
		return diag_set(d, err, "--btf: '%s' is not readable BTF (%s)", path,
				strerror(err < 0 ? -err : err));
	btf__free(btf);
	return 0;
}
