// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "output/format_value.h"
#include "output/histogram.h"
#include "output/map_print.h"
#include "output/metrics.h"

static bool is_percpu(enum bpf_map_type type)
{
	return type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

/* Per-CPU values: integer fields (counters) are summed over the CPUs, others are CPU 0's. */
static void fold_percpu(const struct map_printer *rows, uint8_t *row, const uint8_t *vals,
			uint32_t value_size, int ncpus)
{
	uint32_t stride = (value_size + 7) / 8 * 8;
	int i, cpu;

	memcpy(row + rows->key_size, vals, value_size);
	for (i = 0; i < rows->layout->nr_fields; i++) {
		const struct field *f = &rows->layout->fields[i];
		uint64_t sum = 0, v;

		if (f->offset < rows->key_size || f->kind != FIELD_INT || f->bit_size ||
		    f->size > 8)
			continue;
		for (cpu = 0; cpu < ncpus; cpu++) {
			v = 0;
			memcpy(&v, vals + (size_t)cpu * stride + (f->offset - rows->key_size),
			       f->size);
			sum += v; /* two's complement: signed counters sum correctly too */
		}
		memcpy(row + f->offset, &sum, f->size);
	}
}

/* Reads every entry into p->rows; entries deleted meanwhile are skipped. */
static void collect_rows(struct map_printer *p)
{
	int fd = bpf_map__fd(p->map), ncpus = libbpf_num_possible_cpus();
	uint32_t value_size = bpf_map__value_size(p->map), max = bpf_map__max_entries(p->map);
	bool percpu = is_percpu(bpf_map__type(p->map));
	void *prev = NULL;

	p->nr_rows = 0;
	while (p->nr_rows < max && !bpf_map_get_next_key(fd, prev, p->key)) {
		uint8_t *row = p->rows + p->nr_rows * p->row_size;

		prev = p->key;
		if (bpf_map_lookup_elem(fd, p->key, p->values))
			continue;
		memcpy(row, p->key, p->key_size);
		if (percpu)
			fold_percpu(p, row, p->values, value_size, ncpus);
		else
			memcpy(row + p->key_size, p->values, value_size);
		p->nr_rows++;
	}
}

const struct field *map_print_slots(const struct layout *l)
{
	const struct field *f = layout_find(l, "slots");

	if (f && f->kind == FIELD_ARRAY && f->elem->kind == FIELD_INT && f->elem->size <= 8)
		return f;
	return NULL;
}

static int alloc_buffers(struct map_printer *p, struct diag *d)
{
	int ncpus = libbpf_num_possible_cpus();
	uint32_t value_size = bpf_map__value_size(p->map), max = bpf_map__max_entries(p->map);
	size_t values = is_percpu(bpf_map__type(p->map))
				? (size_t)(value_size + 7) / 8 * 8 * (ncpus > 0 ? ncpus : 1)
				: value_size;

	p->key = calloc(1, p->key_size + 1);
	p->values = calloc(1, values + 1);
	p->rows = calloc(max ? max : 1, p->row_size);
	if (!p->key || !p->values || !p->rows)
		return diag_set(d, -ENOMEM, "map %s: out of memory", bpf_map__name(p->map));
	return 0;
}

int map_print_row_layout(const struct btf *btf, const struct bpf_map *map, const char *value_name,
			 const struct type_hints *hints, struct layout **row, struct diag *d)
{
	return layout_build_map_row(btf, bpf_map__btf_key_type_id(map), bpf_map__key_size(map),
				    bpf_map__btf_value_type_id(map), bpf_map__value_size(map),
				    value_name, hints, row, d);
}

int map_printer_init(struct map_printer *p, const struct map_print_ctx *c, const char *map,
		     const char *value_name, const struct column_list *columns, struct diag *d)
{
	const struct btf *btf = bpf_object__btf(c->obj);
	int i, err;

	memset(p, 0, sizeof(*p));
	p->map = bpf_object__find_map_by_name(c->obj, map);
	if (!p->map)
		return diag_set(d, -ENOENT, "no map \"%s\"", map);
	p->key_size = bpf_map__key_size(p->map);
	p->row_size = p->key_size + bpf_map__value_size(p->map);
	err = map_print_row_layout(btf, p->map, value_name, c->hints, &p->layout, d);
	for (i = 0; !err && i < p->layout->nr_fields && !p->value; i++)
		if (p->layout->fields[i].offset >= p->key_size)
			p->value = &p->layout->fields[i];
	if (!err)
		p->slots = map_print_slots(p->layout);
	err = err ?: alloc_buffers(p, d);
	err = err
		      ?: record_view_init(&p->view, c->mode, p->layout, columns, NULL, c->cond,
					  c->cond_ctx, c->out, d);
	p->view_ready = !err;
	if (err)
		map_printer_free(p);
	return err;
}

void map_printer_free(struct map_printer *p)
{
	if (p->view_ready)
		record_view_free(&p->view);
	layout_free(p->layout);
	free(p->rows);
	free(p->key);
	free(p->values);
	memset(p, 0, sizeof(*p));
}

static const struct map_printer *sorting;

/* Key fields in order: integers as numbers (a little-endian 256 is not below 1), others bytes. */
static int by_key(const void *a, const void *b)
{
	const struct layout *l = sorting->layout;
	int i, c;

	for (i = 0; i < l->nr_fields && l->fields[i].offset < sorting->key_size; i++) {
		const struct field *f = &l->fields[i];
		unsigned __int128 va, vb;

		if (f->kind != FIELD_INT && f->kind != FIELD_ENUM && f->kind != FIELD_BOOL) {
			c = f->bit_size ? 0
					: memcmp((const uint8_t *)a + f->offset,
						 (const uint8_t *)b + f->offset, f->size);
			if (c)
				return c;
			continue;
		}
		va = field_u128(f, a);
		vb = field_u128(f, b);
		if (va != vb && f->is_signed)
			return (__int128)va < (__int128)vb ? -1 : 1;
		if (va != vb)
			return va < vb ? -1 : 1;
	}
	return memcmp(a, b, sorting->key_size);
}

static int by_value_desc(const void *a, const void *b)
{
	uint64_t va = field_u64(sorting->value, a), vb = field_u64(sorting->value, b);

	if (va != vb)
		return va > vb ? -1 : 1;
	return by_key(a, b);
}

int map_print_exit(struct map_printer *p, const struct exit_map_spec *x)
{
	size_t i;

	collect_rows(p);
	sorting = p;
	if (p->value && x->sort_by_value_desc)
		qsort(p->rows, p->nr_rows, p->row_size, by_value_desc);
	else
		qsort(p->rows, p->nr_rows, p->row_size, by_key);
	record_view_header(&p->view);
	for (i = 0; i < p->nr_rows; i++)
		record_view_row(&p->view, p->rows + i * p->row_size);
	return 0;
}

#define SLOTS_MAX 256

/* The row's histogram buckets into vals (SLOTS_MAX at most); their count. */
static uint32_t read_slots(const struct map_printer *p, const uint8_t *row, uint64_t *vals)
{
	struct field elem = *p->slots->elem;
	uint32_t i, n = p->slots->count < SLOTS_MAX ? p->slots->count : SLOTS_MAX;

	for (i = 0; i < n; i++) {
		elem.offset = p->slots->offset + i * elem.size;
		vals[i] = field_u64(&elem, row);
	}
	return n;
}

/* The field whose key is the text between braces at open, or NULL. */
static const struct field *braced_field(const struct layout *l, const char *open, const char *close)
{
	int f;

	for (f = 0; f < l->nr_fields; f++)
		if (strlen(l->fields[f].key) == (size_t)(close - open - 1) &&
		    !strncmp(l->fields[f].key, open + 1, close - open - 1))
			return &l->fields[f];
	return NULL;
}

const char *map_print_unknown_field(const struct layout *l, const char *header, int *len)
{
	const char *open = header, *close;

	while ((open = strchr(open, '{')) && (close = strchr(open, '}'))) {
		if (!braced_field(l, open, close)) {
			*len = close - open - 1;
			return open + 1;
		}
		open = close + 1;
	}
	return NULL;
}

/* header with each {NAME} replaced by that field of the row, then a newline. */
static void put_header(struct out_buf *out, const struct layout *l, const uint8_t *row,
		       const char *header)
{
	const char *p = header, *close;
	const struct field *f;

	while (*p) {
		close = *p == '{' ? strchr(p, '}') : NULL;
		f = close ? braced_field(l, p, close) : NULL;
		if (f) {
			format_text(out, l, f, row);
			p = close + 1;
		} else {
			out_putc(out, *p++);
		}
	}
	out_putc(out, '\n');
}

/* The unit and header a sample shows now: its own, changed by each override that holds. */
static void sample_look(const struct map_print_ctx *c, const struct sample_spec *s,
			const char **unit, const char **header)
{
	int i;

	*unit = s->unit;
	*header = s->header;
	for (i = 0; i < s->nr_overrides; i++) {
		const struct sample_override *o = &s->overrides[i];

		if (!c->cond || !c->cond(c->cond_ctx, o->when))
			continue;
		*unit = o->unit ?: *unit;
		*header = o->header ?: *header;
	}
}

/* eunomia's layout: "key = ...", one "name = value" line per other member, then a blank line. */
static void put_key_lines(const struct map_print_ctx *c, const struct map_printer *p,
			  const uint8_t *row)
{
	const struct layout *l = p->layout;
	int f;

	out_puts(c->out, "key =");
	for (f = 0; f < l->nr_fields && l->fields[f].offset < p->key_size; f++) {
		out_putc(c->out, ' ');
		format_text(c->out, l, &l->fields[f], row);
	}
	out_putc(c->out, '\n');
	for (; f < l->nr_fields; f++) {
		if (&l->fields[f] == p->slots)
			continue;
		out_printf(c->out, "%s = ", l->fields[f].key);
		format_text(c->out, l, &l->fields[f], row);
		out_putc(c->out, '\n');
	}
	out_putc(c->out, '\n');
}

/*
 * One key's histogram. Without a header, eunomia's layout (key lines, the histogram, a blank
 * line); with one, libbpf-tools' print_log2_hists: the header line as written (runqlat's starts
 * with a blank line, "\npid = {key} {comm}"; hardirqs' does not), then the histogram.
 */
static void print_histogram_row(const struct map_print_ctx *c, const struct sample_spec *s,
				const struct map_printer *p, const uint8_t *row)
{
	uint64_t vals[SLOTS_MAX];
	uint32_t n = read_slots(p, row, vals);
	const char *unit, *header;

	sample_look(c, s, &unit, &header);
	if (!header)
		put_key_lines(c, p, row);
	else if (*header)
		put_header(c->out, p->layout, row, header);
	if (s->type == SAMPLE_LOG2_HIST)
		histogram_log2(c->out, vals, n, unit);
	else
		histogram_linear(c->out, vals, n, unit);
	if (!header)
		out_putc(c->out, '\n');
}

/*
 * One key's histogram as a JSON line: the row's other fields, "unit", and "buckets" up to the
 * last non-empty one, each {"low", "high", "count"} (log2: 2^i .. 2^(i+1) - 1 as bcc draws them;
 * linear: the value i).
 */
static void print_histogram_json(const struct map_print_ctx *c, const struct sample_spec *s,
				 const struct map_printer *p, const uint8_t *row)
{
	const struct layout *l = p->layout;
	uint64_t vals[SLOTS_MAX], low, high;
	uint32_t i, n = read_slots(p, row, vals), shown = 0;
	struct json_writer jw;
	const char *unit, *header;
	int f;

	sample_look(c, s, &unit, &header);
	jw_init(&jw, c->out);
	jw_object_begin(&jw);
	for (f = 0; f < l->nr_fields; f++) {
		if (&l->fields[f] == p->slots || l->fields[f].hidden)
			continue;
		jw_key(&jw, l->fields[f].key);
		format_json(&jw, l, &l->fields[f], row);
	}
	jw_key(&jw, "unit");
	jw_string(&jw, unit, strlen(unit));
	for (i = 0; i < n; i++)
		if (vals[i])
			shown = i + 1; /* up to the last non-empty bucket */
	if (shown > 64)
		shown = 64; /* as many as log2 bounds fit in 64 bits */
	jw_key(&jw, "buckets");
	jw_array_begin(&jw);
	for (i = 0; i < shown; i++) {
		if (s->type == SAMPLE_LOG2_HIST)
			histogram_log2_bounds(i, &low, &high);
		else
			low = high = i;
		jw_object_begin(&jw);
		jw_key(&jw, "low");
		jw_u64(&jw, low);
		jw_key(&jw, "high");
		jw_u64(&jw, high);
		jw_key(&jw, "count");
		jw_u64(&jw, vals[i]);
		jw_object_end(&jw);
	}
	jw_array_end(&jw);
	jw_object_end(&jw);
	out_putc(c->out, '\n');
}

static void clear_map(const struct map_printer *p)
{
	size_t i;

	for (i = 0; i < p->nr_rows; i++)
		bpf_map_delete_elem(bpf_map__fd(p->map), p->rows + i * p->row_size);
}

int map_print_sample(struct map_printer *p, const struct map_print_ctx *c,
		     const struct sample_spec *s, struct diag *d)
{
	bool histogram = s->type != SAMPLE_DEFAULT_KV;
	size_t i;

	if (s->when && c->cond && !c->cond(c->cond_ctx, s->when))
		return 0; /* not printed while its condition does not hold (an option not given) */
	if (histogram && !p->slots)
		return diag_set(d, -EINVAL,
				"sample map %s: a histogram needs an integer array member named "
				"slots",
				s->map);
	collect_rows(p);
	sorting = p;
	qsort(p->rows, p->nr_rows, p->row_size, by_key);
	if (!histogram && !p->header_done)
		record_view_header(&p->view);
	p->header_done = true;
	/* libbpf-tools print a blank line before each interval's histograms */
	if (histogram && c->mode == OUTPUT_TABLE && s->header)
		out_putc(c->out, '\n');
	for (i = 0; i < p->nr_rows; i++) {
		const uint8_t *row = p->rows + i * p->row_size;

		if (histogram && c->mode == OUTPUT_TABLE)
			print_histogram_row(c, s, p, row);
		else if (histogram)
			print_histogram_json(c, s, p, row);
		else
			record_view_row(&p->view, row);
	}
	if (s->clear)
		clear_map(p);
	return 0;
}

void map_print_prometheus(struct map_printer *p, const struct metric_spec *s, bool linear,
			  struct out_buf *out)
{
	const struct field **fields = calloc(s->nr_labels + 1, sizeof(*fields));
	struct out_buf labels, text;
	uint64_t vals[SLOTS_MAX], low, high, total;
	const char *sep;
	uint32_t i, n;
	size_t r;
	int f;

	if (!fields || !p->slots || out_buf_init(&labels, -1, 256)) {
		free(fields);
		return;
	}
	if (out_buf_init(&text, -1, 64)) {
		out_buf_free(&labels);
		free(fields);
		return;
	}
	for (f = 0; f < s->nr_labels; f++)
		fields[f] = layout_find(p->layout, s->labels[f]);
	metrics_write_help(out, s->name, s->help, "histogram");
	collect_rows(p);
	for (r = 0; r < p->nr_rows; r++) {
		const uint8_t *row = p->rows + r * p->row_size;

		labels.len = 0;
		metrics_field_labels(&labels, &text, p->layout, fields, s->labels, s->nr_labels,
				     row);
		out_putc(&labels, 0);
		sep = labels.len > 1 ? "," : "";
		n = read_slots(p, row, vals);
		if (!linear && n > 64)
			n = 64; /* as many as log2 bounds fit in 64 bits */
		for (i = 0, total = 0; i < n; i++) {
			total += vals[i];
			if (linear)
				high = i;
			else
				histogram_log2_bounds(i, &low, &high);
			out_printf(out, "%s_bucket{%s%sle=\"%llu\"} %llu\n", s->name, labels.data,
				   sep, (unsigned long long)high, (unsigned long long)total);
		}
		out_printf(out, "%s_bucket{%s%sle=\"+Inf\"} %llu\n", s->name, labels.data, sep,
			   (unsigned long long)total);
		out_printf(out, *sep ? "%s_count{%s} %llu\n" : "%s_count%s %llu\n", s->name,
			   labels.data, (unsigned long long)total);
	}
	out_buf_free(&labels);
	out_buf_free(&text);
	free(fields);
}
