/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The event struct of an object built elsewhere, described in the schema when the object's BTF
 * lacks it: clang writes BTF only for types a global, a map or a function signature uses, so an
 * event that a program fills on its stack and sends is absent from an object whose header ecc
 * never saw (a distribution's libbpf-tools). events.fields lists the members in order, each
 * {"name", "type"} with type one of u8 s8 u16 s16 u32 s32 u64 s64 u128 s128 char bool, or T[N];
 * ecc lays them out as C does (each member at its natural alignment, the size rounded up to the
 * largest), appends struct events.type to the object's BTF and moves .BTF to the object's end.
 */
#ifndef ECC_EVENT_FIELDS_H
#define ECC_EVENT_FIELDS_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "core/diag.h"

/*
 * *out (malloc'd, *out_size bytes) is object with struct type described by fields added to its
 * BTF. Refused in one line: a type the object already has, an unknown member type, a member
 * named twice or an empty list.
 */
int event_fields_add(const void *object, size_t size, const char *type, const cJSON *fields,
		     void **out, size_t *out_size, struct diag *d);

#endif
