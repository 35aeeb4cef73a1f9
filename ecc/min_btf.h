/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * ecc --btf-for: for each kernel BTF given, the minimal BTF the object's CO-RE relocations need
 * (bpftool gen min_core_btf), embedded in the package as "btf_for" with the kernel's release,
 * so that ecli can run the package on that kernel even when it has no BTF of its own.
 */
#ifndef ECC_MIN_BTF_H
#define ECC_MIN_BTF_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "core/diag.h"
#include "format/package_write.h"

#define MIN_BTF_MAX 64

struct min_btf_spec {
	char release[65]; /* struct utsname's release is at most 64 characters */
	const char *path;
	const char *arch; /* x86_64 or aarch64, by the BTF's struct pt_regs; NULL: not told */
};

struct min_btf_list {
	struct min_btf_spec specs[MIN_BTF_MAX];
	int nr;
};

/*
 * Adds "RELEASE=FILE", or "DIR/RELEASE.btf" as BTFHub names its files; refuses a release given
 * twice for one architecture.
 */
int min_btf_add(struct min_btf_list *l, const char *arg, struct diag *d);

/*
 * The package's "btf_for" array, or NULL with d set: for each kernel, made from the object of
 * its architecture (each entry then says "arch"), or from the one object of a package for any
 * machine. Runs $BPFTOOL (default bpftool).
 */
cJSON *min_btf_build(const struct min_btf_list *l, const struct package_object *objects, int nr,
		     struct diag *d);

#endif
