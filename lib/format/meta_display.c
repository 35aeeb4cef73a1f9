// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The display parts of meta: type hints per struct member, and table columns. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "format/meta_display.h"
#include "format/meta_json.h"

static const char *const hint_keys[] = {"key",	  "format", "letters", "version",
					"hidden", "select", NULL};
static const char *const select_keys[] = {"by", "cases", NULL};
static const char *const hint_formats[] = {"ip", "flags", "cgroup", NULL}; /* FORMAT_IP... */
#define COLUMN_PROPS                                                                               \
	"title", "width", "align", "title_align", "truncate", "gap", "format", "decimals", "unit", \
		"since", "zero_pad", "separator", "quote", "divide", "values", "text"
static const char *const column_keys[] = {"field", "when", "overrides", COLUMN_PROPS, NULL};
static const char *const override_keys[] = {"when", COLUMN_PROPS, NULL};
static const char *const column_formats[] = {"value",  "elapsed", "strerror", "clock",	"hex",
					     "octal",  "join",	  "char",     "result", "errno",
					     "scaled", "text",	  NULL};
static const char *const unit_names[] = {"ns", "us", "ms", "s", NULL};
static const uint64_t unit_scale[] = {1000000000, 1000000, 1000, 1};
static const char *const since_names[] = {"first", "start", NULL};
static const char *const align_names[] = {"right", "left", NULL};

/* "VALUE": "name": what a union tag's value selects, or a column's name for a value. */
static int parse_case(const cJSON *c, const char *where, struct union_case *uc, const char *what,
		      struct diag *d)
{
	char *end;

	errno = 0;
	uc->value = strtoll(c->string, &end, 0);
	if (!*c->string || *end || errno)
		return diag_set(d, -EINVAL, "%s: \"%s\" is not an integer", where, c->string);
	if (!cJSON_IsString(c) || !*c->valuestring)
		return diag_set(d, -EINVAL, "%s: is not %s", where, what);
	uc->member = c->valuestring;
	return 0;
}

/* {"VALUE": "name", ...}: one case per key. */
static int parse_cases(const cJSON *cases, const char *where, struct union_case **out, int *nr,
		       const char *what, struct diag *d)
{
	const cJSON *c;
	char path[JSON_PATH_MAX];
	int n, err = 0;

	if (!cJSON_IsObject(cases))
		return diag_set(d, -EINVAL, "%s: is not an object", where);
	*out = json_alloc_items(cases, sizeof(**out), &n);
	if (!*out)
		return diag_set(d, -ENOMEM, "out of memory");
	cJSON_ArrayForEach(c, cases) {
		json_path(path, sizeof(path), where, c->string);
		err = parse_case(c, path, &(*out)[(*nr)++], what, d);
		if (err)
			break;
	}
	return err;
}

/* "select": "member", or {"by": "tag", "cases": {"VALUE": "member", ...}}. */
static int parse_select(const cJSON *h, const char *where, struct member_hint *hint, struct diag *d)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(h, "select"), *cases;
	char path[JSON_PATH_MAX], cases_path[JSON_PATH_MAX];
	int err;

	json_path(path, sizeof(path), where, "select");
	if (!s)
		return 0;
	if (cJSON_IsString(s))
		return json_get_string(h, where, "select", false, &hint->select, d);
	if (!cJSON_IsObject(s))
		return diag_set(d, -EINVAL, "%s: is neither a member name nor an object", path);
	err = json_check_keys(s, path, select_keys, d);
	err = err ?: json_get_string(s, path, "by", true, &hint->select_by, d);
	cases = cJSON_GetObjectItemCaseSensitive(s, "cases");
	json_path(cases_path, sizeof(cases_path), path, "cases");
	return err
		       ?: parse_cases(cases, cases_path, &hint->cases, &hint->nr_cases,
				      "a member name", d);
}

static int parse_hint(const cJSON *h, const char *where, struct member_hint *hint, struct diag *d)
{
	int format = -1, err;

	if (!cJSON_IsObject(h))
		return diag_set(d, -EINVAL, "%s: is not an object", where);
	hint->member = h->string;
	err = json_check_keys(h, where, hint_keys, d);
	err = err ?: json_get_string(h, where, "key", false, &hint->key, d);
	err = err ?: json_get_enum(h, where, "format", hint_formats, &format, d);
	err = err ?: json_get_string(h, where, "letters", false, &hint->letters, d);
	err = err ?: json_get_string(h, where, "version", false, &hint->version, d);
	err = err ?: json_get_bool(h, where, "hidden", &hint->hidden, d);
	err = err ?: parse_select(h, where, hint, d);
	if (err)
		return err;
	hint->format = format + 1;
	format = hint->format;
	if ((format == FORMAT_FLAGS) != !!hint->letters)
		return diag_set(d, -EINVAL, "%s.%s: format \"flags\" and \"letters\" go together",
				where, hint->letters ? "letters" : "format");
	if (hint->letters && strlen(hint->letters) > 64)
		return diag_set(d, -EINVAL, "%s.letters: more than 64 letters", where);
	if (hint->version && format != FORMAT_IP)
		return diag_set(d, -EINVAL, "%s.version: needs format \"ip\"", where);
	return 0;
}

static int parse_type_hint(const cJSON *t, const char *where, struct type_hint *th, struct diag *d)
{
	const cJSON *h;
	char path[JSON_PATH_MAX];
	int i = 0, err;

	if (!cJSON_IsObject(t))
		return diag_set(d, -EINVAL, "%s: is not an object", where);
	th->type = t->string;
	th->members = json_alloc_items(t, sizeof(*th->members), &th->nr_members);
	if (!th->members)
		return -ENOMEM;
	cJSON_ArrayForEach(h, t) {
		json_path(path, sizeof(path), where, h->string);
		err = parse_hint(h, path, &th->members[i++], d);
		if (err)
			return err;
	}
	return 0;
}

int meta_parse_hints(const struct cJSON *types, const char *where, struct type_hints *out,
		     struct diag *d)
{
	const cJSON *t;
	char path[JSON_PATH_MAX];
	int i = 0, err;

	memset(out, 0, sizeof(*out));
	if (!types)
		return 0;
	if (!cJSON_IsObject(types))
		return diag_set(d, -EINVAL, "%s: is not an object", where);
	out->types = json_alloc_items(types, sizeof(*out->types), &out->nr_types);
	if (!out->types)
		return -ENOMEM;
	cJSON_ArrayForEach(t, types) {
		json_path(path, sizeof(path), where, t->string);
		err = parse_type_hint(t, path, &out->types[i++], d);
		if (err) {
			meta_free_hints(out);
			return err;
		}
	}
	return 0;
}

void meta_free_hints(struct type_hints *h)
{
	int i, j;

	for (i = 0; i < h->nr_types; i++) {
		for (j = 0; j < h->types[i].nr_members; j++)
			free(h->types[i].members[j].cases);
		free(h->types[i].members);
	}
	free(h->types);
	memset(h, 0, sizeof(*h));
}

const struct member_hint *meta_find_hint(const struct type_hints *h, const char *type,
					 const char *member)
{
	int i, j;

	for (i = 0; h && type && i < h->nr_types; i++) {
		if (strcmp(h->types[i].type, type))
			continue;
		for (j = 0; j < h->types[i].nr_members; j++)
			if (!strcmp(h->types[i].members[j].member, member))
				return &h->types[i].members[j];
	}
	return NULL;
}

/* Sets a given-bit for each property that props names. */
static void mark(const cJSON *props, struct column_props *p)
{
	static const char *const names[] = {COLUMN_PROPS, NULL};
	static const unsigned int bits[] = {
		PROP_TITLE,    PROP_WIDTH,  PROP_ALIGN,	   PROP_TITLE_ALIGN,
		PROP_TRUNCATE, PROP_GAP,    PROP_FORMAT,   PROP_DECIMALS,
		PROP_UNIT,     PROP_SINCE,  PROP_ZERO_PAD, PROP_SEPARATOR,
		PROP_QUOTE,    PROP_DIVIDE, PROP_VALUES,   PROP_TEXT};
	int i;

	for (i = 0; names[i]; i++)
		if (cJSON_HasObjectItem(props, names[i]))
			p->given |= bits[i];
}

static int parse_props(const cJSON *props, const char *where, struct column_props *p,
		       struct diag *d)
{
	int format = COLUMN_VALUE, unit = 0, since = 0, left = 0, title_left = 0, err;
	char path[JSON_PATH_MAX];

	p->divide = 1;
	err = json_get_text(props, where, "title", false, &p->title, d);
	err = err ?: json_get_int(props, where, "width", 0, 256, &p->width, d);
	err = err ?: json_get_enum(props, where, "align", align_names, &left, d);
	err = err ?: json_get_enum(props, where, "title_align", align_names, &title_left, d);
	err = err ?: json_get_bool(props, where, "truncate", &p->truncate, d);
	err = err ?: json_get_int(props, where, "gap", 0, 64, &p->gap, d);
	err = err ?: json_get_enum(props, where, "format", column_formats, &format, d);
	err = err ?: json_get_int(props, where, "decimals", 0, 9, &p->decimals, d);
	err = err ?: json_get_enum(props, where, "unit", unit_names, &unit, d);
	err = err ?: json_get_enum(props, where, "since", since_names, &since, d);
	err = err ?: json_get_bool(props, where, "zero_pad", &p->zero_pad, d);
	err = err ?: json_get_text(props, where, "separator", false, &p->separator, d);
	err = err ?: json_get_bool(props, where, "quote", &p->quote, d);
	err = err ?: json_get_text(props, where, "text", false, &p->text, d);
	err = err ?: json_get_int(props, where, "divide", 1, 1000000000, &p->divide, d);
	if (!err && cJSON_HasObjectItem(props, "values")) {
		json_path(path, sizeof(path), where, "values");
		err = parse_cases(cJSON_GetObjectItemCaseSensitive(props, "values"), path,
				  &p->values, &p->nr_values, "a name", d);
	}
	if (err)
		return err;
	mark(props, p);
	p->format = format;
	p->units_per_second = unit_scale[unit];
	p->since_start = since == 1;
	p->left = left;
	p->title_left = title_left;
	return 0;
}

static int parse_override(const cJSON *o, const char *where, void *out, struct diag *d)
{
	struct column_override *ov = out;
	int err;

	if (!cJSON_IsObject(o))
		return diag_set(d, -EINVAL, "%s: is not an object", where);
	err = json_check_keys(o, where, override_keys, d);
	err = err ?: json_get_string(o, where, "when", false, &ov->when, d);
	return err ?: parse_props(o, where, &ov->props, d);
}

static int parse_column(const cJSON *spec, const char *where, void *out, struct diag *d)
{
	struct column_spec *c = out;
	int err;

	if (!cJSON_IsObject(spec))
		return diag_set(d, -EINVAL, "%s: is not an object", where);
	err = json_check_keys(spec, where, column_keys, d);
	err = err ?: json_get_string(spec, where, "field", false, &c->field, d);
	err = err ?: json_get_string(spec, where, "when", false, &c->when, d);
	err = err ?: parse_props(spec, where, &c->props, d);
	err = err
		      ?: json_get_items(spec, where, "overrides", sizeof(*c->overrides),
					parse_override, &c->overrides, &c->nr_overrides, d);
	if (!err && !c->field && c->props.format != COLUMN_CLOCK && c->props.format != COLUMN_TEXT)
		err = diag_set(d, -EINVAL,
			       "%s.field: missing (only a clock or text column has none)", where);
	if (!err && c->props.format == COLUMN_TEXT && (c->field || !c->props.text))
		err = diag_set(d, -EINVAL, "%s: a text column has \"text\" and no \"field\"",
			       where);
	return err;
}

int meta_parse_columns(const struct cJSON *columns, const char *where, struct column_list *out,
		       struct diag *d)
{
	int err;

	memset(out, 0, sizeof(*out));
	if (!columns)
		return 0;
	if (cJSON_IsArray(columns) && !columns->child)
		return diag_set(d, -EINVAL, "%s: is empty: a table needs a column", where);
	out->present = true;
	out->where = strdup(where);
	err = out->where ? json_parse_items(columns, where, sizeof(*out->items), parse_column,
					    &out->items, &out->nr, d)
			 : -ENOMEM;
	if (err)
		meta_free_columns(out);
	return err;
}

void meta_free_columns(struct column_list *c)
{
	int i, j;

	for (i = 0; c->present && i < c->nr; i++) {
		for (j = 0; j < c->items[i].nr_overrides; j++)
			free(c->items[i].overrides[j].props.values);
		free(c->items[i].props.values);
		free(c->items[i].overrides);
	}
	if (c->present)
		free((char *)c->where);
	free(c->items);
	memset(c, 0, sizeof(*c));
}
