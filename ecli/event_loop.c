// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/param.h>
#include <bpf/bpf.h>
#include "event_loop.h"
#include "core/stop_signal.h"

#define POLL_MS	       100
#define LOST_REPORT_MS 1000
#define PERFBUF_PAGES  64
/*
 * Under load the reader waits a little before each drain: the ring buffer wakes a reader only
 * once it has caught up, and the perf buffer's wakeups find nobody waiting, so the producers
 * skip the wakeup and the reader drains a batch in one go and writes it with one write().
 * Load is a rate, not a batch size: a reader that keeps up drains a few events at a time, and
 * waiting in epoll for each few costs the traced CPU a wakeup (an interrupt, and in a VM an
 * exit) every few events. Events since the last drain arriving at BUSY_PER_SEC or more mean
 * busy; fewer mean quiet: the reader waits in epoll again and the next event is printed at
 * once. The wait is at most BATCH_MAX_NS, and short enough that at the rate just seen the
 * buffer fills to at most a quarter.
 */
#define BUSY_PER_SEC   1000
#define BATCH_MAX_NS   4000000ULL
#define RINGBUF_HEADER 8

struct loop {
	struct event_loop_config *c;
	struct ring_buffer *rb;
	struct perf_buffer *pb;
	uint8_t *scratch;   /* events shorter than their type, padded with zeros */
	bool size_warned;   /* an event not of its type's size was reported */
	int lost_fd;	    /* the package's counter of events it could not send, or -1 */
	uint64_t perf_lost; /* losses the perf buffer reported, when there is no counter */
	uint64_t lost_reported;
	uint64_t *next_sample; /* per sample map: when it is due */
	uint64_t capacity;     /* bytes the event buffer holds (per CPU for the perf buffer) */
	uint64_t drained;      /* events and their bytes since the last poll */
	uint64_t drained_bytes;
	uint64_t last_drain_ns;
	struct map_printer *samplers;
};

/*
 * An event whose size is not its type's is shown all the same (cut, or padded with zeros), but
 * never without a word: once, loudly. The perf buffer pads a record to 8 bytes with its
 * 4-byte size, so up to 7 bytes more are its own.
 */
static void check_size(struct loop *l, size_t size)
{
	const struct event_loop_config *c = l->c;
	size_t slack = l->pb ? 7 : 0;

	if (l->size_warned || (size >= c->event_size && size <= c->event_size + slack))
		return;
	l->size_warned = true;
	diag_print("warning: an event of %zu bytes arrived, but its type, struct %s, is %u bytes: "
		   "events are shown %s (is events.type the struct the programs send?)",
		   size, c->meta->events.type, c->event_size,
		   size < c->event_size ? "padded with zeros" : "cut to the type's size");
}

static void render_event(struct loop *l, const void *data, size_t size)
{
	struct event_loop_config *c = l->c;
	bool shown;

	l->drained++;
	l->drained_bytes += size + RINGBUF_HEADER;
	check_size(l, size);
	if (size < c->event_size) {
		memset(l->scratch, 0, c->event_size);
		memcpy(l->scratch, data, size);
		data = l->scratch;
	}
	if (c->no_events)
		shown = record_view_passes(c->events, data);
	else if ((shown = record_view_row(c->events, data)))
		out_buf_end_record(c->maps.out);
	if (c->metrics)
		run_metrics_event(c->metrics, data, shown);
}

static int on_ringbuf_event(void *ctx, void *data, size_t size)
{
	render_event(ctx, data, size);
	return 0;
}

static void on_perf_event(void *ctx, int cpu, void *data, __u32 size)
{
	(void)cpu;
	render_event(ctx, data, size);
}

static void on_perf_lost(void *ctx, int cpu, __u64 count)
{
	struct loop *l = ctx;

	(void)cpu;
	l->perf_lost += count;
}

static int open_event_source(struct loop *l, struct diag *d)
{
	struct event_loop_config *c = l->c;
	struct bpf_map *map;

	if (!c->events)
		return 0;
	map = variants_event_map(&c->meta->events, c->loaded->obj, c->loaded->perfbuf);
	if (!map)
		return diag_set(d, -ENOENT, "the package has an event type but no event map");
	l->scratch = calloc(1, c->event_size);
	if (!l->scratch)
		return diag_set(d, -ENOMEM, "out of memory");
	l->capacity = c->loaded->perfbuf ? PERFBUF_PAGES * (uint64_t)sysconf(_SC_PAGESIZE)
					 : bpf_map__max_entries(map);
	if (c->loaded->perfbuf)
		l->pb = perf_buffer__new(bpf_map__fd(map), PERFBUF_PAGES, on_perf_event,
					 on_perf_lost, l, NULL);
	else
		l->rb = ring_buffer__new(bpf_map__fd(map), on_ringbuf_event, l, NULL);
	/* the perf buffer reports its own losses; a full ring buffer says nothing */
	if (l->rb && l->lost_fd < 0)
		fprintf(stderr,
			"ecli: warning: the package has no lost-event counter "
			"(events.lost_counter): events dropped while the ring buffer is full "
			"cannot be reported\n");
	if (!l->pb && !l->rb)
		return diag_set(d, -errno, "map %s: cannot read events: %s", bpf_map__name(map),
				strerror(errno));
	return 0;
}

static uint64_t read_lost(struct loop *l)
{
	int ncpus = libbpf_num_possible_cpus(), i;
	uint64_t sum = 0, *vals;
	uint32_t zero = 0;

	if (l->lost_fd < 0)
		return l->perf_lost;
	vals = calloc(ncpus > 0 ? ncpus : 1, sizeof(*vals));
	if (vals && !bpf_map_lookup_elem(l->lost_fd, &zero, vals))
		for (i = 0; i < ncpus; i++)
			sum += vals[i];
	free(vals);
	return sum;
}

/* read_lost for a metrics page: only when one is asked for, not at every poll. */
static uint64_t lost_so_far(void *ctx)
{
	return read_lost(ctx);
}

/* Said with the first loss: what the kept variant counts as lost besides a full buffer's. */
static void explain_lost(const struct event_loop_config *c)
{
	const char *name = c->loaded->variant;
	int i;

	for (i = 0; name && i < c->meta->nr_variants; i++)
		if (!strcmp(c->meta->variants[i].name, name) && c->meta->variants[i].counts_as_lost)
			diag_print("note: variant %s counts as lost, besides events a full buffer "
				   "dropped: %s",
				   name, c->meta->variants[i].counts_as_lost);
}

static void report_lost(struct loop *l)
{
	uint64_t lost = read_lost(l);

	if (lost <= l->lost_reported)
		return;
	fprintf(stderr, "lost %llu events (%llu in total)\n",
		(unsigned long long)(lost - l->lost_reported), (unsigned long long)lost);
	if (!l->lost_reported)
		explain_lost(l->c);
	l->lost_reported = lost;
}

/* How often sample i prints: the package's interval, else --interval; 0: at exit only. */
static uint64_t sample_interval(const struct loop *l, int i)
{
	int ms = l->c->meta->samples[i].interval_ms;

	return ms ? (uint64_t)ms : l->c->interval_ms;
}

/* A bpf_printk line: on stderr as the task and its text, or a JSON line with -j. */
static void show_printk(void *ctx, const struct printk_line *p)
{
	struct event_loop_config *c = ctx;
	char raw[64], task[64 * 4], text[512];
	struct json_writer jw;

	if (c->maps.mode == OUTPUT_JSON) {
		jw_init(&jw, c->maps.out);
		jw_object_begin(&jw);
		jw_key(&jw, "printk");
		jw_string(&jw, p->text, strlen(p->text));
		jw_key(&jw, "task");
		jw_string(&jw, p->task, p->task_len);
		jw_key(&jw, "pid");
		jw_s64(&jw, p->pid);
		jw_object_end(&jw);
		out_putc(c->maps.out, '\n');
		out_buf_end_record(c->maps.out);
		return;
	}
	snprintf(raw, sizeof(raw), "%.*s", (int)p->task_len, p->task);
	diag_escape(raw, task, sizeof(task));
	diag_escape(p->text, text, sizeof(text));
	fprintf(stderr, "%s: %s\n", task, text);
}

static int print_due_samples(struct loop *l, uint64_t now, struct diag *d)
{
	const struct package_meta *m = l->c->meta;
	int i, err;

	for (i = 0; i < m->nr_samples; i++) {
		if (!sample_interval(l, i) || now < l->next_sample[i])
			continue;
		l->next_sample[i] = now + sample_interval(l, i);
		err = map_print_sample(&l->samplers[i], &l->c->maps, &m->samples[i], d);
		if (err)
			return err;
	}
	return 0;
}

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000ULL + t.tv_nsec;
}

/* After a busy drain: time for the next batch to gather, bounded by the buffer's room. */
static void wait_for_batch(struct loop *l)
{
	uint64_t now = now_ns(), since = now - l->last_drain_ns, wait = BATCH_MAX_NS;
	bool busy = l->drained && l->drained * 1000000000ULL >= BUSY_PER_SEC * since;

	if (busy && since)
		wait = MIN(wait, l->capacity / 4 * since / l->drained_bytes);
	l->drained = l->drained_bytes = 0;
	l->last_drain_ns = now;
	if (busy && wait)
		nanosleep(&(struct timespec){0, wait}, NULL);
}

static int poll_once(struct loop *l, struct diag *d)
{
	int n = 0;

	wait_for_batch(l);

	if (l->rb)
		n = ring_buffer__poll(l->rb, POLL_MS);
	else if (l->pb)
		n = perf_buffer__poll(l->pb, POLL_MS);
	else
		nanosleep(&(struct timespec){0, POLL_MS * 1000000L}, NULL);
	if (n < 0 && n != -EINTR)
		return diag_set(d, n, "reading events failed: %s", strerror(-n));
	return 0;
}

static int run(struct loop *l, struct diag *d)
{
	struct event_loop_config *c = l->c;
	uint64_t next_lost = stop_signal_now_ms() + LOST_REPORT_MS, now;
	int err = 0;

	stop_signal_deadline(c->duration_ms);
	while (!stop_signal_raised() && !err && !c->maps.out->error) {
		err = poll_once(l, d);
		if (c->metrics)
			run_metrics_step(c->metrics, lost_so_far, l);
		if (c->printk)
			printk_pipe_read(c->printk, show_printk, c);
		now = stop_signal_now_ms();
		if (!err && c->meta->nr_samples)
			err = print_due_samples(l, now, d);
		out_buf_flush(c->maps.out);
		if (now >= next_lost) {
			report_lost(l);
			next_lost = now + LOST_REPORT_MS;
		}
	}
	return err;
}

/* Detach first, so nothing new arrives, then drain and print what the maps hold. */
static int finish(struct loop *l, struct diag *d)
{
	struct event_loop_config *c = l->c;
	const struct package_meta *m = c->meta;
	uint64_t lost;
	int i, err = 0;

	loaded_detach(c->loaded);
	if (c->printk)
		printk_pipe_read(c->printk, show_printk, c);
	if (l->rb)
		ring_buffer__consume(l->rb);
	if (l->pb)
		perf_buffer__consume(l->pb);
	/* what maps printed at exit (as libbpf-tools print on Ctrl-C) gathered since last time */
	for (i = 0; i < m->nr_samples && !err && !c->maps.out->error; i++)
		if (!m->samples[i].interval_ms)
			err = map_print_sample(&l->samplers[i], &c->maps, &m->samples[i], d);
	for (i = 0; i < m->nr_exit_maps && !err && !c->maps.out->error; i++) {
		const struct exit_map_spec *x = &m->exit_maps[i];
		struct map_printer p;

		if (x->when && !c->maps.cond(c->maps.cond_ctx, x->when))
			continue;
		err = map_printer_init(&p, &c->maps, x->map, x->value_name, &x->columns, d);
		if (!err)
			map_print_exit(&p, x);
		map_printer_free(&p);
	}
	out_buf_flush(c->maps.out);
	lost = read_lost(l);
	if (lost)
		fprintf(stderr, "lost %llu events\n", (unsigned long long)lost);
	if (lost && !l->lost_reported)
		explain_lost(c);
	return err;
}

int event_loop_run(struct event_loop_config *c, struct diag *d)
{
	const struct events_spec *e = &c->meta->events;
	struct bpf_map *lost_map =
		e->lost_counter ? bpf_object__find_map_by_name(c->loaded->obj, e->lost_counter)
				: NULL;
	struct loop l = {.c = c, .lost_fd = lost_map ? bpf_map__fd(lost_map) : -1};
	int n = c->meta->nr_samples, i, err;

	l.next_sample = calloc(n + 1, sizeof(*l.next_sample));
	l.samplers = calloc(n + 1, sizeof(*l.samplers));
	err = l.next_sample && l.samplers ? 0 : diag_set(d, -ENOMEM, "out of memory");
	for (i = 0; i < n && !err; i++) {
		l.next_sample[i] = stop_signal_now_ms() + sample_interval(&l, i);
		err = map_printer_init(&l.samplers[i], &c->maps, c->meta->samples[i].map, "value",
				       NULL, d);
	}
	err = err ?: open_event_source(&l, d);
	if (!err && c->ready)
		c->ready(c->ready_ctx);
	err = err ?: run(&l, d);
	if (!err)
		err = finish(&l, d);
	else
		loaded_detach(c->loaded);
	ring_buffer__free(l.rb);
	perf_buffer__free(l.pb);
	free(l.scratch);
	for (i = 0; l.samplers && i < n; i++)
		map_printer_free(&l.samplers[i]);
	free(l.next_sample);
	free(l.samplers);
	return err;
}
