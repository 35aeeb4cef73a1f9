// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "run_metrics.h"

struct prog_stats {
	const char *name;
	uint64_t runs;
	uint64_t run_ns;
};

/* The kernel's statistics of each loaded program, read once per page (free them); NULL: none. */
static struct prog_stats *read_prog_stats(const struct run_metrics *rm, int *n)
{
	struct bpf_program *prog;
	struct bpf_prog_info info;
	struct prog_stats *stats = NULL, *grown;
	uint32_t len;

	*n = 0;
	if (!rm->loaded || !rm->loaded->obj)
		return NULL;
	bpf_object__for_each_program(prog, rm->loaded->obj) {
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		if (bpf_program__fd(prog) < 0 ||
		    bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len))
			continue;
		grown = realloc(stats, (*n + 1) * sizeof(*stats));
		if (!grown)
			break;
		stats = grown;
		stats[(*n)++] = (struct prog_stats){bpf_program__name(prog), info.run_cnt,
						    info.run_time_ns};
	}
	return stats;
}

/* ecli's own counters, then each program's runs and run time, then the package's. */
static void write_page(void *ctx, struct out_buf *out)
{
	struct run_metrics *rm = ctx;
	int i, n;
	struct prog_stats *stats = read_prog_stats(rm, &n);

	metrics_write_help(out, "ecli_events_total",
			   "Events the tool's programs sent that ecli read", "counter");
	metrics_write_value(out, "ecli_events_total", "", rm->events_total);
	metrics_write_help(out, "ecli_lost_events_total",
			   "Events the tool's programs could not send (a full buffer)", "counter");
	metrics_write_value(out, "ecli_lost_events_total", "",
			    rm->read_lost ? rm->read_lost(rm->lost_ctx) : 0);
	if (rm->loaded) {
		metrics_write_help(out, "ecli_bpf_program_runs_total",
				   "Times the kernel ran each program of the tool", "counter");
		for (i = 0; i < n; i++)
			out_printf(out, "ecli_bpf_program_runs_total{program=\"%s\"} %llu\n",
				   stats[i].name, (unsigned long long)stats[i].runs);
		metrics_write_help(out, "ecli_bpf_program_run_seconds_total",
				   "Time the kernel spent running each program of the tool",
				   "counter");
		for (i = 0; i < n; i++)
			out_printf(
				out,
				"ecli_bpf_program_run_seconds_total{program=\"%s\"} %llu.%09llu\n",
				stats[i].name, (unsigned long long)stats[i].run_ns / 1000000000,
				(unsigned long long)stats[i].run_ns % 1000000000);
	}
	free(stats);
	for (i = 0; i < rm->nr_histograms; i++)
		if (rm->histograms[i].ready)
			map_print_prometheus(&rm->histograms[i].printer, rm->histograms[i].spec,
					     rm->histograms[i].linear, out);
	metrics_write(&rm->m, out);
}

/* Whether a sample spec draws map's histogram as linear (log2 otherwise, and by default). */
static bool linear_histogram(const struct package_meta *meta, const char *map)
{
	int i;

	for (i = 0; i < meta->nr_samples; i++)
		if (!strcmp(meta->samples[i].map, map))
			return meta->samples[i].type == SAMPLE_LINEAR_HIST;
	return false;
}

static int add_package_metrics(struct run_metrics *rm, const struct package_meta *meta,
			       const struct layout *l, bool (*cond)(void *ctx, const char *name),
			       void *cond_ctx, struct diag *d)
{
	const struct metric_spec *s;
	int i, err = 0;

	rm->events = calloc(meta->nr_metrics + 1, sizeof(*rm->events));
	rm->histograms = calloc(meta->nr_metrics + 1, sizeof(*rm->histograms));
	if (!rm->events || !rm->histograms)
		return diag_set(d, -ENOMEM, "out of memory");
	for (i = 0; i < meta->nr_metrics && !err; i++) {
		s = &meta->metrics[i];
		if (s->when && !cond(cond_ctx, s->when))
			continue;
		if (s->type == METRIC_HISTOGRAM) {
			rm->histograms[rm->nr_histograms].spec = s;
			rm->histograms[rm->nr_histograms++].linear = linear_histogram(meta, s->map);
			continue;
		}
		if (!l)
			return diag_set(d, -EINVAL, "metrics[%d] (%s): the package sends no events",
					i, s->name);
		err = event_metric_init(&rm->events[rm->nr_events], &rm->m, s, l, d);
		if (!err)
			rm->nr_events++;
	}
	return err;
}

int run_metrics_open(struct run_metrics *rm, const char *addr, size_t max_series,
		     const struct package_meta *meta, const struct layout *l,
		     bool (*cond)(void *ctx, const char *name), void *cond_ctx, struct diag *d)
{
	int err;

	memset(rm, 0, sizeof(*rm));
	rm->stats_fd = -1;
	rm->meta = meta;
	metrics_init(&rm->m, max_series);
	err = out_buf_init(&rm->scratch, -1, 64) ? diag_set(d, -ENOMEM, "out of memory") : 0;
	err = err ?: add_package_metrics(rm, meta, l, cond, cond_ctx, d);
	err = err ?: metrics_server_open(&rm->server, addr, write_page, rm, d);
	if (err)
		run_metrics_close(rm);
	return err;
}

/* A printer per histogram metric over the loaded maps; one that fails is left out, said once. */
static void open_printers(struct run_metrics *rm, struct bpf_object *obj)
{
	struct map_print_ctx c = {
		.obj = obj, .mode = OUTPUT_JSON, .hints = &rm->meta->hints, .out = &rm->scratch};
	struct histogram_metric *h;
	struct diag d = {""};
	int i;

	for (i = 0; i < rm->nr_histograms; i++) {
		h = &rm->histograms[i];
		h->ready = !map_printer_init(&h->printer, &c, h->spec->map, "value", NULL, &d);
		if (!h->ready)
			diag_print("warning: metric %s is not served: %s", h->spec->name, d.msg);
	}
}

void run_metrics_loaded(struct run_metrics *rm, const struct loaded *loaded)
{
	rm->loaded = loaded;
	if (loaded && loaded->obj)
		open_printers(rm, loaded->obj);
	/* refcounted by the kernel: switched off when the last holder closes it */
	rm->stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
}

void run_metrics_event(struct run_metrics *rm, const void *record, bool shown)
{
	int i;

	rm->events_total++;
	for (i = 0; shown && i < rm->nr_events; i++)
		event_metric_count(&rm->events[i], &rm->m, record);
}

void run_metrics_step(struct run_metrics *rm, uint64_t (*read_lost)(void *ctx), void *ctx)
{
	rm->read_lost = read_lost;
	rm->lost_ctx = ctx;
	metrics_server_step(rm->server);
}

void run_metrics_close(struct run_metrics *rm)
{
	int i;

	metrics_server_close(rm->server);
	for (i = 0; rm->events && i < rm->nr_events; i++)
		event_metric_free(&rm->events[i]);
	free(rm->events);
	for (i = 0; rm->histograms && i < rm->nr_histograms; i++)
		if (rm->histograms[i].ready)
			map_printer_free(&rm->histograms[i].printer);
	free(rm->histograms);
	out_buf_free(&rm->scratch);
	if (rm->stats_fd >= 0)
		close(rm->stats_fd);
	metrics_free(&rm->m);
	memset(rm, 0, sizeof(*rm));
	rm->stats_fd = -1;
}
