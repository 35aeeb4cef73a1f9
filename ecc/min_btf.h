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

#define MIN_BTF_MAX 64

struct min_btf_spec {
	char release[65]; /* struct utsname's release is at most 64 characters */
	const char *path;
};

struct min_btf_list {
	struct min_btf_spec specs[MIN_BTF_MAX];
	int nr;
};

/* Adds "RELEASE=FILE", or "DIR/RELEASE.btf" as BTFHub names its files; refuses a release twice. */
int min_btf_add(struct min_btf_list *l, const char *arg, struct diag *d);

/* The package's "btf_for" array, or NULL with d set. Runs $BPFTOOL (default bpftool). */
cJSON *min_btf_build(const struct min_btf_list *l, const void *object, size_t size, struct diag *d);

#endif
