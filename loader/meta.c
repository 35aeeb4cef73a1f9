#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "meta.h"

int json_get_string(const cJSON *obj, const char *where, const char *key, bool required,
		    const char **out, struct diag *d)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!v) {
		if (required)
			return diag_set(d, -EINVAL, "meta: %s: missing key \"%s\"", where, key);
		return 0;
	}
	if (!cJSON_IsString(v))
		return diag_set(d, -EINVAL, "meta: %s: \"%s\" is not a string", where, key);
	*out = v->valuestring;
	return 0;
}

int json_get_int(const cJSON *obj, const char *where, const char *key, long long min, long long max,
		 int *out, struct diag *d)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!v)
		return 0;
	if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) || v->valuedouble < min ||
	    v->valuedouble > max)
		return diag_set(d, -EINVAL, "meta: %s: \"%s\" is not an integer in %lld..%lld",
				where, key, min, max);
	*out = (int)v->valuedouble;
	return 0;
}

int json_get_bool(const cJSON *obj, const char *where, const char *key, bool *out, struct diag *d)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!v)
		return 0;
	if (!cJSON_IsBool(v))
		return diag_set(d, -EINVAL, "meta: %s: \"%s\" is not true or false", where, key);
	*out = cJSON_IsTrue(v);
	return 0;
}

int json_get_container(const cJSON *obj, const char *where, const char *key, bool array,
		       const cJSON **out, struct diag *d)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!v)
		return 0;
	if (array ? !cJSON_IsArray(v) : !cJSON_IsObject(v))
		return diag_set(d, -EINVAL, "meta: %s: \"%s\" is not %s", where, key,
				array ? "an array" : "an object");
	*out = v;
	return 0;
}

static void *alloc_items(const cJSON *array, size_t item_size, int *count)
{
	*count = cJSON_GetArraySize(array);
	return calloc(*count ? *count : 1, item_size);
}

static int parse_long_names(const cJSON *a, struct arg_spec *arg, const char *where, struct diag *d)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(a, "long"), *item;

	if (!v)
		return 0;
	if (cJSON_IsString(v)) {
		arg->long_names[arg->nr_long_names++] = v->valuestring;
		return 0;
	}
	if (!cJSON_IsArray(v))
		return diag_set(d, -EINVAL, "meta: %s: \"long\" is not a string or an array",
				where);
	cJSON_ArrayForEach(item, v) {
		if (!cJSON_IsString(item) || arg->nr_long_names == ARG_MAX_LONG_NAMES)
			return diag_set(d, -EINVAL, "meta: %s: \"long\" must hold up to %d strings",
					where, ARG_MAX_LONG_NAMES);
		arg->long_names[arg->nr_long_names++] = item->valuestring;
	}
	return 0;
}

static int parse_arg_targets(const cJSON *a, struct arg_spec *arg, const char *where,
			     struct diag *d)
{
	int targets, err;

	err = json_get_string(a, where, "var", false, &arg->var, d);
	err = err ?: json_get_string(a, where, "map_keys", false, &arg->map_keys, d);
	err = err ?: json_get_string(a, where, "pinned_map", false, &arg->pinned_map, d);
	err = err ?: json_get_bool(a, where, "output", &arg->output, d);
	err = err ?: json_get_container(a, where, "sets", false, &arg->sets, d);
	err = err ?: json_get_container(a, where, "excludes", true, &arg->excludes, d);
	if (err)
		return err;
	targets = !!arg->var + !!arg->map_keys + !!arg->pinned_map + arg->output;
	if (targets > 1)
		return diag_set(
			d, -EINVAL,
			"meta: %s: only one of var, map_keys, pinned_map, output may be set",
			where);
	if (arg->flag && (arg->map_keys || arg->pinned_map || arg->output))
		return diag_set(d, -EINVAL, "meta: %s: a flag can only set a variable", where);
	return 0;
}

static int parse_arg(const cJSON *a, int index, struct arg_spec *arg, struct diag *d)
{
	char where[32];
	const char *short_name = NULL;
	int err;

	snprintf(where, sizeof(where), "args[%d]", index);
	if (!cJSON_IsObject(a))
		return diag_set(d, -EINVAL, "meta: %s is not an object", where);
	err = parse_long_names(a, arg, where, d);
	err = err ?: json_get_string(a, where, "name", false, &arg->name, d);
	err = err ?: json_get_string(a, where, "short", false, &short_name, d);
	err = err ?: json_get_string(a, where, "metavar", false, &arg->metavar, d);
	err = err ?: json_get_string(a, where, "help", false, &arg->help, d);
	err = err ?: json_get_bool(a, where, "flag", &arg->flag, d);
	err = err ?: json_get_bool(a, where, "invert", &arg->invert, d);
	err = err ?: parse_arg_targets(a, arg, where, d);
	if (err)
		return err;
	arg->default_value = cJSON_GetObjectItemCaseSensitive(a, "default");
	if (short_name && (strlen(short_name) != 1 || short_name[0] == '-' || short_name[0] == 'h'))
		return diag_set(d, -EINVAL, "meta: %s: \"short\" must be one character, not - or h",
				where);
	arg->short_name = short_name ? short_name[0] : 0;
	if (!arg->nr_long_names && !arg->short_name)
		return diag_set(d, -EINVAL, "meta: %s has neither \"short\" nor \"long\"", where);
	if (!arg->name)
		arg->name = arg->nr_long_names ? arg->long_names[0] : arg->var;
	if (!arg->name)
		return diag_set(d, -EINVAL, "meta: %s needs a \"name\"", where);
	return 0;
}

static int parse_args(const cJSON *meta, struct package_meta *m, struct diag *d)
{
	const cJSON *args = NULL, *a;
	int i = 0, err;

	err = json_get_container(meta, "meta", "args", true, &args, d);
	if (err || !args)
		return err;
	m->has_args = true;
	m->args = alloc_items(args, sizeof(*m->args), &m->nr_args);
	if (!m->args)
		return -ENOMEM;
	cJSON_ArrayForEach(a, args) {
		err = parse_arg(a, i, &m->args[i], d);
		if (err)
			return err;
		i++;
	}
	return 0;
}

static int parse_string_list(const cJSON *list, const char *where, const char ***out, int *count,
			     struct diag *d)
{
	const cJSON *item;
	int i = 0;

	*out = alloc_items(list, sizeof(**out), count);
	if (!*out)
		return -ENOMEM;
	cJSON_ArrayForEach(item, list) {
		if (!cJSON_IsString(item))
			return diag_set(d, -EINVAL, "meta: %s[%d] is not a string", where, i);
		(*out)[i++] = item->valuestring;
	}
	return 0;
}

static int parse_variants(const cJSON *meta, struct package_meta *m, struct diag *d)
{
	const cJSON *list = NULL, *v;
	int i = 0, err;

	err = json_get_container(meta, "meta", "hook_variants", true, &list, d);
	if (err || !list)
		return err;
	m->variants = alloc_items(list, sizeof(*m->variants), &m->nr_variants);
	if (!m->variants)
		return -ENOMEM;
	cJSON_ArrayForEach(v, list) {
		struct hook_variant *hv = &m->variants[i];
		const cJSON *programs = NULL;
		char where[48];

		snprintf(where, sizeof(where), "hook_variants[%d]", i++);
		if (!cJSON_IsObject(v))
			return diag_set(d, -EINVAL, "meta: %s is not an object", where);
		err = json_get_string(v, where, "name", true, &hv->name, d);
		err = err ?: json_get_container(v, where, "programs", true, &programs, d);
		if (!err && !programs)
			err = diag_set(d, -EINVAL, "meta: %s: missing key \"programs\"", where);
		if (!err)
			err = parse_string_list(programs, where, &hv->programs, &hv->nr_programs,
						d);
		if (err)
			return err;
	}
	return 0;
}

static int parse_programs(const cJSON *skel, struct package_meta *m, struct diag *d)
{
	const cJSON *progs = NULL, *p;
	int i = 0, err;

	err = json_get_container(skel, "bpf_skel", "progs", true, &progs, d);
	if (err || !progs)
		return err;
	m->programs = alloc_items(progs, sizeof(*m->programs), &m->nr_programs);
	if (!m->programs)
		return -ENOMEM;
	cJSON_ArrayForEach(p, progs) {
		char where[48];

		snprintf(where, sizeof(where), "bpf_skel.progs[%d]", i);
		if (!cJSON_IsObject(p))
			return diag_set(d, -EINVAL, "meta: %s is not an object", where);
		m->programs[i].link = true;
		err = json_get_string(p, where, "name", true, &m->programs[i].name, d);
		err = err ?: json_get_bool(p, where, "link", &m->programs[i].link, d);
		if (err)
			return err;
		i++;
	}
	return 0;
}

static int parse_sample(const cJSON *map, const cJSON *sample, struct sample_spec *s,
			struct diag *d)
{
	const char *where = "bpf_skel.maps[].sample";
	int err;

	if (!cJSON_IsObject(sample))
		return diag_set(d, -EINVAL, "meta: %s is not an object", where);
	s->interval_ms = 1000;
	s->type = "default_kv";
	s->unit = "(unit)";
	err = json_get_string(map, "bpf_skel.maps[]", "name", true, &s->map, d);
	err = err ?: json_get_int(sample, where, "interval", 1, 86400000, &s->interval_ms, d);
	err = err ?: json_get_string(sample, where, "type", false, &s->type, d);
	err = err ?: json_get_string(sample, where, "unit", false, &s->unit, d);
	err = err ?: json_get_bool(sample, where, "clear_map", &s->clear, d);
	if (err)
		return err;
	if (strcmp(s->type, "log2_hist") && strcmp(s->type, "linear_hist") &&
	    strcmp(s->type, "default_kv"))
		return diag_set(d, -EINVAL, "meta: %s: unknown type \"%s\"", where, s->type);
	return 0;
}

static int parse_samples(const cJSON *skel, struct package_meta *m, struct diag *d)
{
	const cJSON *maps = NULL, *map;
	int n = 0, err;

	err = json_get_container(skel, "bpf_skel", "maps", true, &maps, d);
	if (err || !maps)
		return err;
	m->samples = alloc_items(maps, sizeof(*m->samples), &n);
	if (!m->samples)
		return -ENOMEM;
	cJSON_ArrayForEach(map, maps) {
		const cJSON *sample;

		if (!cJSON_IsObject(map))
			return diag_set(d, -EINVAL, "meta: bpf_skel.maps[%d] is not an object",
					m->nr_samples);
		sample = cJSON_GetObjectItemCaseSensitive(map, "sample");
		if (!sample)
			continue;
		err = parse_sample(map, sample, &m->samples[m->nr_samples], d);
		if (err)
			return err;
		m->nr_samples++;
	}
	return 0;
}

static int parse_exit_maps(const cJSON *meta, struct package_meta *m, struct diag *d)
{
	const cJSON *list = NULL, *e;
	int i = 0, err;

	err = json_get_container(meta, "meta", "exit_maps", true, &list, d);
	if (err || !list)
		return err;
	m->exit_maps = alloc_items(list, sizeof(*m->exit_maps), &m->nr_exit_maps);
	if (!m->exit_maps)
		return -ENOMEM;
	cJSON_ArrayForEach(e, list) {
		struct exit_map_spec *x = &m->exit_maps[i];
		const char *sort = NULL;
		char where[32];

		snprintf(where, sizeof(where), "exit_maps[%d]", i++);
		if (!cJSON_IsObject(e))
			return diag_set(d, -EINVAL, "meta: %s is not an object", where);
		x->value_name = "value";
		err = json_get_string(e, where, "map", true, &x->map, d);
		err = err ?: json_get_string(e, where, "when", false, &x->when, d);
		err = err ?: json_get_bool(e, where, "replaces_events", &x->replaces_events, d);
		err = err ?: json_get_string(e, where, "sort", false, &sort, d);
		err = err ?: json_get_string(e, where, "value_name", false, &x->value_name, d);
		err = err ?: json_get_container(e, where, "columns", true, &x->columns, d);
		if (err)
			return err;
		if (sort && strcmp(sort, "value_desc") && strcmp(sort, "key"))
			return diag_set(d, -EINVAL, "meta: %s: unknown sort \"%s\"", where, sort);
		x->sort_by_value_desc = sort && !strcmp(sort, "value_desc");
	}
	return 0;
}

static int parse_events(const cJSON *meta, struct package_meta *m, struct diag *d)
{
	const cJSON *ev = NULL, *types;
	struct events_spec *e = &m->events;
	int err;

	types = cJSON_GetObjectItemCaseSensitive(meta, "export_types");
	if (cJSON_IsArray(types) && cJSON_GetArraySize(types) > 0)
		err = json_get_string(cJSON_GetArrayItem(types, 0), "export_types[0]", "name", true,
				      &e->type, d);
	else if (types && !cJSON_IsArray(types))
		err = diag_set(d, -EINVAL, "meta: \"export_types\" is not an array");
	else
		err = 0;
	err = err ?: json_get_container(meta, "meta", "events", false, &ev, d);
	if (err || !ev)
		return err;
	err = json_get_string(ev, "events", "type", false, &e->type, d);
	err = err ?: json_get_string(ev, "events", "ringbuf", false, &e->ringbuf, d);
	err = err ?: json_get_string(ev, "events", "perfbuf", false, &e->perfbuf, d);
	err = err ?: json_get_string(ev, "events", "perfbuf_switch", false, &e->perfbuf_switch, d);
	return err ?: json_get_string(ev, "events", "lost_counter", false, &e->lost_counter, d);
}

static int parse_tool(const cJSON *meta, const cJSON *skel, struct package_meta *m, struct diag *d)
{
	const cJSON *tool = NULL, *doc = NULL;
	int err;

	err = json_get_container(skel, "bpf_skel", "doc", false, &doc, d);
	if (!err && doc) {
		err = json_get_string(doc, "bpf_skel.doc", "brief", false, &m->description, d);
		err = err ?: json_get_string(doc, "bpf_skel.doc", "details", false, &m->details, d);
	}
	err = err ?: json_get_container(meta, "meta", "tool", false, &tool, d);
	if (err || !tool)
		return err;
	err = json_get_string(tool, "tool", "name", false, &m->tool_name, d);
	err = err ?: json_get_string(tool, "tool", "description", false, &m->description, d);
	err = err ?: json_get_string(tool, "tool", "details", false, &m->details, d);
	err = err ?: json_get_string(tool, "tool", "banner", false, &m->banner, d);
	return err ?: json_get_container(tool, "tool", "examples", true, &m->examples, d);
}

static int parse_display(const cJSON *meta, struct package_meta *m, struct diag *d)
{
	const cJSON *display = NULL;
	int err;

	err = json_get_container(meta, "meta", "display", false, &display, d);
	if (err || !display)
		return err;
	err = json_get_container(display, "display", "types", false, &m->type_hints, d);
	return err ?: json_get_container(display, "display", "columns", true, &m->columns, d);
}

int meta_parse(const cJSON *meta, struct package_meta *m, struct diag *d)
{
	const cJSON *skel = NULL;
	int err;

	memset(m, 0, sizeof(*m));
	err = json_get_container(meta, "meta", "bpf_skel", false, &skel, d);
	if (!err && !skel)
		err = diag_set(d, -EINVAL, "meta: missing key \"bpf_skel\"");
	err = err ?: json_get_string(skel, "bpf_skel", "obj_name", true, &m->obj_name, d);
	err = err
		      ?: json_get_container(skel, "bpf_skel", "data_sections", true,
					    &m->data_sections, d);
	err = err ?: parse_programs(skel, m, d);
	err = err ?: parse_samples(skel, m, d);
	err = err ?: parse_tool(meta, skel, m, d);
	err = err ?: parse_args(meta, m, d);
	err = err ?: parse_variants(meta, m, d);
	err = err ?: parse_exit_maps(meta, m, d);
	err = err ?: parse_events(meta, m, d);
	err = err ?: parse_display(meta, m, d);
	if (err) {
		meta_free(m);
		return err == -ENOMEM ? diag_set(d, err, "meta: out of memory") : err;
	}
	if (!m->tool_name)
		m->tool_name = m->obj_name;
	return 0;
}

void meta_free(struct package_meta *m)
{
	int i;

	for (i = 0; i < m->nr_variants; i++)
		free(m->variants[i].programs);
	free(m->variants);
	free(m->args);
	free(m->programs);
	free(m->samples);
	free(m->exit_maps);
	memset(m, 0, sizeof(*m));
}
