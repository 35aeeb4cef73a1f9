// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Rendering throughput on the real bindsnoop package: the streaming JSON writer and the table
 * against a baseline measured in the same run, a cJSON tree built and printed per event
 * (what a loader that builds a document per event does). Output goes to /dev/null through
 * the same buffered writer, so only rendering is compared.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "output/format_value.h"
#include "format/meta.h"
#include "format/package_read.h"
#include "output/render.h"

#define EVENTS 1000000

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static bool always(void *ctx, const char *name)
{
	(void)ctx;
	(void)name;
	return false;
}

/* Distinct events: the pid, port and address change so no run renders the same bytes. */
static void make_events(const struct layout *l, uint8_t *events, int n)
{
	const struct field *pid = layout_find(l, "pid"), *port = layout_find(l, "port");
	const struct field *ip = layout_find(l, "ip"), *addr = layout_find(l, "addr");
	const struct field *comm = layout_find(l, "comm");
	int i;

	memset(events, 0, (size_t)n * l->size);
	for (i = 0; i < n; i++) {
		uint8_t *e = events + (size_t)i * l->size;
		uint32_t v = 1000 + i;

		memcpy(e + pid->offset, &v, 4);
		memcpy(e + port->offset, &v, 2);
		e[ip->offset] = i % 2 ? 6 : 4;
		e[addr->offset] = 127;
		e[addr->offset + 15] = i;
		memcpy(e + comm->offset, "benchmark", 9);
	}
}

static double run_view(enum output_mode mode, const struct package_meta *m, const struct layout *l,
		       const uint8_t *events, struct out_buf *out)
{
	struct record_view v;
	struct diag d;
	double start;
	int i;

	if (record_view_init(&v, mode, l, &m->columns, NULL, always, NULL, out, &d)) {
		fprintf(stderr, "bench: %s\n", d.msg);
		exit(1);
	}
	start = now();
	for (i = 0; i < EVENTS; i++) {
		record_view_row(&v, events + (size_t)i * l->size);
		if (out->len > out->cap / 2)
			out_buf_flush(out);
	}
	out_buf_flush(out);
	record_view_free(&v);
	return now() - start;
}

/* The baseline: one cJSON document per event, same fields, same text formatting. */
static double run_cjson_tree(const struct layout *l, const uint8_t *events, struct out_buf *out)
{
	struct out_buf text;
	double start = now();
	int i, f;

	out_buf_init(&text, -1, 256);
	for (i = 0; i < EVENTS; i++) {
		const uint8_t *e = events + (size_t)i * l->size;
		cJSON *obj = cJSON_CreateObject();
		char *line;

		for (f = 0; f < l->nr_fields; f++) {
			const struct field *fl = &l->fields[f];

			text.len = 0;
			format_text(&text, l, fl, e);
			out_putc(&text, 0);
			if (fl->kind == FIELD_INT)
				cJSON_AddNumberToObject(obj, fl->key, (double)field_u64(fl, e));
			else
				cJSON_AddStringToObject(obj, fl->key, text.data);
		}
		line = cJSON_PrintUnformatted(obj);
		out_puts(out, line);
		out_putc(out, '\n');
		free(line);
		cJSON_Delete(obj);
		if (out->len > out->cap / 2)
			out_buf_flush(out);
	}
	out_buf_flush(out);
	out_buf_free(&text);
	return now() - start;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "build/packages/bindsnoop/package.json";
	struct package pkg;
	struct package_meta m;
	struct bpf_object *obj;
	struct layout *l;
	struct out_buf out;
	struct diag d;
	uint8_t *events;
	double base, json, table;

	if (package_read_file(path, &pkg, &d) || meta_parse(pkg.meta, &m, &d)) {
		fprintf(stderr, "bench: %s\n", d.msg);
		return 1;
	}
	obj = bpf_object__open_mem(pkg.object, pkg.object_size, NULL);
	if (!obj || layout_build(bpf_object__btf(obj),
				 layout_find_record(bpf_object__btf(obj), m.events.type), &m.hints,
				 &l, &d)) {
		fprintf(stderr, "bench: cannot build the event layout\n");
		return 1;
	}
	events = malloc((size_t)EVENTS * l->size);
	make_events(l, events, EVENTS);
	out_buf_init(&out, open("/dev/null", O_WRONLY), 256 * 1024);
	base = run_cjson_tree(l, events, &out);
	json = run_view(OUTPUT_JSON, &m, l, events, &out);
	table = run_view(OUTPUT_TABLE, &m, l, events, &out);
	printf("rendering %d bindsnoop events (%s)\n", EVENTS, path);
	printf("  baseline, cJSON tree per event: %6.2f M events/s\n", EVENTS / base / 1e6);
	printf("  JSON lines, streaming writer:   %6.2f M events/s  %.1fx baseline\n",
	       EVENTS / json / 1e6, base / json);
	printf("  bcc table:                      %6.2f M events/s  %.1fx baseline\n",
	       EVENTS / table / 1e6, base / table);
	close(out.fd);
	out_buf_free(&out);
	free(events);
	layout_free(l);
	bpf_object__close(obj);
	meta_free(&m);
	package_free(&pkg);
	return 0;
}
