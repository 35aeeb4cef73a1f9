// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "object/object_vars.h"
#include "source_options.h"
#include "args/value_parse.h"

#define DUMMY_PREFIX "__eunomia_dummy_"

static cJSON *find_variable(cJSON *skel, const char *name)
{
	cJSON *sec, *var;

	cJSON_ArrayForEach(sec, cJSON_GetObjectItemCaseSensitive(skel, "data_sections"))
		cJSON_ArrayForEach(var, cJSON_GetObjectItemCaseSensitive(sec, "variables")) {
			const cJSON *n = cJSON_GetObjectItemCaseSensitive(var, "name");

			if (cJSON_IsString(n) && !strcmp(n->valuestring, name))
				return var;
		}
	return NULL;
}

/* The default as the text a user would type for it. */
static void default_text(const cJSON *def, char *text, size_t len)
{
	double v = def->valuedouble;

	if (cJSON_IsString(def))
		snprintf(text, len, "%s", def->valuestring);
	else if (cJSON_IsBool(def))
		snprintf(text, len, "%s", cJSON_IsTrue(def) ? "true" : "false");
	else if (v == floor(v) && fabs(v) < 9007199254740992.0)
		snprintf(text, len, "%lld", (long long)v);
	else
		snprintf(text, len, "%.17g", v);
}

static int check_default(const struct source_scan *scan, const struct source_var *v,
			 struct bpf_object *obj, struct diag *d)
{
	const cJSON *def = cJSON_GetObjectItemCaseSensitive(v->cmdarg, "default");
	char text[256], why[256];
	struct var_ref ref;
	const void *initial;
	void *bytes;
	int err;

	if (!def || object_find_var(obj, v->name, &ref))
		return 0;
	default_text(def, text, sizeof(text));
	bytes = calloc(1, ref.size ? ref.size : 1);
	if (!bytes)
		return diag_set(d, -ENOMEM, "%s: out of memory", scan->path);
	err = value_parse(bpf_object__btf(obj), ref.type_id, text, bytes, ref.size, why,
			  sizeof(why));
	initial = object_var_bytes(&ref);
	if (err)
		err = diag_set(d, -EINVAL, "%s:%d: @cmdarg: \"default\": %s", scan->path,
			       v->cmdarg_line, why);
	else if (initial && memcmp(initial, bytes, ref.size))
		err = diag_set(d, -EINVAL,
			       "%s:%d: @cmdarg: \"default\" %s is not the initial value of \"%s\" "
			       "(ecli starts from the initial value: make them the same)",
			       scan->path, v->cmdarg_line, text, v->name);
	free(bytes);
	return err;
}

static int apply_var(cJSON *skel, const struct source_scan *scan, const struct source_var *v,
		     struct bpf_object *obj, struct diag *d)
{
	cJSON *var = find_variable(skel, v->name);

	if (!var && v->cmdarg)
		return diag_set(d, -EINVAL,
				"%s:%d: @cmdarg: \"%s\" is not in the compiled object (a variable "
				"the program never reads may be left out)",
				scan->path, v->cmdarg_line, v->name);
	if (!var)
		return 0; /* a map or a function's comment: nothing of the object's to describe */
	if (v->description && !cJSON_AddStringToObject(var, "description", v->description))
		return diag_set(d, -ENOMEM, "%s: out of memory", scan->path);
	if (v->cmdarg && !cJSON_AddItemToObject(var, "cmdarg", cJSON_Duplicate(v->cmdarg, true)))
		return diag_set(d, -ENOMEM, "%s: out of memory", scan->path);
	return v->cmdarg ? check_default(scan, v, obj, d) : 0;
}

struct option_name {
	const char *var;
	const char *lng;
	const char *shrt;
};

static const char *cmdarg_string(const cJSON *var, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(var, "cmdarg"), key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Each variable's option as the loader will make it: --long (or --name) and -short. */
static int collect_names(cJSON *skel, struct option_name *names, int max)
{
	cJSON *sec, *var;
	int nr = 0;

	cJSON_ArrayForEach(sec, cJSON_GetObjectItemCaseSensitive(skel, "data_sections"))
		cJSON_ArrayForEach(var, cJSON_GetObjectItemCaseSensitive(sec, "variables")) {
			const cJSON *n = cJSON_GetObjectItemCaseSensitive(var, "name");

			if (!cJSON_IsString(n) ||
			    !strncmp(n->valuestring, DUMMY_PREFIX, strlen(DUMMY_PREFIX)))
				continue;
			if (names && nr < max) {
				names[nr].var = n->valuestring;
				names[nr].lng = cmdarg_string(var, "long") ?: n->valuestring;
				names[nr].shrt = cmdarg_string(var, "short");
			}
			nr++;
		}
	return nr;
}

static const struct source_var *scanned(const struct source_scan *scan, const char *name)
{
	int i;

	for (i = 0; i < scan->nr_vars; i++)
		if (scan->vars[i].cmdarg && !strcmp(scan->vars[i].name, name))
			return &scan->vars[i];
	return NULL;
}

static int name_clash(const struct source_scan *scan, const struct option_name *a,
		      const struct option_name *b, const char *what, struct diag *d)
{
	const struct source_var *v = scanned(scan, b->var) ?: scanned(scan, a->var);

	return diag_set(d, -EINVAL, "%s:%d: @cmdarg: %s is the option of both \"%s\" and \"%s\"",
			scan->path, v ? v->cmdarg_line : 0, what, a->var, b->var);
}

static int check_names(cJSON *skel, const struct source_scan *scan, struct diag *d)
{
	int nr = collect_names(skel, NULL, 0), i, j, err = 0;
	struct option_name *names = calloc(nr + 1, sizeof(*names));
	char what[80];

	if (!names)
		return diag_set(d, -ENOMEM, "%s: out of memory", scan->path);
	collect_names(skel, names, nr);
	for (i = 0; i < nr && !err; i++)
		for (j = 0; j < i && !err; j++) {
			if (!strcmp(names[i].lng, names[j].lng)) {
				snprintf(what, sizeof(what), "--%s", names[i].lng);
				err = name_clash(scan, &names[j], &names[i], what, d);
			} else if (names[i].shrt && names[j].shrt &&
				   !strcmp(names[i].shrt, names[j].shrt)) {
				snprintf(what, sizeof(what), "-%s", names[i].shrt);
				err = name_clash(scan, &names[j], &names[i], what, d);
			}
		}
	free(names);
	return err;
}

int source_options_apply(cJSON *skel, const struct source_scan *scan, struct bpf_object *obj,
			 struct diag *d)
{
	int i, err = 0;

	for (i = 0; i < scan->nr_vars && !err; i++)
		err = apply_var(skel, scan, &scan->vars[i], obj, d);
	return err ?: check_names(skel, scan, d);
}
