// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target: reading a package. Any bytes go through the JSON parser, the checks of
 * keys and types, base64, the bounded inflate, the object's structural check and the meta
 * parser; an object that passes is opened by libbpf (bpf_object__open_mem), as ecli does.
 */
#include "fuzz.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <bpf/libbpf.h>
#include "format/meta.h"
#include "format/package_read.h"

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	libbpf_set_print(quiet);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct package pkg;
	struct package_meta meta;
	struct diag d;

	if (package_parse((const char *)data, size, &pkg, &d))
		return 0;
	bpf_object__close(bpf_object__open_mem(pkg.object, pkg.object_size, NULL));
	if (!meta_parse(pkg.meta, &meta, &d))
		meta_free(&meta);
	package_free(&pkg);
	return 0;
}
