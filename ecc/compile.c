// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "compile.h"
#include "core/file_io.h"
#include "format/package_read.h"
#include "include_dir.h"
#include "tool_run.h"

#define MAX_ARGS (32 + 2 * COMPILE_MAX_INCLUDES + 64)

/* A compile's argument strings: directories and flags built here, freed together. */
struct cmdline {
	char *argv[MAX_ARGS];
	int argc;
	bool too_many;		 /* an argument did not fit: never run a command cut short */
	char tmp[PATH_MAX - 64]; /* the private temporary directory */
	char inc[PATH_MAX];	 /* the include dir */
	char src_dir[PATH_MAX];
	char hdr_dir[PATH_MAX];
	char arch[96]; /* -D__TARGET_ARCH_x86 */
	char export_h[PATH_MAX];
	char full[PATH_MAX];  /* clang's object, with DWARF */
	char strip[PATH_MAX]; /* llvm-strip's, with BTF only */
	char *flags;	      /* a copy of $ECC_CFLAGS, split in place */
};

static const char *clang_command(void)
{
	const char *c = getenv("CLANG");

	return c && *c ? c : "clang";
}

static const char *strip_command(void)
{
	const char *c = getenv("LLVM_STRIP");

	return c && *c ? c : "llvm-strip";
}

/* An architecture as uname -m names it, and as the kernel (and bpf_tracing.h) does. */
static const char *const arch_names[][2] = {
	{"x86_64", "x86"},  {"aarch64", "arm64"},   {"i686", "x86"},
	{"armv7l", "arm"},  {"ppc64le", "powerpc"}, {"ppc64", "powerpc"},
	{"s390x", "s390"},  {"riscv64", "riscv"},   {"loongarch64", "loongarch"},
	{"mips64", "mips"}, {"sparc64", "sparc"},
};

#define NR_ARCH_NAMES (sizeof(arch_names) / sizeof(arch_names[0]))

bool compile_arch_known(const char *name)
{
	size_t i;

	for (i = 0; i < NR_ARCH_NAMES; i++)
		if (!strcmp(name, arch_names[i][0]))
			return true;
	return false;
}

static const char *kernel_arch(const char *machine)
{
	size_t i;

	for (i = 0; i < NR_ARCH_NAMES; i++)
		if (!strcmp(machine, arch_names[i][0]))
			return arch_names[i][1];
	return machine;
}

static const char *host_arch(void)
{
	static struct utsname u;

	if (!u.machine[0] && uname(&u))
		snprintf(u.machine, sizeof(u.machine), "x86_64");
	return u.machine;
}

/* The include dir has this architecture's kernel types (vmlinux-ARCH.h). */
static bool has_types(const char *inc, const char *arch)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/vmlinux-%.32s.h", inc, arch);
	return !access(path, R_OK);
}

/* "x86_64,aarch64" into arches; each one ecc has kernel types for. */
static int parse_arch_list(const char *list, const char *inc, struct compile_arches *a,
			   struct diag *d)
{
	char *copy = strdup(list), *word, *save = NULL;
	int i, err = copy ? 0 : diag_set(d, -ENOMEM, "out of memory");

	for (word = copy ? strtok_r(copy, ",", &save) : NULL; word && !err;
	     word = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < a->nr && strcmp(a->names[i], word); i++)
			;
		if (i < a->nr)
			continue;
		if (strcmp(word, "x86_64") && strcmp(word, "aarch64"))
			err = diag_set(d, -EINVAL, "--arch: '%s' is not x86_64 or aarch64", word);
		else if (!has_types(inc, word))
			err = diag_set(d, -ENOENT,
				       "--arch %s: no vmlinux-%s.h in %s: ecc has no kernel types "
				       "to build for it",
				       word, word, inc);
		else if (a->nr == COMPILE_MAX_ARCHES)
			err = diag_set(d, -E2BIG, "--arch: more than %d architectures",
				       COMPILE_MAX_ARCHES);
		else
			a->names[a->nr++] = strcmp(word, "x86_64") ? "aarch64" : "x86_64";
	}
	if (!err && !a->nr)
		err = diag_set(d, -EINVAL, "--arch: names no architecture");
	free(copy);
	return err;
}

int compile_arches(const char *list, struct compile_arches *a, struct diag *d)
{
	static const char *const known[] = {"x86_64", "aarch64"};
	char inc[PATH_MAX];
	size_t i;
	int err = include_dir_find(inc, sizeof(inc), d);

	memset(a, 0, sizeof(*a));
	if (err)
		return err;
	if (list)
		return parse_arch_list(list, inc, a, d);
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (has_types(inc, known[i]))
			a->names[a->nr++] = known[i];
	if (!a->nr) /* an include dir of one vmlinux.h: this machine's */
		a->names[a->nr++] = host_arch();
	return 0;
}

static void dir_of(const char *path, char *dir, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(dir, len, ".");
	else if (slash == path)
		snprintf(dir, len, "/");
	else
		snprintf(dir, len, "%.*s", (int)(slash - path), path);
}

static int make_temp_dir(struct cmdline *c, struct diag *d)
{
	const char *base = getenv("TMPDIR");

	snprintf(c->tmp, sizeof(c->tmp), "%s/ecc-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(c->tmp)) {
		int err = -errno;

		c->tmp[0] = 0;
		return diag_set(d, err, "cannot create a temporary directory in %s: %s",
				base && *base ? base : "/tmp", strerror(-err));
	}
	return 0;
}

/* Removes the directory and whatever is in it: ecc's files and any a tool left behind. */
static void remove_temp_dir(const char *tmp)
{
	DIR *dir = tmp[0] ? opendir(tmp) : NULL;
	struct dirent *e;

	if (!dir)
		return;
	while ((e = readdir(dir)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlinkat(dirfd(dir), e->d_name, 0);
	closedir(dir);
	rmdir(tmp);
}

/*
 * BTF keeps only the types a global refers to: a pointer to the event struct makes it visible
 * (eunomia's name, which loaders skip). It is included before the source, as a tentative
 * definition, so the source's own EXPORT_EVENT_TYPE of the same struct repeats it harmlessly
 * and clang's diagnostics name the source's lines as they are.
 */
static int write_export_header(struct cmdline *c, const struct compile_opts *o, struct diag *d)
{
	FILE *f;
	int ok = 1, i;

	snprintf(c->export_h, sizeof(c->export_h), "%s/export_type.h", c->tmp);
	f = fopen(c->export_h, "w");
	if (!f)
		return diag_set(d, -errno, "%s: %s", c->export_h, strerror(errno));
	for (i = 0; i < o->nr_exports && ok; i++)
		ok = fprintf(f, "struct %s *__eunomia_dummy_%s_ptr __attribute__((unused));\n",
			     o->export_types[i], o->export_types[i]) > 0;
	ok = !fclose(f) && ok;
	return ok ? 0 : diag_set(d, -EIO, "%s: cannot write", c->export_h);
}

static void add(struct cmdline *c, const char *arg)
{
	if (c->argc < MAX_ARGS - 1)
		c->argv[c->argc++] = (char *)arg;
	else
		c->too_many = true;
	c->argv[c->argc] = NULL;
}

static void add_include(struct cmdline *c, const char *dir)
{
	add(c, "-I");
	add(c, dir);
}

static void add_extra_flags(struct cmdline *c)
{
	const char *env = getenv("ECC_CFLAGS");
	char *word, *save = NULL;

	c->flags = env ? strdup(env) : NULL;
	for (word = c->flags ? strtok_r(c->flags, " \t", &save) : NULL; word;
	     word = strtok_r(NULL, " \t", &save))
		add(c, word);
}

static void clang_argv(struct cmdline *c, const struct compile_opts *o)
{
	int i;

	c->argc = 0;
	add(c, clang_command());
	add(c, "-g");
	add(c, "-O2");
	add(c, "-target");
	add(c, "bpf");
	snprintf(c->arch, sizeof(c->arch), "-D__TARGET_ARCH_%s",
		 kernel_arch(o->arch ? o->arch : host_arch()));
	add(c, c->arch);
	/* the author's folders first: their own headers win over ours of the same name */
	dir_of(o->source, c->src_dir, sizeof(c->src_dir));
	add_include(c, c->src_dir);
	if (o->header) {
		dir_of(o->header, c->hdr_dir, sizeof(c->hdr_dir));
		if (strcmp(c->hdr_dir, c->src_dir))
			add_include(c, c->hdr_dir);
	}
	for (i = 0; i < o->nr_includes; i++)
		add_include(c, o->includes[i]);
	add_include(c, c->inc);
	add_extra_flags(c);
	if (c->export_h[0]) {
		add(c, "-include");
		add(c, c->export_h);
	}
	add(c, "-c");
	add(c, o->source);
	add(c, "-o");
	add(c, c->full);
}

static void print_command(char *const argv[])
{
	int i;

	for (i = 0; argv[i]; i++) {
		bool plain = argv[i][0] && !argv[i][strcspn(argv[i], " \t\n'\"\\$`*?;&|<>()")];

		fprintf(stderr, plain ? "%s%s" : "%s'%s'", i ? " " : "", argv[i]);
	}
	fputc('\n', stderr);
}

/* Runs one tool of the compile; its failure is one line naming the source and the tool. */
static int run(char *const argv[], const char *env, const struct compile_opts *o, const char *tmp,
	       struct diag *d)
{
	struct tool_result r;
	int err;

	if (o->verbose)
		print_command(argv);
	err = tool_run(argv, tmp, &r);
	if (err == -ENOENT)
		return diag_set(d, err, "%s: %s not found (install it, or set $%s)", o->source,
				argv[0], env);
	if (err)
		return diag_set(d, err, "%s: cannot run %s: %s", o->source, argv[0],
				strerror(-err));
	if (r.interrupted)
		return diag_set(d, -EINTR, "%s: interrupted", o->source);
	if (r.signal)
		return diag_set(d, -ECHILD, "%s: %s failed (signal %d)", o->source, argv[0],
				r.signal);
	if (r.status)
		return diag_set(d, -ECHILD, "%s: %s failed (exit %d)", o->source, argv[0],
				r.status);
	return 0;
}

static int strip_dwarf(struct cmdline *c, const struct compile_opts *o, struct diag *d)
{
	char *argv[] = {(char *)strip_command(), "-g", c->full, "-o", c->strip, NULL};

	return run(argv, "LLVM_STRIP", o, c->tmp, d);
}

int compile_source(const struct compile_opts *o, char **object, size_t *size, struct diag *d)
{
	struct cmdline *c = calloc(1, sizeof(*c));
	int err;

	if (!c)
		return diag_set(d, -ENOMEM, "out of memory");
	err = include_dir_find(c->inc, sizeof(c->inc), d);
	err = err ?: make_temp_dir(c, d);
	if (!err && o->nr_exports)
		err = write_export_header(c, o, d);
	if (!err) {
		snprintf(c->full, sizeof(c->full), "%s/object.full.o", c->tmp);
		snprintf(c->strip, sizeof(c->strip), "%s/object.o", c->tmp);
		clang_argv(c, o);
		err = c->too_many
			      ? diag_set(d, -E2BIG,
					 "%s: clang would need more than %d arguments (fewer -I "
					 "or $ECC_CFLAGS words)",
					 o->source, MAX_ARGS - 1)
			      : run(c->argv, "CLANG", o, c->tmp, d);
	}
	err = err ?: strip_dwarf(c, o, d);
	err = err ?: file_read(c->strip, PACKAGE_MAX_FILE_BYTES, object, size, d);
	remove_temp_dir(c->tmp);
	free(c->flags);
	free(c);
	return err;
}

int compile_describe_tools(FILE *out)
{
	char path[PATH_MAX], version[256] = "", inc[PATH_MAX];
	char *argv[] = {path, "--version", NULL};
	struct diag d;
	int err = tool_find(clang_command(), path, sizeof(path));

	if (err)
		fprintf(out, "clang: %s: not found (install clang, or set $CLANG)\n",
			clang_command());
	else if (tool_first_line(argv, version, sizeof(version)))
		fprintf(out, "clang: %s: does not answer --version\n", path);
	else
		fprintf(out, "clang: %s: %s\n", path, version);
	if (include_dir_find(inc, sizeof(inc), &d))
		fprintf(out, "include: %s\n", d.msg);
	else
		fprintf(out, "include: %s\n", inc);
	return err;
}
