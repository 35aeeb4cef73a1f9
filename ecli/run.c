// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ecli run: reads the package, parses the tool's arguments from its meta, loads the first hook
 * variant that works on this kernel, and renders events from BTF until stopped.
 */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "cli.h"
#include "run.h"
#include "event_loop.h"
#include "run_metrics.h"
#include "args/tool_help.h"
#include "check/package_check.h"
#include "core/cgroup_path.h"
#include "core/stop_signal.h"
#include "core/term_text.h"
#include "fetch/package_source.h"
#include "load/kernel_btf.h"
#include "load/tracefs.h"
#include "load/variants.h"
#include "object/output_sizes.h"
#include "output/cgroup_names.h"

#define OUT_BUF_BYTES (256 * 1024)

struct run_opts {
	struct load_opts load;
	struct fetch_opts fetch;
	bool json;
	uint64_t duration_ms;
	uint64_t interval_ms;
	const char *metrics_addr; /* --metrics */
	unsigned long long max_series;
	bool no_events;
	const char *path;
	int tool_argc;
	char **tool_argv;
};

struct session {
	struct run_opts *o;
	char label[PACKAGE_LABEL_MAX]; /* the package, as messages name it */
	struct package_origin origin;  /* what was verified */
	struct package pkg;
	struct package_meta meta;
	struct bpf_object *first; /* opened, never loaded: types, arguments, conditions */
	struct tool_settings settings;
	struct layout *event_layout;
	struct cgroup_names *cgroups; /* names the event's "cgroup" fields, if it has one */
	struct record_view view;
	bool view_ready;
	struct loaded loaded;
	struct out_buf out;
	struct kernel_btf kernel_btf;
	struct printk_pipe printk;
	struct run_metrics metrics;
	bool metrics_open;
};

static int parse_ringbuf_size(const char *text, uint32_t *out)
{
	unsigned long long v;
	long page = sysconf(_SC_PAGESIZE);

	if (cli_parse_uint("--ringbuf-size", text, 1ULL << 30, &v))
		return -EINVAL;
	if (v < (unsigned long long)page || (v & (v - 1))) {
		diag_print("--ringbuf-size: '%s' is not a power of two of at least %ld", text,
			   page);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

static const struct option run_options[] = {
	{"help", no_argument, NULL, 'h'},
	{"json", no_argument, NULL, 'j'},
	{"verbose", no_argument, NULL, 'v'},
	{"ringbuf-size", required_argument, NULL, OPT_RINGBUF_SIZE},
	{"perfbuf", no_argument, NULL, OPT_PERFBUF},
	{"btf", required_argument, NULL, OPT_BTF},
	{"variant", required_argument, NULL, OPT_VARIANT},
	{"duration", required_argument, NULL, OPT_DURATION},
	{"interval", required_argument, NULL, OPT_INTERVAL},
	{"metrics", required_argument, NULL, OPT_METRICS},
	{"metrics-max-series", required_argument, NULL, OPT_METRICS_MAX_SERIES},
	{"no-events", no_argument, NULL, OPT_NO_EVENTS},
	{"cgroup-root", required_argument, NULL, OPT_CGROUP_ROOT},
	CLI_FETCH_OPTIONS,
	{0},
};

/* A whole number of seconds, at least 1; why names the option and what leaving it out does. */
static int parse_seconds(const char *opt, const char *text, const char *without, uint64_t *ms)
{
	unsigned long long secs;

	if (cli_parse_uint(opt, text, 86400 * 365, &secs))
		return -EINVAL;
	if (!secs) {
		diag_print("%s: give at least 1 second (leave it out to %s)", opt, without);
		return -EINVAL;
	}
	*ms = secs * 1000;
	return 0;
}

static int set_cgroup_root(const char *path)
{
	struct diag d = {""};
	int err = cgroup2_set_root(path, "--cgroup-root", &d);

	if (err)
		diag_print("%s", d.msg);
	return err;
}

static int run_option(int opt, struct run_opts *o)
{
	int fetch = cli_fetch_option(opt, optarg, &o->fetch);

	if (fetch)
		return fetch < 0 ? fetch : 0;
	switch (opt) {
	case 'j':
		o->json = true;
		return 0;
	case 'v':
		o->load.verbose++;
		return 0;
	case OPT_PERFBUF:
		o->load.force_perfbuf = true;
		return 0;
	case OPT_RINGBUF_SIZE:
		return parse_ringbuf_size(optarg, &o->load.ringbuf_bytes);
	case OPT_BTF:
		o->load.btf_path = optarg;
		return 0;
	case OPT_VARIANT:
		o->load.variant = optarg;
		return 0;
	case OPT_DURATION:
		return parse_seconds("--duration", optarg, "trace until Ctrl-C", &o->duration_ms);
	case OPT_INTERVAL:
		return parse_seconds("--interval", optarg, "print histograms at exit",
				     &o->interval_ms);
	case OPT_METRICS:
		o->metrics_addr = optarg;
		return 0;
	case OPT_METRICS_MAX_SERIES:
		if (cli_parse_uint("--metrics-max-series", optarg, 10000000, &o->max_series))
			return -EINVAL;
		if (!o->max_series)
			diag_print("--metrics-max-series: give at least 1");
		return o->max_series ? 0 : -EINVAL;
	case OPT_NO_EVENTS:
		o->no_events = true;
		return 0;
	case OPT_CGROUP_ROOT:
		return set_cgroup_root(optarg);
	}
	return -EINVAL;
}

/* Options up to PACKAGE are ecli's; everything after it belongs to the tool. 1: -h given. */
static int parse_run_opts(int argc, char **argv, struct run_opts *o)
{
	int opt;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+:hjv", run_options, NULL)) != -1) {
		if (opt == 'h')
			return 1;
		if (opt == '?' || opt == ':')
			return cli_bad_option(opt, argv, NULL, "ecli run -h");
		if (run_option(opt, o))
			return -EINVAL;
	}
	if (optind >= argc) {
		diag_print("run: no PACKAGE given (see ecli run -h)");
		return -EINVAL;
	}
	if ((o->no_events || o->max_series) && !o->metrics_addr) {
		diag_print("%s: give --metrics HOST:PORT too (it only changes what --metrics does)",
			   o->no_events ? "--no-events" : "--metrics-max-series");
		return -EINVAL;
	}
	o->path = argv[optind];
	o->tool_argc = argc - optind - 1;
	o->tool_argv = argv + optind + 1;
	return 0;
}

static bool condition(void *ctx, const char *name)
{
	struct session *s = ctx;

	return tool_args_condition(&s->settings, s->first, name);
}

/*
 * An event with a "cgroup" field: what resolves its container and unit, once the tool runs
 * (nothing: a warning).
 */
static void name_cgroups(struct session *s)
{
	struct diag d = {""};
	int i;

	for (i = 0; s->event_layout && i < s->event_layout->nr_fields; i++) {
		if (s->event_layout->fields[i].kind != FIELD_CGROUP_NAME)
			continue;
		if (cgroup_names_open(&s->cgroups, &d))
			diag_print("warning: %s; events show no container or unit", d.msg);
		s->event_layout->cgroups = s->cgroups;
		break;
	}
}

static int build_event_layout(struct session *s, struct diag *d)
{
	const char *type = s->meta.events.type;
	int id;

	if (!type)
		return 0;
	id = layout_find_record(bpf_object__btf(s->first), type);
	if (id < 0)
		return diag_set(d, -EINVAL, "event type \"%s\" is not a struct in the object's BTF",
				type);
	return layout_build(bpf_object__btf(s->first), id, &s->meta.hints, &s->event_layout, d);
}

/* An exit map that replaces events (like --count) means no event table is printed. */
static bool events_replaced(struct session *s)
{
	int i;

	for (i = 0; i < s->meta.nr_exit_maps; i++) {
		const struct exit_map_spec *x = &s->meta.exit_maps[i];

		if (x->replaces_events && (!x->when || condition(s, x->when)))
			return true;
	}
	return false;
}

static int prepare_view(struct session *s, enum output_mode mode, struct diag *d)
{
	int err;

	s->view.mode = mode;
	/* an event type without an event map describes sample maps only (eunomia's runqlat) */
	if (!s->event_layout || !(variants_event_map(&s->meta.events, s->first, false) ||
				  variants_event_map(&s->meta.events, s->first, true)))
		return 0;
	err = record_view_init(&s->view, mode, s->event_layout, &s->meta.columns,
			       s->settings.columns, condition, s, &s->out, d);
	s->view_ready = !err;
	return err ?: record_view_filter(&s->view, s->settings.filters, s->settings.nr_filters, d);
}

/* Logs say which bytes ran: the digest, and what vouched for them (escaped as every message). */
static void say_origin(struct session *s)
{
	char line[PACKAGE_LABEL_MAX + PATH_MAX + 200];

	package_origin_text(s->label, &s->origin, "running", line, sizeof(line));
	diag_print("%s", line);
}

/* --metrics: its socket listens from here on, before anything loads. */
static int open_metrics(struct session *s, struct diag *d)
{
	const struct run_opts *o = s->o;
	int err;

	if (!o->metrics_addr)
		return 0;
	err = run_metrics_open(&s->metrics, o->metrics_addr,
			       o->max_series ? o->max_series : METRICS_MAX_SERIES, &s->meta,
			       s->view_ready ? s->event_layout : NULL, condition, s, d);
	s->metrics_open = !err;
	return err;
}

/* Everything that can be refused for bad input is checked here, before anything loads. */
static int prepare(struct session *s, struct diag *d)
{
	struct run_opts *o = s->o;
	int err;

	o->load.pkg = &s->pkg;
	o->load.meta = &s->meta;
	o->load.settings = &s->settings;
	err = o->load.btf_path ? package_check_btf_file(o->load.btf_path, d) : 0;
	err = err ?: package_source_read(o->path, &o->fetch, &s->pkg, s->label, &s->origin, d);
	if (!err && s->origin.digest[0])
		say_origin(s);
	err = err ?: cli_about_package(s->label, meta_parse(s->pkg.meta, &s->meta, d), d);
	err = err ?: cli_about_package(s->label, variants_check_forced(&o->load, d), d);
	err = err ?: variants_open(&o->load, &s->first, d);
	err = err ?: cli_about_package(s->label, package_check(&s->meta, s->first, d), d);
	err = err ?: build_event_layout(s, d);
	err = err
		      ?: tool_args_parse(&s->settings, &s->meta, s->first, o->tool_argc,
					 o->tool_argv, d);
	if (err || s->settings.help)
		return err;
	err = tool_args_apply_before_load(&s->settings, s->first, d);
	err = err ?: prepare_view(s, o->json ? OUTPUT_JSON : s->settings.output, d);
	return err ?: open_metrics(s, d);
}

/* Once events can be read: a line printed right after the banner is never missed. */
static void announce_ready(void *ctx)
{
	struct session *s = ctx;

	name_cgroups(s);
	if (s->meta.banner) {
		char *banner = strdup(s->meta.banner);

		if (banner) /* the package's words reach a terminal */
			term_text_sanitize(banner, strlen(banner), true);
		fprintf(stderr, "%s\n", banner ? banner : "");
		free(banner);
	} else
		fprintf(stderr, "Running %s ... Hit Ctrl-C to end\n", s->meta.tool_name);
	if (s->view_ready)
		record_view_start(&s->view);
	if (s->view_ready && !events_replaced(s) && !s->o->no_events)
		record_view_header(&s->view);
	out_buf_flush(&s->out);
}

/* The programs' bpf_printk lines, where they call it: shown while the tool runs. */
static struct printk_pipe *open_printk(struct session *s)
{
	struct diag why;

	if (!output_prints(s->first))
		return NULL;
	if (!printk_pipe_open(&s->printk, &why))
		return &s->printk;
	diag_print("warning: the programs' bpf_printk lines cannot be shown: %s", why.msg);
	return NULL;
}

static int run_session(struct session *s, struct diag *d)
{
	struct event_loop_config c = {
		.loaded = &s->loaded,
		.meta = &s->meta,
		.events = s->view_ready ? &s->view : NULL,
		.event_size = s->event_layout ? s->event_layout->size : 0,
		.maps = {.mode = s->view.mode,
			 .hints = &s->meta.hints,
			 .cond = condition,
			 .cond_ctx = s,
			 .out = &s->out},
		.duration_ms = s->o->duration_ms,
		.interval_ms = s->o->interval_ms,
		.ready = announce_ready,
		.ready_ctx = s,
		.metrics = s->metrics_open ? &s->metrics : NULL,
		.no_events = s->o->no_events,
	};
	struct diag tracefs;
	int err, no_tracefs;

	/* the kernel's lack of BTF is this machine's, not the input's: status 1, like a load */
	err = kernel_btf_resolve(&s->pkg, s->first, &s->o->load.btf_path, &s->kernel_btf,
				 s->o->load.verbose, d);
	err = err ?: variants_check_privileges(d);
	if (err)
		return err;
	s->o->load.inspect = s->first;
	no_tracefs = tracefs_ensure_mounted(&tracefs);
	if (no_tracefs && s->o->load.verbose)
		diag_print("%s", tracefs.msg);
	err = variants_load_first(&s->o->load, &s->loaded, d);
	if (err && no_tracefs)
		return diag_prepend(d, err, tracefs.msg);
	if (err)
		return err;
	/* what a kept variant dropped for want of tracepoints was just named: this says why */
	if (no_tracefs && !s->o->load.verbose)
		diag_print("warning: %s", tracefs.msg);
	/* the kernel's BTF and the objects of failed attempts were freed: give the memory back */
	malloc_trim(0);
	c.maps.obj = s->loaded.obj;
	c.printk = open_printk(s);
	if (s->metrics_open)
		run_metrics_loaded(&s->metrics, &s->loaded);
	return event_loop_run(&c, d);
}

/* 0, or 1 when events could not be written (a reader that went away is not a failure). */
static int output_status(const struct out_buf *out)
{
	unsigned long long n = out->unwritten;

	if (!out->error || out->error == -EPIPE)
		return 0;
	if (out->error == -ECANCELED) {
		fprintf(stderr,
			"ecli: stopped while stdout was not read: %llu events not written\n", n);
		return 0;
	}
	fprintf(stderr, "ecli: stdout: writing events failed: %s (%llu events not written)\n",
		strerror(-out->error), n);
	return 1;
}

static void session_free(struct session *s)
{
	if (s->view_ready)
		record_view_free(&s->view);
	if (s->metrics_open)
		run_metrics_close(&s->metrics);
	loaded_detach(&s->loaded);
	loaded_close(&s->loaded);
	printk_pipe_close(&s->printk);
	tracefs_release();
	bpf_object__close(s->first);
	kernel_btf_release(&s->kernel_btf);
	layout_free(s->event_layout);
	cgroup_names_free(s->cgroups);
	tool_args_free(&s->settings);
	meta_free(&s->meta);
	package_free(&s->pkg);
	package_origin_free(&s->origin);
	out_buf_free(&s->out);
}

int cmd_run(int argc, char **argv)
{
	struct run_opts o = {0};
	struct session s = {.o = &o, .kernel_btf.fd = -1, .printk.fd = -1};
	struct diag d = {""};
	int status = 0, err;

	err = parse_run_opts(argc, argv, &o);
	if (err == 1)
		fputs(cli_usage, stdout);
	if (err)
		return err == 1 ? 0 : EXIT_BAD_INPUT;
	variants_set_verbosity(o.load.verbose);
	o.fetch.verbose = o.load.verbose;
	if (out_buf_init(&s.out, STDOUT_FILENO, OUT_BUF_BYTES))
		return cli_fail(1, "out of memory");
	s.out.give_up = stop_signal_output_overdue;
	err = prepare(&s, &d);
	/* a stop before tracing began (even one that cut the package read short) is a clean end */
	if (stop_signal_raised() && !s.settings.help)
		status = 0;
	else if (err)
		status = cli_fail(EXIT_BAD_INPUT, d.msg);
	else if (s.settings.help)
		tool_help_write(&s.settings, &s.meta, s.first, stdout);
	else if ((err = run_session(&s, &d)) && err != -ECANCELED)
		status = cli_fail(1, d.msg);
	else
		status = output_status(&s.out);
	session_free(&s);
	return status;
}
