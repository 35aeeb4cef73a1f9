// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "format/meta.h"
#include "format/meta_json.h"

static const char *const meta_keys[] = {"bpf_skel", "export_types",  "eunomia_version", "tool",
					"args",	    "hook_variants", "events",		"runtime",
					"display",  "exit_maps",     "metrics",		NULL};
static const char *const skel_keys[] = {"obj_name", "progs", "maps", "data_sections", "doc", NULL};
static const char *const prog_keys[] = {"name", "attach", "link", NULL};
static const char *const map_keys[] = {"name", "ident", "mmaped", "sample", "max_entries", NULL};
static const char *const sample_keys[] = {"interval", "type",	   "unit", "clear_map",
					  "header",   "overrides", "when", NULL};
static const char *const sample_override_keys[] = {"when", "unit", "header", NULL};
static const char *const section_keys[] = {"name", "variables", NULL};
static const char *const variable_keys[] = {"name", "type", "size", "description", "cmdarg", NULL};
static const char *const cmdarg_keys[] = {"default", "long", "short", "help", NULL};
static const char *const doc_keys[] = {"brief", "details", "description", "version", NULL};
static const char *const export_keys[] = {"name", "members", "size", "type_id", NULL};
static const char *const member_keys[] = {"name", "type", NULL};
static const char *const tool_keys[] = {"name",	  "description", "details",
					"banner", "examples",	 NULL};
static const char *const arg_keys[] = {
	"name",	    "short",	"long",	      "metavar", "help",	  "flag",	"invert",
	"var",	    "map_keys", "pinned_map", "output",	 "contains",	  "combine",	"sets",
	"excludes", "default",	"positional", "initial", "attach_cgroup", "cgroups_of", NULL};
static const char *const cgroups_of_names[] = {"container", "unit", NULL}; /* enum arg_cgroups */
static const char *const variant_keys[] = {"name",     "when",		 "programs",
					   "optional", "counts_as_lost", NULL};
static const char *const optional_keys[] = {"programs", "covers", NULL};
static const char *const events_keys[] = {"type",	    "ringbuf",	    "perfbuf",
					  "perfbuf_switch", "lost_counter", NULL};
static const char *const runtime_keys[] = {"pidns_dev", "pidns_ino", NULL};
static const char *const exit_map_keys[] = {
	"map", "when", "replaces_events", "sort", "value_name", "columns", NULL};
static const char *const display_keys[] = {"types", "columns", NULL};
static const char *const metric_keys[] = {"name",  "type", "help", "labels",
					  "value", "map",  "when", NULL};
static const char *const metric_types[] = {"counter", "gauge", "histogram", NULL};
static const char *const sample_types[] = {"default_kv", "log2_hist", "linear_hist", NULL};
static const char *const sort_names[] = {"key", "value_desc", NULL};
static const char *const combine_names[] = {"replace", "or", NULL};

/* An object at path where, with only known keys. */
static int need_object(const cJSON *v, const char *where, const char *const *known, struct diag *d)
{
	if (!cJSON_IsObject(v))
		return diag_set(d, -EINVAL, "%s: is not an object", where);
	return json_check_keys(v, where, known, d);
}

static int check_long_names(const struct arg_spec *arg, const char *where, struct diag *d)
{
	char path[JSON_PATH_MAX];
	int i, err = 0;

	json_path(path, sizeof(path), where, "long");
	for (i = 0; i < arg->nr_long_names && !err; i++)
		err = meta_check_long_name(arg->long_names[i], path, d);
	return err;
}

int meta_check_long_name(const char *name, const char *path, struct diag *d)
{
	if (!strcmp(name, "help"))
		return diag_set(d, -EINVAL, "%s: --help is the help option", path);
	if (name[0] == '-' || strchr(name, '='))
		return diag_set(
			d, -EINVAL,
			"%s: \"%s\" may not start with - or hold = (which attaches a value)", path,
			name);
	return 0;
}

int meta_check_short_name(const char *name, const char *path, struct diag *d)
{
	if (strlen(name) != 1 || name[0] <= ' ' || name[0] > '~' || name[0] == '-' ||
	    name[0] == 'h')
		return diag_set(d, -EINVAL,
				"%s: must be one printable character other than - and h", path);
	return 0;
}

static int parse_long_names(const cJSON *a, struct arg_spec *arg, const char *where, struct diag *d)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(a, "long");
	const char **names = NULL;
	int n = 0, i, err;

	if (cJSON_IsString(v))
		err = json_get_string(a, where, "long", true,
				      &arg->long_names[arg->nr_long_names++], d);
	else if (v && !cJSON_IsArray(v))
		return diag_set(d, -EINVAL, "%s.long: is not a string or an array", where);
	else
		err = json_get_strings(a, where, "long", &names, &n, d);
	if (!err && cJSON_IsArray(v) && (n < 1 || n > ARG_MAX_LONG_NAMES))
		err = diag_set(d, -EINVAL, "%s.long: must hold 1 to %d names", where,
			       ARG_MAX_LONG_NAMES);
	for (i = 0; !err && i < n; i++)
		arg->long_names[arg->nr_long_names++] = names[i];
	free(names);
	return err ?: check_long_names(arg, where, d);
}

static bool scalar(const cJSON *v)
{
	return cJSON_IsString(v) || cJSON_IsBool(v) || cJSON_IsNumber(v);
}

/* A JSON scalar as the text a command line would give: true, 42, -1.5, all. */
static int scalar_text(const cJSON *v, char **out)
{
	char buf[64];

	if (cJSON_IsString(v))
		snprintf(buf, sizeof(buf), "%s", v->valuestring);
	else if (cJSON_IsBool(v))
		snprintf(buf, sizeof(buf), "%s", cJSON_IsTrue(v) ? "true" : "false");
	else if (!cJSON_IsNumber(v))
		return -EINVAL;
	else if (v->valuedouble == floor(v->valuedouble) && fabs(v->valuedouble) < 9e15)
		snprintf(buf, sizeof(buf), "%.0f", v->valuedouble); /* exact, not 1e+06 */
	else
		snprintf(buf, sizeof(buf), "%.17g", v->valuedouble);
	*out = strdup(cJSON_IsString(v) ? v->valuestring : buf);
	return *out ? 0 : -ENOMEM;
}

static int parse_sets(const cJSON *a, struct arg_spec *arg, const char *where, struct diag *d)
{
	const cJSON *sets = NULL, *item;
	char path[JSON_PATH_MAX * 2];
	int err = json_get_object(a, where, "sets", &sets, d), i = 0;

	if (err || !sets)
		return err;
	if (!sets->child)
		return diag_set(d, -EINVAL, "%s.sets: is empty", where);
	arg->sets = json_alloc_items(sets, sizeof(*arg->sets), &arg->nr_sets);
	if (!arg->sets)
		return -ENOMEM;
	cJSON_ArrayForEach(item, sets) {
		arg->sets[i].var = item->string;
		err = scalar_text(item, (char **)&arg->sets[i].text);
		if (err == -EINVAL) {
			snprintf(path, sizeof(path), "%s.sets.%s", where, item->string);
			return diag_set(d, err, "%s: is not a string, number or boolean", path);
		}
		if (err)
			return err;
		i++;
	}
	return 0;
}

static int parse_default(const cJSON *a, struct arg_spec *arg, const char *where, struct diag *d)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(a, "default");
	int err;

	if (!v)
		return 0;
	err = scalar_text(v, (char **)&arg->default_text);
	if (err == -EINVAL)
		return diag_set(d, err, "%s.default: is not a string, number or boolean", where);
	arg->default_on = cJSON_IsTrue(v);
	return err;
}

/* "initial": a value written to var when the arg is not given (the tool's own default). */
static int parse_initial(const cJSON *a, struct arg_spec *arg, const char *where, struct diag *d)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(a, "initial");
	int err;

	if (!v)
		return 0;
	if (!arg->var || arg->flag)
		return diag_set(d, -EINVAL,
				"%s.initial: only an option with var and a value has one", where);
	err = scalar_text(v, (char **)&arg->initial);
	if (err == -EINVAL)
		return diag_set(d, err, "%s.initial: is not a string or number", where);
	return err;
}

static int check_arg_targets(struct arg_spec *arg, const char *where, struct diag *d)
{
	int targets = !!arg->var + !!arg->map_keys + !!arg->pinned_map + arg->output +
		      !!arg->contains + arg->attach_cgroup;

	if (targets > 1)
		return diag_set(d, -EINVAL,
				"%s: only one of var, map_keys, pinned_map, output, contains, "
				"attach_cgroup may be set",
				where);
	if (arg->flag && (arg->map_keys || arg->pinned_map || arg->output || arg->contains ||
			  arg->attach_cgroup))
		return diag_set(d, -EINVAL, "%s.flag: a flag can only set a variable", where);
	if (arg->invert && !arg->flag)
		return diag_set(d, -EINVAL, "%s.invert: only a flag can be inverted", where);
	if (arg->combine == COMBINE_OR && (!arg->var || arg->flag))
		return diag_set(d, -EINVAL, "%s.combine: needs a value option with a var", where);
	if (arg->cgroups_of && !arg->map_keys)
		return diag_set(d, -EINVAL, "%s.cgroups_of: needs map_keys (the cgroup id map)",
				where);
	if (!arg->flag && !targets)
		return diag_set(d, -EINVAL,
				"%s: a value option must set something (var, map_keys, "
				"pinned_map, output, contains or attach_cgroup)",
				where);
	return 0;
}

static int parse_short(const cJSON *a, struct arg_spec *arg, const char *where, struct diag *d)
{
	char path[JSON_PATH_MAX];
	const char *s = NULL;
	int err = json_get_string(a, where, "short", false, &s, d);

	if (err || !s)
		return err;
	json_path(path, sizeof(path), where, "short");
	err = meta_check_short_name(s, path, d);
	arg->short_name = s[0];
	return err;
}

static int parse_arg(const cJSON *a, const char *where, void *out, struct diag *d)
{
	struct arg_spec *arg = out;
	int combine = COMBINE_REPLACE, cgroups_of = -1;
	int err = need_object(a, where, arg_keys, d);

	err = err ?: parse_long_names(a, arg, where, d);
	err = err ?: parse_short(a, arg, where, d);
	err = err ?: json_get_string(a, where, "name", false, &arg->name, d);
	err = err ?: json_get_text(a, where, "metavar", false, &arg->metavar, d);
	err = err ?: json_get_text(a, where, "help", false, &arg->help, d);
	err = err ?: json_get_bool(a, where, "flag", &arg->flag, d);
	err = err ?: json_get_bool(a, where, "positional", &arg->positional, d);
	err = err ?: json_get_bool(a, where, "invert", &arg->invert, d);
	err = err ?: json_get_string(a, where, "var", false, &arg->var, d);
	err = err ?: json_get_string(a, where, "map_keys", false, &arg->map_keys, d);
	err = err ?: json_get_string(a, where, "pinned_map", false, &arg->pinned_map, d);
	err = err ?: json_get_bool(a, where, "output", &arg->output, d);
	err = err ?: json_get_string(a, where, "contains", false, &arg->contains, d);
	err = err ?: json_get_bool(a, where, "attach_cgroup", &arg->attach_cgroup, d);
	err = err ?: json_get_enum(a, where, "combine", combine_names, &combine, d);
	err = err ?: json_get_enum(a, where, "cgroups_of", cgroups_of_names, &cgroups_of, d);
	err = err ?: json_get_strings(a, where, "excludes", &arg->excludes, &arg->nr_excludes, d);
	if (!err && arg->excludes && !arg->nr_excludes)
		err = diag_set(d, -EINVAL, "%s.excludes: is empty", where);
	err = err ?: parse_sets(a, arg, where, d);
	err = err ?: parse_default(a, arg, where, d);
	if (err)
		return err;
	arg->combine = combine;
	arg->cgroups_of = cgroups_of + 1;
	err = check_arg_targets(arg, where, d);
	err = err ?: parse_initial(a, arg, where, d);
	if (err)
		return err;
	if (arg->positional && (arg->nr_long_names || arg->short_name || arg->flag))
		return diag_set(d, -EINVAL,
				"%s: a positional argument has no \"short\", \"long\" or \"flag\"",
				where);
	if (!arg->positional && !arg->nr_long_names && !arg->short_name)
		return diag_set(d, -EINVAL, "%s: has neither \"short\" nor \"long\"", where);
	if (!arg->name)
		arg->name = arg->nr_long_names ? arg->long_names[0] : arg->var;
	if (!arg->name)
		return diag_set(d, -EINVAL, "%s: needs a \"name\"", where);
	return 0;
}

static int parse_args(const cJSON *meta, struct package_meta *m, struct diag *d)
{
	m->has_args = cJSON_HasObjectItem(meta, "args");
	return json_get_items(meta, "", "args", sizeof(*m->args), parse_arg, &m->args, &m->nr_args,
			      d);
}

static int parse_optional(const cJSON *o, const char *where, void *out, struct diag *d)
{
	struct optional_programs *op = out;
	int err = need_object(o, where, optional_keys, d);

	err = err ?: json_get_strings(o, where, "programs", &op->programs, &op->nr_programs, d);
	if (!err && !op->nr_programs)
		err = diag_set(d, -EINVAL, "%s.programs: %s", where,
			       op->programs ? "is empty" : "missing");
	return err ?: json_get_string(o, where, "covers", true, &op->covers, d);
}

static int parse_variant(const cJSON *v, const char *where, void *out, struct diag *d)
{
	struct hook_variant *hv = out;
	int err = need_object(v, where, variant_keys, d);

	err = err ?: json_get_string(v, where, "name", true, &hv->name, d);
	err = err ?: json_get_string(v, where, "when", false, &hv->when, d);
	err = err ?: json_get_strings(v, where, "programs", &hv->programs, &hv->nr_programs, d);
	if (!err && !hv->nr_programs)
		err = diag_set(d, -EINVAL, "%s.programs: %s", where,
			       hv->programs ? "is empty: the variant attaches no program"
					    : "missing");
	err = err
		      ?: json_get_items(v, where, "optional", sizeof(*hv->optional), parse_optional,
					&hv->optional, &hv->nr_optional, d);
	if (!err && hv->optional && !hv->nr_optional)
		err = diag_set(d, -EINVAL, "%s.optional: is empty", where);
	return err ?: json_get_string(v, where, "counts_as_lost", false, &hv->counts_as_lost, d);
}

int hook_variant_optional_group(const struct hook_variant *v, const char *prog)
{
	int g, i;

	for (g = 0; g < v->nr_optional; g++)
		for (i = 0; i < v->optional[g].nr_programs; i++)
			if (!strcmp(v->optional[g].programs[i], prog))
				return g;
	return -1;
}

bool hook_variant_has(const struct hook_variant *v, const char *prog)
{
	int i;

	for (i = 0; i < v->nr_programs; i++)
		if (!strcmp(v->programs[i], prog))
			return true;
	return hook_variant_optional_group(v, prog) >= 0;
}

static int parse_variants(const cJSON *meta, struct package_meta *m, struct diag *d)
{
	return json_get_items(meta, "", "hook_variants", sizeof(*m->variants), parse_variant,
			      &m->variants, &m->nr_variants, d);
}

static int parse_program(const cJSON *p, const char *where, void *out, struct diag *d)
{
	struct program_spec *prog = out;
	int err = need_object(p, where, prog_keys, d);

	prog->link = true;
	err = err ?: json_get_string(p, where, "name", true, &prog->name, d);
	err = err ?: json_get_text(p, where, "attach", false, &(const char *){NULL}, d);
	return err ?: json_get_bool(p, where, "link", &prog->link, d);
}

static int parse_programs(const cJSON *skel, struct package_meta *m, struct diag *d)
{
	return json_get_items(skel, "bpf_skel", "progs", sizeof(*m->programs), parse_program,
			      &m->programs, &m->nr_programs, d);
}

static int parse_sample_override(const cJSON *o, const char *where, void *out, struct diag *d)
{
	struct sample_override *ov = out;
	int err = need_object(o, where, sample_override_keys, d);

	err = err ?: json_get_string(o, where, "when", true, &ov->when, d);
	err = err ?: json_get_text(o, where, "unit", false, &ov->unit, d);
	return err ?: json_get_text(o, where, "header", false, &ov->header, d);
}

static int parse_sample(const cJSON *sample, const char *map_where, struct sample_spec *s,
			struct diag *d)
{
	char where[JSON_PATH_MAX];
	int type = SAMPLE_DEFAULT_KV, err;

	json_path(where, sizeof(where), map_where, "sample");
	s->interval_ms = 1000;
	s->unit = "(unit)";
	err = need_object(sample, where, sample_keys, d);
	err = err ?: json_get_int(sample, where, "interval", 0, 86400000, &s->interval_ms, d);
	err = err ?: json_get_enum(sample, where, "type", sample_types, &type, d);
	err = err ?: json_get_text(sample, where, "unit", false, &s->unit, d);
	err = err ?: json_get_text(sample, where, "header", false, &s->header, d);
	err = err ?: json_get_string(sample, where, "when", false, &s->when, d);
	err = err ?: json_get_bool(sample, where, "clear_map", &s->clear, d);
	err = err
		      ?: json_get_items(sample, where, "overrides", sizeof(*s->overrides),
					parse_sample_override, &s->overrides, &s->nr_overrides, d);
	s->type = type;
	return err;
}

/* "max_entries": a number of entries, "pid_max" or "nr_cpus". */
static int parse_map_size(const cJSON *map, const char *where, const char *name,
			  struct map_size *ms, struct diag *d)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(map, "max_entries");
	const char *text = cJSON_GetStringValue(v);

	ms->map = name;
	if (cJSON_IsNumber(v))
		return json_get_int(map, where, "max_entries", 1, 1 << 30, &ms->entries, d);
	if (text && !strcmp(text, "pid_max"))
		ms->kind = MAP_SIZE_PID_MAX;
	else if (text && !strcmp(text, "nr_cpus"))
		ms->kind = MAP_SIZE_NR_CPUS;
	else
		return diag_set(d, -EINVAL, "%s.max_entries: is not a number, pid_max or nr_cpus",
				where);
	return 0;
}

static int parse_maps(const cJSON *skel, struct package_meta *m, struct diag *d)
{
	const cJSON *maps = NULL, *map, *sample;
	char where[JSON_PATH_MAX];
	int n = 0, i = 0, err;

	err = json_get_array(skel, "bpf_skel", "maps", &maps, d);
	if (err || !maps)
		return err;
	m->samples = json_alloc_items(maps, sizeof(*m->samples), &n);
	m->map_sizes = json_alloc_items(maps, sizeof(*m->map_sizes), &n);
	if (!m->samples || !m->map_sizes)
		return -ENOMEM;
	cJSON_ArrayForEach(map, maps) {
		struct sample_spec *s = &m->samples[m->nr_samples];
		const char *name = NULL;

		json_item_path(where, sizeof(where), "bpf_skel", "maps", i++);
		err = need_object(map, where, map_keys, d);
		err = err ?: json_get_string(map, where, "name", true, &name, d);
		err = err ?: json_get_text(map, where, "ident", false, &(const char *){NULL}, d);
		err = err ?: json_get_bool(map, where, "mmaped", &(bool){false}, d);
		if (!err && cJSON_HasObjectItem(map, "max_entries"))
			err = parse_map_size(map, where, name, &m->map_sizes[m->nr_map_sizes++], d);
		sample = cJSON_GetObjectItemCaseSensitive(map, "sample");
		if (!err && sample) {
			s->map = name;
			s->map_index = i - 1;
			err = parse_sample(sample, where, s, d);
			m->nr_samples++;
		}
		if (err)
			return err;
	}
	return 0;
}

static int parse_variable(const cJSON *v, const char *where, void *out, struct diag *d)
{
	struct data_var *var = out;
	const cJSON *cmdarg = NULL;
	char path[JSON_PATH_MAX];
	int err = need_object(v, where, variable_keys, d);

	err = err ?: json_get_string(v, where, "name", true, &var->name, d);
	err = err ?: json_get_text(v, where, "type", false, &(const char *){NULL}, d);
	err = err ?: json_get_int(v, where, "size", 0, 1 << 30, &(int){0}, d);
	err = err ?: json_get_text(v, where, "description", false, &var->description, d);
	err = err ?: json_get_object(v, where, "cmdarg", &cmdarg, d);
	if (err || !cmdarg)
		return err;
	json_path(path, sizeof(path), where, "cmdarg");
	err = json_check_keys(cmdarg, path, cmdarg_keys, d);
	if (!err && cJSON_HasObjectItem(cmdarg, "default") &&
	    !scalar(cJSON_GetObjectItemCaseSensitive(cmdarg, "default")))
		err = diag_set(d, -EINVAL, "%s.default: is not a string, number or boolean", path);
	err = err ?: json_get_string(cmdarg, path, "long", false, &var->cmd_long, d);
	err = err ?: json_get_string(cmdarg, path, "short", false, &var->cmd_short, d);
	return err ?: json_get_text(cmdarg, path, "help", false, &var->cmd_help, d);
}

static int parse_section(const cJSON *s, const char *where, void *out, struct diag *d)
{
	struct data_section *sec = out;
	int err = need_object(s, where, section_keys, d);

	err = err ?: json_get_string(s, where, "name", true, &sec->name, d);
	return err
		       ?: json_get_items(s, where, "variables", sizeof(*sec->vars), parse_variable,
					 &sec->vars, &sec->nr_vars, d);
}

static int parse_sections(const cJSON *skel, struct package_meta *m, struct diag *d)
{
	return json_get_items(skel, "bpf_skel", "data_sections", sizeof(*m->sections),
			      parse_section, &m->sections, &m->nr_sections, d);
}

static int parse_exit_map(const cJSON *e, const char *where, void *out, struct diag *d)
{
	struct exit_map_spec *x = out;
	const cJSON *columns = NULL;
	char path[JSON_PATH_MAX];
	int sort = 0, err = need_object(e, where, exit_map_keys, d);

	x->value_name = "value";
	err = err ?: json_get_string(e, where, "map", true, &x->map, d);
	err = err ?: json_get_string(e, where, "when", false, &x->when, d);
	err = err ?: json_get_bool(e, where, "replaces_events", &x->replaces_events, d);
	err = err ?: json_get_enum(e, where, "sort", sort_names, &sort, d);
	err = err ?: json_get_string(e, where, "value_name", false, &x->value_name, d);
	err = err ?: json_get_array(e, where, "columns", &columns, d);
	x->sort_by_value_desc = sort == 1;
	json_path(path, sizeof(path), where, "columns");
	return err ?: meta_parse_columns(columns, path, &x->columns, d);
}

static int parse_exit_maps(const cJSON *meta, struct package_meta *m, struct diag *d)
{
	return json_get_items(meta, "", "exit_maps", sizeof(*m->exit_maps), parse_exit_map,
			      &m->exit_maps, &m->nr_exit_maps, d);
}

/* A Prometheus name: [a-zA-Z_:][a-zA-Z0-9_:]* (labels: no ':', not "__..."). */
static bool prometheus_name(const char *name, bool label)
{
	const char *c;

	if (!*name || (*name >= '0' && *name <= '9') ||
	    (label && (!strncmp(name, "__", 2) || !strcmp(name, "le"))))
		return false;
	for (c = name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '_' || (*c == ':' && !label)))
			return false;
	return true;
}

static int parse_metric(const cJSON *e, const char *where, void *out, struct diag *d)
{
	struct metric_spec *x = out;
	int type = 0, i, err = need_object(e, where, metric_keys, d);

	err = err ?: json_get_string(e, where, "name", true, &x->name, d);
	err = err ?: json_get_enum(e, where, "type", metric_types, &type, d);
	err = err ?: json_get_text(e, where, "help", false, &x->help, d);
	err = err ?: json_get_strings(e, where, "labels", &x->labels, &x->nr_labels, d);
	err = err ?: json_get_string(e, where, "when", false, &x->when, d);
	err = err ?: json_get_string(e, where, "value", false, &x->value, d);
	err = err ?: json_get_string(e, where, "map", false, &x->map, d);
	if (err)
		return err;
	x->type = type;
	if ((type == METRIC_HISTOGRAM) != !!x->map)
		return diag_set(d, -EINVAL, "%s.map: %s", where,
				x->map ? "only a histogram has one" : "a histogram needs one");
	if (type == METRIC_GAUGE && !x->value)
		return diag_set(d, -EINVAL,
				"%s.value: a gauge needs one (the event field it holds)", where);
	if (type == METRIC_HISTOGRAM && x->value)
		return diag_set(d, -EINVAL, "%s.value: a histogram counts its map's buckets",
				where);
	if (!prometheus_name(x->name, false))
		err = diag_set(d, -EINVAL,
			       "%s.name: '%s' is not a Prometheus metric name "
			       "([a-zA-Z_:][a-zA-Z0-9_:]*)",
			       where, x->name);
	for (i = 0; !err && i < x->nr_labels; i++)
		if (!prometheus_name(x->labels[i], true))
			err = diag_set(d, -EINVAL,
				       "%s.labels[%d]: '%s' is not a Prometheus label "
				       "name ([a-zA-Z_][a-zA-Z0-9_]*, not __* nor le)",
				       where, i, x->labels[i]);
	return err;
}

static int parse_metrics(const cJSON *meta, struct package_meta *m, struct diag *d)
{
	return json_get_items(meta, "", "metrics", sizeof(*m->metrics), parse_metric, &m->metrics,
			      &m->nr_metrics, d);
}

static int parse_export_types(const cJSON *meta, struct package_meta *m, struct diag *d)
{
	const cJSON *types = NULL, *t, *members, *mb;
	char where[JSON_PATH_MAX], path[JSON_PATH_MAX];
	int i = 0, j, err = json_get_array(meta, "", "export_types", &types, d);

	cJSON_ArrayForEach(t, types) {
		/* the first exported type is the event struct unless events.type says otherwise */
		const char **name = i == 0 ? &m->events.type : &(const char *){NULL};

		json_item_path(where, sizeof(where), "", "export_types", i++);
		members = NULL;
		err = err ?: need_object(t, where, export_keys, d);
		err = err ?: json_get_string(t, where, "name", true, name, d);
		err = err ?: json_get_int(t, where, "size", 0, 1 << 30, &(int){0}, d);
		err = err ?: json_get_int(t, where, "type_id", 1, INT32_MAX, &(int){0}, d);
		err = err ?: json_get_array(t, where, "members", &members, d);
		j = 0;
		cJSON_ArrayForEach(mb, members) {
			json_item_path(path, sizeof(path), where, "members", j++);
			err = err ?: need_object(mb, path, member_keys, d);
			err = err
				      ?: json_get_text(mb, path, "name", true,
						       &(const char *){NULL}, d);
			err = err
				      ?: json_get_text(mb, path, "type", true,
						       &(const char *){NULL}, d);
		}
	}
	return err;
}

static int parse_events(const cJSON *meta, struct package_meta *m, struct diag *d)
{
	const cJSON *ev = NULL;
	struct events_spec *e = &m->events;
	int err = json_get_object(meta, "", "events", &ev, d);

	if (err || !ev)
		return err;
	err = json_check_keys(ev, "events", events_keys, d);
	err = err ?: json_get_string(ev, "events", "type", false, &e->type, d);
	err = err ?: json_get_string(ev, "events", "ringbuf", false, &e->ringbuf, d);
	err = err ?: json_get_string(ev, "events", "perfbuf", false, &e->perfbuf, d);
	err = err ?: json_get_string(ev, "events", "perfbuf_switch", false, &e->perfbuf_switch, d);
	return err ?: json_get_string(ev, "events", "lost_counter", false, &e->lost_counter, d);
}

static int parse_runtime(const cJSON *meta, struct package_meta *m, struct diag *d)
{
	struct runtime_spec *r = &m->runtime;
	const cJSON *rt = NULL;
	int err = json_get_object(meta, "", "runtime", &rt, d);

	if (err || !rt)
		return err;
	err = json_check_keys(rt, "runtime", runtime_keys, d);
	err = err ?: json_get_string(rt, "runtime", "pidns_dev", false, &r->pidns_dev, d);
	err = err ?: json_get_string(rt, "runtime", "pidns_ino", false, &r->pidns_ino, d);
	if (!err && !r->pidns_dev != !r->pidns_ino)
		err = diag_set(d, -EINVAL,
			       "runtime.%s: missing: runtime.%s is given, and a PID namespace is "
			       "known by its device and inode together",
			       r->pidns_dev ? "pidns_ino" : "pidns_dev",
			       r->pidns_dev ? "pidns_dev" : "pidns_ino");
	return err;
}

const char *meta_runtime_key(const struct package_meta *m, const char *var)
{
	if (m->runtime.pidns_dev && !strcmp(m->runtime.pidns_dev, var))
		return "pidns_dev";
	if (m->runtime.pidns_ino && !strcmp(m->runtime.pidns_ino, var))
		return "pidns_ino";
	return NULL;
}

static int parse_doc(const cJSON *skel, struct package_meta *m, struct diag *d)
{
	const cJSON *doc = NULL;
	int err = json_get_object(skel, "bpf_skel", "doc", &doc, d);

	if (err || !doc)
		return err;
	err = json_check_keys(doc, "bpf_skel.doc", doc_keys, d);
	err = err ?: json_get_text(doc, "bpf_skel.doc", "brief", false, &m->description, d);
	err = err ?: json_get_text(doc, "bpf_skel.doc", "details", false, &m->details, d);
	err = err
		      ?: json_get_text(doc, "bpf_skel.doc", "description", false,
				       &(const char *){NULL}, d);
	return err
		       ?: json_get_text(doc, "bpf_skel.doc", "version", false,
					&(const char *){NULL}, d);
}

static int parse_tool(const cJSON *meta, struct package_meta *m, struct diag *d)
{
	const cJSON *tool = NULL;
	int err = json_get_object(meta, "", "tool", &tool, d);

	if (err || !tool)
		return err;
	err = json_check_keys(tool, "tool", tool_keys, d);
	err = err ?: json_get_string(tool, "tool", "name", false, &m->tool_name, d);
	err = err ?: json_get_text(tool, "tool", "description", false, &m->description, d);
	err = err ?: json_get_text(tool, "tool", "details", false, &m->details, d);
	err = err ?: json_get_text(tool, "tool", "banner", false, &m->banner, d);
	return err ?: json_get_strings(tool, "tool", "examples", &m->examples, &m->nr_examples, d);
}

static int parse_display(const cJSON *meta, struct package_meta *m, struct diag *d)
{
	const cJSON *display = NULL, *types = NULL, *columns = NULL;
	int err = json_get_object(meta, "", "display", &display, d);

	err = err ?: display ? json_check_keys(display, "display", display_keys, d) : 0;
	err = err ?: json_get_object(display, "display", "types", &types, d);
	err = err ?: json_get_array(display, "display", "columns", &columns, d);
	err = err ?: meta_parse_hints(types, "display.types", &m->hints, d);
	return err ?: meta_parse_columns(columns, "display.columns", &m->columns, d);
}

static int parse_skel(const cJSON *meta, struct package_meta *m, struct diag *d)
{
	const cJSON *skel = NULL;
	int err = json_get_object(meta, "", "bpf_skel", &skel, d);

	if (!err && !skel)
		err = diag_set(d, -EINVAL, "bpf_skel: missing");
	err = err ?: json_check_keys(skel, "bpf_skel", skel_keys, d);
	err = err ?: json_get_string(skel, "bpf_skel", "obj_name", true, &m->obj_name, d);
	err = err ?: parse_sections(skel, m, d);
	err = err ?: parse_programs(skel, m, d);
	err = err ?: parse_maps(skel, m, d);
	return err ?: parse_doc(skel, m, d);
}

int meta_parse(const struct cJSON *meta, struct package_meta *m, struct diag *d)
{
	int err;

	memset(m, 0, sizeof(*m));
	err = cJSON_IsObject(meta) ? json_check_keys(meta, "", meta_keys, d)
				   : diag_set(d, -EINVAL, "meta: is not an object");
	err = err ?: json_get_text(meta, "", "eunomia_version", false, &(const char *){NULL}, d);
	err = err ?: parse_skel(meta, m, d);
	err = err ?: parse_tool(meta, m, d);
	err = err ?: parse_args(meta, m, d);
	err = err ?: parse_variants(meta, m, d);
	err = err ?: parse_exit_maps(meta, m, d);
	err = err ?: parse_metrics(meta, m, d);
	err = err ?: parse_export_types(meta, m, d);
	err = err ?: parse_events(meta, m, d);
	err = err ?: parse_runtime(meta, m, d);
	err = err ?: parse_display(meta, m, d);
	if (err) {
		meta_free(m);
		return err == -ENOMEM ? diag_set(d, err, "meta: out of memory") : err;
	}
	if (!m->tool_name)
		m->tool_name = m->obj_name;
	return 0;
}

static void free_arg(struct arg_spec *a)
{
	int i;

	for (i = 0; i < a->nr_sets; i++)
		free((char *)a->sets[i].text);
	free(a->sets);
	free(a->excludes);
	free((char *)a->default_text);
	free((char *)a->initial);
}

void meta_free(struct package_meta *m)
{
	int i;

	for (i = 0; i < m->nr_variants; i++) {
		struct hook_variant *v = &m->variants[i];
		int g;

		for (g = 0; g < v->nr_optional; g++)
			free(v->optional[g].programs);
		free(v->optional);
		free(v->programs);
	}
	for (i = 0; i < m->nr_args; i++)
		free_arg(&m->args[i]);
	for (i = 0; i < m->nr_sections; i++)
		free(m->sections[i].vars);
	for (i = 0; i < m->nr_exit_maps; i++)
		meta_free_columns(&m->exit_maps[i].columns);
	free(m->variants);
	free(m->args);
	free(m->sections);
	free(m->programs);
	for (i = 0; i < m->nr_samples; i++)
		free(m->samples[i].overrides);
	free(m->samples);
	free(m->map_sizes);
	free(m->exit_maps);
	for (i = 0; i < m->nr_metrics; i++)
		free(m->metrics[i].labels);
	free(m->metrics);
	free(m->examples);
	meta_free_hints(&m->hints);
	meta_free_columns(&m->columns);
	memset(m, 0, sizeof(*m));
}
