/*
 * ecli: runs a packaged BPF tool. Reads the package, parses the tool's arguments from its meta,
 * loads the first hook variant that works on this kernel, and renders events from BTF.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "event_loop.h"
#include "package_check.h"
#include "package_read.h"
#include "tracefs.h"
#include "variants.h"

#define EXIT_BAD_INPUT 2
#define OUT_BUF_BYTES  (256 * 1024)

static const char usage[] =
	"usage: ecli run [OPTIONS] PACKAGE [TOOL ARGS...]\n"
	"       ecli help\n"
	"\n"
	"Runs a packaged BPF tool: PACKAGE is a package.json path, or - for standard input.\n"
	"Tool arguments come after PACKAGE; `ecli run PACKAGE -h` lists them.\n"
	"\n"
	"options:\n"
	"  -j, --json            print events as JSON lines (same as the tool's -o json)\n"
	"  -v, --verbose         say which hook variant was kept and why others failed;\n"
	"                        twice for libbpf's debug messages\n"
	"  --ringbuf-size BYTES  ring buffer size: a power of two, at least the page size\n"
	"  --perfbuf             use the perf buffer even where the kernel has a ring buffer\n"
	"  --btf PATH            kernel BTF for CO-RE instead of /sys/kernel/btf/vmlinux\n"
	"  --duration SECONDS    stop after this many seconds (default: at Ctrl-C)\n"
	"  -h, --help            show this help\n"
	"\n"
	"Events go to stdout; messages go to stderr. Exit status: 0 done, 1 failed to run,\n"
	"2 bad package or arguments.\n";

struct run_opts {
	struct load_opts load;
	bool json;
	uint64_t duration_ms;
	const char *path;
	int tool_argc;
	char **tool_argv;
};

struct session {
	struct run_opts *o;
	struct package pkg;
	struct package_meta meta;
	struct bpf_object *first; /* opened, never loaded: types, arguments, conditions */
	struct tool_settings settings;
	struct layout *event_layout;
	struct record_view view;
	bool view_ready;
	struct loaded loaded;
	struct out_buf out;
};

static int fail(int status, const char *msg)
{
	fprintf(stderr, "ecli: %s\n", msg);
	return status;
}

static int parse_uint(const char *opt, const char *text, unsigned long long max,
		      unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(text, &end, 10);
	if (!*text || *end || text[0] == '-' || errno || *out > max) {
		fprintf(stderr, "ecli: %s: '%s' is not a number up to %llu\n", opt, text, max);
		return -EINVAL;
	}
	return 0;
}

static int parse_ringbuf_size(const char *text, uint32_t *out)
{
	unsigned long long v;
	long page = sysconf(_SC_PAGESIZE);

	if (parse_uint("--ringbuf-size", text, 1ULL << 30, &v))
		return -EINVAL;
	if (v < (unsigned long long)page || (v & (v - 1))) {
		fprintf(stderr,
			"ecli: --ringbuf-size: '%s' is not a power of two of at least %ld\n", text,
			page);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

static int option_value(int argc, char **argv, int *i, const char **value)
{
	if (*i + 1 >= argc) {
		fprintf(stderr, "ecli: %s: needs a value\n", argv[*i]);
		return -EINVAL;
	}
	*value = argv[++*i];
	return 0;
}

/* Options up to PACKAGE are ecli's; everything after it belongs to the tool. 1: -h given. */
static int parse_run_opts(int argc, char **argv, struct run_opts *o)
{
	unsigned long long secs = 0;
	const char *v;
	int i, err = 0;

	for (i = 0; i < argc && !err; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			return 1;
		} else if (!strcmp(a, "-j") || !strcmp(a, "--json")) {
			o->json = true;
		} else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			o->load.verbose++;
		} else if (!strcmp(a, "-vv")) {
			o->load.verbose += 2;
		} else if (!strcmp(a, "--perfbuf")) {
			o->load.force_perfbuf = true;
		} else if (!strcmp(a, "--ringbuf-size")) {
			err = option_value(argc, argv, &i, &v)
				      ?: parse_ringbuf_size(v, &o->load.ringbuf_bytes);
		} else if (!strcmp(a, "--btf")) {
			err = option_value(argc, argv, &i, &o->load.btf_path);
		} else if (!strcmp(a, "--duration")) {
			err = option_value(argc, argv, &i, &v)
				      ?: parse_uint("--duration", v, 86400 * 365, &secs);
			o->duration_ms = secs * 1000;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "ecli: unknown option '%s' (see ecli run -h)\n", a);
			err = -EINVAL;
		} else {
			o->path = a;
			o->tool_argc = argc - i - 1;
			o->tool_argv = argv + i + 1;
			return 0;
		}
	}
	if (!err)
		fprintf(stderr, "ecli: run: no PACKAGE given (see ecli run -h)\n");
	return -EINVAL;
}

static bool condition(void *ctx, const char *name)
{
	struct session *s = ctx;

	return tool_args_condition(&s->settings, s->first, name);
}

static int build_event_layout(struct session *s, struct diag *d)
{
	const char *type = s->meta.events.type;
	int id;

	if (!type)
		return 0;
	id = btf_find_record(bpf_object__btf(s->first), type);
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

/* Meta and validator messages name the package they are about. */
static int about_package(const char *path, int err, struct diag *d)
{
	char msg[sizeof(d->msg)];

	if (!err)
		return 0;
	snprintf(msg, sizeof(msg), "%s", d->msg);
	return diag_set(d, err, "%s: %s", strcmp(path, "-") ? path : "(stdin)", msg);
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

/* Everything that can be refused for bad input is checked here, before anything loads. */
static int prepare(struct session *s, struct diag *d)
{
	struct run_opts *o = s->o;
	int err;

	o->load.pkg = &s->pkg;
	o->load.meta = &s->meta;
	o->load.settings = &s->settings;
	err = o->load.btf_path ? package_check_btf_file(o->load.btf_path, d) : 0;
	err = err ?: package_read_file(o->path, &s->pkg, d);
	err = err ?: about_package(o->path, meta_parse(s->pkg.meta, &s->meta, d), d);
	err = err ?: variants_open(&o->load, &s->first, d);
	err = err ?: about_package(o->path, package_check(&s->meta, s->first, d), d);
	err = err ?: build_event_layout(s, d);
	err = err
		      ?: tool_args_parse(&s->settings, &s->meta, s->first, o->tool_argc,
					 o->tool_argv, d);
	if (err || s->settings.help)
		return err;
	err = tool_args_apply_before_load(&s->settings, s->first, d);
	return err ?: prepare_view(s, o->json ? OUTPUT_JSON : s->settings.output, d);
}

/* Once events can be read: a line printed right after the banner is never missed. */
static void announce_ready(void *ctx)
{
	struct session *s = ctx;

	if (s->meta.banner)
		fprintf(stderr, "%s\n", s->meta.banner);
	else
		fprintf(stderr, "Running %s ... Hit Ctrl-C to end\n", s->meta.tool_name);
	if (s->view_ready)
		record_view_start(&s->view);
	if (s->view_ready && !events_replaced(s))
		record_view_header(&s->view);
	out_buf_flush(&s->out);
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
		.ready = announce_ready,
		.ready_ctx = s,
	};
	struct diag ignored;
	int err;

	if (tracefs_ensure_mounted(&ignored) && s->o->load.verbose)
		fprintf(stderr, "ecli: %s\n", ignored.msg);
	err = variants_load_first(&s->o->load, &s->loaded, d);
	if (err)
		return err;
	c.maps.obj = s->loaded.obj;
	return event_loop_run(&c, d);
}

static void session_free(struct session *s)
{
	if (s->view_ready)
		record_view_free(&s->view);
	loaded_detach(&s->loaded);
	loaded_close(&s->loaded);
	bpf_object__close(s->first);
	layout_free(s->event_layout);
	tool_args_free(&s->settings);
	meta_free(&s->meta);
	package_free(&s->pkg);
	out_buf_free(&s->out);
}

static int cmd_run(int argc, char **argv)
{
	struct run_opts o = {0};
	struct session s = {.o = &o};
	struct diag d = {""};
	int status = 0, err;

	err = parse_run_opts(argc, argv, &o);
	if (err == 1)
		fputs(usage, stdout);
	if (err)
		return err == 1 ? 0 : EXIT_BAD_INPUT;
	variants_set_verbosity(o.load.verbose);
	if (out_buf_init(&s.out, STDOUT_FILENO, OUT_BUF_BYTES))
		return fail(1, "out of memory");
	err = prepare(&s, &d);
	/* from here on a signal ends the run through the clean exit path, loading included */
	event_loop_install_signals();
	if (err)
		status = fail(EXIT_BAD_INPUT, d.msg);
	else if (s.settings.help)
		tool_args_help(&s.settings, &s.meta, s.first, stdout);
	else if ((err = run_session(&s, &d)))
		status = fail(1, d.msg);
	session_free(&s);
	return status;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "run"))
		return cmd_run(argc - 2, argv + 2);
	if (argc >= 2 &&
	    (!strcmp(argv[1], "help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		fputs(usage, stdout);
		return 0;
	}
	fputs(usage, stderr);
	return EXIT_BAD_INPUT;
}
