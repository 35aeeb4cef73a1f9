/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What only the running loader knows, written into the variables the package's "runtime" names
 * (meta.h's runtime_spec) before every load attempt: the identity of ecli's own PID namespace,
 * so the program can show and filter ids as that namespace sees them.
 */
#ifndef LOAD_RUNTIME_VARS_H
#define LOAD_RUNTIME_VARS_H

#include <stdint.h>
#include <bpf/libbpf.h>
#include "core/diag.h"
#include "format/meta.h"

struct runtime_values {
	uint64_t pidns_dev; /* the nsfs device as the kernel encodes a dev_t: major << 20 | minor */
	uint64_t pidns_ino; /* the namespace's inode number */
};

/* Reads what r asks for (nothing when r names no variable); once per run. */
int runtime_values_read(const struct runtime_spec *r, struct runtime_values *v, struct diag *d);

/* Writes the values into an opened object's variables, before load. */
int runtime_vars_write(const struct runtime_spec *r, const struct runtime_values *v,
		       struct bpf_object *obj, struct diag *d);

#endif
