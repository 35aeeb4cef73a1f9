// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The real package the argument and render fuzzers run against, read once at start. */
#include <stdio.h>
#include <stdlib.h>
#include "fuzz.h"

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

void fuzz_load_package(struct fuzz_package *fp, const char *fuzzer)
{
	const char *path = getenv("FUZZ_PACKAGE");
	struct diag d;

	libbpf_set_print(quiet);
	if (package_read_file(path ? path : "build/packages/bindsnoop/package.json", &fp->pkg,
			      &d) ||
	    meta_parse(fp->pkg.meta, &fp->meta, &d) ||
	    !(fp->obj = bpf_object__open_mem(fp->pkg.object, fp->pkg.object_size, NULL)) ||
	    (fp->event_type = layout_find_record(bpf_object__btf(fp->obj), fp->meta.events.type)) <
		    0) {
		fprintf(stderr, "%s: cannot read the package (run from the repository root)\n",
			fuzzer);
		exit(1);
	}
}
