// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <elf.h>
#include <endian.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <linux/bpf.h>
#include "object/raw_btf.h"
#include "object/raw_btf_ext.h"
#include "object/object_check.h"

#define LDIMM64 (BPF_LD | BPF_IMM | BPF_DW) /* the first half of a 16-byte instruction */

#if __BYTE_ORDER == __LITTLE_ENDIAN
#define NATIVE_DATA ELFDATA2LSB
#else
#define NATIVE_DATA ELFDATA2MSB
#endif

struct elf_object {
	const uint8_t *data;
	size_t size;
	Elf64_Ehdr eh;
	const char *names; /* the section-name string table */
	size_t names_size;
	int symtab; /* its section index, 0 when the object has none */
	const char *sym_names;
	size_t sym_names_size;
	uint32_t nr_syms;
	int btf, btf_ext; /* section indices, 0 when absent */
};

/* Headers and entries are copied out: an object's sections need not be aligned. */
static Elf64_Shdr section(const struct elf_object *o, uint32_t i)
{
	Elf64_Shdr sh;

	memcpy(&sh, o->data + o->eh.e_shoff + (size_t)i * sizeof(sh), sizeof(sh));
	return sh;
}

static Elf64_Sym symbol(const struct elf_object *o, uint32_t i)
{
	Elf64_Sym sym;

	memcpy(&sym, o->data + section(o, o->symtab).sh_offset + (size_t)i * sizeof(sym),
	       sizeof(sym));
	return sym;
}

/* Once names are checked: a section's name, as messages quote it. */
static const char *section_name(const struct elf_object *o, uint32_t i)
{
	uint32_t off = section(o, i).sh_name;

	return o->names && off < o->names_size ? o->names + off : "?";
}

static const char *symbol_name(const struct elf_object *o, const Elf64_Sym *sym)
{
	return o->sym_names && sym->st_name < o->sym_names_size ? o->sym_names + sym->st_name : "?";
}

static bool has_bytes(const Elf64_Shdr *sh)
{
	return sh->sh_type != SHT_NOBITS && sh->sh_type != SHT_NULL;
}

static int check_header(struct elf_object *o, struct diag *d)
{
	Elf64_Ehdr *eh = &o->eh;

	if (o->size < sizeof(*eh) || memcmp(o->data, ELFMAG, SELFMAG))
		return diag_set(d, -ENOEXEC, "bpf_object: not an ELF object");
	memcpy(eh, o->data, sizeof(*eh));
	if (eh->e_ident[EI_CLASS] != ELFCLASS64) /* BPF objects are always 64-bit */
		return diag_set(d, -ENOEXEC, "bpf_object: not a 64-bit ELF object");
	if (eh->e_ident[EI_DATA] != NATIVE_DATA)
		return diag_set(d, -ENOEXEC,
				"bpf_object: ELF byte order %u is not this machine's (%u)",
				eh->e_ident[EI_DATA], NATIVE_DATA);
	if (eh->e_shnum == 0)
		return diag_set(d, -ENOEXEC, "bpf_object: the ELF object has no sections");
	if (eh->e_shentsize != sizeof(Elf64_Shdr))
		return diag_set(d, -ENOEXEC, "bpf_object: ELF section header size %u is not %zu",
				eh->e_shentsize, sizeof(Elf64_Shdr));
	if (eh->e_shoff < sizeof(*eh) || eh->e_shoff > o->size ||
	    (o->size - eh->e_shoff) / sizeof(Elf64_Shdr) < eh->e_shnum)
		return diag_set(d, -ENOEXEC,
				"bpf_object: ELF section header table (offset %llu, %u sections) "
				"is not between the ELF header and the end of the object (%zu "
				"bytes)",
				(unsigned long long)eh->e_shoff, eh->e_shnum, o->size);
	if (eh->e_shstrndx >= eh->e_shnum)
		return diag_set(d, -ENOEXEC,
				"bpf_object: ELF section-name table is section %u, past the last "
				"section %u",
				eh->e_shstrndx, eh->e_shnum - 1);
	return 0;
}

/* Its bytes lie after the ELF header and before the end of the object. */
static int check_extent(const struct elf_object *o, uint32_t i, struct diag *d)
{
	Elf64_Shdr sh = section(o, i);

	if (!has_bytes(&sh) || sh.sh_size == 0)
		return 0;
	if (sh.sh_offset >= sizeof(o->eh) && sh.sh_offset <= o->size &&
	    sh.sh_size <= o->size - sh.sh_offset)
		return 0;
	return diag_set(d, -ENOEXEC,
			"bpf_object: ELF section %u (offset %llu, %llu bytes) is not between the "
			"ELF header and the end of the object (%zu bytes)",
			i, (unsigned long long)sh.sh_offset, (unsigned long long)sh.sh_size,
			o->size);
}

/* A string table libelf and libbpf read names from: every name ends inside it. */
static int check_string_table(const struct elf_object *o, uint32_t i, const char *what,
			      struct diag *d)
{
	Elf64_Shdr sh = section(o, i);

	if (sh.sh_type != SHT_STRTAB)
		return diag_set(d, -ENOEXEC,
				"bpf_object: ELF %s (section %u) is of type %u, not a string table",
				what, i, sh.sh_type);
	if (sh.sh_size == 0 || o->data[sh.sh_offset + sh.sh_size - 1])
		return diag_set(d, -ENOEXEC,
				"bpf_object: ELF %s (section %u) does not end with a NUL byte",
				what, i);
	return 0;
}

static int find_named(struct elf_object *o, uint32_t i, const char *name, int *found,
		      struct diag *d)
{
	Elf64_Shdr sh = section(o, i);

	if (strcmp(section_name(o, i), name))
		return 0;
	if (*found)
		return diag_set(d, -ENOEXEC, "bpf_object: ELF sections %d and %u are both %s",
				*found, i, name);
	if (sh.sh_type != SHT_PROGBITS)
		return diag_set(d, -ENOEXEC,
				"bpf_object: ELF section %u (%.64s) is of type %u, not data "
				"(SHT_PROGBITS)",
				i, name, sh.sh_type);
	*found = i;
	return 0;
}

static int check_sections(struct elf_object *o, struct diag *d)
{
	uint32_t i, shstrndx = o->eh.e_shstrndx;
	Elf64_Shdr names = section(o, shstrndx);
	int err = 0;

	for (i = 0; i < o->eh.e_shnum && !err; i++)
		err = check_extent(o, i, d);
	err = err ?: check_string_table(o, shstrndx, "section-name table", d);
	if (err)
		return err;
	o->names = (const char *)o->data + names.sh_offset;
	o->names_size = names.sh_size;
	for (i = 0; i < o->eh.e_shnum && !err; i++) {
		Elf64_Shdr sh = section(o, i);

		if (sh.sh_name >= o->names_size)
			return diag_set(d, -ENOEXEC,
					"bpf_object: ELF section %u has name offset %u past the "
					"end of the section-name table (%zu bytes)",
					i, sh.sh_name, o->names_size);
		if (sh.sh_type == SHT_SYMTAB && o->symtab)
			return diag_set(d, -ENOEXEC,
					"bpf_object: ELF sections %d and %u are both symbol tables",
					o->symtab, i);
		if (sh.sh_type == SHT_SYMTAB)
			o->symtab = i;
		err = find_named(o, i, ".BTF", &o->btf, d);
		err = err ?: find_named(o, i, ".BTF.ext", &o->btf_ext, d);
	}
	return err;
}

static int check_entry_size(const struct elf_object *o, uint32_t i, size_t entry, struct diag *d)
{
	Elf64_Shdr sh = section(o, i);

	if (sh.sh_entsize == entry && sh.sh_size % entry == 0)
		return 0;
	return diag_set(d, -ENOEXEC,
			"bpf_object: ELF section %u (%.64s) does not hold whole %zu-byte entries "
			"(entry size %llu, %llu bytes)",
			i, section_name(o, i), entry, (unsigned long long)sh.sh_entsize,
			(unsigned long long)sh.sh_size);
}

/* A defined symbol lies inside its section: libbpf copies programs and data by it. */
static int check_symbol(const struct elf_object *o, uint32_t i, struct diag *d)
{
	Elf64_Sym sym = symbol(o, i);
	Elf64_Shdr sh;

	if (sym.st_name >= o->sym_names_size)
		return diag_set(d, -ENOEXEC,
				"bpf_object: ELF symbol %u has name offset %u past the end of its "
				"string table (%zu bytes)",
				i, sym.st_name, o->sym_names_size);
	if (sym.st_shndx == SHN_UNDEF || sym.st_shndx == SHN_ABS || sym.st_shndx == SHN_COMMON)
		return 0;
	if (sym.st_shndx >= o->eh.e_shnum)
		return diag_set(d, -ENOEXEC,
				"bpf_object: ELF symbol %u (%.64s) is in section %u, past the last "
				"section %u",
				i, symbol_name(o, &sym), sym.st_shndx, o->eh.e_shnum - 1);
	sh = section(o, sym.st_shndx);
	if (sym.st_value <= sh.sh_size && sym.st_size <= sh.sh_size - sym.st_value)
		return 0;
	return diag_set(d, -ENOEXEC,
			"bpf_object: ELF symbol %u (%.64s) at %llu, %llu bytes, runs past the end "
			"of section %u (%.64s, %llu bytes)",
			i, symbol_name(o, &sym), (unsigned long long)sym.st_value,
			(unsigned long long)sym.st_size, sym.st_shndx,
			section_name(o, sym.st_shndx), (unsigned long long)sh.sh_size);
}

static int check_symbols(struct elf_object *o, struct diag *d)
{
	Elf64_Shdr sh, strs;
	uint32_t i;
	int err;

	if (!o->symtab)
		return 0;
	sh = section(o, o->symtab);
	err = check_entry_size(o, o->symtab, sizeof(Elf64_Sym), d);
	if (!err && sh.sh_link >= o->eh.e_shnum)
		err = diag_set(d, -ENOEXEC,
			       "bpf_object: ELF symbol table names section %u as its strings, past "
			       "the last section %u",
			       sh.sh_link, o->eh.e_shnum - 1);
	err = err ?: check_string_table(o, sh.sh_link, "symbol string table", d);
	if (err)
		return err;
	strs = section(o, sh.sh_link);
	o->sym_names = (const char *)o->data + strs.sh_offset;
	o->sym_names_size = strs.sh_size;
	o->nr_syms = sh.sh_size / sizeof(Elf64_Sym);
	for (i = 0; i < o->nr_syms && !err; i++)
		err = check_symbol(o, i, d);
	return err;
}

static int check_relocation(const struct elf_object *o, uint32_t i, uint32_t n,
			    const Elf64_Shdr *target, struct diag *d)
{
	Elf64_Shdr sh = section(o, i);
	Elf64_Rel rel;
	uint32_t sym;
	bool code = target->sh_flags & SHF_EXECINSTR;

	memcpy(&rel, o->data + sh.sh_offset + (size_t)n * sizeof(rel), sizeof(rel));
	sym = ELF64_R_SYM(rel.r_info);
	if (!o->nr_syms)
		return diag_set(
			d, -ENOEXEC,
			"bpf_object: ELF section %u (%.64s) relocation %u refers to symbol %u, "
			"but the object has no symbols",
			i, section_name(o, i), n, sym);
	if (sym >= o->nr_syms)
		return diag_set(
			d, -ENOEXEC,
			"bpf_object: ELF section %u (%.64s) relocation %u refers to symbol %u "
			"past the last symbol %u",
			i, section_name(o, i), n, sym, o->nr_syms - 1);
	if (rel.r_offset < target->sh_size &&
	    (!code || rel.r_offset % sizeof(struct bpf_insn) == 0))
		return 0;
	return diag_set(
		d, -ENOEXEC,
		"bpf_object: ELF section %u (%.64s) relocation %u at offset %llu is not %sin "
		"section %u (%.64s, %llu bytes)",
		i, section_name(o, i), n, (unsigned long long)rel.r_offset,
		code ? "at an instruction " : "", sh.sh_info, section_name(o, sh.sh_info),
		(unsigned long long)target->sh_size);
}

static int check_relocations(const struct elf_object *o, uint32_t i, struct diag *d)
{
	Elf64_Shdr sh = section(o, i), target;
	uint32_t n;
	int err;

	if (sh.sh_type != SHT_REL)
		return 0;
	err = check_entry_size(o, i, sizeof(Elf64_Rel), d);
	if (err)
		return err;
	if (sh.sh_info == 0 || sh.sh_info >= o->eh.e_shnum)
		return diag_set(
			d, -ENOEXEC,
			"bpf_object: ELF section %u (%.64s) applies to section %u, which is "
			"not one of sections 1 to %u",
			i, section_name(o, i), sh.sh_info, o->eh.e_shnum - 1);
	target = section(o, sh.sh_info);
	for (n = 0; n < sh.sh_size / sizeof(Elf64_Rel) && !err; n++)
		err = check_relocation(o, i, n, &target, d);
	return err;
}

/* libbpf patches both halves of a 16-byte load found where a relocation points. */
static int check_program_end(const struct elf_object *o, uint32_t i, struct diag *d)
{
	Elf64_Sym sym = symbol(o, i);
	Elf64_Shdr sh;
	struct bpf_insn last;

	if (ELF64_ST_TYPE(sym.st_info) != STT_FUNC || sym.st_shndx == SHN_UNDEF ||
	    sym.st_shndx >= o->eh.e_shnum || sym.st_size < sizeof(last))
		return 0;
	sh = section(o, sym.st_shndx);
	if (sh.sh_type != SHT_PROGBITS || !(sh.sh_flags & SHF_EXECINSTR))
		return 0;
	memcpy(&last, o->data + sh.sh_offset + sym.st_value + sym.st_size - sizeof(last),
	       sizeof(last));
	if (last.code != LDIMM64)
		return 0;
	return diag_set(d, -ENOEXEC,
			"bpf_object: program %.64s (section %.64s) ends in the first half of a "
			"16-byte load instruction",
			symbol_name(o, &sym), section_name(o, sym.st_shndx));
}

static int check_btf(const struct elf_object *o, struct diag *d)
{
	Elf64_Shdr sh = section(o, o->btf);
	struct raw_btf_index idx;
	int err;

	if (!o->btf)
		return 0; /* without .BTF, libbpf ignores .BTF.ext */
	err = raw_btf_check(o->data + sh.sh_offset, sh.sh_size, &idx, d);
	if (err || !o->btf_ext)
		goto out;
	sh = section(o, o->btf_ext);
	err = raw_btf_ext_check(o->data + sh.sh_offset, sh.sh_size, &idx, d);
out:
	raw_btf_index_free(&idx);
	return err;
}

int object_check(const void *obj, size_t size, struct diag *d)
{
	struct elf_object o = {.data = obj, .size = size};
	uint32_t i;
	int err;

	err = check_header(&o, d);
	err = err ?: check_sections(&o, d);
	err = err ?: check_symbols(&o, d);
	for (i = 0; i < o.eh.e_shnum && !err; i++)
		err = check_relocations(&o, i, d);
	for (i = 0; i < o.nr_syms && !err; i++)
		err = check_program_end(&o, i, d);
	return err ?: check_btf(&o, d);
}

/* The headers and sections of a checked object, and its .BTF section's index. */
static int find_btf(struct elf_object *o, struct diag *d)
{
	int err = check_header(o, d);

	err = err ?: check_sections(o, d);
	if (!err && !o->btf)
		err = diag_set(d, -ENOENT, "bpf_object: has no .BTF section");
	return err;
}

int object_btf_section(const void *obj, size_t obj_size, const void **data, size_t *size,
		       struct diag *d)
{
	struct elf_object o = {.data = obj, .size = obj_size};
	Elf64_Shdr sh;
	int err = find_btf(&o, d);

	if (err)
		return err;
	sh = section(&o, o.btf);
	*data = o.data + sh.sh_offset;
	*size = sh.sh_size;
	return 0;
}

int object_move_btf(void *obj, size_t obj_size, size_t at, size_t size, struct diag *d)
{
	struct elf_object o = {.data = obj, .size = obj_size};
	Elf64_Shdr sh;
	int err = find_btf(&o, d);

	if (err)
		return err;
	if (at > obj_size || size > obj_size - at)
		return diag_set(d, -EINVAL, "bpf_object: new .BTF past the object's end");
	sh = section(&o, o.btf);
	sh.sh_offset = at;
	sh.sh_size = size;
	memcpy((uint8_t *)obj + o.eh.e_shoff + (size_t)o.btf * sizeof(sh), &sh, sizeof(sh));
	return 0;
}
