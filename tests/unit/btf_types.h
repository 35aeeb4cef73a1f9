/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Test BTF: the C base types, added to a fresh BTF by both BTF-driven test files. */
#ifndef BTF_TYPES_H
#define BTF_TYPES_H

#include <bpf/btf.h>

struct base_types {
	int u8, s8, u16, s16, u32, s32, u64, s64, u128, s128, boolean, chr, flt, dbl, ldbl;
};

/* A new BTF holding the base types, their ids in *t. */
struct btf *btf_with_base_types(struct base_types *t);

#endif
