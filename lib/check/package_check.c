// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/btf.h>
#include "output/btf_layout.h"
#include "output/map_print.h"
#include "object/object_vars.h"
#include "check/package_check.h"
#include "check/prog_returns.h"
#include "load/cgroup_root.h"
#include "object/event_maps.h"
#include "output/render_table.h"
#include "args/tool_args.h"
#include "args/value_parse.h"
#include "load/variants.h"

struct checker {
	const struct package_meta *m;
	struct bpf_object *obj;
	const struct btf *btf;
	struct diag *d;
};

static const struct btf_type *var_type(struct checker *c, const struct var_ref *ref)
{
	return btf__type_by_id(c->btf, btf__resolve_type(c->btf, ref->type_id));
}

static int need_var(struct checker *c, const char *var, const char *path, struct var_ref *ref)
{
	if (!object_find_var(c->obj, var, ref))
		return 0;
	return diag_set(c->d, -EINVAL, "%s: the BPF object has no variable \"%s\"", path, var);
}

static int need_map(struct checker *c, const char *map, const char *path)
{
	if (bpf_object__find_map_by_name(c->obj, map))
		return 0;
	return diag_set(c->d, -EINVAL, "%s: the BPF object has no map \"%s\"", path, map);
}

/* A value the package itself writes into a variable must parse as the variable's type. */
static int check_value(struct checker *c, const char *var, const char *text, const char *path)
{
	struct var_ref ref;
	char why[200];
	uint8_t *buf;
	int err = need_var(c, var, path, &ref);

	if (err)
		return err;
	buf = calloc(1, ref.size ? ref.size : 1);
	if (!buf)
		return diag_set(c->d, -ENOMEM, "out of memory");
	err = value_parse(c->btf, ref.type_id, text, buf, ref.size, why, sizeof(why));
	free(buf);
	return err ? diag_set(c->d, -EINVAL, "%s: %s", path, why) : 0;
}

static bool integer_like(const struct btf_type *t)
{
	return t && (btf_is_int(t) || btf_is_enum(t) || btf_is_enum64(t));
}

static int check_arg_var(struct checker *c, const struct arg_spec *a, const char *where)
{
	char path[192];
	struct var_ref ref;
	int err;

	snprintf(path, sizeof(path), "%s.var", where);
	err = need_var(c, a->var, path, &ref);
	if (err)
		return err;
	if (a->flag && !integer_like(var_type(c, &ref)))
		return diag_set(c->d, -EINVAL,
				"%s: a flag's variable \"%s\" is not an integer, bool "
				"or enum",
				path, a->var);
	if (a->combine == COMBINE_OR && !integer_like(var_type(c, &ref)))
		return diag_set(c->d, -EINVAL,
				"%s.combine: \"or\" needs an integer or enum "
				"variable, and \"%s\" is not one",
				where, a->var);
	return 0;
}

/* A variable the loader writes at run time is no option's to write. */
static int check_not_runtime(struct checker *c, const char *var, const char *path)
{
	const char *key = meta_runtime_key(c->m, var);

	if (!key)
		return 0;
	return diag_set(c->d, -EINVAL, "%s: \"%s\" is written by the loader (runtime.%s)", path,
			var, key);
}

static int check_arg_refs(struct checker *c, const struct arg_spec *a, const char *where)
{
	char path[192];
	int i, j, err = 0;

	if (a->var) {
		snprintf(path, sizeof(path), "%s.var", where);
		err = check_not_runtime(c, a->var, path);
		err = err ?: check_arg_var(c, a, where);
	}
	if (!err && (a->map_keys || a->pinned_map)) {
		snprintf(path, sizeof(path), "%s.%s", where,
			 a->map_keys ? "map_keys" : "pinned_map");
		err = need_map(c, a->map_keys ? a->map_keys : a->pinned_map, path);
	}
	for (i = 0; i < a->nr_sets && !err; i++) {
		snprintf(path, sizeof(path), "%s.sets.%s", where, a->sets[i].var);
		err = check_not_runtime(c, a->sets[i].var, path);
		err = err ?: check_value(c, a->sets[i].var, a->sets[i].text, path);
	}
	for (i = 0; i < a->nr_excludes && !err; i++) {
		for (j = 0; j < c->m->nr_args; j++)
			if (!strcmp(c->m->args[j].name, a->excludes[i]))
				break;
		if (j == c->m->nr_args)
			err = diag_set(c->d, -EINVAL, "%s.excludes[%d]: names no option \"%s\"",
				       where, i, a->excludes[i]);
	}
	return err;
}

static int check_option_names(struct checker *c, int i, const char *where)
{
	const struct arg_spec *a = &c->m->args[i], *b;
	int j, k, l;

	for (j = 0; j < i; j++) {
		b = &c->m->args[j];
		if (a->short_name && a->short_name == b->short_name)
			return diag_set(c->d, -EINVAL, "%s.short: -%c is also args[%d]'s", where,
					a->short_name, j);
		for (k = 0; k < a->nr_long_names; k++)
			for (l = 0; l < b->nr_long_names; l++)
				if (!strcmp(a->long_names[k], b->long_names[l]))
					return diag_set(c->d, -EINVAL,
							"%s.long: --%s is also args[%d]'s", where,
							a->long_names[k], j);
		if (!strcmp(a->name, b->name))
			return diag_set(c->d, -EINVAL, "%s.name: \"%s\" is also args[%d]'s", where,
					a->name, j);
	}
	return 0;
}

static int check_args(struct checker *c)
{
	char where[32];
	int i, err = 0;

	for (i = 0; i < c->m->nr_args && !err; i++) {
		snprintf(where, sizeof(where), "args[%d]", i);
		err = check_option_names(c, i, where);
		err = err ?: check_arg_refs(c, &c->m->args[i], where);
	}
	return err;
}

/* The options eunomia-style packages get from their variables: the same rules as "args". */
struct generated {
	char short_name;
	const char *long_name;
	char path[96];
};

static int check_generated_one(struct checker *c, const struct data_var *v, const char *where,
			       struct generated *seen, int n)
{
	struct generated *g = &seen[n];
	char path[160];
	int i, err = 0;

	snprintf(g->path, sizeof(g->path), "%s", where);
	g->long_name = v->cmd_long ? v->cmd_long : v->name;
	snprintf(path, sizeof(path), "%s.%s", where, v->cmd_long ? "cmdarg.long" : "name");
	err = meta_check_long_name(g->long_name, path, c->d);
	snprintf(path, sizeof(path), "%s.cmdarg.short", where);
	if (!err && v->cmd_short)
		err = meta_check_short_name(v->cmd_short, path, c->d);
	g->short_name = v->cmd_short ? v->cmd_short[0] : 0;
	for (i = 0; i < n && !err; i++) {
		if (g->short_name && g->short_name == seen[i].short_name)
			err = diag_set(c->d, -EINVAL, "%s: -%c is also %s's", path, g->short_name,
				       seen[i].path);
		else if (!strcmp(g->long_name, seen[i].long_name))
			err = diag_set(c->d, -EINVAL, "%s: --%s is also %s's", where, g->long_name,
				       seen[i].path);
	}
	return err;
}

static int check_generated_options(struct checker *c)
{
	const struct package_meta *m = c->m;
	struct generated *seen;
	char where[96], path[112];
	int i, j, n = 0, total = 0, err = 0;
	struct var_ref ref;

	for (i = 0; i < m->nr_sections; i++)
		total += m->sections[i].nr_vars;
	seen = calloc(total ? total : 1, sizeof(*seen));
	if (!seen)
		return diag_set(c->d, -ENOMEM, "out of memory");
	for (i = 0; i < m->nr_sections && !err; i++) {
		for (j = 0; j < m->sections[i].nr_vars && !err; j++) {
			const struct data_var *v = &m->sections[i].vars[j];

			snprintf(where, sizeof(where), "bpf_skel.data_sections[%d].variables[%d]",
				 i, j);
			snprintf(path, sizeof(path), "%s.name", where);
			if (strncmp(v->name, "__eunomia_dummy", 15))
				err = need_var(c, v->name, path, &ref);
			if (!err && !m->has_args && tool_args_var_is_option(m, c->obj, v))
				err = check_generated_one(c, v, where, seen, n++);
		}
	}
	free(seen);
	return err;
}

static const struct program_spec *program_spec(struct checker *c, const char *name)
{
	int i;

	for (i = 0; i < c->m->nr_programs; i++)
		if (!strcmp(c->m->programs[i].name, name))
			return &c->m->programs[i];
	return NULL;
}

/* A program a variant names (at path) exists, and no earlier name of the variant is the same. */
static int check_variant_program(struct checker *c, const struct hook_variant *v, int nth,
				 const char *name, const char *path)
{
	int k, seen = 0;

	if (!bpf_object__find_program_by_name(c->obj, name))
		return diag_set(c->d, -EINVAL, "%s: the BPF object has no program \"%s\"", path,
				name);
	for (k = 0; k < v->nr_programs && seen < nth; k++, seen++)
		if (!strcmp(v->programs[k], name))
			goto twice;
	for (k = 0; k < v->nr_optional && seen < nth; k++) {
		const struct optional_programs *o = &v->optional[k];
		int j;

		for (j = 0; j < o->nr_programs && seen < nth; j++, seen++)
			if (!strcmp(o->programs[j], name))
				goto twice;
	}
	return 0;
twice:
	return diag_set(c->d, -EINVAL, "%s: \"%s\" is listed twice in the variant", path, name);
}

static int check_condition(struct checker *c, const char *name, const char *path)
{
	struct var_ref ref;
	int i;

	if (!name)
		return 0;
	if (name[0] == '!')
		name++;
	for (i = 0; i < c->m->nr_args; i++)
		if (!c->m->args[i].var && c->m->args[i].flag && !strcmp(c->m->args[i].name, name))
			return 0;
	if (!object_find_var(c->obj, name, &ref))
		return 0;
	return diag_set(c->d, -EINVAL, "%s: \"%s\" names no flag option and no variable", path,
			name);
}

/*
 * Each program a variant names, required or optional, exists and is named once in the variant;
 * at least one required program is attached.
 */
static int check_variants(struct checker *c)
{
	const struct package_meta *m = c->m;
	char path[96];
	int i, j, g, nth, links, err = 0;

	for (i = 0; i < m->nr_variants && !err; i++) {
		const struct hook_variant *v = &m->variants[i];
		const struct program_spec *p;

		for (j = 0, nth = 0, links = 0; j < v->nr_programs && !err; j++, nth++) {
			snprintf(path, sizeof(path), "hook_variants[%d].programs[%d]", i, j);
			err = check_variant_program(c, v, nth, v->programs[j], path);
			p = program_spec(c, v->programs[j]);
			links += !p || p->link;
		}
		for (g = 0; g < v->nr_optional && !err; g++)
			for (j = 0; j < v->optional[g].nr_programs && !err; j++, nth++) {
				snprintf(path, sizeof(path),
					 "hook_variants[%d].optional[%d].programs[%d]", i, g, j);
				err = check_variant_program(c, v, nth, v->optional[g].programs[j],
							    path);
			}
		if (!err && !links)
			err = diag_set(c->d, -EINVAL,
				       "hook_variants[%d].programs: every program has link false: "
				       "the variant attaches nothing",
				       i);
		snprintf(path, sizeof(path), "hook_variants[%d].when", i);
		err = err ?: check_condition(c, v->when, path);
	}
	return err;
}

/* A named map must exist and have the type, key and value sizes the loader reads it by. */
static int check_event_map(struct checker *c, const char *key, const char *name,
			   enum bpf_map_type type, __u32 key_size, __u32 value_size)
{
	struct bpf_map *map;
	char path[64];

	if (!name)
		return 0;
	snprintf(path, sizeof(path), "events.%s", key);
	map = bpf_object__find_map_by_name(c->obj, name);
	if (!map)
		return need_map(c, name, path);
	if (bpf_map__type(map) != type || (key_size && (bpf_map__key_size(map) != key_size ||
							bpf_map__value_size(map) != value_size)))
		return diag_set(c->d, -EINVAL, "%s: map \"%s\" is not a %s%s", path, name,
				type == BPF_MAP_TYPE_RINGBUF		? "ring buffer"
				: type == BPF_MAP_TYPE_PERF_EVENT_ARRAY ? "perf event array"
									: "per-CPU array",
				key_size ? " of u32 keys and u64 values" : "");
	return 0;
}

static int check_perfbuf_switch(struct checker *c, const char *var)
{
	const struct btf_type *t;
	struct var_ref ref;
	int err;

	if (!var)
		return 0;
	err = need_var(c, var, "events.perfbuf_switch", &ref);
	if (err)
		return err;
	t = var_type(c, &ref);
	if (!t || !btf_is_int(t) || !(btf_int_encoding(t) & BTF_INT_BOOL))
		return diag_set(c->d, -EINVAL,
				"events.perfbuf_switch: variable \"%s\" is not a bool", var);
	return 0;
}

/* Without a name, the map events come through must be the only one of its kind. */
static int check_event_map_found(struct checker *c, const char *key, const char *name,
				 enum bpf_map_type type, const char *kind)
{
	int n = name ? 0 : event_maps_count(c->obj, type);

	if (n <= 1)
		return 0;
	return diag_set(c->d, -EINVAL,
			"events.%s: missing: the object has %d %s; name the one events come "
			"through",
			key, n, kind);
}

/* With both kinds of event map the program must be told which one the loader reads. */
static int check_event_pair(struct checker *c)
{
	const struct events_spec *e = &c->m->events;
	struct bpf_map *rb = variants_event_map(e, c->obj, false);
	struct bpf_map *pb = variants_event_map(e, c->obj, true);

	if (!rb || !pb || e->perfbuf_switch)
		return 0;
	return diag_set(c->d, -EINVAL,
			"events.perfbuf_switch: missing: with a ring buffer (%s) and a perf event "
			"array (%s), the program needs a bool variable saying which to send to, "
			"such as emit_event.bpf.h's use_perfbuf",
			bpf_map__name(rb), bpf_map__name(pb));
}

static int check_events(struct checker *c)
{
	const struct events_spec *e = &c->m->events;
	int err = check_perfbuf_switch(c, e->perfbuf_switch);

	err = err ?: check_event_map(c, "ringbuf", e->ringbuf, BPF_MAP_TYPE_RINGBUF, 0, 0);
	err = err ?: check_event_map(c, "perfbuf", e->perfbuf, BPF_MAP_TYPE_PERF_EVENT_ARRAY, 0, 0);
	err = err
		      ?: check_event_map(c, "lost_counter", e->lost_counter,
					 BPF_MAP_TYPE_PERCPU_ARRAY, sizeof(__u32), sizeof(__u64));
	err = err
		      ?: check_event_map_found(c, "ringbuf", e->ringbuf, BPF_MAP_TYPE_RINGBUF,
					       "ring buffers");
	err = err
		      ?: check_event_map_found(c, "perfbuf", e->perfbuf,
					       BPF_MAP_TYPE_PERF_EVENT_ARRAY, "perf event arrays");
	return err ?: check_event_pair(c);
}

/* A variable the loader writes with a 64-bit value it learns at run time. */
static int check_runtime_var(struct checker *c, const char *key, const char *var)
{
	const struct btf_type *t;
	struct var_ref ref;
	char path[32];
	int err;

	if (!var)
		return 0;
	snprintf(path, sizeof(path), "runtime.%s", key);
	err = need_var(c, var, path, &ref);
	if (err)
		return err;
	t = var_type(c, &ref);
	if (!t || !btf_is_int(t) || (btf_int_encoding(t) & BTF_INT_BOOL) || ref.size != 8)
		return diag_set(c->d, -EINVAL,
				"%s: variable \"%s\" is not a 64-bit integer (such as __u64)", path,
				var);
	return 0;
}

static int check_runtime(struct checker *c)
{
	const struct runtime_spec *r = &c->m->runtime;
	int err = check_runtime_var(c, "pidns_dev", r->pidns_dev);

	err = err ?: check_runtime_var(c, "pidns_ino", r->pidns_ino);
	if (!err && r->pidns_dev && !strcmp(r->pidns_dev, r->pidns_ino))
		err = diag_set(c->d, -EINVAL,
			       "runtime.pidns_ino: \"%s\" is runtime.pidns_dev's variable too: the "
			       "device and the inode need one each",
			       r->pidns_ino);
	return err;
}

/* A condition names a flag that sets no variable, or a variable; "!" before it negates it. */
static bool every_condition_holds(void *ctx, const char *name)
{
	return true;
}

/* Conditions by path, then fields and formats by building the table with every override. */
static int check_columns(struct checker *c, const struct layout *l, const struct column_list *cl)
{
	char path[224];
	struct table t;
	int i, j, err = 0;

	for (i = 0; cl->present && i < cl->nr && !err; i++) {
		snprintf(path, sizeof(path), "%s[%d].when", cl->where, i);
		err = check_condition(c, cl->items[i].when, path);
		for (j = 0; j < cl->items[i].nr_overrides && !err; j++) {
			snprintf(path, sizeof(path), "%s[%d].overrides[%d].when", cl->where, i, j);
			err = check_condition(c, cl->items[i].overrides[j].when, path);
		}
	}
	err = err ?: table_build(&t, l, cl, NULL, every_condition_holds, NULL, c->d);
	if (!err)
		table_free(&t);
	return err;
}

static int map_row_layout(struct checker *c, struct bpf_map *map, const char *value_name,
			  struct layout **out)
{
	return map_print_row_layout(c->btf, map, value_name, &c->m->hints, out, c->d);
}

static int check_exit_maps(struct checker *c)
{
	char path[64];
	int i, err = 0;

	for (i = 0; i < c->m->nr_exit_maps && !err; i++) {
		const struct exit_map_spec *x = &c->m->exit_maps[i];
		struct layout *row;

		snprintf(path, sizeof(path), "exit_maps[%d].map", i);
		err = need_map(c, x->map, path);
		snprintf(path, sizeof(path), "exit_maps[%d].when", i);
		err = err ?: check_condition(c, x->when, path);
		err = err
			      ?: map_row_layout(c, bpf_object__find_map_by_name(c->obj, x->map),
						x->value_name, &row);
		if (err)
			break;
		err = check_columns(c, row, &x->columns);
		layout_free(row);
	}
	return err;
}

/* Each {NAME} of a sample's header names a field of the map's rows. */
static int check_sample_header(struct checker *c, const struct sample_spec *s,
			       const struct layout *row, const char *header, const char *key)
{
	const char *name;
	int len;

	if (!header || !(name = map_print_unknown_field(row, header, &len)))
		return 0;
	return diag_set(c->d, -EINVAL,
			"bpf_skel.maps[%d].sample.%s: {%.*s} is no field of map %s's rows",
			s->map_index, key, len, name, s->map);
}

static int check_sample(struct checker *c, const struct sample_spec *s)
{
	struct bpf_map *map = bpf_object__find_map_by_name(c->obj, s->map);
	enum bpf_map_type type = bpf_map__type(map);
	struct layout *row = NULL;
	char path[96];
	int i, err;

	if (type == BPF_MAP_TYPE_RINGBUF || type == BPF_MAP_TYPE_PERF_EVENT_ARRAY)
		return diag_set(c->d, -EINVAL,
				"bpf_skel.maps[%d].sample: map %s sends events; only a map of keys "
				"and values can be sampled",
				s->map_index, s->map);
	err = map_row_layout(c, map, "value", &row);
	if (!err && s->type != SAMPLE_DEFAULT_KV && !map_print_slots(row))
		err = diag_set(c->d, -EINVAL,
			       "bpf_skel.maps[%d].sample.type: a histogram needs an array of "
			       "integers named slots (map %s)",
			       s->map_index, s->map);
	err = err ?: check_sample_header(c, s, row, s->header, "header");
	if (!err && s->when) {
		snprintf(path, sizeof(path), "bpf_skel.maps[%d].sample.when", s->map_index);
		err = check_condition(c, s->when, path);
	}
	for (i = 0; !err && i < s->nr_overrides; i++) {
		snprintf(path, sizeof(path), "bpf_skel.maps[%d].sample.overrides[%d].when",
			 s->map_index, i);
		err = check_condition(c, s->overrides[i].when, path);
		snprintf(path, sizeof(path), "overrides[%d].header", i);
		err = err ?: check_sample_header(c, s, row, s->overrides[i].header, path);
	}
	layout_free(row);
	return err;
}

static int check_samples(struct checker *c)
{
	int i, err = 0;

	for (i = 0; i < c->m->nr_samples && !err; i++)
		err = check_sample(c, &c->m->samples[i]);
	return err;
}

static int check_hint_members(struct checker *c, const struct type_hint *th)
{
	struct layout *l = NULL;
	int id = layout_find_record(c->btf, th->type), i, err;

	if (id < 0)
		return diag_set(c->d, -EINVAL,
				"display.types.%s: the BPF object has no struct \"%s\"", th->type,
				th->type);
	err = layout_build(c->btf, id, &c->m->hints, &l, c->d);
	for (i = 0; !err && i < th->nr_members; i++) {
		const struct field *f = layout_find(l, th->members[i].member);

		if (!f || strcmp(f->name, th->members[i].member))
			err = diag_set(c->d, -EINVAL,
				       "display.types.%s.%s: %s has no member \"%s\"", th->type,
				       th->members[i].member, th->type, th->members[i].member);
	}
	layout_free(l);
	return err;
}

static int check_contains(struct checker *c, const struct layout *events)
{
	const struct layout *owner;
	uint32_t base;
	int i;

	for (i = 0; i < c->m->nr_args; i++) {
		const char *field = c->m->args[i].contains;

		if (!field)
			continue;
		if (!events)
			return diag_set(c->d, -EINVAL, "args[%d].contains: there is no events.type",
					i);
		if (!layout_find_path(events, field, &owner, &base))
			return diag_set(c->d, -EINVAL, "args[%d].contains: %s has no field \"%s\"",
					i, events->name, field);
	}
	return 0;
}

static bool is_integer_field(const struct field *f)
{
	return f && (f->kind == FIELD_INT || f->kind == FIELD_ENUM || f->kind == FIELD_BOOL) &&
	       f->size <= 8;
}

/* A histogram's map has a "slots" array, and its labels are fields of the map's rows. */
static int check_histogram_metric(struct checker *c, const struct metric_spec *x, int i)
{
	struct layout *row = NULL;
	char path[64];
	int j, err;

	snprintf(path, sizeof(path), "metrics[%d].map", i);
	err = need_map(c, x->map, path);
	err = err ?: map_row_layout(c, bpf_object__find_map_by_name(c->obj, x->map), "value", &row);
	if (!err && !map_print_slots(row))
		err = diag_set(c->d, -EINVAL,
			       "metrics[%d].map: a histogram needs an array of integers named "
			       "slots (map %s)",
			       i, x->map);
	for (j = 0; !err && j < x->nr_labels; j++)
		if (!layout_find(row, x->labels[j]) ||
		    layout_find(row, x->labels[j]) == map_print_slots(row))
			err = diag_set(c->d, -EINVAL,
				       "metrics[%d].labels[%d]: map %s's rows have no field \"%s\"",
				       i, j, x->map, x->labels[j]);
	layout_free(row);
	return err;
}

/* Counters and gauges: labels and value are fields of the event. */
static int check_event_metric(struct checker *c, const struct metric_spec *x, int i,
			      const struct layout *events)
{
	int j;

	if (!events)
		return diag_set(c->d, -EINVAL, "metrics[%d]: there is no events.type", i);
	for (j = 0; j < x->nr_labels; j++)
		if (!layout_find(events, x->labels[j]))
			return diag_set(c->d, -EINVAL,
					"metrics[%d].labels[%d]: %s has no field \"%s\"", i, j,
					events->name, x->labels[j]);
	if (x->value && !is_integer_field(layout_find(events, x->value)))
		return diag_set(c->d, -EINVAL, "metrics[%d].value: %s has no integer field \"%s\"",
				i, events->name, x->value);
	return 0;
}

/* Each metric's fields exist, and its condition is one the options know. */
static int check_metrics(struct checker *c, const struct layout *events)
{
	char path[64];
	int i, err = 0;

	for (i = 0; i < c->m->nr_metrics && !err; i++) {
		const struct metric_spec *x = &c->m->metrics[i];

		err = x->type == METRIC_HISTOGRAM ? check_histogram_metric(c, x, i)
						  : check_event_metric(c, x, i, events);
		snprintf(path, sizeof(path), "metrics[%d].when", i);
		if (!err && x->when)
			err = check_condition(c, x->when, path);
	}
	return err;
}

static int check_display(struct checker *c)
{
	const char *type = c->m->events.type;
	struct layout *l = NULL;
	int i, id, err = 0;

	for (i = 0; i < c->m->hints.nr_types && !err; i++)
		err = check_hint_members(c, &c->m->hints.types[i]);
	if (err)
		return err;
	if (!type && c->m->columns.present)
		return diag_set(c->d, -EINVAL, "display.columns: there is no events.type");
	if (!type)
		return check_contains(c, NULL) ?: check_metrics(c, NULL);
	id = layout_find_record(c->btf, type);
	if (id < 0)
		return diag_set(c->d, -EINVAL, "events.type: the BPF object has no struct \"%s\"",
				type);
	err = layout_build(c->btf, id, &c->m->hints, &l, c->d);
	err = err ?: check_columns(c, l, &c->m->columns);
	err = err ?: check_contains(c, l);
	err = err ?: check_metrics(c, l);
	layout_free(l);
	return err;
}

/*
 * No map pinned by name (LIBBPF_PIN_BY_NAME): it would outlive the run in /sys/fs/bpf, and open
 * and write another tool's map of the same name. Maps are shared only by --*map options.
 */
static int check_no_pinning(struct bpf_object *obj, struct diag *d)
{
	struct bpf_map *map;

	bpf_object__for_each_map(map, obj)
		if (bpf_map__pin_path(map))
			return diag_set(d, -EPERM,
					"map %s: pinned by name (LIBBPF_PIN_BY_NAME, at %s): a "
					"package's maps must not outlive it, nor open another "
					"tool's",
					bpf_map__name(map), bpf_map__pin_path(map));
	return 0;
}

/*
 * A cgroup socket program that returns 0 denies the call it sees (the bind fails with EPERM):
 * a tracing tool must never change a call's outcome, so each must return 1 on every path.
 */
static int check_cgroup_programs_allow(struct bpf_object *obj, struct diag *d)
{
	struct bpf_program *prog;
	size_t where = 0;
	int err;

	bpf_object__for_each_program(prog, obj) {
		if (!cgroup_prog(prog))
			continue;
		err = prog_returns_always(bpf_program__insns(prog), bpf_program__insn_cnt(prog), 1,
					  &where);
		if (err == -EDOM)
			return diag_set(
				d, -EPERM,
				"program %s (%s): may return something other than 1 (\"allow\"), "
				"at instruction %zu: a cgroup program that denies changes the "
				"call it sees, which a tracing tool must never do",
				bpf_program__name(prog), bpf_program__section_name(prog), where);
		if (err == -ENOMEM)
			return diag_set(d, err, "out of memory");
		if (err)
			return diag_set(d, err, "program %s (%s): instruction %zu jumps outside it",
					bpf_program__name(prog), bpf_program__section_name(prog),
					where);
	}
	return 0;
}

int package_check(const struct package_meta *m, struct bpf_object *obj, struct diag *d)
{
	struct checker c = {m, obj, bpf_object__btf(obj), d};
	char path[64];
	int i, err = 0;

	if (!c.btf)
		return diag_set(d, -EINVAL, "the BPF object has no BTF");
	err = check_no_pinning(obj, d);
	err = err ?: check_cgroup_programs_allow(obj, d);
	if (err)
		return err;
	for (i = 0; i < m->nr_samples && !err; i++) {
		snprintf(path, sizeof(path), "bpf_skel.maps[%d].name", m->samples[i].map_index);
		err = need_map(&c, m->samples[i].map, path);
	}
	for (i = 0; i < m->nr_map_sizes && !err; i++)
		err = need_map(&c, m->map_sizes[i].map, "bpf_skel.maps[].max_entries");
	err = err ?: check_runtime(&c);
	err = err ?: check_args(&c);
	err = err ?: check_generated_options(&c);
	err = err ?: check_variants(&c);
	err = err ?: check_events(&c);
	err = err ?: check_display(&c);
	err = err ?: check_exit_maps(&c);
	return err ?: check_samples(&c);
}

/* libbpf reads raw BTF, or an ELF file's .BTF section: tell which one the file is not. */
static const char *not_btf_because(const char *path, int err)
{
	unsigned char magic[4] = {0};
	FILE *f = fopen(path, "rb");
	bool elf;

	if (!f)
		return strerror(errno);
	elf = fread(magic, 1, sizeof(magic), f) == sizeof(magic) && !memcmp(magic, "\177ELF", 4);
	fclose(f);
	if (elf && err == -ENOENT)
		return "an ELF file without a .BTF section";
	if (elf)
		return "an ELF file whose BTF cannot be read";
	return "neither raw BTF nor an ELF file";
}

int package_check_btf_file(const char *path, struct diag *d)
{
	struct btf *btf;
	struct stat st;
	int err;

	if (access(path, R_OK) || stat(path, &st))
		return diag_set(d, -errno, "--btf: '%s': %s", path, strerror(errno));
	/* read here and again by libbpf: a pipe would give its bytes once, then block forever */
	if (!S_ISREG(st.st_mode))
		return diag_set(d, -EINVAL, "--btf: '%s' is not a regular file", path);
	btf = btf__parse(path, NULL);
	err = libbpf_get_error(btf);
	if (err)
		return diag_set(d, err,
				"--btf: '%s' is not BTF (%s): give the kernel's BTF, such as "
				"/sys/kernel/btf/vmlinux",
				path, not_btf_because(path, err));
	btf__free(btf);
	return 0;
}
