// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ecc: builds a tool's package.json in one command. From a source: compiles it (compile.c),
 * reads its `///` help and @cmdarg names and its structs (source_scan.c), then packs the
 * object (pack.c). From a compiled object: packs it. A schema, when given, adds what neither
 * the object nor the source can say.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "compile.h"
#include "kfuncs.h"
#include "core/file_io.h"
#include "format/package_read.h"
#include "pack.h"
#include "source_scan.h"

#ifndef ECLI_VERSION
#define ECLI_VERSION "unknown" /* the Makefile passes the project's version */
#endif

static const char usage[] = "usage: ecc [-v] [-I DIR]... [-o PACKAGE] [--save-object FILE]\n"
			    "           [--arch ARCH[,ARCH]] [--btf-for [RELEASE=]KERNEL_BTF]...\n"
			    "           {SOURCE.bpf.c [HEADER.h] | OBJECT.o} [SCHEMA.json]\n";

static const char help[] =
	"\n"
	"Builds PACKAGE (default: package.json; - for stdout), a tool ecli runs, from a BPF\n"
	"SOURCE (compiled here with clang) or a compiled OBJECT with BTF. The event type is the\n"
	"struct of the size the programs send (among HEADER's structs, else SOURCE's), else\n"
	"HEADER's first struct; `///` comments and `/// @cmdarg {...}` above const volatile\n"
	"globals become the options' help and names, `/// @sample {...}` above a map how it is\n"
	"printed. From the object alone: maps whose value holds slots are histograms, programs\n"
	"hooking one event through tp_btf/raw_tp/tp (fentry/kprobe) are hook variants; a type\n"
	"whose size no program sends is refused, and so is a map declared without a size.\n"
	"SCHEMA (tool, args, hook_variants, events, display, exit_maps, samples, map_sizes)\n"
	"adds the rest and wins; its events.fields describes an event struct the OBJECT's BTF\n"
	"lacks, and ecc adds it there.\n"
	"\n"
	"options:\n"
	"  -o PACKAGE     where to write the package\n"
	"  -I DIR         also search DIR for included headers (repeatable)\n"
	"  -v             print the clang and llvm-strip commands, and what was inferred\n"
	"  --arch ARCH[,ARCH]  build for these architectures, x86_64 and aarch64 (default:\n"
	"                 each the include dir has kernel types for, vmlinux-ARCH.h): one\n"
	"                 object each, ecli loading the running machine's. For OBJECT.o,\n"
	"                 the one architecture it was built for (default: none said, any)\n"
	"  --save-object FILE  also write the compiled object (BTF, no DWARF) to FILE (the\n"
	"                 first architecture's)\n"
	"  --btf-for [RELEASE=]KERNEL_BTF  embed the minimal BTF the object needs from\n"
	"                 KERNEL_BTF (a kernel's BTF: raw, or an ELF vmlinux with .BTF), made\n"
	"                 with bpftool gen min_core_btf; ecli uses it on a kernel without BTF\n"
	"                 whose uname -r is RELEASE. Without RELEASE= the file must be named\n"
	"                 RELEASE.btf, as BTFHub names them. Repeat it for each kernel.\n"
	"  --kfuncs BTF   print C declarations of the kernel functions BPF programs may call\n"
	"                 (BTF decl tag bpf_kfunc) in BTF, for vmlinux.h, and exit\n"
	"  --version      print ecc's version, the clang it uses and its include dir\n"
	"  -h, --help     show this help\n"
	"\n"
	"environment: CLANG, LLVM_STRIP, BPFTOOL (the tools), ECC_CFLAGS (more clang flags),\n"
	"ECC_INCLUDE (the include dir: vmlinux.h, bpf/*.h, the project's BPF headers).\n";

struct inputs {
	const char *source, *header, *object, *schema;
	const char *arch; /* --arch, or NULL */
	const struct min_btf_list *btf_for;
	bool verbose;
};

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && !strcmp(s + n - m, suffix);
}

/* Tells the arguments apart by suffix; -EINVAL for a combination that makes no package. */
static int classify(int argc, char **argv, struct inputs *in)
{
	const char **slot;
	int i;

	memset(in, 0, sizeof(*in));
	for (i = 0; i < argc; i++) {
		slot = ends_with(argv[i], ".c")	     ? &in->source
		       : ends_with(argv[i], ".h")    ? &in->header
		       : ends_with(argv[i], ".o")    ? &in->object
		       : ends_with(argv[i], ".json") ? &in->schema
						     : NULL;
		if (!slot || *slot)
			return -EINVAL;
		*slot = argv[i];
	}
	if (!in->source == !in->object || (in->header && !in->source))
		return -EINVAL;
	return 0;
}

static bool is_identifier(const char *s)
{
	const char *p = s;

	while (*p == '_' || isalnum((unsigned char)*p))
		p++;
	return *s && !isdigit((unsigned char)*s) && !*p;
}

static int scan_file(const char *path, struct source_scan *scan, struct diag *d)
{
	char *text;
	size_t size;
	int err = file_read(path, PACKAGE_MAX_FILE_BYTES, &text, &size, d);

	if (err)
		return err;
	if (strlen(text) != size)
		err = diag_set(d, -EINVAL, "%s: not a text file", path);
	err = err ?: source_scan(path, text, scan, d);
	free(text);
	return err;
}

/* The event type, unless the schema names it: the header's first struct, else the source's only. */
static int pick_event_type(const struct source_scan *src, const struct source_scan *hdr,
			   struct pack_input *p, char *origin, size_t len, struct diag *d)
{
	if (hdr && !hdr->nr_structs)
		return diag_set(d, -EINVAL,
				"%s: defines no struct (its first struct is the event type)",
				hdr->path);
	if (hdr) {
		p->event_type = hdr->structs[0].name;
		snprintf(origin, len, "the first struct in %s", hdr->path);
	} else if (src->nr_structs == 1) {
		p->event_type = src->structs[0].name;
		snprintf(origin, len, "the only struct in %s", src->path);
	}
	p->event_type_origin = origin;
	return 0;
}

/*
 * The structs made visible in BTF: the schema's event type; else every struct of the header
 * (the source's, without one), so that the event type can be picked by the size the programs
 * send (event_type.h).
 */
static void export_candidates(struct compile_opts *co, const char *given,
			      const struct source_scan *src, const struct source_scan *hdr)
{
	const struct source_scan *from = hdr ? hdr : src;
	int i;

	co->nr_exports = 0;
	if (given) {
		if (is_identifier(given)) /* no such struct: packing says so */
			co->export_types[co->nr_exports++] = given;
		return;
	}
	for (i = 0; i < from->nr_structs && co->nr_exports < COMPILE_MAX_EXPORTS; i++)
		co->export_types[co->nr_exports++] = from->structs[i].name;
}

/* "...: for aarch64, whose kernel types lack what the source uses: --arch x86_64 ..." */
static void diag_wrap_after(struct diag *d, int err, const char *const *names, int failed)
{
	char ok[64] = "", was[sizeof(d->msg)];
	size_t used = 0;
	int i;

	snprintf(was, sizeof(was), "%s", d->msg);
	for (i = 0; i < failed && used < sizeof(ok); i++)
		used += snprintf(ok + used, sizeof(ok) - used, "%s%s", i ? "," : "", names[i]);
	diag_set(
		d, err,
		"%s for %s, whose kernel types (vmlinux-%s.h) lack what the source uses: --arch %s "
		"builds without it",
		was, names[failed], names[failed], ok);
}

/* Compiles the source once per architecture into objects[] (each malloc'd). */
static int compile_each(struct compile_opts *co, const struct inputs *in,
			struct package_object *objects, int *nr, struct diag *d)
{
	struct compile_arches arches;
	char *object;
	size_t size;
	int i, err = compile_arches(in->arch, &arches, d);

	*nr = 0;
	for (i = 0; i < arches.nr && !err; i++) {
		co->arch = arches.names[i];
		object = NULL;
		err = compile_source(co, &object, &size, d);
		if (!err)
			objects[(*nr)++] = (struct package_object){arches.names[i], object, size};
		else if (i > 0) /* the source compiles: that architecture's kernel types differ */
			diag_wrap_after(d, err, arches.names, i);
	}
	if (!err && in->verbose)
		for (i = 0; i < *nr; i++)
			fprintf(stderr, "ecc: built for %s (%zu bytes)\n", objects[i].arch,
				objects[i].size);
	return err;
}

static int from_source(struct compile_opts *co, const struct inputs *in, const char *out,
		       const char *save_object, struct diag *d)
{
	struct source_scan src = {0}, hdr = {0};
	struct pack_input p = {.path = in->source,
			       .schema = in->schema,
			       .source = &src,
			       .header_scan = in->header ? &hdr : NULL,
			       .header = in->header,
			       .btf_for = in->btf_for,
			       .verbose = in->verbose};
	struct package_object objects[PACK_MAX_OBJECTS];
	cJSON *schema = NULL;
	char origin[300];
	int i, nr = 0, err = 0;

	if (in->schema && !(schema = pack_read_schema(in->schema, d)))
		err = -EINVAL;
	err = err ?: scan_file(in->source, &src, d);
	if (!err && in->header)
		err = scan_file(in->header, &hdr, d);
	if (!err && !pack_schema_event_type(schema))
		err = pick_event_type(&src, in->header ? &hdr : NULL, &p, origin, sizeof(origin),
				      d);
	co->source = in->source;
	co->header = in->header;
	export_candidates(co, pack_schema_event_type(schema), &src, in->header ? &hdr : NULL);
	err = err ?: compile_each(co, in, objects, &nr, d);
	if (!err && save_object)
		err = file_write(save_object, objects[0].data, objects[0].size, d);
	if (!err) {
		err = pack_object(out, objects, nr, schema, &p, d);
		schema = NULL;
	}
	cJSON_Delete(schema);
	source_scan_free(&src);
	source_scan_free(&hdr);
	for (i = 0; i < nr; i++)
		free((void *)objects[i].data);
	return err;
}

/* An object built elsewhere: for the one architecture --arch names, else for any machine. */
static int from_object(const struct inputs *in, const char *out, struct diag *d)
{
	struct pack_input p = {.path = in->object,
			       .schema = in->schema,
			       .btf_for = in->btf_for,
			       .verbose = in->verbose};
	const char *arch = in->arch;
	cJSON *schema = NULL;
	char *object = NULL;
	size_t size = 0;
	int err = 0;

	if (arch && !compile_arch_known(arch))
		err = diag_set(d, -EINVAL,
			       "--arch %s: an object is built for one architecture, named as "
			       "uname -m names it (x86_64, aarch64)",
			       arch);
	if (!err && in->schema && !(schema = pack_read_schema(in->schema, d)))
		err = -EINVAL;
	err = err ?: file_read(in->object, PACKAGE_MAX_FILE_BYTES, &object, &size, d);
	if (!err) {
		err = pack_object(out, &(struct package_object){arch, object, size}, 1, schema, &p,
				  d);
		schema = NULL;
	}
	cJSON_Delete(schema);
	free(object);
	return err;
}

static int silent(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

static int version(void)
{
	printf("ecc %s\n", ECLI_VERSION);
	return compile_describe_tools(stdout) ? 2 : 0;
}

int main(int argc, char **argv)
{
	static const struct option longs[] = {{"help", no_argument, NULL, 'h'},
					      {"version", no_argument, NULL, 'V'},
					      {"save-object", required_argument, NULL, 'O'},
					      {"btf-for", required_argument, NULL, 'B'},
					      {"kfuncs", required_argument, NULL, 'K'},
					      {"arch", required_argument, NULL, 'A'},
					      {0}};
	struct compile_opts co = {0};
	const char *out = "package.json", *save_object = NULL, *arch = NULL;
	static struct min_btf_list btf_for;
	struct inputs in;
	struct diag d = {""};
	int opt;

	diag_set_program("ecc");
	libbpf_set_print(silent);
	while ((opt = getopt_long(argc, argv, "ho:I:v", longs, NULL)) != -1) {
		if (opt == 'o') {
			out = optarg;
		} else if (opt == 'I' && co.nr_includes < COMPILE_MAX_INCLUDES) {
			co.includes[co.nr_includes++] = optarg;
		} else if (opt == 'v') {
			co.verbose = true;
		} else if (opt == 'A') {
			arch = optarg;
		} else if (opt == 'O') {
			save_object = optarg;
		} else if (opt == 'B') {
			if (min_btf_add(&btf_for, optarg, &d)) {
				diag_print("%s", d.msg);
				return 2;
			}
		} else if (opt == 'V') {
			return version();
		} else if (opt == 'K') {
			if (kfuncs_print(optarg, stdout, &d)) {
				diag_print("%s", d.msg);
				return 2;
			}
			return 0;
		} else if (opt == 'h') {
			printf("%s%s", usage, help);
			return 0;
		} else {
			break; /* an unknown option, or one -I too many */
		}
	}
	if (opt != -1 || classify(argc - optind, argv + optind, &in) ||
	    (save_object && !in.source)) {
		fputs(usage, stderr);
		return 2;
	}
	in.btf_for = &btf_for;
	in.arch = arch;
	in.verbose = co.verbose;
	if (in.source ? from_source(&co, &in, out, save_object, &d) : from_object(&in, out, &d)) {
		diag_print("%s", d.msg);
		return 2;
	}
	return 0;
}
