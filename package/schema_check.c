#include <errno.h>
#include <string.h>
#include <bpf/btf.h>
#include "btf_layout.h"
#include "meta.h"
#include "object_check.h"
#include "object_vars.h"
#include "render_table.h"
#include "schema_check.h"

struct checker {
	const struct package_meta *m;
	struct bpf_object *obj;
	struct diag *d;
};

static int need_map(struct checker *c, const char *map, const char *where)
{
	if (!bpf_object__find_map_by_name(c->obj, map))
		return diag_set(c->d, -EINVAL, "%s: the object has no map \"%s\"", where, map);
	return 0;
}

static int need_arg(struct checker *c, const cJSON *name, const char *where)
{
	int i;

	for (i = 0; cJSON_IsString(name) && i < c->m->nr_args; i++)
		if (!strcmp(c->m->args[i].name, name->valuestring))
			return 0;
	return diag_set(c->d, -EINVAL, "%s: \"excludes\" names no arg \"%s\"", where,
			cJSON_IsString(name) ? name->valuestring : "?");
}

static int check_option_names(struct checker *c, int i)
{
	const struct arg_spec *a = &c->m->args[i], *b;
	int j, k, l;

	for (j = 0; j < i; j++) {
		b = &c->m->args[j];
		if (a->short_name && a->short_name == b->short_name)
			return diag_set(c->d, -EINVAL, "args: -%c is used twice", a->short_name);
		for (k = 0; k < a->nr_long_names; k++)
			for (l = 0; l < b->nr_long_names; l++)
				if (!strcmp(a->long_names[k], b->long_names[l]))
					return diag_set(c->d, -EINVAL, "args: --%s is used twice",
							a->long_names[k]);
	}
	return 0;
}

static int check_args(struct checker *c)
{
	const cJSON *item;
	int i, err = 0;

	for (i = 0; i < c->m->nr_args && !err; i++) {
		const struct arg_spec *a = &c->m->args[i];

		err = check_option_names(c, i);
		if (!err && !a->flag && !a->var && !a->map_keys && !a->pinned_map && !a->output)
			err = diag_set(c->d, -EINVAL, "%s: a value option must set something",
				       a->name);
		cJSON_ArrayForEach(item, a->excludes)
			err = err ?: need_arg(c, item, a->name);
	}
	return err;
}

/* A condition names a flag that sets no variable, or a variable. */
static bool known_condition(void *ctx, const char *name)
{
	struct checker *c = ctx;
	struct var_ref ref;
	int i;

	for (i = 0; i < c->m->nr_args; i++)
		if (!c->m->args[i].var && c->m->args[i].flag && !strcmp(c->m->args[i].name, name))
			return true;
	if (object_find_var(c->obj, name, &ref))
		diag_set(c->d, -EINVAL, "condition \"%s\" names no flag and no variable", name);
	return true;
}

static int check_columns(struct checker *c, const struct layout *l, const cJSON *columns)
{
	struct table t;
	int err;

	c->d->msg[0] = 0;
	err = table_build(&t, l, columns, NULL, known_condition, c, c->d);
	if (err)
		return err;
	table_free(&t);
	return c->d->msg[0] ? -EINVAL : 0;
}

static int check_exit_maps(struct checker *c)
{
	const struct btf *btf = bpf_object__btf(c->obj);
	int i, err = 0;

	for (i = 0; i < c->m->nr_exit_maps && !err; i++) {
		const struct exit_map_spec *x = &c->m->exit_maps[i];
		struct bpf_map *map;
		struct layout *row;

		err = need_map(c, x->map, "exit_maps");
		if (err)
			break;
		map = bpf_object__find_map_by_name(c->obj, x->map);
		err = layout_build_map_row(btf, bpf_map__btf_key_type_id(map),
					   bpf_map__key_size(map), bpf_map__btf_value_type_id(map),
					   bpf_map__value_size(map), x->value_name,
					   c->m->type_hints, &row, c->d);
		if (err)
			break;
		err = check_columns(c, row, x->columns);
		if (!err && x->when)
			known_condition(c, x->when);
		layout_free(row);
		if (!err && c->d->msg[0])
			err = -EINVAL;
	}
	return err;
}

static int check_display(struct checker *c)
{
	const struct btf *btf = bpf_object__btf(c->obj);
	const cJSON *type;
	struct layout *l;
	int id, err = 0;

	cJSON_ArrayForEach(type, c->m->type_hints) {
		id = btf_find_record(btf, type->string);
		if (id < 0)
			return diag_set(c->d, -EINVAL, "display.types: no struct \"%s\"",
					type->string);
		err = layout_build(btf, id, c->m->type_hints, &l, c->d);
		if (err)
			return err;
		for (const cJSON *member = type->child; member && !err; member = member->next)
			if (!layout_find(l, member->string))
				err = diag_set(c->d, -EINVAL, "display.types.%s: no member \"%s\"",
					       type->string, member->string);
		layout_free(l);
		if (err)
			return err;
	}
	if (!c->m->columns)
		return 0;
	if (!c->m->events.type)
		return diag_set(c->d, -EINVAL, "display.columns: there is no events.type");
	id = btf_find_record(btf, c->m->events.type);
	err = id < 0 ? diag_set(c->d, -EINVAL, "events.type: no struct \"%s\"", c->m->events.type)
		     : layout_build(btf, id, c->m->type_hints, &l, c->d);
	if (err)
		return err;
	err = check_columns(c, l, c->m->columns);
	layout_free(l);
	return err;
}

int schema_check(const cJSON *meta, struct bpf_object *obj, struct diag *d)
{
	struct package_meta m;
	struct checker c = {&m, obj, d};
	int err = meta_parse(meta, &m, d);

	if (err)
		return err;
	err = object_check(&m, obj, d); /* what the loader will refuse, ecc refuses first */
	err = err ?: check_args(&c);
	err = err ?: check_display(&c);
	err = err ?: check_exit_maps(&c);
	meta_free(&m);
	return err;
}
