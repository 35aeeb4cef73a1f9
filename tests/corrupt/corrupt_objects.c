// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The harness of the corrupt-objects suite: a real package's object, mutated COUNT times
 * (object_mutator.h), each mutation run in a child process through the path ecli takes: the
 * structural check (object_check.h), bpf_object__open_mem with ecli's options, the package
 * check, close; and for every LOAD_EVERY-th mutation (as root) ecli's loop over the hook
 * variants, the one ecli keeps for the unmutated object on this kernel tried first: load,
 * attach, detach. A child killed by a signal crashed; one still running after TIMEOUT seconds
 * hung. One line counts the outcomes ("N mutated objects: A refused by the check, ..., F
 * crashed, G hung"), then "corrupt-objects: P passed, F failed"; a crash or hang fails the run
 * and the first five crashing objects are saved for a rerun (--only N).
 *
 * --without-check skips the structural check, to see what libbpf does with the same objects;
 * --crash-at N makes the child of mutation N crash, to show a crash is caught and fails the
 * run; --object FILE runs one given object instead of mutations and shows its refusal.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <bpf/libbpf.h>
#include "format/meta.h"
#include "object/object_check.h"
#include "object_mutator.h"
#include "check/package_check.h"
#include "format/package_read.h"
#include "args/tool_args.h"
#include "load/tracefs.h"
#include "load/variants.h"

/* What became of one mutated object: the child's exit status. */
enum outcome {
	REFUSED_CHECK = 10,
	REFUSED_OPEN,
	REFUSED_PACKAGE_CHECK,
	REFUSED_LOAD,
	OPENED,
	LOADED,
	CRASHED, /* never an exit status: a signal */
	HUNG,
	NR_OUTCOMES
};

struct options {
	const char *package;
	unsigned long count, load_every, only, crash_at;
	unsigned long long seed;
	unsigned int timeout, jobs;
	bool without_check, only_set, crash_at_set;
	const char *save_dir;
	const char *object; /* --object FILE: that object instead of mutations */
};

struct harness {
	struct options o;
	struct package pkg; /* the real one; each child swaps in its mutated object */
	struct package_meta meta;
	struct package_meta load_meta; /* meta with the variant ecli keeps here first */
	bool can_load;
	struct object_mutator mut;
	uint8_t *buf;
	unsigned long counts[NR_OUTCOMES];
};

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static struct load_opts load_options(struct package *pkg, struct package_meta *meta,
				     struct tool_settings *s)
{
	return (struct load_opts){.pkg = pkg, .meta = meta, .settings = s};
}

/* Loads and attaches as ecli does (its default arguments), then detaches and closes. */
static enum outcome load(struct harness *h, struct package *pkg, struct bpf_object *first)
{
	struct tool_settings s = {0};
	struct load_opts lo = load_options(pkg, &h->load_meta, &s);
	struct loaded l = {0};
	enum outcome out;
	struct diag d;

	lo.inspect = first;

	if (tool_args_parse(&s, &h->load_meta, first, 0, NULL, &d) ||
	    tool_args_apply_before_load(&s, first, &d)) {
		tool_args_free(&s);
		return REFUSED_PACKAGE_CHECK;
	}
	out = variants_load_first(&lo, &l, &d) ? REFUSED_LOAD : LOADED;
	loaded_detach(&l);
	loaded_close(&l);
	tool_args_free(&s);
	return out;
}

static enum outcome say(enum outcome out, const struct diag *d, bool verbose)
{
	if (verbose)
		printf("     %s\n", d->msg);
	return out;
}

/* In the child: what ecli does with a package holding this object, up to tracing. */
static enum outcome run_one(struct harness *h, uint8_t *obj, size_t size, bool with_load,
			    bool verbose)
{
	struct package pkg = h->pkg;
	struct tool_settings s = {0};
	struct load_opts lo = load_options(&pkg, &h->meta, &s);
	struct bpf_object *first = NULL;
	enum outcome out = OPENED;
	struct diag d = {""};

	pkg.object = obj;
	pkg.object_size = size;
	if (!h->o.without_check && object_check(obj, size, &d))
		return say(REFUSED_CHECK, &d, verbose);
	if (variants_open(&lo, &first, &d))
		return say(REFUSED_OPEN, &d, verbose);
	if (package_check(&h->meta, first, &d))
		out = say(REFUSED_PACKAGE_CHECK, &d, verbose);
	else if (with_load)
		out = load(h, &pkg, first);
	bpf_object__close(first);
	return out;
}

static pid_t start_child(struct harness *h, unsigned long n)
{
	char desc[256];
	pid_t pid;

	object_mutator_apply(&h->mut, h->o.seed, n, h->buf, desc, sizeof(desc));
	pid = fork();
	if (pid)
		return pid;
	alarm(h->o.timeout);
	if (h->o.crash_at_set && n == h->o.crash_at)
		raise(SIGSEGV);
	_exit(run_one(h, h->buf, h->pkg.object_size, h->can_load && n % h->o.load_every == 0,
		      false));
}

static void save(struct harness *h, unsigned long n, const char *what)
{
	char path[4096], desc[256];
	FILE *f;

	object_mutator_apply(&h->mut, h->o.seed, n, h->buf, desc, sizeof(desc));
	mkdir(h->o.save_dir, 0755);
	snprintf(path, sizeof(path), "%s/%s-%lu.bpf.o", h->o.save_dir, what, n);
	f = fopen(path, "wb");
	if (f) {
		fwrite(h->buf, 1, h->pkg.object_size, f);
		fclose(f);
	}
	printf("    mutation %lu %s:%s (saved as %s; rerun with --only %lu)\n", n, what, desc, path,
	       n);
}

static void record(struct harness *h, unsigned long n, int status)
{
	enum outcome out;

	if (WIFSIGNALED(status))
		out = WTERMSIG(status) == SIGALRM ? HUNG : CRASHED;
	else if (WIFEXITED(status) && WEXITSTATUS(status) >= REFUSED_CHECK &&
		 WEXITSTATUS(status) <= LOADED)
		out = WEXITSTATUS(status);
	else
		out = CRASHED; /* an exit no path of ecli takes: an abort handler, a sanitizer */
	h->counts[out]++;
	if (out != CRASHED && out != HUNG)
		return;
	if (h->counts[CRASHED] + h->counts[HUNG] <= 5)
		save(h, n, out == HUNG ? "hung" : "crashed");
}

/* Runs mutations first..last, jobs at a time. */
static void run_all(struct harness *h, unsigned long first, unsigned long last)
{
	struct {
		pid_t pid;
		unsigned long n;
	} running[16];
	unsigned int busy = 0, i;
	unsigned long n = first;
	int status;
	pid_t pid;

	while (n <= last || busy) {
		while (n <= last && busy < h->o.jobs) {
			running[busy].pid = start_child(h, n);
			running[busy++].n = n++;
		}
		pid = wait(&status);
		if (pid < 0)
			break;
		for (i = 0; i < busy; i++) {
			if (running[i].pid != pid)
				continue;
			record(h, running[i].n, status);
			running[i] = running[--busy];
			break;
		}
	}
}

/* The variant ecli keeps for the unmutated object here; false when none loads (or not root). */
static bool choose_variant(struct harness *h)
{
	struct tool_settings s = {0};
	struct load_opts lo = load_options(&h->pkg, &h->meta, &s);
	struct bpf_object *first = NULL;
	struct loaded l = {0};
	struct diag d = {""};
	int i, n = 0, err;

	err = variants_check_privileges(&d);
	if (!err)
		tracefs_ensure_mounted(&d); /* without it, as in ecli, tracepoints fail to attach */
	err = err || variants_open(&lo, &first, &d);
	err = err || tool_args_parse(&s, &h->meta, first, 0, NULL, &d);
	lo.inspect = first;
	err = err || variants_load_first(&lo, &l, &d);
	bpf_object__close(first);
	tool_args_free(&s);
	if (err) {
		printf("     the unmutated object is not loaded here (%s): mutations are only "
		       "opened\n",
		       d.msg);
		return false;
	}
	printf("     every %luth mutation goes through ecli's variant loop, %s (the variant kept "
	       "here) first\n",
	       h->o.load_every, l.variant ? l.variant : "the whole object");
	/* the variant kept here first, then the others in order: ecli's loop, cheapest path */
	h->load_meta = h->meta;
	h->load_meta.variants = calloc(h->meta.nr_variants + 1, sizeof(*h->load_meta.variants));
	for (i = 0; h->load_meta.variants && i < h->meta.nr_variants; i++)
		if (l.variant && !strcmp(h->meta.variants[i].name, l.variant))
			h->load_meta.variants[n++] = h->meta.variants[i];
	for (i = 0; h->load_meta.variants && i < h->meta.nr_variants; i++)
		if (!l.variant || strcmp(h->meta.variants[i].name, l.variant))
			h->load_meta.variants[n++] = h->meta.variants[i];
	loaded_detach(&l);
	loaded_close(&l);
	if (!h->load_meta.variants)
		return false;
	return true;
}

static const char *const outcome_names[NR_OUTCOMES] = {
	[REFUSED_CHECK] = "refused by the check",
	[REFUSED_OPEN] = "refused by libbpf at open",
	[REFUSED_PACKAGE_CHECK] = "refused by the package check",
	[REFUSED_LOAD] = "refused by libbpf at load",
	[OPENED] = "opened",
	[LOADED] = "loaded",
	[CRASHED] = "crashed",
	[HUNG] = "hung",
};

/* --object FILE: one given object, in a child, its refusal message shown. */
static int run_object(struct harness *h)
{
	FILE *f = fopen(h->o.object, "rb");
	uint8_t *obj = malloc(PACKAGE_MAX_OBJECT_BYTES);
	size_t size = f && obj ? fread(obj, 1, PACKAGE_MAX_OBJECT_BYTES, f) : 0;
	enum outcome out;
	int status;
	pid_t pid;

	if (f)
		fclose(f);
	if (!size) {
		fprintf(stderr, "corrupt_objects: %s: cannot read it\n", h->o.object);
		return 2;
	}
	pid = fork();
	if (pid == 0) {
		alarm(h->o.timeout);
		_exit(run_one(h, obj, size, h->can_load, true));
	}
	waitpid(pid, &status, 0);
	out = WIFSIGNALED(status) ? (WTERMSIG(status) == SIGALRM ? HUNG : CRASHED)
	      : WIFEXITED(status) && WEXITSTATUS(status) >= REFUSED_CHECK &&
			      WEXITSTATUS(status) <= LOADED
		      ? (enum outcome)WEXITSTATUS(status)
		      : CRASHED;
	printf("     %s%s: %s", h->o.object, h->o.without_check ? " (without the check)" : "",
	       outcome_names[out]);
	if (WIFSIGNALED(status))
		printf(" (signal %d, %s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
	printf("\n");
	free(obj);
	return out == CRASHED || out == HUNG;
}

static int check_case(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int check_case(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s ", ok ? "ok  " : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return ok ? 0 : 1;
}

static void usage(void)
{
	fprintf(stderr, "usage: corrupt_objects [-n COUNT] [-s SEED] [-l LOAD_EVERY] [-j JOBS] "
			"[-t TIMEOUT] [--save DIR] [--only N] [--without-check] [--crash-at N] "
			"[--object FILE] PACKAGE\n");
	exit(2);
}

static void parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longs[] = {{"without-check", no_argument, NULL, 'W'},
					      {"crash-at", required_argument, NULL, 'C'},
					      {"only", required_argument, NULL, 'O'},
					      {"save", required_argument, NULL, 'S'},
					      {"object", required_argument, NULL, 'B'},
					      {NULL, 0, NULL, 0}};
	int c;

	*o = (struct options){.count = 10000,
			      .load_every = 10,
			      .seed = 1,
			      .timeout = 30,
			      .jobs = 2,
			      .save_dir = "build/corrupt"};
	while ((c = getopt_long(argc, argv, "n:s:l:j:t:", longs, NULL)) != -1) {
		switch (c) {
		case 'n':
			o->count = strtoul(optarg, NULL, 0);
			break;
		case 's':
			o->seed = strtoull(optarg, NULL, 0);
			break;
		case 'l':
			o->load_every = strtoul(optarg, NULL, 0);
			break;
		case 'j':
			o->jobs = strtoul(optarg, NULL, 0);
			break;
		case 't':
			o->timeout = strtoul(optarg, NULL, 0);
			break;
		case 'W':
			o->without_check = true;
			break;
		case 'C':
			o->crash_at = strtoul(optarg, NULL, 0);
			o->crash_at_set = true;
			break;
		case 'O':
			o->only = strtoul(optarg, NULL, 0);
			o->only_set = true;
			break;
		case 'S':
			o->save_dir = optarg;
			break;
		case 'B':
			o->object = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1 || !o->count || !o->jobs || o->jobs > 16 || !o->timeout)
		usage();
	o->package = argv[optind];
}

int main(int argc, char **argv)
{
	struct harness h = {0};
	struct diag d;
	unsigned long n, first, last;
	time_t start = time(NULL);
	int failed = 0;

	parse_options(argc, argv, &h.o);
	setvbuf(stdout, NULL, _IOLBF, 0);
	libbpf_set_print(quiet);
	if (package_read_file(h.o.package, &h.pkg, &d) || meta_parse(h.pkg.meta, &h.meta, &d) ||
	    object_mutator_init(&h.mut, h.pkg.object, h.pkg.object_size) ||
	    !(h.buf = malloc(h.pkg.object_size))) {
		fprintf(stderr, "corrupt_objects: %s: %s\n", h.o.package, d.msg);
		return 2;
	}
	if (h.o.object) {
		h.can_load = h.o.load_every && choose_variant(&h);
		return run_object(&h);
	}
	first = h.o.only_set ? h.o.only : 0;
	last = h.o.only_set ? h.o.only : h.o.count - 1;
	n = last - first + 1;
	printf("     %s: object of %zu bytes (%u BTF types), seed %llu, %lu mutations%s\n",
	       h.o.package, h.pkg.object_size, h.mut.nr_types, h.o.seed, n,
	       h.o.without_check ? ", WITHOUT the structural check" : "");
	h.can_load = h.o.load_every && choose_variant(&h);
	failed += check_case(run_one(&h, h.pkg.object, h.pkg.object_size, h.can_load, true) ==
				     (h.can_load ? LOADED : OPENED),
			     "the unmutated object passes the check and %s",
			     h.can_load ? "loads" : "opens");
	run_all(&h, first, last);
	printf("     %lu mutated objects: %lu refused by the check, %lu refused by libbpf (%lu at "
	       "open, %lu at load), %lu refused by the package check, %lu opened, %lu loaded, %lu "
	       "crashed, %lu hung (%ld s)\n",
	       n, h.counts[REFUSED_CHECK], h.counts[REFUSED_OPEN] + h.counts[REFUSED_LOAD],
	       h.counts[REFUSED_OPEN], h.counts[REFUSED_LOAD], h.counts[REFUSED_PACKAGE_CHECK],
	       h.counts[OPENED], h.counts[LOADED], h.counts[CRASHED], h.counts[HUNG],
	       (long)(time(NULL) - start));
	failed += check_case(!h.counts[CRASHED] && !h.counts[HUNG],
			     "no mutated object crashed or hung%s",
			     h.counts[CRASHED] + h.counts[HUNG] ? " (first: see above)" : "");
	if (h.can_load)
		tracefs_release();
	free(h.load_meta.variants);
	free(h.buf);
	meta_free(&h.meta);
	package_free(&h.pkg);
	printf("corrupt-objects: %d passed, %d failed\n", 2 - failed, failed);
	return failed ? 1 : 0;
}
