// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/btf.h>
#include "object/raw_btf.h"
#include "object_mutator.h"

static const char *const region_names[NR_REGIONS] = {"object", "ELF", ".BTF header", ".BTF",
						     ".BTF.ext"};

/* Which part an edit goes to, in percent: BTF and its header, .BTF.ext, ELF, anywhere. */
static const unsigned int region_weights[NR_REGIONS] = {25, 15, 5, 35, 20};

struct rng {
	uint64_t state;
};

/* splitmix64: small, fast, and the same numbers on every machine */
static uint64_t next(struct rng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t below(struct rng *r, uint64_t n)
{
	return n ? next(r) % n : 0;
}

static Elf64_Shdr section(const uint8_t *obj, const Elf64_Ehdr *eh, unsigned int i)
{
	Elf64_Shdr sh;

	memcpy(&sh, obj + eh->e_shoff + (size_t)i * sizeof(sh), sizeof(sh));
	return sh;
}

static void find_parts(struct object_mutator *m, const Elf64_Ehdr *eh)
{
	Elf64_Shdr names = section(m->orig, eh, eh->e_shstrndx), sh;
	size_t rel_start = 0, rel_end = 0;
	const char *name;
	unsigned int i;

	m->elf_parts[0] = (struct region){0, sizeof(*eh)};
	m->elf_parts[1] = (struct region){eh->e_shoff, (size_t)eh->e_shnum * sizeof(sh)};
	for (i = 1; i < eh->e_shnum; i++) {
		sh = section(m->orig, eh, i);
		name = (const char *)m->orig + names.sh_offset + sh.sh_name;
		if (sh.sh_type == SHT_SYMTAB)
			m->elf_parts[2] = (struct region){sh.sh_offset, sh.sh_size};
		if (sh.sh_type == SHT_REL && (!rel_end || sh.sh_offset < rel_start))
			rel_start = sh.sh_offset;
		if (sh.sh_type == SHT_REL && sh.sh_offset + sh.sh_size > rel_end)
			rel_end = sh.sh_offset + sh.sh_size;
		if (!strcmp(name, ".BTF"))
			m->regions[REGION_BTF] = (struct region){sh.sh_offset, sh.sh_size};
		if (!strcmp(name, ".BTF.ext"))
			m->regions[REGION_BTF_EXT] = (struct region){sh.sh_offset, sh.sh_size};
	}
	m->elf_parts[3] = (struct region){rel_start, rel_end - rel_start};
}

int object_mutator_init(struct object_mutator *m, const uint8_t *obj, size_t size)
{
	const struct region *btf;
	struct raw_btf_index idx;
	Elf64_Ehdr eh;
	struct diag d;

	memset(m, 0, sizeof(*m));
	if (size < sizeof(eh))
		return -EINVAL;
	m->orig = obj;
	m->size = size;
	memcpy(&eh, obj, sizeof(eh));
	m->regions[REGION_ANY] = (struct region){0, size};
	m->regions[REGION_ELF] = (struct region){0, size}; /* edits pick one of elf_parts */
	find_parts(m, &eh);
	btf = &m->regions[REGION_BTF];
	if (btf->len && !raw_btf_check(obj + btf->off, btf->len, &idx, &d)) {
		m->nr_types = idx.nr_types;
		m->str_len = idx.str_len;
		m->regions[REGION_BTF_HEADER] =
			(struct region){btf->off, sizeof(struct btf_header)};
		raw_btf_index_free(&idx);
	}
	return 0;
}

static uint64_t interesting(const struct object_mutator *m, struct rng *r, const char **why)
{
	const uint64_t values[] = {0,
				   1,
				   0x7f,
				   0x80,
				   0xff,
				   0xffff,
				   0x7fffffff,
				   0x80000000,
				   0xfffffffe,
				   0xffffffff,
				   m->nr_types - 1,
				   m->nr_types,
				   m->nr_types + 1,
				   m->nr_types + 1 + below(r, 1000),
				   m->str_len - 1,
				   m->str_len,
				   m->str_len + 1 + below(r, 1000),
				   m->size,
				   m->size + 1,
				   0xffffffffffffffffull,
				   0x8000000000000000ull,
				   next(r)};
	static const char *const names[] = {
		"0",	      "1",	    "0x7f",	  "0x80",	"0xff",	     "0xffff",
		"0x7fffffff", "0x80000000", "0xfffffffe", "0xffffffff", "last type", "nr_types",
		"nr_types+1", "nr_types+N", "str_len-1",  "str_len",	"str_len+N", "object size",
		"size+1",     "all ones",   "1<<63",	  "random"};
	uint64_t i = below(r, sizeof(values) / sizeof(values[0]));

	*why = names[i];
	return values[i];
}

static struct region pick_region(const struct object_mutator *m, struct rng *r, int *id)
{
	uint64_t roll = below(r, 100), sum = 0;
	int i;

	for (i = 0; i < NR_REGIONS; i++) {
		sum += region_weights[i];
		if (roll < sum)
			break;
	}
	if (i == NR_REGIONS || !m->regions[i].len)
		i = REGION_ANY;
	*id = i;
	if (i == REGION_ELF)
		return m->elf_parts[below(r, 4)];
	return m->regions[i];
}

/* One edit; returns how much of desc it used. */
static int edit(const struct object_mutator *m, struct rng *r, uint8_t *out, char *desc,
		size_t size)
{
	int id, kind = below(r, 100);
	struct region g = pick_region(m, r, &id);
	size_t at, width = kind >= 90 ? 8 : 4;
	const char *why;
	uint64_t v;

	if (!g.len)
		g = m->regions[REGION_ANY];
	at = g.off + below(r, g.len);
	if (kind < 25) {
		out[at] = (uint8_t)next(r);
		return snprintf(desc, size, " %s+%zu:=0x%02x", region_names[id], at - g.off,
				out[at]);
	}
	if (kind < 50) {
		out[at] ^= 1u << below(r, 8);
		return snprintf(desc, size, " %s+%zu^bit", region_names[id], at - g.off);
	}
	/* a whole little-endian word, aligned within its part as the parsers read it */
	at = g.off + ((at - g.off) & ~(width - 1));
	if (at + width > m->size)
		return 0;
	v = interesting(m, r, &why);
	memcpy(out + at, &v, width); /* the host's byte order, which is the object's */
	return snprintf(desc, size, " %s+%zu:u%zu=%s", region_names[id], at - g.off, width * 8,
			why);
}

void object_mutator_apply(const struct object_mutator *m, uint64_t seed, uint64_t n, uint8_t *out,
			  char *desc, size_t desc_size)
{
	struct rng r = {seed * 0x100000001b3ull ^ n};
	int edits = below(&r, 10) < 6 ? 1 : 2 + below(&r, 3), i;
	size_t used = 0;

	memcpy(out, m->orig, m->size);
	desc[0] = 0;
	for (i = 0; i < edits; i++) {
		int w = edit(m, &r, out, desc + used, desc_size - used);

		if (w > 0 && used + w < desc_size)
			used += w;
	}
}
