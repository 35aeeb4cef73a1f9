/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Writes package.json: the object zlib-compressed and base64-encoded, its size, the meta. */
#ifndef FORMAT_PACKAGE_WRITE_H
#define FORMAT_PACKAGE_WRITE_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "core/diag.h"

/* meta and btf_for ("btf_for", or NULL) are consumed. path "-" writes to standard output. */
int package_write(const char *path, const void *object, size_t size, cJSON *btf_for, cJSON *meta,
		  struct diag *d);

/* data zlib-compressed and base64-encoded, malloc'd; NULL with d set. */
char *package_encode(const void *data, size_t size, struct diag *d);

#endif
