/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The structure of an object's .BTF, checked before libbpf parses it. libbpf 1.1 checks the
 * header, the string section's ends and each record's size, then trusts the rest: a type id
 * past the last type, a name offset past the strings, a func that is not over a func_proto
 * or a cycle of types that no pointer breaks make it read out of bounds, crash or loop. Every
 * record, reference and name offset is checked here, and no chain of types may nest deeper
 * than RAW_BTF_MAX_DEPTH (libbpf follows some chains by recursion).
 */
#ifndef OBJECT_RAW_BTF_H
#define OBJECT_RAW_BTF_H

#include <stddef.h>
#include <stdint.h>
#include "core/diag.h"

#define RAW_BTF_MAX_DEPTH 1024

/* A checked .BTF: what .BTF.ext's records refer to. */
struct raw_btf_index {
	const uint8_t *types; /* the type section */
	const char *strs;     /* the string section, NUL-terminated */
	uint32_t str_len;
	uint32_t nr_types; /* ids 0 (void) to nr_types - 1 */
	uint32_t *offsets; /* offsets[id]: where type id's record starts in types (id >= 1) */
};

/*
 * 0 with the index filled (free it with raw_btf_index_free), or -EINVAL with one line in d:
 * "bpf_object: .BTF type 42 (struct bind_event) member 3 refers to type 9999 past the last
 * type 1802".
 */
int raw_btf_check(const uint8_t *data, size_t size, struct raw_btf_index *idx, struct diag *d);
void raw_btf_index_free(struct raw_btf_index *idx);

/* The kind of a type id below nr_types (0 for void). */
unsigned int raw_btf_index_kind(const struct raw_btf_index *idx, uint32_t id);
/* "type 42 (struct bind_event)", "type 7 (anonymous struct)", "type 0 (void)". */
void raw_btf_index_describe(const struct raw_btf_index *idx, uint32_t id, char *buf, size_t size);

#endif
