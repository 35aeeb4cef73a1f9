/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Reads package.json: the JSON document, the base64 + zlib BPF object inside it, its meta. */
#ifndef FORMAT_PACKAGE_READ_H
#define FORMAT_PACKAGE_READ_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "core/diag.h"

#define PACKAGE_MAX_FILE_BYTES	 (256u << 20) /* a package file larger than this is refused */
#define PACKAGE_MAX_OBJECT_BYTES (64u << 20)  /* a declared object size larger than this too */

/* an embedded BTF declared larger than this is refused */
#define PACKAGE_MAX_BTF_BYTES (16u << 20)

/* A minimal kernel BTF ecc --btf-for embedded, for kernels that have none of their own. */
struct embedded_btf {
	const char *release; /* uname -r of the kernel it describes; borrowed from root */
	void *data;	     /* the inflated raw BTF */
	size_t size;
};

struct package {
	cJSON *root; /* the whole document; meta points into it */
	const cJSON *meta;
	void *object; /* the inflated ELF object */
	size_t object_size;
	struct embedded_btf *btfs; /* the optional top-level "btf_for" */
	int nr_btfs;
};

/* path "-" reads standard input. */
int package_read_file(const char *path, struct package *pkg, struct diag *d);
/* The file's bytes (malloc'd, NUL-terminated), up to PACKAGE_MAX_FILE_BYTES; "-": stdin. */
int package_read_bytes(const char *path, char **text, size_t *len, struct diag *d);
int package_parse(const char *text, size_t len, struct package *pkg, struct diag *d);
void package_free(struct package *pkg);

#endif
