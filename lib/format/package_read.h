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
	const char *arch;    /* the kernel's architecture; NULL: not said (any) */
	void *data;	     /* the inflated raw BTF */
	size_t size;
};

struct package {
	cJSON *root; /* the whole document; meta points into it */
	const cJSON *meta;
	void *object; /* the inflated ELF object: the running machine's */
	size_t object_size;
	const char *arch; /* the object's architecture (borrowed from root); NULL: not said */
	struct embedded_btf *btfs; /* the optional top-level "btf_for" */
	int nr_btfs;
};

/* path "-" reads standard input. */
int package_read_file(const char *path, struct package *pkg, struct diag *d);
/* The file's bytes (malloc'd, NUL-terminated), up to PACKAGE_MAX_FILE_BYTES; "-": stdin. */
int package_read_bytes(const char *path, char **text, size_t *len, struct diag *d);
/*
 * A package may hold one object per architecture: "bpf_object" is the one for "arch" (as uname
 * -m names it), "arch_objects" maps other architectures to theirs ({"aarch64": {"bpf_object",
 * "bpf_object_size"}}). package_parse keeps the running machine's, and refuses a package that
 * has none in one line ("package has objects for x86_64; this machine is aarch64"); a package
 * without "arch" (as earlier releases and eunomia-bpf write) has one object, for any machine.
 */
int package_parse(const char *text, size_t len, struct package *pkg, struct diag *d);

/* As package_parse, for any machine: every architecture's object is checked; "arch"'s kept. */
int package_parse_all(const char *text, size_t len, struct package *pkg, struct diag *d);

/* The running machine's architecture, as uname -m names it. */
const char *package_machine_arch(void);
void package_free(struct package *pkg);

#endif
