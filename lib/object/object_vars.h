/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Global variables of an opened (not yet loaded) BPF object: found by name through the BTF
 * DATASEC of .rodata, .bss or .data, read and written in the map's initial value, which
 * libbpf copies into the kernel at load.
 */
#ifndef OBJECT_OBJECT_VARS_H
#define OBJECT_OBJECT_VARS_H

#include <stdbool.h>
#include <stdint.h>
#include <bpf/libbpf.h>

struct var_ref {
	struct bpf_map *map; /* the internal map holding the section */
	uint32_t offset;
	uint32_t size;
	uint32_t type_id;
};

/* 0, or -ENOENT when no data section holds a variable of that name. */
int object_find_var(struct bpf_object *obj, const char *name, struct var_ref *ref);

/* The variable's bytes in the map's initial value, or NULL (a map that is not mmaped). */
const void *object_var_bytes(const struct var_ref *ref);

/* Replaces the variable's initial value with ref->size bytes; before load only. */
int object_var_write(const struct var_ref *ref, const void *bytes);

/* The variable's type with typedefs and qualifiers resolved, or NULL when there is none. */
const struct btf_type *object_var_type(struct bpf_object *obj, const char *name,
				       struct var_ref *ref);

/* True when the variable exists and any of its bytes is non-zero. */
bool object_var_is_set(struct bpf_object *obj, const char *name);

#endif
