// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
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
#include "format/meta.h"
#include "format/package_read.h"
#include "output/render.h"
#include "args/tool_args.h"

#define MAX_ARGS 32

static struct fuzz_package fp;
static struct layout *layout;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct diag d;

	fuzz_load_package(&fp, "fuzz_args");
	if (layout_build(bpf_object__btf(fp.obj), fp.event_type, &fp.meta.hints, &layout, &d)) {
		fprintf(stderr, "fuzz_args: %s\n", d.msg);
		exit(1);
	}
	return 0;
}

static bool condition(void *ctx, const char *name)
{
	return tool_args_condition(ctx, fp.obj, name);
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
	if (!tool_args_parse(&s, &fp.meta, fp.obj, argc, argv, &d)) {
		if (!out_buf_init(&out, -1, 256)) {
			if (!record_view_init(&view, s.output, layout, &fp.meta.columns, s.columns,
					      condition, &s, &out, &d))
				record_view_free(&view);
			out_buf_free(&out);
		}
		tool_args_free(&s);
	}
	free(text);
	return 0;
}
