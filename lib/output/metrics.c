// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "output/metrics.h"
#include "core/json_writer.h"
#include "output/format_value.h"

#define FIRST_SLOTS 16

void metrics_init(struct metrics *m, size_t max_series)
{
	memset(m, 0, sizeof(*m));
	m->max_series = max_series;
}

void metrics_free(struct metrics *m)
{
	int f;
	size_t i;

	for (f = 0; f < m->nr_families; f++) {
		for (i = 0; i < m->families[f].nr_slots; i++)
			free(m->families[f].slots[i].labels);
		free(m->families[f].slots);
	}
	free(m->families);
	memset(m, 0, sizeof(*m));
}

int metrics_add_family(struct metrics *m, const char *name, const char *help, bool gauge,
		       struct diag *d)
{
	struct metric_family *grown, *f;

	grown = realloc(m->families, (m->nr_families + 1) * sizeof(*grown));
	if (!grown)
		return diag_set(d, -ENOMEM, "out of memory");
	m->families = grown;
	f = &grown[m->nr_families];
	memset(f, 0, sizeof(*f));
	f->name = name;
	f->help = help;
	f->gauge = gauge;
	return m->nr_families++;
}

static uint64_t hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (uint8_t)s[i]) * 1099511628211ULL;
	return h;
}

/* The slot holding these labels, or the free one where they would go. */
static struct metric_series *find_slot(struct metric_series *slots, size_t nr, const char *labels,
				       size_t len)
{
	size_t i = hash(labels, len) & (nr - 1);

	while (slots[i].labels &&
	       (strlen(slots[i].labels) != len || memcmp(slots[i].labels, labels, len)))
		i = (i + 1) & (nr - 1);
	return &slots[i];
}

/* Doubles the table (to FIRST_SLOTS at first), keeping it at most half full. */
static int grow(struct metric_family *f)
{
	size_t nr = f->nr_slots ? f->nr_slots * 2 : FIRST_SLOTS, i;
	struct metric_series *slots = calloc(nr, sizeof(*slots)), *s;

	if (!slots)
		return -ENOMEM;
	for (i = 0; i < f->nr_slots; i++) {
		if (!f->slots[i].labels)
			continue;
		s = find_slot(slots, nr, f->slots[i].labels, strlen(f->slots[i].labels));
		*s = f->slots[i];
	}
	free(f->slots);
	f->slots = slots;
	f->nr_slots = nr;
	return 0;
}

/* The series of family fi with these labels, made (at 0) if new; *s NULL when dropped. */
static int series_of(struct metrics *m, int fi, const char *labels, size_t len,
		     struct metric_series **out)
{
	struct metric_family *f = &m->families[fi];
	struct metric_series *s =
		f->nr_slots ? find_slot(f->slots, f->nr_slots, labels, len) : NULL;

	*out = NULL;
	if (s && s->labels) {
		*out = s;
		return 0;
	}
	if (m->nr_series >= m->max_series) {
		m->dropped++;
		return -ENOSPC;
	}
	if ((f->nr_series + 1) * 2 > f->nr_slots && grow(f))
		return -ENOMEM;
	s = find_slot(f->slots, f->nr_slots, labels, len);
	s->labels = strndup(labels, len);
	if (!s->labels)
		return -ENOMEM;
	s->value = 0;
	f->nr_series++;
	m->nr_series++;
	*out = s;
	return 0;
}

int metrics_count(struct metrics *m, int fi, const char *labels, size_t len, uint64_t by)
{
	struct metric_series *s;
	int err = series_of(m, fi, labels, len, &s);

	if (!err)
		s->value += by;
	return err;
}

int metrics_set(struct metrics *m, int fi, const char *labels, size_t len, int64_t value)
{
	struct metric_series *s;
	int err = series_of(m, fi, labels, len, &s);

	if (!err)
		s->value = (uint64_t)value;
	return err;
}

void metrics_write_help(struct out_buf *out, const char *name, const char *help, const char *type)
{
	const char *c;

	out_printf(out, "# HELP %s ", name);
	for (c = help ? help : ""; *c; c++)
		if (*c == '\\')
			out_puts(out, "\\\\");
		else if (*c == '\n')
			out_puts(out, "\\n");
		else
			out_putc(out, *c);
	out_printf(out, "\n# TYPE %s %s\n", name, type);
}

void metrics_write_value(struct out_buf *out, const char *name, const char *labels, uint64_t value)
{
	out_puts(out, name);
	out_puts(out, labels);
	out_putc(out, ' ');
	out_u64(out, value);
	out_putc(out, '\n');
}

void metrics_write(const struct metrics *m, struct out_buf *out)
{
	const struct metric_family *f;
	size_t i;
	int fi;

	for (fi = 0; fi < m->nr_families; fi++) {
		f = &m->families[fi];
		metrics_write_help(out, f->name, f->help, f->gauge ? "gauge" : "counter");
		for (i = 0; i < f->nr_slots; i++) {
			if (!f->slots[i].labels)
				continue;
			if (!f->gauge) {
				metrics_write_value(out, f->name, f->slots[i].labels,
						    f->slots[i].value);
				continue;
			}
			out_puts(out, f->name);
			out_puts(out, f->slots[i].labels);
			out_printf(out, " %lld\n", (long long)f->slots[i].value);
		}
	}
	metrics_write_help(out, "ecli_metrics_series_dropped_total",
			   "Series not kept: the cap on series (--metrics-max-series) was reached",
			   "counter");
	metrics_write_value(out, "ecli_metrics_series_dropped_total", "", m->dropped);
}

void metrics_label(struct out_buf *out, bool first, const char *name, const char *value, size_t len)
{
	const uint8_t *v = (const uint8_t *)value;
	size_t i = 0, n;

	if (!first)
		out_putc(out, ',');
	out_puts(out, name);
	out_puts(out, "=\"");
	while (i < len) {
		n = v[i] < 0x80 ? 1 : utf8_sequence(v + i, len - i);
		if (!n)
			out_puts(out, "\xef\xbf\xbd"); /* U+FFFD: Prometheus takes UTF-8 only */
		else if (v[i] == '\\')
			out_puts(out, "\\\\");
		else if (v[i] == '"')
			out_puts(out, "\\\"");
		else if (v[i] == '\n')
			out_puts(out, "\\n");
		else
			out_write(out, v + i, n);
		i += n ? n : 1;
	}
	out_putc(out, '"');
}

void metrics_field_labels(struct out_buf *out, struct out_buf *text, const struct layout *l,
			  const struct field *const *fields, const char *const *names, int n,
			  const void *record)
{
	int i;

	for (i = 0; i < n; i++) {
		text->len = 0;
		if (fields[i])
			format_text(text, l, fields[i], record);
		metrics_label(out, !i, names[i], text->data ? text->data : "", text->len);
	}
}

int event_metric_init(struct event_metric *em, struct metrics *m, const struct metric_spec *s,
		      const struct layout *l, struct diag *d)
{
	const char *const *labels = s->labels, *name = s->name;
	int i, nr_labels = s->nr_labels, err = 0;

	memset(em, 0, sizeof(*em));
	em->layout = l;
	em->nr_labels = nr_labels;
	em->gauge = s->type == METRIC_GAUGE;
	if (s->value && !(em->value_field = layout_find(l, s->value)))
		return diag_set(d, -EINVAL, "metric %s: value '%s' is no field of the event", name,
				s->value);
	em->fields = calloc(nr_labels + 1, sizeof(*em->fields));
	em->names = calloc(nr_labels + 1, sizeof(*em->names));
	if (!em->fields || !em->names || out_buf_init(&em->scratch, -1, 256) ||
	    out_buf_init(&em->value, -1, 64))
		err = diag_set(d, -ENOMEM, "out of memory");
	for (i = 0; i < nr_labels && !err; i++) {
		em->names[i] = labels[i];
		em->fields[i] = layout_find(l, labels[i]);
		if (!em->fields[i])
			err = diag_set(d, -EINVAL, "metric %s: label '%s' is no field of the event",
				       name, labels[i]);
	}
	em->family = err ? -1 : metrics_add_family(m, name, s->help, em->gauge, d);
	if (em->family < 0)
		err = em->family;
	if (err)
		event_metric_free(em);
	return err;
}

void event_metric_free(struct event_metric *em)
{
	free(em->fields);
	free(em->names);
	out_buf_free(&em->scratch);
	out_buf_free(&em->value);
	memset(em, 0, sizeof(*em));
}

void event_metric_count(struct event_metric *em, struct metrics *m, const void *record)
{
	const char *labels;

	em->scratch.len = 0;
	if (em->nr_labels)
		out_putc(&em->scratch, '{');
	metrics_field_labels(&em->scratch, &em->value, em->layout, em->fields, em->names,
			     em->nr_labels, record);
	if (em->nr_labels)
		out_putc(&em->scratch, '}');
	labels = em->scratch.data ? em->scratch.data : "";
	if (em->gauge)
		metrics_set(m, em->family, labels, em->scratch.len,
			    (int64_t)field_u64(em->value_field, record));
	else
		metrics_count(m, em->family, labels, em->scratch.len,
			      em->value_field ? field_u64(em->value_field, record) : 1);
}
