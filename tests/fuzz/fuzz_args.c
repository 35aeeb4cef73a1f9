/*
 * libFuzzer target: the tool's command line. The input is split at NUL bytes into arguments
 * and parsed against the real bindsnoop package (its meta and its object's BTF), then the
 * chosen output is built, as ecli does before loading anything.
 */
#include "fuzz.h"
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "meta.h"
#include "package_read.h"
#include "render.h"
#include "tool_args.h"

#define MAX_ARGS 32

static struct package pkg;
static struct package_meta meta;
static struct bpf_object *obj;
static struct layout *layout;

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *path = getenv("FUZZ_PACKAGE");
	struct diag d;

	libbpf_set_print(quiet);
	if (package_read_file(path ? path : "build/packages/bindsnoop/package.json", &pkg, &d) ||
	    meta_parse(pkg.meta, &meta, &d) ||
	    !(obj = bpf_object__open_mem(pkg.object, pkg.object_size, NULL)) ||
	    layout_build(bpf_object__btf(obj),
			 btf_find_record(bpf_object__btf(obj), meta.events.type), meta.type_hints,
			 &layout, &d)) {
		fprintf(stderr,
			"fuzz_args: cannot read the package (run from the repository root)\n");
		exit(1);
	}
	return 0;
}

static bool condition(void *ctx, const char *name)
{
	return tool_args_condition(ctx, obj, name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *argv[MAX_ARGS];
	struct tool_settings s;
	struct record_view view;
	struct out_buf out;
	struct diag d;
	size_t i, start = 0;
	int argc = 0;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	for (i = 0; i <= size && argc < MAX_ARGS; i++) {
		if (text[i])
			continue;
		argv[argc++] = text + start;
		start = i + 1;
	}
	if (!tool_args_parse(&s, &meta, obj, argc, argv, &d)) {
		if (!out_buf_init(&out, -1, 256)) {
			if (!record_view_init(&view, s.output, layout, meta.columns, s.columns,
					      condition, &s, &out, &d))
				record_view_free(&view);
			out_buf_free(&out);
		}
		tool_args_free(&s);
	}
	free(text);
	return 0;
}
