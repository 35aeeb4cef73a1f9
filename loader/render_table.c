#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "format_value.h"
#include "meta.h"
#include "render_table.h"

struct column_builder {
	const struct layout *layout;
	condition_fn cond;
	void *cond_ctx;
	struct diag *d;
};

static int parse_format(struct table_column *c, const char *format, const char *where,
			struct diag *d)
{
	if (!strcmp(format, "value"))
		c->format = COLUMN_VALUE;
	else if (!strcmp(format, "elapsed"))
		c->format = COLUMN_ELAPSED;
	else if (!strcmp(format, "strerror"))
		c->format = COLUMN_STRERROR;
	else if (!strcmp(format, "clock"))
		c->format = COLUMN_CLOCK;
	else
		return diag_set(d, -EINVAL,
				"meta: %s: format \"%s\" is not value, elapsed, strerror or clock",
				where, format);
	return 0;
}

static int parse_align(const cJSON *props, const char *where, const char *key, bool *left,
		       struct diag *d)
{
	const char *align = NULL;
	int err = json_get_string(props, where, key, false, &align, d);

	if (err || !align)
		return err;
	if (strcmp(align, "left") && strcmp(align, "right"))
		return diag_set(d, -EINVAL, "meta: %s: \"%s\" is not left or right", where, key);
	*left = !strcmp(align, "left");
	return 0;
}

static const uint64_t unit_scale[] = {1000000000, 1000000, 1000, 1};
static const char *const unit_names[] = {"ns", "us", "ms", "s"};

/* Reads whichever column properties props has; used for columns and for their overrides. */
static int apply_props(struct table_column *c, const cJSON *props, const char *where,
		       struct diag *d)
{
	const char *format = NULL, *unit = NULL;
	bool title_align_given = cJSON_HasObjectItem(props, "title_align");
	size_t i;
	int err;

	err = json_get_string(props, where, "title", false, &c->title, d);
	err = err ?: json_get_int(props, where, "width", 0, 256, &c->width, d);
	err = err ?: parse_align(props, where, "align", &c->left, d);
	if (!err && !title_align_given && cJSON_HasObjectItem(props, "align"))
		c->title_left = c->left;
	err = err ?: parse_align(props, where, "title_align", &c->title_left, d);
	err = err ?: json_get_bool(props, where, "truncate", &c->truncate, d);
	err = err ?: json_get_int(props, where, "gap", 0, 64, &c->gap, d);
	err = err ?: json_get_int(props, where, "decimals", 0, 9, &c->decimals, d);
	err = err ?: json_get_string(props, where, "format", false, &format, d);
	err = err ?: json_get_string(props, where, "unit", false, &unit, d);
	if (!err && format)
		err = parse_format(c, format, where, d);
	for (i = 0; !err && unit && i < sizeof(unit_scale) / sizeof(unit_scale[0]); i++) {
		if (!strcmp(unit, unit_names[i])) {
			c->units_per_second = unit_scale[i];
			unit = NULL;
		}
	}
	if (!err && unit)
		err = diag_set(d, -EINVAL, "meta: %s: unit \"%s\" is not ns, us, ms or s", where,
			       unit);
	return err;
}

static bool is_text(const struct field *f)
{
	return f->kind == FIELD_STRING || f->format != FORMAT_PLAIN || f->kind == FIELD_ENUM ||
	       f->kind == FIELD_ARRAY || f->kind == FIELD_RECORD;
}

static char *upper_copy(const char *s)
{
	char *u = strdup(s), *p;

	for (p = u; p && *p; p++)
		*p = toupper((unsigned char)*p);
	return u;
}

/* A column for a field the package says nothing about: its key in capitals as the title. */
static int default_column(struct table_column *c, const struct field *f)
{
	memset(c, 0, sizeof(*c));
	c->field = f;
	c->owned_title = upper_copy(f->key);
	if (!c->owned_title)
		return -ENOMEM;
	c->title = c->owned_title;
	c->left = c->title_left = is_text(f);
	c->gap = 1;
	c->units_per_second = unit_scale[0];
	c->width = strlen(c->title) < 6 ? 6 : strlen(c->title);
	return 0;
}

static bool holds(struct column_builder *b, const cJSON *props)
{
	const cJSON *when = cJSON_GetObjectItemCaseSensitive(props, "when");

	return !cJSON_IsString(when) || b->cond(b->cond_ctx, when->valuestring);
}

/* A column spec with the overrides whose conditions hold applied, in order. */
static int resolve_column(struct column_builder *b, const cJSON *spec, int index,
			  struct table_column *c)
{
	const cJSON *overrides = cJSON_GetObjectItemCaseSensitive(spec, "overrides"), *o;
	const char *field = NULL;
	char where[48];
	int err;

	snprintf(where, sizeof(where), "display.columns[%d]", index);
	memset(c, 0, sizeof(*c));
	c->gap = 1;
	c->units_per_second = unit_scale[0];
	if (!cJSON_IsObject(spec))
		return diag_set(b->d, -EINVAL, "meta: %s is not an object", where);
	err = json_get_string(spec, where, "field", false, &field, b->d);
	if (err)
		return err;
	if (field && !(c->field = layout_find(b->layout, field)))
		return diag_set(b->d, -EINVAL, "meta: %s: %s has no field \"%s\"", where,
				b->layout->name, field);
	c->left = c->title_left = !c->field || is_text(c->field);
	err = apply_props(c, spec, where, b->d);
	if (err)
		return err;
	if (!field && c->format != COLUMN_CLOCK)
		return diag_set(b->d, -EINVAL, "meta: %s: needs a \"field\"", where);
	if (!c->title)
		c->title = field ? c->field->key : "TIME";
	if (c->format == COLUMN_CLOCK && c->width < 8)
		c->width = 8; /* HH:MM:SS */
	if (overrides && !cJSON_IsArray(overrides))
		return diag_set(b->d, -EINVAL, "meta: %s: \"overrides\" is not an array", where);
	cJSON_ArrayForEach(o, overrides) {
		if (!cJSON_IsObject(o))
			return diag_set(b->d, -EINVAL, "meta: %s: an override is not an object",
					where);
		if (holds(b, o) && (err = apply_props(c, o, where, b->d)))
			return err;
	}
	if (c->format == COLUMN_ELAPSED && (!c->field || is_text(c->field)))
		return diag_set(b->d, -EINVAL, "meta: %s: elapsed needs an integer field", where);
	return 0;
}

static int add_column(struct table *t, const struct table_column *c)
{
	struct table_column *cols = realloc(t->cols, (t->nr_cols + 1) * sizeof(*cols));

	if (!cols)
		return -ENOMEM;
	t->cols = cols;
	t->cols[t->nr_cols++] = *c;
	return 0;
}

static int build_from_spec(struct table *t, struct column_builder *b, const cJSON *columns)
{
	struct table_column c;
	const cJSON *spec;
	int i = 0, err = 0;

	cJSON_ArrayForEach(spec, columns) {
		err = resolve_column(b, spec, i++, &c);
		if (err)
			return err;
		if (holds(b, spec) && (err = add_column(t, &c)))
			return err;
	}
	return 0;
}

static int build_default(struct table *t, const struct layout *l)
{
	struct table_column c = {.title = "TIME",
				 .width = 8,
				 .left = true,
				 .title_left = true,
				 .format = COLUMN_CLOCK,
				 .gap = 1};
	int i, err = add_column(t, &c);

	for (i = 0; i < l->nr_fields && !err; i++) {
		if (l->fields[i].hidden)
			continue;
		err = default_column(&c, &l->fields[i]);
		if (!err && (err = add_column(t, &c)))
			free(c.owned_title);
	}
	return err;
}

static void list_keys(const struct layout *l, char *buf, size_t len)
{
	size_t used = 0;
	int i;

	buf[0] = 0;
	for (i = 0; i < l->nr_fields && used < len; i++)
		used += snprintf(buf + used, len - used, "%s%s", i ? ", " : "", l->fields[i].key);
}

/* -o custom-columns: the package's look for a field where it has one, the key as title. */
static int custom_column(struct table *t, struct column_builder *b, const cJSON *columns,
			 const char *name)
{
	const struct field *f = layout_find(b->layout, name);
	struct table_column c;
	const cJSON *spec;
	char keys[256];
	int i = 0, err;

	if (!f) {
		list_keys(b->layout, keys, sizeof(keys));
		return diag_set(b->d, -EINVAL, "-o custom-columns: no column '%s' (columns: %s)",
				name, keys);
	}
	err = default_column(&c, f);
	cJSON_ArrayForEach(spec, columns) {
		struct table_column from;

		if (err || resolve_column(b, spec, i++, &from) || from.field != f)
			continue;
		from.owned_title = c.owned_title;
		from.title = c.title;
		from.gap = 1;
		c = from;
		break;
	}
	if (!err && c.width < (int)strlen(c.title))
		c.width = strlen(c.title);
	if (!err && (err = add_column(t, &c)))
		free(c.owned_title);
	return err;
}

static int build_custom(struct table *t, struct column_builder *b, const cJSON *columns,
			const char *custom)
{
	char *list = strdup(custom), *name, *save = NULL;
	int err = list ? 0 : -ENOMEM;

	for (name = list ? strtok_r(list, ",", &save) : NULL; name && !err;
	     name = strtok_r(NULL, ",", &save))
		err = custom_column(t, b, columns, name);
	free(list);
	return err;
}

int table_build(struct table *t, const struct layout *l, const cJSON *columns, const char *custom,
		condition_fn cond, void *cond_ctx, struct diag *d)
{
	struct column_builder b = {l, cond, cond_ctx, d};
	int err;

	memset(t, 0, sizeof(*t));
	t->layout = l;
	err = out_buf_init(&t->cell, -1, 256);
	if (!err && custom)
		err = build_custom(t, &b, columns, custom);
	else if (!err && columns)
		err = build_from_spec(t, &b, columns);
	else if (!err)
		err = build_default(t, l);
	if (err) {
		table_free(t);
		return err == -ENOMEM ? diag_set(d, err, "out of memory building the table") : err;
	}
	return 0;
}

void table_free(struct table *t)
{
	int i;

	for (i = 0; i < t->nr_cols; i++)
		free(t->cols[i].owned_title);
	free(t->cols);
	out_buf_free(&t->cell);
	memset(t, 0, sizeof(*t));
}

/* Control characters would break the one-line-per-record shape. */
static void sanitize(char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			s[i] = '?';
}

static void put_cell(struct out_buf *out, const struct table_column *c, bool first, bool left,
		     const char *text, size_t len)
{
	size_t width = c->width;

	if (!first)
		out_pad(out, ' ', c->gap);
	if (c->truncate && len > width)
		len = width;
	if (!left && len < width)
		out_pad(out, ' ', width - len);
	out_write(out, text, len);
	if (left && len < width)
		out_pad(out, ' ', width - len);
}

void table_header(struct table *t, struct out_buf *out)
{
	int i;

	for (i = 0; i < t->nr_cols; i++) {
		const struct table_column *c = &t->cols[i];

		put_cell(out, c, i == 0, c->title_left, c->title, strlen(c->title));
	}
	out_putc(out, '\n');
}

static void cell_text(struct table *t, const struct table_column *c, const void *record)
{
	struct out_buf *cell = &t->cell;
	char text[64];
	uint64_t v;
	time_t now;
	struct tm tm;

	switch (c->format) {
	case COLUMN_VALUE:
		format_text(cell, t->layout, c->field, record);
		break;
	case COLUMN_ELAPSED:
		v = field_u64(c->field, record);
		if (!t->have_first) {
			t->first_value = v;
			t->have_first = true;
		}
		out_printf(cell, "%.*f", c->decimals,
			   (double)(int64_t)(v - t->first_value) / (double)c->units_per_second);
		break;
	case COLUMN_STRERROR:
		v = field_u64(c->field, record);
		v = (int64_t)v < 0 ? -v : v; /* an errno or its negative; unsigned: no overflow */
		if (v <= 4095)
			out_puts(cell, strerror((int)v));
		else
			format_text(cell, t->layout, c->field, record);
		break;
	case COLUMN_CLOCK:
		now = time(NULL);
		localtime_r(&now, &tm);
		strftime(text, sizeof(text), "%H:%M:%S", &tm);
		out_puts(cell, text);
		break;
	}
}

void table_row(struct table *t, struct out_buf *out, const void *record)
{
	int i;

	for (i = 0; i < t->nr_cols; i++) {
		const struct table_column *c = &t->cols[i];

		t->cell.len = 0;
		cell_text(t, c, record);
		sanitize(t->cell.data, t->cell.len);
		put_cell(out, c, i == 0, c->left, t->cell.data, t->cell.len);
	}
	out_putc(out, '\n');
}
