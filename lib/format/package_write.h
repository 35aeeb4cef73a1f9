/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Writes package.json: the object zlib-compressed and base64-encoded, its size, the meta. */
#ifndef FORMAT_PACKAGE_WRITE_H
#define FORMAT_PACKAGE_WRITE_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "core/diag.h"

/* One architecture's object; arch NULL: a package for any machine (one object, no "arch"). */
struct package_object {
	const char *arch; /* as uname -m names it: x86_64, aarch64 */
	const void *data;
	size_t size;
};

/*
 * objects[0] is the package's "bpf_object" (with its "arch"), the rest go in "arch_objects"
 * (package_read.h); nr >= 1, and with nr > 1 each has an arch. meta and btf_for ("btf_for", or
 * NULL) are consumed. path "-" writes to standard output.
 */
int package_write(const char *path, const struct package_object *objects, int nr, cJSON *btf_for,
		  cJSON *meta, struct diag *d);

/* data zlib-compressed and base64-encoded, malloc'd; NULL with d set. */
char *package_encode(const void *data, size_t size, struct diag *d);

#endif
