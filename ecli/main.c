// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ecli: runs a packaged BPF tool. Reads the package, parses the tool's arguments from its meta,
 * loads the first hook variant that works on this kernel, and renders events from BTF.
 */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/libbpf.h>
#include "event_loop.h"
#include "load/kernel_btf.h"
#include "fetch/oci_client.h"
#include "fetch/oci_manifest.h"
#include "check/package_check.h"
#include "fetch/package_source.h"
#include "core/stop_signal.h"
#include "load/tracefs.h"
#include "load/variants.h"
#include "core/version.h"

#define EXIT_BAD_INPUT 2
#define OUT_BUF_BYTES  (256 * 1024)
#define STR_(x)	       #x
#define STR(x)	       STR_(x)
#define REDIRECTS_TEXT STR(FETCH_MAX_REDIRECTS)
#define TIMEOUT_TEXT   STR(FETCH_DEFAULT_TIMEOUT_S) " s"
#define CONNECT_TEXT   STR(FETCH_CONNECT_TIMEOUT_S) " s"

static const char usage[] =
	"usage: ecli run [OPTIONS] PACKAGE [TOOL ARGS...]\n"
	"       ecli push [FETCH OPTIONS] PACKAGE REF\n"
	"       ecli pull [FETCH OPTIONS] REF [-o FILE]\n"
	"       ecli --version\n"
	"       ecli help\n"
	"\n"
	"Runs a packaged BPF tool. Tool arguments come after PACKAGE; `ecli run PACKAGE -h` lists\n"
	"them. PACKAGE is, in this order:\n"
	"  -                         standard input\n"
	"  http://... or https://... a URL (redirects followed, up to " REDIRECTS_TEXT ")\n"
	"  an existing file          a path (write ./NAME to force a path)\n"
	"  HOST[:PORT]/REPO[:TAG]    an OCI reference, when the part before the first '/' is\n"
	"  HOST[:PORT]/REPO@sha256:HEX  localhost, has a dot or has a port; TAG defaults to "
	"latest\n"
	"  NAME                      an installed tool (no '/', not ending in .json): NAME.json "
	"in\n"
	"                            $ECLI_PACKAGES (folders separated by ':') if set, else in\n"
	"                            <ecli dir>/../share/ecli/packages, /usr/share/ecli/packages,\n"
	"                            /usr/local/share/ecli/packages\n"
	"A package from a URL or a registry is checked before anything is loaded: at most\n"
	"256 MiB, a complete body, and for a registry the sha256 of the package layer and, with\n"
	"@sha256:, of the manifest.\n"
	"\n"
	"run options:\n"
	"  -j, --json            print events as JSON lines (same as the tool's -o json)\n"
	"  -v, --verbose         say of each hook variant whether it was loaded and attached\n"
	"                        (with program ids) or why not, and each HTTP request; twice\n"
	"                        for libbpf's debug messages\n"
	"  --ringbuf-size BYTES  ring buffer size: a power of two, at least the page size\n"
	"  --perfbuf             use the perf buffer even where the kernel has a ring buffer\n"
	"  --btf PATH            kernel BTF for CO-RE instead of /sys/kernel/btf/vmlinux\n"
	"  --variant NAME        try only this hook variant of the package\n"
	"  --duration SECONDS    stop after this many seconds (default: at Ctrl-C)\n"
	"  -h, --help            show this help\n"
	"fetch options (run, push, pull):\n"
	"  --fetch-timeout SECONDS  limit for each HTTP request (default " TIMEOUT_TEXT
	"; connecting:\n"
	"                        at most " CONNECT_TEXT ")\n"
	"  --plain-http          speak plain http to the registry; without it only localhost,\n"
	"                        127.x and [::1] registries get http, all others https\n"
	"\n"
	"push uploads PACKAGE (any form above) to an OCI registry as an artifact: a layer of\n"
	"media type " ECLI_PACKAGE_MEDIA_TYPE ", a config of\n" ECLI_CONFIG_MEDIA_TYPE
	", and prints the manifest's digest, so that\n"
	"`ecli run HOST/REPO@DIGEST` runs exactly those bytes. pull fetches and verifies REF\n"
	"and writes the package to FILE (default: standard output). Registries that need a\n"
	"login are not supported.\n"
	"\n"
	"Events go to stdout; messages go to stderr. Exit status: 0 done, 1 failed to run or\n"
	"to write events, 2 bad package or arguments, or a package that could not be fetched\n"
	"or verified. SIGINT, SIGTERM and --duration end a run within a second whatever stdout\n"
	"does, with status 0 (also before tracing started); events a stalled stdout did not\n"
	"take are then counted on stderr. A reader that goes away (EPIPE) ends it quietly.\n";

struct run_opts {
	struct load_opts load;
	struct fetch_opts fetch;
	bool json;
	uint64_t duration_ms;
	const char *path;
	int tool_argc;
	char **tool_argv;
};

struct session {
	struct run_opts *o;
	char label[PACKAGE_LABEL_MAX]; /* the package, as messages name it */
	struct package pkg;
	struct package_meta meta;
	struct bpf_object *first; /* opened, never loaded: types, arguments, conditions */
	struct tool_settings settings;
	struct layout *event_layout;
	struct record_view view;
	bool view_ready;
	struct loaded loaded;
	struct out_buf out;
	struct kernel_btf kernel_btf;
};

static int fail(int status, const char *msg)
{
	diag_print("%s", msg);
	return status;
}

static int parse_uint(const char *opt, const char *text, unsigned long long max,
		      unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(text, &end, 10);
	if (!*text || *end || text[0] == '-' || errno || *out > max) {
		diag_print("%s: '%s' is not a number up to %llu", opt, text, max);
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
		diag_print("--ringbuf-size: '%s' is not a power of two of at least %ld", text,
			   page);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

static int option_value(int argc, char **argv, int *i, const char **value)
{
	if (*i + 1 >= argc) {
		diag_print("%s: needs a value", argv[*i]);
		return -EINVAL;
	}
	*value = argv[++*i];
	return 0;
}

/* A fetch option at argv[*i]: 1 if it was one (0 if not), or -EINVAL for a bad value. */
static int parse_fetch_opt(int argc, char **argv, int *i, struct fetch_opts *f)
{
	unsigned long long secs;
	const char *v;

	if (!strcmp(argv[*i], "--plain-http")) {
		f->plain_http = true;
		return 1;
	}
	if (strcmp(argv[*i], "--fetch-timeout"))
		return 0;
	if (option_value(argc, argv, i, &v) || parse_uint("--fetch-timeout", v, 86400, &secs))
		return -EINVAL;
	if (secs == 0) {
		fprintf(stderr, "ecli: --fetch-timeout: give at least 1 second\n");
		return -EINVAL;
	}
	f->timeout_s = secs;
	return 1;
}

/* Options up to PACKAGE are ecli's; everything after it belongs to the tool. 1: -h given. */
static int parse_run_opts(int argc, char **argv, struct run_opts *o)
{
	unsigned long long secs = 0;
	const char *v;
	int i, err = 0, fetch;

	for (i = 0; i < argc && !err; i++) {
		const char *a = argv[i];

		if ((fetch = parse_fetch_opt(argc, argv, &i, &o->fetch))) {
			err = fetch < 0 ? fetch : 0;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
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
		} else if (!strcmp(a, "--variant")) {
			err = option_value(argc, argv, &i, &o->load.variant);
		} else if (!strcmp(a, "--duration")) {
			err = option_value(argc, argv, &i, &v)
				      ?: parse_uint("--duration", v, 86400 * 365, &secs);
			if (!err && !secs) {
				diag_print("--duration: give at least 1 second (leave it out to "
					   "trace until Ctrl-C)");
				err = -EINVAL;
			}
			o->duration_ms = secs * 1000;
		} else if (a[0] == '-' && a[1]) {
			diag_print("unknown option '%s' (see ecli run -h)", a);
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
static int about_package(const char *label, int err, struct diag *d)
{
	char msg[sizeof(d->msg)];

	if (!err)
		return 0;
	snprintf(msg, sizeof(msg), "%s", d->msg);
	return diag_set(d, err, "%s: %s", label, msg);
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
	err = err ?: package_source_read(o->path, &o->fetch, &s->pkg, s->label, d);
	err = err ?: about_package(s->label, meta_parse(s->pkg.meta, &s->meta, d), d);
	err = err ?: about_package(s->label, variants_check_forced(&o->load, d), d);
	err = err ?: variants_open(&o->load, &s->first, d);
	err = err ?: about_package(s->label, package_check(&s->meta, s->first, d), d);
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
	loaded_detach(&s->loaded);
	loaded_close(&s->loaded);
	tracefs_release();
	bpf_object__close(s->first);
	kernel_btf_release(&s->kernel_btf);
	layout_free(s->event_layout);
	tool_args_free(&s->settings);
	meta_free(&s->meta);
	package_free(&s->pkg);
	out_buf_free(&s->out);
}

static int cmd_run(int argc, char **argv)
{
	struct run_opts o = {0};
	struct session s = {.o = &o, .kernel_btf.fd = -1};
	struct diag d = {""};
	int status = 0, err;

	err = parse_run_opts(argc, argv, &o);
	if (err == 1)
		fputs(usage, stdout);
	if (err)
		return err == 1 ? 0 : EXIT_BAD_INPUT;
	variants_set_verbosity(o.load.verbose);
	o.fetch.verbose = o.load.verbose;
	if (out_buf_init(&s.out, STDOUT_FILENO, OUT_BUF_BYTES))
		return fail(1, "out of memory");
	s.out.give_up = stop_signal_output_overdue;
	err = prepare(&s, &d);
	/* a stop before tracing began (even one that cut the package read short) is a clean end */
	if (stop_signal_raised() && !s.settings.help)
		status = 0;
	else if (err)
		status = fail(EXIT_BAD_INPUT, d.msg);
	else if (s.settings.help)
		tool_args_help(&s.settings, &s.meta, s.first, stdout);
	else if ((err = run_session(&s, &d)) && err != -ECANCELED)
		status = fail(1, d.msg);
	else
		status = output_status(&s.out);
	session_free(&s);
	return status;
}

/* push and pull take fetch options, -v, and positional arguments (pull also -o FILE). */
static int parse_transfer_opts(const char *cmd, int argc, char **argv, struct fetch_opts *f,
			       const char **pos, int npos, const char **output)
{
	int i, n = 0, fetch;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i];

		if ((fetch = parse_fetch_opt(argc, argv, &i, f))) {
			if (fetch < 0)
				return -EINVAL;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			return 1;
		} else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			f->verbose++;
		} else if (output && (!strcmp(a, "-o") || !strcmp(a, "--output"))) {
			if (option_value(argc, argv, &i, output))
				return -EINVAL;
		} else if (a[0] == '-' && a[1]) {
			diag_print("%s: unknown option '%s' (see ecli help)", cmd, a);
			return -EINVAL;
		} else if (n < npos) {
			pos[n++] = a;
		} else {
			diag_print("%s: unexpected argument '%s' (see ecli help)", cmd, a);
			return -EINVAL;
		}
	}
	if (n < npos) {
		diag_print("%s: needs %s (see ecli help)", cmd,
			   npos == 2 ? "PACKAGE and REF" : "REF");
		return -EINVAL;
	}
	return 0;
}

/* The layer's title: the file name a package had, when it has one. */
static const char *title_of(const char *arg, const char *label)
{
	const char *base = strrchr(label, '/');

	if (!strcmp(arg, "-"))
		return NULL;
	base = base ? base + 1 : label;
	return strchr(base, '?') ? NULL : base;
}

/* push and pull move only what `ecli run` can read: the package and its meta. */
static int check_package(const char *label, const char *text, size_t len, struct diag *d)
{
	struct package_meta meta = {0};
	struct package pkg;
	int err = package_parse(text, len, &pkg, d);

	err = err ?: meta_parse(pkg.meta, &meta, d);
	meta_free(&meta);
	package_free(&pkg);
	return about_package(label, err, d);
}

static int cmd_push(int argc, char **argv)
{
	struct fetch_opts f = {0};
	const char *pos[2];
	char label[PACKAGE_LABEL_MAX], digest[DIGEST_STR_LEN + 1], *text = NULL;
	struct diag d = {""};
	struct oci_ref ref;
	size_t len = 0;
	int err;

	err = parse_transfer_opts("push", argc, argv, &f, pos, 2, NULL);
	if (err == 1)
		fputs(usage, stdout);
	if (err)
		return err == 1 ? 0 : EXIT_BAD_INPUT;
	err = oci_ref_parse(pos[1], &ref, &d);
	err = err ?: package_source_bytes(pos[0], &f, &text, &len, label, &d);
	err = err ?: check_package(label, text, len, &d);
	err = err ?: oci_push(&f, pos[1], &ref, text, len, title_of(pos[0], label), digest, &d);
	free(text);
	if (err)
		return fail(EXIT_BAD_INPUT, d.msg);
	printf("%s\n", digest);
	if (f.verbose > 0)
		diag_print("pushed %s as %s/%s@%s", label, ref.host, ref.repo, digest);
	return 0;
}

/*
 * Writes the whole buffer: to stdout; to a device or a pipe as it is; to a regular file
 * through a temporary file renamed into place, so that no half-written package is left.
 */
static int write_output(const char *path, const char *data, size_t len, struct diag *d)
{
	char tmp[PATH_MAX + 16];
	bool in_place = !path || !strcmp(path, "-");
	int fd = STDOUT_FILENO, err = 0;
	struct stat st;
	size_t done = 0;
	ssize_t n;

	if (!in_place && !stat(path, &st) && !S_ISREG(st.st_mode)) {
		in_place = true;
		fd = open(path, O_WRONLY | O_CLOEXEC);
	} else if (!in_place) {
		snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
		fd = mkstemp(tmp);
	}
	if (fd < 0)
		return diag_set(d, -errno, "%s: %s", path, strerror(errno));
	while (done < len && !err) {
		n = write(fd, data + done, len - done);
		if (n < 0 && errno != EINTR)
			err = -errno;
		else if (n > 0)
			done += n;
	}
	if (!in_place && !err && (fchmod(fd, 0644) || fsync(fd)))
		err = -errno;
	if (fd != STDOUT_FILENO && close(fd) && !err)
		err = -errno;
	if (!in_place && !err && rename(tmp, path))
		err = -errno;
	if (!in_place && err)
		unlink(tmp);
	if (err)
		return diag_set(d, err, "%s: %s", path ?: "stdout", strerror(-err));
	return 0;
}

static int cmd_pull(int argc, char **argv)
{
	struct fetch_opts f = {0};
	const char *pos[1], *output = NULL;
	char digest[DIGEST_STR_LEN + 1], *text = NULL;
	struct diag d = {""};
	struct oci_ref ref;
	size_t len = 0;
	int err;

	err = parse_transfer_opts("pull", argc, argv, &f, pos, 1, &output);
	if (err == 1)
		fputs(usage, stdout);
	if (err)
		return err == 1 ? 0 : EXIT_BAD_INPUT;
	err = oci_ref_parse(pos[0], &ref, &d);
	err = err ?: oci_pull(&f, pos[0], &ref, &text, &len, digest, &d);
	/* verified bytes that are not a package are not written either */
	err = err ?: check_package(pos[0], text, len, &d);
	err = err ?: write_output(output, text, len, &d);
	free(text);
	if (err)
		return fail(EXIT_BAD_INPUT, d.msg);
	diag_print("pulled %s/%s@%s (%zu bytes)%s%s", ref.host, ref.repo, digest, len,
		   output && strcmp(output, "-") ? " to " : "",
		   output && strcmp(output, "-") ? output : "");
	return 0;
}

static int print_version(void)
{
	char curl[256];

	http_library_version(curl, sizeof(curl));
	printf("ecli %s\n", ECLI_VERSION);
	printf("libbpf %u.%u\n", libbpf_major_version(), libbpf_minor_version());
	printf("%s\n", curl);
	return 0;
}

/*
 * A closed stdin, stdout or stderr gets /dev/null opened read-only in its place: the fds ecli
 * opens later must not become its output, and writing events then fails with EBADF as it would
 * on the closed fd.
 */
static void hold_closed_std_fds(void)
{
	int fd;

	for (fd = 0; fd <= STDERR_FILENO; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF)
			open("/dev/null", O_RDONLY);
}

int main(int argc, char **argv)
{
	const char *cmd;

	/* first: a Ctrl-C at any moment, even while the package is read, ends ecli cleanly */
	stop_signal_install();
	hold_closed_std_fds();
	cmd = argc >= 2 ? argv[1] : "";

	if (!strcmp(cmd, "run"))
		return cmd_run(argc - 2, argv + 2);
	if (!strcmp(cmd, "push"))
		return cmd_push(argc - 2, argv + 2);
	if (!strcmp(cmd, "pull"))
		return cmd_pull(argc - 2, argv + 2);
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "version"))
		return print_version();
	if (!strcmp(cmd, "help") || !strcmp(cmd, "-h") || !strcmp(cmd, "--help")) {
		fputs(usage, stdout);
		return 0;
	}
	fputs(usage, stderr);
	return EXIT_BAD_INPUT;
}
