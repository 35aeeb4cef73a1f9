// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "output/format_value.h"
#include "core/term_text.h"
#include "output/render_table.h"

#define WHERE_MAX 192

struct column_builder {
	const struct layout *layout;
	const struct column_list *list;
	condition_fn cond;
	void *cond_ctx;
	struct diag *d;
};

static bool is_text(const struct field *f)
{
	return f->kind == FIELD_STRING || f->format == FORMAT_IP || f->format == FORMAT_FLAGS ||
	       f->kind == FIELD_ENUM || f->kind == FIELD_ARRAY || f->kind == FIELD_RECORD ||
	       f->kind == FIELD_CGROUP_NAME || f->is_char;
}

static bool is_integer(const struct field *f)
{
	return (f->kind == FIELD_INT || f->kind == FIELD_POINTER) &&
	       (f->format == FORMAT_PLAIN || f->format == FORMAT_CGROUP);
}

static bool is_string_array(const struct field *f)
{
	return f->kind == FIELD_ARRAY && f->elem->kind == FIELD_STRING;
}

/* Applies the properties props gives over c: a column's own, then its overrides in order. */
static void apply_props(struct table_column *c, const struct column_props *p)
{
	unsigned int g = p->given;

	if (g & PROP_TITLE)
		c->props.title = p->title;
	if (g & PROP_WIDTH)
		c->props.width = p->width;
	if (g & PROP_ALIGN)
		c->props.left = p->left;
	if ((g & PROP_ALIGN) && !(g & PROP_TITLE_ALIGN))
		c->props.title_left = p->left;
	if (g & PROP_TITLE_ALIGN)
		c->props.title_left = p->title_left;
	if (g & PROP_TRUNCATE)
		c->props.truncate = p->truncate;
	if (g & PROP_GAP)
		c->props.gap = p->gap;
	if (g & PROP_FORMAT)
		c->props.format = p->format;
	if (g & PROP_DECIMALS)
		c->props.decimals = p->decimals;
	if (g & PROP_UNIT)
		c->props.units_per_second = p->units_per_second;
	if (g & PROP_SINCE)
		c->props.since_start = p->since_start;
	if (g & PROP_ZERO_PAD)
		c->props.zero_pad = p->zero_pad;
	if (g & PROP_SEPARATOR)
		c->props.separator = p->separator;
	if (g & PROP_QUOTE)
		c->props.quote = p->quote;
	if (g & PROP_DIVIDE)
		c->props.divide = p->divide;
	if (g & PROP_TEXT)
		c->props.text = p->text;
	if (g & PROP_VALUES) {
		c->props.values = p->values;
		c->props.nr_values = p->nr_values;
	}
}

/* What each format needs of its field; checked for every override, whatever its condition. */
static const char *format_mismatch(enum column_format format, const struct field *f)
{
	if (!f && format != COLUMN_CLOCK && format != COLUMN_TEXT)
		return "only a clock or text column has no field";
	switch (format) {
	case COLUMN_VALUE:
	case COLUMN_CLOCK:
		return NULL;
	case COLUMN_ELAPSED:
		return f && is_integer(f) ? NULL : "elapsed needs an integer field";
	case COLUMN_STRERROR:
		return f && is_integer(f) ? NULL : "strerror needs an integer field";
	case COLUMN_HEX:
		return f && is_integer(f) ? NULL : "hex needs an integer field";
	case COLUMN_OCTAL:
		return f && is_integer(f) ? NULL : "octal needs an integer field";
	case COLUMN_JOIN:
		return f && is_string_array(f) ? NULL : "join needs an array of strings";
	case COLUMN_CHAR:
		return f && f->kind == FIELD_INT && f->size == 1 ? NULL
								 : "char needs a one-byte integer";
	case COLUMN_RESULT:
	case COLUMN_ERRNO:
		return f && is_integer(f) && f->is_signed
			       ? NULL
			       : "result and errno need a signed integer";
	case COLUMN_SCALED:
		return f && is_integer(f) ? NULL : "scaled needs an integer field";
	case COLUMN_TEXT:
		return f ? "a text column has no field" : NULL;
	}
	return "unknown format";
}

static int check_format(struct column_builder *b, const struct table_column *c,
			const struct column_props *p, const char *where)
{
	const char *why =
		p->given & PROP_FORMAT || !c->field ? format_mismatch(p->format, c->field) : NULL;

	return why ? diag_set(b->d, -EINVAL, "%s.format: %s", where, why) : 0;
}

static void column_defaults(struct table_column *c, const struct field *f)
{
	memset(c, 0, sizeof(*c));
	c->field = f;
	c->props.gap = 1;
	c->props.units_per_second = 1000000000;
	c->props.separator = " ";
	c->props.divide = 1;
	c->props.left = c->props.title_left = !f || is_text(f);
}

static int find_field(struct column_builder *b, const char *path, struct table_column *c,
		      const char *where)
{
	const struct layout *owner;
	uint32_t base;
	const struct field *f = layout_find_path(b->layout, path, &owner, &base);

	if (!f)
		return diag_set(b->d, -EINVAL, "%s.field: %s has no field \"%s\"", where,
				b->layout->name, path);
	column_defaults(c, f);
	c->owner = owner;
	c->base = base;
	return 0;
}

static bool holds(struct column_builder *b, const char *when)
{
	return !when || b->cond(b->cond_ctx, when);
}

/* A column spec with the overrides whose conditions hold applied, in order. */
static int resolve_column(struct column_builder *b, const struct column_spec *spec, int index,
			  struct table_column *c)
{
	char where[WHERE_MAX], owhere[WHERE_MAX + 32];
	int i, err;

	snprintf(where, sizeof(where), "%s[%d]", b->list->where, index);
	if (spec->field && (err = find_field(b, spec->field, c, where)))
		return err;
	if (!spec->field) {
		column_defaults(c, NULL);
		c->owner = b->layout;
	}
	err = check_format(b, c, &spec->props, where);
	apply_props(c, &spec->props);
	for (i = 0; i < spec->nr_overrides && !err; i++) {
		const struct column_override *o = &spec->overrides[i];

		snprintf(owhere, sizeof(owhere), "%s.overrides[%d]", where, i);
		err = check_format(b, c, &o->props, owhere);
		if (!err && holds(b, o->when))
			apply_props(c, &o->props);
	}
	if (err)
		return err;
	if (!c->props.title)
		c->props.title = c->field			  ? c->field->key
				 : c->props.format == COLUMN_TEXT ? c->props.text
								  : "TIME";
	if (c->props.format == COLUMN_CLOCK && c->props.width < 8)
		c->props.width = 8; /* HH:MM:SS */
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

static int build_from_spec(struct table *t, struct column_builder *b)
{
	struct table_column c;
	int i, err;

	for (i = 0; i < b->list->nr; i++) {
		const struct column_spec *spec = &b->list->items[i];

		err = resolve_column(b, spec, i, &c);
		if (err)
			return err;
		if (holds(b, spec->when) && (err = add_column(t, &c)))
			return err;
	}
	return 0;
}

static char *upper_copy(const char *s)
{
	char *u = strdup(s), *p;

	for (p = u; p && *p; p++)
		*p = toupper((unsigned char)*p);
	return u;
}

/* Wide enough for the values a field usually holds; longer ones widen their row. */
static int natural_width(const struct field *f)
{
	static const int int_width[] = {0, 3, 5, 0, 7, 0, 0, 0, 10};
	int i, w = 0;

	if (f->format == FORMAT_IP)
		return 16;
	if (f->format == FORMAT_FLAGS)
		return strlen(f->letters);
	if (f->is_char)
		return 1;
	switch (f->kind) {
	case FIELD_STRING:
		return f->count > 17 ? 16 : (int)f->count - 1;
	case FIELD_INT:
	case FIELD_POINTER:
		return f->size <= 8 && !f->bit_size ? int_width[f->size] : 20;
	case FIELD_BOOL:
		return 5;
	case FIELD_FLOAT:
		return 10;
	case FIELD_ENUM:
		for (i = 0; i < f->nr_enums; i++)
			if ((int)strlen(f->enums[i].name) > w)
				w = strlen(f->enums[i].name);
		return w > 16 ? 16 : w;
	case FIELD_CGROUP_NAME:
		return 12;
	default:
		return 0;
	}
}

/* A column for a field the package says nothing about: its key in capitals as the title. */
static int default_column(struct table_column *c, const struct field *f)
{
	int width;

	column_defaults(c, f);
	c->owned_title = upper_copy(f->key);
	if (!c->owned_title)
		return -ENOMEM;
	c->props.title = c->owned_title;
	width = natural_width(f);
	c->props.width = (int)strlen(c->props.title) > width ? (int)strlen(c->props.title) : width;
	return 0;
}

static int build_default(struct table *t, const struct layout *l)
{
	struct table_column c;
	int i, err;

	column_defaults(&c, NULL);
	c.props.title = "TIME";
	c.props.width = 8;
	c.props.format = COLUMN_CLOCK;
	err = add_column(t, &c);
	for (i = 0; i < l->nr_fields && !err; i++) {
		if (l->fields[i].hidden || l->fields[i].kind == FIELD_CGROUP_NAME)
			continue; /* named columns only */
		err = default_column(&c, &l->fields[i]);
		c.owner = l;
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
static int custom_column(struct table *t, struct column_builder *b, const char *name)
{
	const struct layout *owner;
	uint32_t base;
	const struct field *f = layout_find_path(b->layout, name, &owner, &base);
	struct table_column c, from;
	char keys[256];
	int i, err;

	if (!f) {
		list_keys(b->layout, keys, sizeof(keys));
		return diag_set(b->d, -EINVAL, "-o custom-columns: no column '%s' (columns: %s)",
				name, keys);
	}
	err = default_column(&c, f);
	for (i = 0; !err && b->list && i < b->list->nr; i++) {
		if (resolve_column(b, &b->list->items[i], i, &from) || from.field != f)
			continue;
		from.owned_title = c.owned_title;
		from.props.title = c.props.title;
		from.props.gap = 1;
		c = from;
		break;
	}
	c.owner = owner;
	c.base = base;
	if (!err && c.props.width < (int)strlen(c.props.title))
		c.props.width = strlen(c.props.title);
	if (!err && (err = add_column(t, &c)))
		free(c.owned_title);
	return err;
}

static int build_custom(struct table *t, struct column_builder *b, const char *custom)
{
	char *list = strdup(custom), *name, *save = NULL;
	int err = list ? 0 : -ENOMEM;

	for (name = list ? strtok_r(list, ",", &save) : NULL; name && !err;
	     name = strtok_r(NULL, ",", &save))
		err = custom_column(t, b, name);
	free(list);
	return err;
}

static uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int table_build(struct table *t, const struct layout *l, const struct column_list *columns,
		const char *custom, condition_fn cond, void *cond_ctx, struct diag *d)
{
	struct column_builder b = {l, columns && columns->present ? columns : NULL, cond, cond_ctx,
				   d};
	int err;

	memset(t, 0, sizeof(*t));
	t->layout = l;
	t->start_ns = monotonic_ns();
	err = out_buf_init(&t->cell, -1, 256);
	if (!err && custom)
		err = build_custom(t, &b, custom);
	else if (!err && b.list)
		err = build_from_spec(t, &b);
	else if (!err)
		err = build_default(t, l);
	if (err) {
		table_free(t);
		return err == -ENOMEM ? diag_set(d, err, "out of memory building the table") : err;
	}
	return 0;
}

void table_start_clock(struct table *t)
{
	t->start_ns = monotonic_ns();
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

static void put_cell(struct out_buf *out, const struct table_column *c, bool first, bool left,
		     bool zero_pad, const char *text, size_t len)
{
	size_t width = c->props.width;
	bool negative = zero_pad && len && text[0] == '-';

	if (!first)
		out_pad(out, ' ', c->props.gap);
	if (c->props.truncate && len > width)
		len = width;
	if (negative) { /* printf's %08d: the sign before the zeros */
		out_putc(out, '-');
		text++;
		len--;
		width = width ? width - 1 : 0;
	}
	if (zero_pad && len < width) /* zeros go before the digits, whatever the alignment */
		out_pad(out, '0', width - len);
	else if (!left && len < width)
		out_pad(out, ' ', width - len);
	out_write(out, text, len);
	if (left && !zero_pad && len < width)
		out_pad(out, ' ', width - len);
}

void table_header(struct table *t, struct out_buf *out)
{
	int i;

	for (i = 0; i < t->nr_cols; i++) {
		const struct table_column *c = &t->cols[i];

		put_cell(out, c, i == 0, c->props.title_left, false, c->props.title,
			 strlen(c->props.title));
	}
	out_putc(out, '\n');
}

void table_field_text(struct out_buf *out, const struct layout *l, const struct field *f,
		      const void *record)
{
	if (is_string_array(f))
		format_join(out, f, record, " ", false);
	else
		format_text(out, l, f, record);
}

static void elapsed_text(struct table *t, const struct table_column *c, const void *record)
{
	uint64_t v = field_u64(c->field, record), origin;

	if (c->props.since_start) {
		origin = t->start_ns / (1000000000 / c->props.units_per_second);
	} else {
		if (!t->have_first) {
			t->first_value = v;
			t->have_first = true;
		}
		origin = t->first_value;
	}
	out_printf(&t->cell, "%.*f", c->props.decimals,
		   (double)(int64_t)(v - origin) / (double)c->props.units_per_second);
}

/* An integer the column names ("values"): its name; false when it has none. */
static bool value_name(struct out_buf *cell, const struct table_column *c, const void *record)
{
	long long v;
	int i;

	if (!c->props.nr_values || !c->field || !is_integer(c->field))
		return false;
	v = (long long)field_u64(c->field, record); /* a signed field's value sign-extended */
	for (i = 0; i < c->props.nr_values; i++)
		if (c->props.values[i].value == v) {
			out_puts(cell, c->props.values[i].member);
			return true;
		}
	return false;
}

static void scaled_text(struct out_buf *cell, const struct table_column *c, const void *record)
{
	uint64_t v = field_u64(c->field, record);
	double x = c->field->is_signed ? (double)(int64_t)v : (double)v;

	out_printf(cell, "%.*f", c->props.decimals, x / (double)c->props.divide);
}

static void clock_text(struct out_buf *cell)
{
	char text[64];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(text, sizeof(text), "%H:%M:%S", &tm);
	out_puts(cell, text);
}

static void cell_text(struct table *t, const struct table_column *c, const void *row)
{
	const void *record = (const uint8_t *)row + c->base;
	struct out_buf *cell = &t->cell;
	uint64_t v;

	switch (c->props.format) {
	case COLUMN_VALUE:
		if (!value_name(cell, c, record))
			format_text(cell, c->owner, c->field, record);
		break;
	case COLUMN_RESULT:
		v = field_u64(c->field, record);
		out_printf(cell, "%lld", (int64_t)v < 0 ? -1LL : (long long)v);
		break;
	case COLUMN_ERRNO:
		v = field_u64(c->field, record);
		out_printf(cell, "%lld", (int64_t)v < 0 ? -(long long)v : 0LL);
		break;
	case COLUMN_SCALED:
		scaled_text(cell, c, record);
		break;
	case COLUMN_TEXT:
		out_puts(cell, c->props.text ? c->props.text : "");
		break;
	case COLUMN_ELAPSED:
		elapsed_text(t, c, record);
		break;
	case COLUMN_STRERROR:
		v = field_u64(c->field, record);
		v = (int64_t)v < 0 ? -v : v; /* an errno or its negative; unsigned: no overflow */
		if (v <= 4095)
			out_puts(cell, strerror((int)v));
		else
			format_text(cell, c->owner, c->field, record);
		break;
	case COLUMN_CLOCK:
		clock_text(cell);
		break;
	case COLUMN_HEX:
	case COLUMN_OCTAL:
		format_radix(cell, c->field, record, c->props.format == COLUMN_HEX ? 16 : 8);
		break;
	case COLUMN_JOIN:
		format_join(cell, c->field, record, c->props.separator, c->props.quote);
		break;
	case COLUMN_CHAR:
		format_char(cell, c->field, record);
		break;
	}
}

static bool numeric(const struct table_column *c)
{
	switch (c->props.format) {
	case COLUMN_HEX:
	case COLUMN_OCTAL:
	case COLUMN_RESULT:
	case COLUMN_ERRNO:
	case COLUMN_SCALED:
		return true;
	case COLUMN_VALUE:
		return c->field && !is_text(c->field) && !c->props.nr_values;
	default:
		return false;
	}
}

void table_row(struct table *t, struct out_buf *out, const void *record)
{
	int i;

	for (i = 0; i < t->nr_cols; i++) {
		const struct table_column *c = &t->cols[i];

		t->cell.len = 0;
		cell_text(t, c, record);
		term_text_sanitize(t->cell.data, t->cell.len, false);
		put_cell(out, c, i == 0, c->props.left, c->props.zero_pad && numeric(c),
			 t->cell.data, t->cell.len);
	}
	out_putc(out, '\n');
}
