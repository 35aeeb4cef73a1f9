/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Deterministic byte mutations of a valid BPF object. Mutation n of seed s is always the same
 * edits: one to four, each a random byte, a bit flip, or a 4- or 8-byte little-endian value set
 * to an interesting number (0, all ones, the number of BTF types plus a little, the string
 * section's length, the object's size, ...). Most land where a parser trusts numbers: .BTF
 * (header, type records word by word), .BTF.ext, and the ELF headers, symbols and relocations,
 * the rest anywhere in the object (mostly code).
 */
#ifndef OBJECT_MUTATOR_H
#define OBJECT_MUTATOR_H

#include <stddef.h>
#include <stdint.h>

enum region_id {
	REGION_ANY,
	REGION_ELF,
	REGION_BTF_HEADER,
	REGION_BTF,
	REGION_BTF_EXT,
	NR_REGIONS
};

struct region {
	size_t off, len; /* len 0: the object has no such part */
};

struct object_mutator {
	const uint8_t *orig;
	size_t size;
	struct region regions[NR_REGIONS];
	struct region elf_parts[4]; /* ELF header, section headers, symbols, relocations */
	uint32_t nr_types, str_len; /* of .BTF, for interesting values */
};

/* Finds the object's parts; obj must be a valid object and outlive the mutator. */
int object_mutator_init(struct object_mutator *m, const uint8_t *obj, size_t size);

/* out (size bytes) becomes mutation n of seed; desc says which edits, for a crash report. */
void object_mutator_apply(const struct object_mutator *m, uint64_t seed, uint64_t n, uint8_t *out,
			  char *desc, size_t desc_size);

#endif
