// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include "core/cgroup_path.h"
#include "output/cgroup_names.h"
#include "object/object_vars.h"
#include "args/tool_args.h"
#include "args/value_parse.h"

struct parser {
	struct tool_settings *s;
	const struct package_meta *m;
	struct bpf_object *obj;
	struct diag *d;
};

static int oom(struct diag *d)
{
	return diag_set(d, -ENOMEM, "out of memory parsing arguments");
}

bool tool_args_var_is_option(const struct package_meta *m, struct bpf_object *obj,
			     const struct data_var *v)
{
	const struct btf *btf = bpf_object__btf(obj);
	const struct btf_type *t;
	struct var_ref ref;

	if (!strncmp(v->name, "__eunomia_dummy", 15) || object_find_var(obj, v->name, &ref))
		return false;
	if (m->events.perfbuf_switch && !strcmp(v->name, m->events.perfbuf_switch))
		return false; /* the loader sets it: --perfbuf */
	if (meta_runtime_key(m, v->name))
		return false; /* the loader sets it at run time */
	t = btf__type_by_id(btf, btf__resolve_type(btf, ref.type_id));
	/* pointers and structs cannot be given on a command line */
	return t && (btf_is_int(t) || btf_is_enum(t) || btf_is_enum64(t) || btf_is_float(t) ||
		     btf_is_array(t));
}

/* eunomia-bpf packages: every variable of a data section is an option named after it. */
static void add_generated_arg(struct tool_settings *s, struct bpf_object *obj,
			      const struct data_var *v)
{
	const struct btf *btf = bpf_object__btf(obj);
	const struct btf_type *t;
	struct arg_spec *a;
	struct var_ref ref;

	object_find_var(obj, v->name, &ref);
	t = btf__type_by_id(btf, btf__resolve_type(btf, ref.type_id));
	a = &s->args[s->nr_args++];
	memset(a, 0, sizeof(*a));
	a->name = a->var = v->name;
	a->long_names[a->nr_long_names++] = v->cmd_long ? v->cmd_long : a->name;
	a->short_name = v->cmd_short ? v->cmd_short[0] : 0; /* checked: one character */
	a->help = v->cmd_help ? v->cmd_help : v->description;
	a->flag = btf_is_int(t) && (btf_int_encoding(t) & BTF_INT_BOOL);
	a->metavar = a->flag ? NULL : "VALUE";
}

static int generate_args(struct tool_settings *s, const struct package_meta *m,
			 struct bpf_object *obj, struct diag *d)
{
	int total = 0, i, j;

	for (i = 0; i < m->nr_sections; i++)
		total += m->sections[i].nr_vars;
	s->args = calloc(total ? total : 1, sizeof(*s->args));
	if (!s->args)
		return oom(d);
	s->args_owned = true;
	for (i = 0; i < m->nr_sections; i++)
		for (j = 0; j < m->sections[i].nr_vars; j++)
			if (tool_args_var_is_option(m, obj, &m->sections[i].vars[j]))
				add_generated_arg(s, obj, &m->sections[i].vars[j]);
	return 0;
}

static int add_var_write(struct parser *p, const char *var, const char *text, const char *option)
{
	struct tool_settings *s = p->s;
	struct var_write *w;
	struct var_ref ref;
	char why[256];
	int err;

	if (object_find_var(p->obj, var, &ref))
		return diag_set(p->d, -EINVAL, "%s: the BPF object has no variable \"%s\"", option,
				var);
	w = realloc(s->writes, (s->nr_writes + 1) * sizeof(*w));
	if (!w)
		return oom(p->d);
	s->writes = w;
	w = &w[s->nr_writes];
	w->bytes = calloc(1, ref.size);
	if (!w->bytes)
		return oom(p->d);
	err = value_parse(bpf_object__btf(p->obj), ref.type_id, text, w->bytes, ref.size, why,
			  sizeof(why));
	if (err) {
		free(w->bytes);
		return diag_set(p->d, err, "%s: %s", option, why);
	}
	w->var = var;
	w->size = ref.size;
	s->nr_writes++;
	return 0;
}

static int apply_sets(struct parser *p, const struct arg_spec *a)
{
	int i, err = 0;

	for (i = 0; i < a->nr_sets && !err; i++)
		err = add_var_write(p, a->sets[i].var, a->sets[i].text, a->name);
	return err;
}

/* A "combine": "or" option: each value of a comma list is OR-ed into the variable. */
static int or_into_var(struct parser *p, const struct arg_spec *a, const char *text,
		       const char *option)
{
	char *copy = strdup(text), *item, *save = NULL;
	int i, prev = -1, items = 0, err = copy ? 0 : oom(p->d);
	struct var_write *w;
	uint32_t k;

	for (i = 0; i < p->s->nr_writes; i++) /* an earlier -f of the same option */
		if (!strcmp(p->s->writes[i].var, a->var))
			prev = i;
	for (item = err ? NULL : strtok_r(copy, ",", &save); item && !err;
	     item = strtok_r(NULL, ",", &save), items++) {
		err = add_var_write(p, a->var, item, option);
		if (err)
			break;
		w = &p->s->writes[p->s->nr_writes - 1];
		for (k = 0; prev >= 0 && k < w->size; k++)
			w->bytes[k] |= p->s->writes[prev].bytes[k];
		prev = p->s->nr_writes - 1;
	}
	if (!err && !items)
		err = diag_set(p->d, -EINVAL, "%s: '%s' holds no values", option, text);
	free(copy);
	return err;
}

static int add_filter(struct parser *p, const struct arg_spec *a, const char *text)
{
	struct text_filter *f = realloc(p->s->filters, (p->s->nr_filters + 1) * sizeof(*f));

	if (!f)
		return oom(p->d);
	p->s->filters = f;
	f = &f[p->s->nr_filters];
	f->field = a->contains;
	f->text = strdup(text);
	if (!f->text)
		return oom(p->d);
	p->s->nr_filters++;
	return 0;
}

/* One fill per map, however many options add to it, so its capacity is checked in total. */
static struct map_fill *fill_for(struct parser *p, struct bpf_map *map, const char *name)
{
	struct tool_settings *s = p->s;
	struct map_fill *fills, *f;
	int i;

	for (i = 0; i < s->nr_fills; i++)
		if (!strcmp(s->fills[i].map, name))
			return &s->fills[i];
	fills = realloc(s->fills, (s->nr_fills + 1) * sizeof(*fills));
	if (!fills)
		return NULL;
	s->fills = fills;
	f = &fills[s->nr_fills];
	memset(f, 0, sizeof(*f));
	f->key_size = bpf_map__key_size(map);
	f->value_size = bpf_map__value_size(map);
	f->max_keys = bpf_map__max_entries(map);
	f->map = strdup(name);
	f->keys = calloc(f->max_keys ? f->max_keys : 1, f->key_size);
	if (!f->map || !f->keys) {
		free(f->map);
		free(f->keys);
		return NULL;
	}
	s->nr_fills++;
	return f;
}

static bool has_key(const struct map_fill *f, const uint8_t *key)
{
	uint32_t i;

	for (i = 0; i < f->nr_keys; i++)
		if (!memcmp(f->keys + (size_t)i * f->key_size, key, f->key_size))
			return true;
	return false;
}

static int parse_key(struct parser *p, struct bpf_map *map, const char *item, uint8_t *key,
		     uint32_t key_size, const char *option)
{
	const struct btf *btf = bpf_object__btf(p->obj);
	uint32_t key_type = bpf_map__btf_key_type_id(map);
	char why[256];
	int err = btf && key_type
			  ? value_parse(btf, key_type, item, key, key_size, why, sizeof(why))
			  : value_parse_int(item, false, key_size, key, why, sizeof(why));

	return err ? diag_set(p->d, err, "%s: %s", option, why) : 0;
}

/* Adds key to f, once; -ERANGE past the map's capacity. */
static int fill_key(struct parser *p, struct map_fill *f, const uint8_t *key, const char *option)
{
	if (has_key(f, key))
		return 0;
	if (f->nr_keys == f->max_keys)
		return diag_set(p->d, -ERANGE, "%s: more than %u distinct values", option,
				f->max_keys);
	memcpy(f->keys + (size_t)f->nr_keys++ * f->key_size, key, f->key_size);
	return 0;
}

struct cgroup_fill {
	struct parser *p;
	struct map_fill *f;
	const char *option;
};

static int fill_cgroup(void *ctx, uint64_t id)
{
	struct cgroup_fill *c = ctx;

	return fill_key(c->p, c->f, (const uint8_t *)&id, c->option);
}

/* The ids of the cgroups item names now: a container's (and those below), or a unit's. */
static int fill_cgroups(struct parser *p, const struct arg_spec *a, struct map_fill *f,
			const char *item, const char *option)
{
	struct cgroup_fill c = {p, f, option};
	struct cgroup_names *cn;
	bool unit = a->cgroups_of == ARG_CGROUPS_UNIT;
	int n;

	if (f->key_size != sizeof(uint64_t))
		return diag_set(p->d, -EINVAL, "%s: map \"%s\" needs 8-byte keys (cgroup ids)",
				option, a->map_keys);
	n = cgroup_names_open(&cn, p->d);
	if (n)
		return diag_wrap(p->d, n, "%s", option);
	n = cgroup_names_match(cn, unit ? CGROUP_MATCH_UNIT : CGROUP_MATCH_CONTAINER, item,
			       fill_cgroup, &c, p->d);
	cgroup_names_free(cn);
	if (!n)
		return diag_set(p->d, -ENOENT,
				unit ? "%s: '%s' names no systemd unit with a cgroup now"
				     : "%s: '%s' is the name or id of no running container",
				option, item);
	return n < 0 ? n : 0;
}

static int add_fill(struct parser *p, const struct arg_spec *a, const char *text,
		    const char *option)
{
	struct bpf_map *map = bpf_object__find_map_by_name(p->obj, a->map_keys);
	struct map_fill *f = map ? fill_for(p, map, a->map_keys) : NULL;
	char *copy = strdup(text), *item, *save = NULL;
	uint8_t *key = f ? calloc(1, f->key_size) : NULL;
	int err = 0, items = 0;

	if (!map)
		err = diag_set(p->d, -EINVAL, "%s: the BPF object has no map \"%s\"", option,
			       a->map_keys);
	else if (!f || !copy || !key)
		err = oom(p->d);
	for (item = err ? NULL : strtok_r(copy, ",", &save); item && !err;
	     item = strtok_r(NULL, ",", &save), items++) {
		if (a->cgroups_of)
			err = fill_cgroups(p, a, f, item, option);
		else
			err = parse_key(p, map, item, key, f->key_size, option)
				      ?: fill_key(p, f, key, option);
	}
	if (!err && !items)
		err = diag_set(p->d, -EINVAL, "%s: '%s' holds no values", option, text);
	free(copy);
	free(key);
	return err;
}

static bool fd_is_bpf_map(int fd)
{
	char link[64], target[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return false;
	target[n] = 0;
	return !strcmp(target, "anon_inode:bpf-map");
}

static int check_pinned(struct parser *p, struct bpf_map *map, int fd, const char *path,
			const char *option, struct bpf_map_info *info)
{
	__u32 len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	if (!fd_is_bpf_map(fd) || bpf_obj_get_info_by_fd(fd, info, &len))
		return diag_set(p->d, -EINVAL, "%s: '%s' is not a pinned BPF map", option, path);
	if (info->type != bpf_map__type(map) || info->key_size != bpf_map__key_size(map) ||
	    info->value_size != bpf_map__value_size(map))
		return diag_set(
			p->d, -EINVAL,
			"%s: '%s' is a map of type %u with %u-byte keys and %u-byte values; "
			"needs type %u with %u-byte keys and %u-byte values",
			option, path, info->type, info->key_size, info->value_size,
			bpf_map__type(map), bpf_map__key_size(map), bpf_map__value_size(map));
	return 0;
}

static int add_reuse(struct parser *p, const struct arg_spec *a, const char *path,
		     const char *option)
{
	struct bpf_map *map = bpf_object__find_map_by_name(p->obj, a->pinned_map);
	struct tool_settings *s = p->s;
	struct map_reuse *r;
	struct bpf_map_info info;
	int fd, err;

	if (!map)
		return diag_set(p->d, -EINVAL, "%s: the BPF object has no map \"%s\"", option,
				a->pinned_map);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return diag_set(p->d, -EINVAL, "%s: '%s' is not a pinned BPF map (%s)", option,
				path, strerror(errno));
	err = check_pinned(p, map, fd, path, option, &info);
	r = err ? NULL : realloc(s->reuses, (s->nr_reuses + 1) * sizeof(*r));
	if (!err && !r)
		err = oom(p->d);
	if (err) {
		close(fd);
		return err;
	}
	s->reuses = r;
	r = &r[s->nr_reuses++];
	r->fd = fd;
	r->max_entries = info.max_entries;
	r->map_flags = info.map_flags;
	r->map = strdup(a->pinned_map);
	r->path = strdup(path);
	return r->map && r->path ? 0 : oom(p->d);
}

/* The folder cgroup programs attach to, instead of the cgroup v2 root. */
static int set_cgroup(struct parser *p, const char *value, const char *option)
{
	char path[PATH_MAX];
	int err = cgroup2_dir(value, option, path, sizeof(path), p->d);

	if (err)
		return err;
	free(p->s->cgroup);
	p->s->cgroup = strdup(path);
	return p->s->cgroup ? 0 : oom(p->d);
}

static int set_output(struct parser *p, const char *text, const char *option)
{
	static const char custom[] = "custom-columns=";

	if (!strcmp(text, "json")) {
		p->s->output = OUTPUT_JSON;
		return 0;
	}
	p->s->output = OUTPUT_TABLE;
	if (!strcmp(text, "table"))
		return 0;
	if (strncmp(text, custom, sizeof(custom) - 1) || !text[sizeof(custom) - 1])
		return diag_set(p->d, -EINVAL,
				"%s: '%s' is not json, table or custom-columns=COLUMN[,COLUMN...]",
				option, text);
	if (!text[sizeof(custom) - 1 + strspn(text + sizeof(custom) - 1, ",")])
		return diag_set(p->d, -EINVAL, "%s: '%s' names no column", option, text);
	free(p->s->columns);
	p->s->columns = strdup(text + sizeof(custom) - 1);
	return p->s->columns ? 0 : oom(p->d);
}

/* *on: the value given (before invert); a flag given as false is as if not given. */
static int handle_flag(struct parser *p, const struct arg_spec *a, const char *value,
		       const char *option, bool *on)
{
	bool v = true;

	if (value && !value_parse_bool(value, &v))
		return diag_set(p->d, -EINVAL, "%s: '%s' is not true or false", option, value);
	*on = v;
	if (a->invert)
		v = !v;
	if (a->var)
		return add_var_write(p, a->var, v ? "1" : "0", option);
	p->s->flag_values[a - p->s->args] = v;
	return 0;
}

static int handle_arg(struct parser *p, const struct arg_spec *a, const char *value,
		      const char *option)
{
	bool on = true;
	int err;

	if (a->flag)
		err = handle_flag(p, a, value, option, &on);
	else if (a->var && a->combine == COMBINE_OR)
		err = or_into_var(p, a, value, option);
	else if (a->var)
		err = add_var_write(p, a->var, value, option);
	else if (a->contains)
		err = add_filter(p, a, value);
	else if (a->map_keys)
		err = add_fill(p, a, value, option);
	else if (a->pinned_map)
		err = add_reuse(p, a, value, option);
	else if (a->output)
		err = set_output(p, value, option);
	else if (a->attach_cgroup)
		err = set_cgroup(p, value, option);
	else
		err = 0; /* a value that only display conditions read */
	p->s->given[a - p->s->args] = on;
	return err || !on ? err : apply_sets(p, a);
}

static const struct arg_spec *find_long(const struct tool_settings *s, const char *name, size_t len)
{
	int i, j;

	for (i = 0; i < s->nr_args; i++)
		for (j = 0; j < s->args[i].nr_long_names; j++)
			if (strlen(s->args[i].long_names[j]) == len &&
			    !strncmp(s->args[i].long_names[j], name, len))
				return &s->args[i];
	return NULL;
}

static const struct arg_spec *find_short(const struct tool_settings *s, char c)
{
	int i;

	for (i = 0; i < s->nr_args; i++)
		if (s->args[i].short_name == c)
			return &s->args[i];
	return NULL;
}

static int parse_long(struct parser *p, int argc, char **argv, int *i)
{
	const char *tok = argv[*i], *eq = strchr(tok, '=');
	size_t len = eq ? (size_t)(eq - tok - 2) : strlen(tok + 2);
	const struct arg_spec *a = find_long(p->s, tok + 2, len);
	char option[128];

	snprintf(option, sizeof(option), "--%.*s", (int)len, tok + 2);
	if (!a)
		return diag_set(p->d, -EINVAL, "unknown option '%s' (see -h)", option);
	if (a->flag)
		return handle_arg(p, a, eq ? eq + 1 : NULL, option);
	if (eq)
		return handle_arg(p, a, eq + 1, option);
	if (*i + 1 >= argc)
		return diag_set(p->d, -EINVAL, "%s: needs a value", option);
	return handle_arg(p, a, argv[++*i], option);
}

static int parse_shorts(struct parser *p, int argc, char **argv, int *i)
{
	const char *tok = argv[*i];
	const struct arg_spec *a;
	char option[3] = "-?";
	int j, err;

	for (j = 1; tok[j]; j++) {
		option[1] = tok[j];
		if (tok[j] == 'h') {
			p->s->help = true;
			return 0;
		}
		a = find_short(p->s, tok[j]);
		if (!a)
			return diag_set(p->d, -EINVAL, "unknown option '%s' (see -h)", option);
		if (a->flag && tok[j + 1] != '=') {
			err = handle_arg(p, a, NULL, option);
			if (err)
				return err;
			continue;
		}
		if (tok[j + 1]) /* -p181, -p=181, -i=false */
			return handle_arg(p, a, tok + j + 1 + (tok[j + 1] == '='), option);
		if (*i + 1 >= argc)
			return diag_set(p->d, -EINVAL, "%s: needs a value", option);
		return handle_arg(p, a, argv[++*i], option);
	}
	return 0;
}

static void option_name(const struct arg_spec *a, char *buf, size_t len)
{
	if (a->positional)
		snprintf(buf, len, "%s", a->metavar ? a->metavar : a->name);
	else if (a->short_name)
		snprintf(buf, len, "-%c", a->short_name);
	else
		snprintf(buf, len, "--%s", a->long_names[0]);
}

/* Options that exclude each other, like -4 and -6, may not both be given. */
static int check_exclusions(const struct tool_settings *s, struct diag *d)
{
	char one[64], other[64];
	int i, j, k;

	for (i = 0; i < s->nr_args; i++) {
		if (!s->given[i])
			continue;
		for (k = 0; k < s->args[i].nr_excludes; k++) {
			for (j = 0; j < s->nr_args; j++) {
				if (j == i || !s->given[j] ||
				    strcmp(s->args[j].name, s->args[i].excludes[k]))
					continue;
				option_name(&s->args[i], one, sizeof(one));
				option_name(&s->args[j], other, sizeof(other));
				return diag_set(d, -EINVAL, "%s and %s cannot be used together",
						one, other);
			}
		}
	}
	return 0;
}

/* A value without an option: the first positional argument not yet given takes it. */
static int parse_positional(struct parser *p, const char *tok)
{
	const struct tool_settings *s = p->s;
	char option[64];
	int i;

	for (i = 0; i < s->nr_args; i++)
		if (s->args[i].positional && !s->given[i]) {
			option_name(&s->args[i], option, sizeof(option));
			return handle_arg(p, &s->args[i], tok, option);
		}
	return diag_set(p->d, -EINVAL, "unexpected argument '%s' (see -h)", tok);
}

/*
 * Options not given that have an initial value: their variable is written with it, as the
 * tool's user space writes its default; they stay not given, and their "sets" are not written.
 */
static int apply_initial(struct parser *p)
{
	struct tool_settings *s = p->s;
	char option[64];
	int i, err = 0;

	for (i = 0; i < s->nr_args && !err; i++) {
		if (s->given[i] || !s->args[i].initial)
			continue;
		option_name(&s->args[i], option, sizeof(option));
		err = s->args[i].combine == COMBINE_OR
			      ? or_into_var(p, &s->args[i], s->args[i].initial, option)
			      : add_var_write(p, s->args[i].var, s->args[i].initial, option);
	}
	return err;
}

int tool_args_parse(struct tool_settings *s, const struct package_meta *m, struct bpf_object *obj,
		    int argc, char **argv, struct diag *d)
{
	struct parser p = {s, m, obj, d};
	int i, err = 0;

	memset(s, 0, sizeof(*s));
	if (m->has_args) {
		s->args = m->args;
		s->nr_args = m->nr_args;
	} else {
		err = generate_args(s, m, obj, d);
	}
	s->flag_values = calloc(s->nr_args + 1, sizeof(*s->flag_values));
	s->given = calloc(s->nr_args + 1, sizeof(*s->given));
	if (!err && (!s->flag_values || !s->given))
		err = oom(d);
	for (i = 0; i < s->nr_args && !err; i++)
		s->flag_values[i] = s->args[i].default_on;
	for (i = 0; i < argc && !err && !s->help; i++) {
		const char *tok = argv[i];

		if (!strcmp(tok, "--help"))
			s->help = true;
		else if (!strcmp(tok, "--")) /* the end of options: values alone follow */
			for (i++; i < argc && !err; i++)
				err = parse_positional(&p, argv[i]);
		else if (tok[0] != '-' || !tok[1])
			err = parse_positional(&p, tok);
		else if (tok[1] == '-')
			err = parse_long(&p, argc, argv, &i);
		else
			err = parse_shorts(&p, argc, argv, &i);
	}
	if (!err && !s->help)
		err = check_exclusions(s, d);
	if (!err && !s->help)
		err = apply_initial(&p);
	if (err)
		tool_args_free(s);
	return err;
}

void tool_args_free(struct tool_settings *s)
{
	int i;

	for (i = 0; i < s->nr_writes; i++)
		free(s->writes[i].bytes);
	for (i = 0; i < s->nr_fills; i++) {
		free(s->fills[i].map);
		free(s->fills[i].keys);
	}
	for (i = 0; i < s->nr_reuses; i++) {
		free(s->reuses[i].map);
		free(s->reuses[i].path);
		close(s->reuses[i].fd);
	}
	for (i = 0; i < s->nr_filters; i++)
		free(s->filters[i].text);
	free(s->filters);
	free(s->writes);
	free(s->fills);
	free(s->reuses);
	free(s->flag_values);
	free(s->given);
	free(s->columns);
	free(s->cgroup);
	if (s->args_owned)
		free(s->args);
	memset(s, 0, sizeof(*s));
}

int tool_args_apply_before_load(const struct tool_settings *s, struct bpf_object *obj,
				struct diag *d)
{
	int i, err;

	for (i = 0; i < s->nr_writes; i++) {
		const struct var_write *w = &s->writes[i];
		struct var_ref ref;

		err = object_find_var(obj, w->var, &ref);
		err = err ?: ref.size == w->size ? object_var_write(&ref, w->bytes) : -EINVAL;
		if (err)
			return diag_set(d, err, "variable %s: cannot set its initial value",
					w->var);
	}
	for (i = 0; i < s->nr_reuses; i++) {
		const struct map_reuse *r = &s->reuses[i];
		struct bpf_map *map = bpf_object__find_map_by_name(obj, r->map);

		if (map && bpf_map__fd(map) >= 0)
			continue; /* this object reuses it already */
		err = map ? bpf_map__set_max_entries(map, r->max_entries) : -ENOENT;
		err = err ?: bpf_map__set_map_flags(map, r->map_flags);
		err = err ?: bpf_map__reuse_fd(map, r->fd);
		if (err)
			return diag_set(d, err, "%s: cannot use pinned map '%s': %s", r->map,
					r->path, strerror(-err));
	}
	return 0;
}

int tool_args_apply_after_load(const struct tool_settings *s, struct bpf_object *obj,
			       struct diag *d)
{
	uint8_t value[256] = {1}; /* a filter map's value says "present" */
	uint32_t i, k;

	for (i = 0; i < (uint32_t)s->nr_fills; i++) {
		const struct map_fill *f = &s->fills[i];
		struct bpf_map *map = bpf_object__find_map_by_name(obj, f->map);
		int fd = map ? bpf_map__fd(map) : -1;

		if (fd < 0 || f->value_size > sizeof(value))
			return diag_set(d, -EINVAL, "map %s: cannot be filled", f->map);
		for (k = 0; k < f->nr_keys; k++)
			if (bpf_map_update_elem(fd, f->keys + (size_t)k * f->key_size, value, 0))
				return diag_set(d, -errno, "map %s: update failed: %s", f->map,
						strerror(errno));
	}
	return 0;
}

bool tool_args_condition(const struct tool_settings *s, struct bpf_object *obj, const char *name)
{
	int i;

	if (name[0] == '!')
		return !tool_args_condition(s, obj, name + 1);
	for (i = 0; i < s->nr_args; i++)
		if (!s->args[i].var && s->args[i].flag && !strcmp(s->args[i].name, name))
			return s->flag_values[i];
	return object_var_is_set(obj, name);
}
