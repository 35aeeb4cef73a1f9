#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "format_value.h"
#include "histogram.h"
#include "map_print.h"

/* A map's entries as rows: each key followed by its value, as layout_build_map_row lays out. */
struct map_rows {
	struct layout *layout;
	uint8_t *data;
	size_t row_size;
	size_t nr;
	uint32_t key_size;
	const struct field *value; /* the first field of the value part */
};

static bool is_percpu(enum bpf_map_type type)
{
	return type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

/* Per-CPU values: integer fields (counters) are summed over the CPUs, others are CPU 0's. */
static void fold_percpu(const struct map_rows *rows, uint8_t *row, const uint8_t *vals,
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

static int collect_rows(struct bpf_map *map, struct map_rows *rows, struct diag *d)
{
	int fd = bpf_map__fd(map), ncpus = libbpf_num_possible_cpus();
	uint32_t value_size = bpf_map__value_size(map), max = bpf_map__max_entries(map);
	bool percpu = is_percpu(bpf_map__type(map));
	size_t value_buf =
		percpu ? (size_t)(value_size + 7) / 8 * 8 * (ncpus > 0 ? ncpus : 1) : value_size;
	uint8_t *key = calloc(1, rows->key_size + 1), *vals = calloc(1, value_buf + 1);
	void *prev = NULL;
	int err = 0;

	rows->data = calloc(max ? max : 1, rows->row_size);
	if (!key || !vals || !rows->data) {
		err = diag_set(d, -ENOMEM, "map %s: out of memory", bpf_map__name(map));
		goto out;
	}
	while (rows->nr < max && !bpf_map_get_next_key(fd, prev, key)) {
		uint8_t *row = rows->data + rows->nr * rows->row_size;

		prev = key;
		if (bpf_map_lookup_elem(fd, key, vals))
			continue; /* deleted meanwhile */
		memcpy(row, key, rows->key_size);
		if (percpu)
			fold_percpu(rows, row, vals, value_size, ncpus);
		else
			memcpy(row + rows->key_size, vals, value_size);
		rows->nr++;
	}
out:
	free(key);
	free(vals);
	return err;
}

static int map_rows_read(struct bpf_map *map, struct bpf_object *obj, const char *value_name,
			 const cJSON *hints, struct map_rows *rows, struct diag *d)
{
	const struct btf *btf = bpf_object__btf(obj);
	int i, err;

	memset(rows, 0, sizeof(*rows));
	rows->key_size = bpf_map__key_size(map);
	rows->row_size = rows->key_size + bpf_map__value_size(map);
	err = layout_build_map_row(btf, bpf_map__btf_key_type_id(map), rows->key_size,
				   bpf_map__btf_value_type_id(map), bpf_map__value_size(map),
				   value_name, hints, &rows->layout, d);
	if (err)
		return err;
	for (i = 0; i < rows->layout->nr_fields && !rows->value; i++)
		if (rows->layout->fields[i].offset >= rows->key_size)
			rows->value = &rows->layout->fields[i];
	return collect_rows(map, rows, d);
}

static void map_rows_free(struct map_rows *rows)
{
	layout_free(rows->layout);
	free(rows->data);
}

static const struct map_rows *sorting;

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

int map_print_exit(const struct map_print_ctx *c, const struct exit_map_spec *x, struct diag *d)
{
	struct bpf_map *map = bpf_object__find_map_by_name(c->obj, x->map);
	struct record_view view;
	struct map_rows rows;
	size_t i;
	int err;

	if (!map)
		return diag_set(d, -ENOENT, "exit_maps: no map \"%s\"", x->map);
	err = map_rows_read(map, c->obj, x->value_name, c->hints, &rows, d);
	err = err
		      ?: record_view_init(&view, c->mode, rows.layout, x->columns, NULL, c->cond,
					  c->cond_ctx, c->out, d);
	if (err) {
		map_rows_free(&rows);
		return err;
	}
	sorting = &rows;
	if (rows.value && x->sort_by_value_desc)
		qsort(rows.data, rows.nr, rows.row_size, by_value_desc);
	else
		qsort(rows.data, rows.nr, rows.row_size, by_key);
	record_view_header(&view);
	for (i = 0; i < rows.nr; i++)
		record_view_row(&view, rows.data + i * rows.row_size);
	record_view_free(&view);
	map_rows_free(&rows);
	return 0;
}

static const struct field *slots_field(const struct layout *l)
{
	const struct field *f = layout_find(l, "slots");

	if (f && f->kind == FIELD_ARRAY && f->elem->kind == FIELD_INT && f->elem->size <= 8)
		return f;
	return NULL;
}

/* eunomia's layout: "key = ...", one "name = value" line per other member, the histogram. */
static void print_histogram_row(const struct map_print_ctx *c, const struct sample_spec *s,
				const struct map_rows *rows, const uint8_t *row)
{
	const struct layout *l = rows->layout;
	const struct field *slots = slots_field(l);
	uint64_t vals[256];
	uint32_t i, n = slots ? (slots->count < 256 ? slots->count : 256) : 0;
	int f;

	out_puts(c->out, "key =");
	for (f = 0; f < l->nr_fields && l->fields[f].offset < rows->key_size; f++) {
		out_putc(c->out, ' ');
		format_text(c->out, l, &l->fields[f], row);
	}
	out_putc(c->out, '\n');
	for (; f < l->nr_fields; f++) {
		if (&l->fields[f] == slots)
			continue;
		out_printf(c->out, "%s = ", l->fields[f].key);
		format_text(c->out, l, &l->fields[f], row);
		out_putc(c->out, '\n');
	}
	for (i = 0; i < n; i++) {
		struct field elem = *slots->elem;

		elem.offset = slots->offset + i * elem.size;
		vals[i] = field_u64(&elem, row);
	}
	out_putc(c->out, '\n');
	if (!strcmp(s->type, "log2_hist"))
		histogram_log2(c->out, vals, n, s->unit);
	else
		histogram_linear(c->out, vals, n, s->unit);
	out_putc(c->out, '\n');
}

static void clear_map(struct bpf_map *map, const struct map_rows *rows)
{
	size_t i;

	for (i = 0; i < rows->nr; i++)
		bpf_map_delete_elem(bpf_map__fd(map), rows->data + i * rows->row_size);
}

int map_print_sample(const struct map_print_ctx *c, const struct sample_spec *s, bool *header_done,
		     struct diag *d)
{
	struct bpf_map *map = bpf_object__find_map_by_name(c->obj, s->map);
	bool histogram = strcmp(s->type, "default_kv") != 0;
	struct record_view view;
	struct map_rows rows;
	size_t i;
	int err;

	if (!map)
		return diag_set(d, -ENOENT, "sample: no map \"%s\"", s->map);
	err = map_rows_read(map, c->obj, "value", c->hints, &rows, d);
	if (!err && histogram && c->mode == OUTPUT_TABLE && !slots_field(rows.layout))
		err = diag_set(d, -EINVAL,
			       "sample map %s: a histogram needs an integer array "
			       "member named slots",
			       s->map);
	err = err
		      ?: record_view_init(&view, c->mode, rows.layout, NULL, NULL, c->cond,
					  c->cond_ctx, c->out, d);
	if (err) {
		map_rows_free(&rows);
		return err;
	}
	sorting = &rows;
	qsort(rows.data, rows.nr, rows.row_size, by_key);
	if (!histogram && !*header_done)
		record_view_header(&view);
	*header_done = true;
	for (i = 0; i < rows.nr; i++) {
		const uint8_t *row = rows.data + i * rows.row_size;

		if (histogram && c->mode == OUTPUT_TABLE)
			print_histogram_row(c, s, &rows, row);
		else
			record_view_row(&view, row);
	}
	if (s->clear)
		clear_map(map, &rows);
	record_view_free(&view);
	map_rows_free(&rows);
	return 0;
}
