// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * object_check: the hand-built test object (tiny_object.h) passes, and so does every real
 * object; each thing libbpf 1.1 would trust, broken in the test object, is refused with one
 * line naming it and where it is.
 */
#include <errno.h>
#include <glob.h>
#include <stdarg.h>
#include <stdlib.h>
#include <linux/bpf.h>
#include <linux/btf.h>
#include <bpf/libbpf.h>
#include "object/raw_btf.h"
#include "object/object_check.h"
#include "format/package_read.h"
#include "tiny_object.h"
#include "unit.h"

/* The check refuses o with exactly the formatted message. */
#define EXPECT(o, ...)                                               \
	do {                                                         \
		char expected_[512];                                 \
		struct diag d_ = {""};                               \
		snprintf(expected_, sizeof(expected_), __VA_ARGS__); \
		CHECK(object_check((o)->buf, (o)->size, &d_) < 0);   \
		CHECK_STR(d_.msg, expected_);                        \
	} while (0)

#define PASSES(o)                                                   \
	do {                                                        \
		struct diag d_ = {""};                              \
		CHECK(object_check((o)->buf, (o)->size, &d_) == 0); \
		CHECK_STR(d_.msg, "");                              \
	} while (0)

static struct btf_header *btf_header(struct test_object *o)
{
	return (struct btf_header *)(o->buf + test_object_section(o, S_BTF)->sh_offset);
}

static uint32_t *ext_word(struct test_object *o, unsigned int n)
{
	return test_object_word(o, test_object_section(o, S_BTF_EXT)->sh_offset + 4 * n);
}

static size_t type_section_size(struct test_object *o)
{
	return btf_header(o)->type_len;
}

TEST(object_check_passes_the_test_object_and_libbpf_opens_it)
{
	struct test_object o;
	struct bpf_object *obj;

	test_object_build(&o, NULL);
	PASSES(&o);
	obj = bpf_object__open_mem(o.buf, o.size, NULL);
	CHECK(obj != NULL);
	bpf_object__close(obj);
	test_object_free(&o);
}

TEST(object_check_passes_every_real_object)
{
	static const char *const patterns[] = {"build/packages/*/package.json",
					       "build/test-packages/*/package.json",
					       "tests/fixtures/eunomia/*.json"};
	struct package pkg;
	struct diag d;
	size_t i, j, n = 0;
	glob_t g;

	for (i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
		if (glob(patterns[i], 0, NULL, &g))
			continue;
		for (j = 0; j < g.gl_pathc; j++, n++) {
			int err = package_read_file(g.gl_pathv[j], &pkg, &d);

			CHECK(err == 0);
			if (err)
				fprintf(stderr, "    %s: %s\n", g.gl_pathv[j], d.msg);
			else
				package_free(&pkg);
		}
		globfree(&g);
	}
	CHECK(n >= 10); /* four tools, two test packages, four eunomia fixtures */
}

TEST(object_check_elf_header)
{
	struct test_object o;

	test_object_build(&o, NULL);
	o.buf[0] = 0;
	EXPECT(&o, "bpf_object: not an ELF object");
	o.buf[0] = 0x7f;
	o.size = 40;
	EXPECT(&o, "bpf_object: not an ELF object");
	test_object_free(&o);

	test_object_build(&o, NULL);
	o.buf[EI_CLASS] = ELFCLASS32;
	EXPECT(&o, "bpf_object: not a 64-bit ELF object");
	o.buf[EI_CLASS] = ELFCLASS64;
	o.buf[EI_DATA] = ELFDATA2MSB;
	EXPECT(&o, "bpf_object: ELF byte order 2 is not this machine's (1)");
	o.buf[EI_DATA] = ELFDATA2LSB;
	test_object_header(&o)->e_shnum = 0;
	EXPECT(&o, "bpf_object: the ELF object has no sections");
	test_object_header(&o)->e_shnum = NR_S;
	test_object_header(&o)->e_shentsize = 40;
	EXPECT(&o, "bpf_object: ELF section header size 40 is not 64");
	test_object_free(&o);
}

TEST(object_check_section_header_table)
{
	struct test_object o;
	Elf64_Off shoff;

	test_object_build(&o, NULL);
	shoff = test_object_header(&o)->e_shoff;
	o.size -= 1;
	EXPECT(&o,
	       "bpf_object: ELF section header table (offset %llu, 8 sections) is not between the "
	       "ELF header and the end of the object (%zu bytes)",
	       (unsigned long long)shoff, o.size);
	o.size += 1;
	test_object_header(&o)->e_shoff = 32;
	EXPECT(&o,
	       "bpf_object: ELF section header table (offset 32, 8 sections) is not between the "
	       "ELF header and the end of the object (%zu bytes)",
	       o.size);
	test_object_header(&o)->e_shoff = 0xfffffffffffffff0ull;
	EXPECT(&o,
	       "bpf_object: ELF section header table (offset 18446744073709551600, 8 sections) "
	       "is not between the ELF header and the end of the object (%zu bytes)",
	       o.size);
	test_object_header(&o)->e_shoff = shoff;
	test_object_header(&o)->e_shstrndx = NR_S;
	EXPECT(&o, "bpf_object: ELF section-name table is section 8, past the last section 7");
	test_object_free(&o);
}

TEST(object_check_section_extents)
{
	struct test_object o;
	Elf64_Shdr *data;

	test_object_build(&o, NULL);
	data = test_object_section(&o, S_DATA);
	data->sh_offset = o.size - 2;
	EXPECT(&o,
	       "bpf_object: ELF section 4 (offset %zu, 4 bytes) is not between the ELF header and "
	       "the end of the object (%zu bytes)",
	       o.size - 2, o.size);
	data->sh_offset = 16;
	EXPECT(&o,
	       "bpf_object: ELF section 4 (offset 16, 4 bytes) is not between the ELF header and "
	       "the end of the object (%zu bytes)",
	       o.size);
	data->sh_offset = 64;
	data->sh_size = 0xffffffffffffffffull;
	EXPECT(&o,
	       "bpf_object: ELF section 4 (offset 64, 18446744073709551615 bytes) is not between "
	       "the ELF header and the end of the object (%zu bytes)",
	       o.size);
	data->sh_type = SHT_NOBITS; /* takes no room in the file: any size will do */
	PASSES(&o);
	test_object_free(&o);
}

TEST(object_check_section_names)
{
	struct test_object o;
	Elf64_Shdr *names;

	test_object_build(&o, NULL);
	names = test_object_section(&o, S_STRTAB);
	names->sh_type = SHT_PROGBITS;
	EXPECT(&o, "bpf_object: ELF section-name table (section 1) is of type 1, not a string "
		   "table");
	names->sh_type = SHT_STRTAB;
	o.buf[names->sh_offset + names->sh_size - 1] = 'x';
	EXPECT(&o, "bpf_object: ELF section-name table (section 1) does not end with a NUL byte");
	o.buf[names->sh_offset + names->sh_size - 1] = 0;
	test_object_section(&o, S_DATA)->sh_name = 61;
	EXPECT(&o, "bpf_object: ELF section 4 has name offset 61 past the end of the "
		   "section-name table (61 bytes)");
	test_object_free(&o);
}

TEST(object_check_btf_sections_once_and_with_bytes)
{
	struct test_object o;

	test_object_build(&o, NULL);
	test_object_section(&o, S_BTF_EXT)->sh_name = test_object_section(&o, S_BTF)->sh_name;
	EXPECT(&o, "bpf_object: ELF sections 5 and 6 are both .BTF");
	test_object_free(&o);
	test_object_build(&o, NULL);
	test_object_section(&o, S_BTF)->sh_type = SHT_NOBITS;
	EXPECT(&o, "bpf_object: ELF section 5 (.BTF) is of type 8, not data (SHT_PROGBITS)");
	test_object_free(&o);
}

TEST(object_check_symbol_table)
{
	struct test_object o;
	Elf64_Shdr *symtab;

	test_object_build(&o, NULL);
	test_object_section(&o, S_DATA)->sh_type = SHT_SYMTAB;
	EXPECT(&o, "bpf_object: ELF sections 4 and 7 are both symbol tables");
	test_object_section(&o, S_DATA)->sh_type = SHT_PROGBITS;
	symtab = test_object_section(&o, S_SYMTAB);
	symtab->sh_entsize = 16;
	EXPECT(&o, "bpf_object: ELF section 7 (.symtab) does not hold whole 24-byte entries (entry "
		   "size 16, 72 bytes)");
	symtab->sh_entsize = 24;
	symtab->sh_size = 70;
	EXPECT(&o, "bpf_object: ELF section 7 (.symtab) does not hold whole 24-byte entries (entry "
		   "size 24, 70 bytes)");
	symtab->sh_size = 72;
	symtab->sh_link = NR_S;
	EXPECT(&o, "bpf_object: ELF symbol table names section 8 as its strings, past the last "
		   "section 7");
	symtab->sh_link = S_DATA;
	EXPECT(&o, "bpf_object: ELF symbol string table (section 4) is of type 1, not a string "
		   "table");
	test_object_free(&o);
}

TEST(object_check_symbols)
{
	struct test_object o;
	Elf64_Sym *ev;

	test_object_build(&o, NULL);
	test_object_symbol(&o, 1)->st_name = 61;
	EXPECT(&o, "bpf_object: ELF symbol 1 has name offset 61 past the end of its string table "
		   "(61 bytes)");
	test_object_symbol(&o, 1)->st_name = 53;
	ev = test_object_symbol(&o, 2);
	ev->st_shndx = NR_S;
	EXPECT(&o, "bpf_object: ELF symbol 2 (ev) is in section 8, past the last section 7");
	ev->st_shndx = SHN_ABS; /* absolute and undefined symbols have no section to be in */
	PASSES(&o);
	ev->st_shndx = S_DATA;
	ev->st_value = 2;
	EXPECT(&o, "bpf_object: ELF symbol 2 (ev) at 2, 4 bytes, runs past the end of section 4 "
		   "(.data, 4 bytes)");
	/* libbpf adds value and size: a sum that wraps must not pass */
	ev->st_value = 0xfffffffffffffff8ull;
	ev->st_size = 16;
	EXPECT(&o, "bpf_object: ELF symbol 2 (ev) at 18446744073709551608, 16 bytes, runs past "
		   "the end of section 4 (.data, 4 bytes)");
	test_object_free(&o);
}

TEST(object_check_relocations)
{
	struct test_object o;
	Elf64_Shdr *rel;

	test_object_build(&o, NULL);
	rel = test_object_section(&o, S_REL_TEXT);
	rel->sh_entsize = 24;
	EXPECT(&o, "bpf_object: ELF section 3 (.rel.text) does not hold whole 16-byte entries "
		   "(entry size 24, 16 bytes)");
	rel->sh_entsize = 16;
	rel->sh_info = NR_S;
	EXPECT(&o, "bpf_object: ELF section 3 (.rel.text) applies to section 8, which is not one "
		   "of sections 1 to 7");
	rel->sh_info = 0;
	EXPECT(&o, "bpf_object: ELF section 3 (.rel.text) applies to section 0, which is not one "
		   "of sections 1 to 7");
	rel->sh_info = S_TEXT;
	test_object_rel(&o)->r_info = ELF64_R_INFO(3, 1);
	EXPECT(&o, "bpf_object: ELF section 3 (.rel.text) relocation 0 refers to symbol 3 past the "
		   "last symbol 2");
	test_object_section(&o, S_SYMTAB)->sh_type = SHT_PROGBITS;
	EXPECT(&o, "bpf_object: ELF section 3 (.rel.text) relocation 0 refers to symbol 3, but the "
		   "object has no symbols");
	test_object_section(&o, S_SYMTAB)->sh_type = SHT_SYMTAB;
	test_object_rel(&o)->r_info = ELF64_R_INFO(2, 1);
	test_object_rel(&o)->r_offset = 24;
	EXPECT(&o, "bpf_object: ELF section 3 (.rel.text) relocation 0 at offset 24 is not at an "
		   "instruction in section 2 (.text, 24 bytes)");
	test_object_rel(&o)->r_offset = 4;
	EXPECT(&o, "bpf_object: ELF section 3 (.rel.text) relocation 0 at offset 4 is not at an "
		   "instruction in section 2 (.text, 24 bytes)");
	rel->sh_info = S_DATA; /* data has no instructions: only the extent counts */
	test_object_rel(&o)->r_offset = 2;
	PASSES(&o);
	test_object_rel(&o)->r_offset = 4;
	EXPECT(&o, "bpf_object: ELF section 3 (.rel.text) relocation 0 at offset 4 is not in "
		   "section 4 (.data, 4 bytes)");
	test_object_free(&o);
}

TEST(object_check_program_ending_in_half_a_load)
{
	struct test_object o;

	test_object_build(&o, NULL);
	test_object_symbol(&o, 1)->st_size = 8;
	EXPECT(&o, "bpf_object: program prog (section .text) ends in the first half of a 16-byte "
		   "load instruction");
	test_object_symbol(&o, 1)->st_size = 16; /* the load's second half may end it */
	PASSES(&o);
	test_object_free(&o);
}

TEST(object_check_btf_header)
{
	struct test_object o;
	struct btf_header *h;
	Elf64_Shdr *btf;
	uint32_t len;

	test_object_build(&o, NULL);
	btf = test_object_section(&o, S_BTF);
	h = btf_header(&o);
	len = btf->sh_size;
	btf->sh_size = 10;
	EXPECT(&o, "bpf_object: .BTF is 10 bytes, too short for its header");
	btf->sh_size = len;
	h->magic = 0x9feb;
	EXPECT(&o, "bpf_object: .BTF has magic 0x9feb, not 0xeb9f");
	h->magic = BTF_MAGIC;
	h->version = 2;
	EXPECT(&o, "bpf_object: .BTF has version 2, not 1");
	h->version = 1;
	h->hdr_len = 16;
	EXPECT(&o, "bpf_object: .BTF header length 16 is not between 24 and the section's %u bytes",
	       len);
	h->hdr_len = len + 4;
	EXPECT(&o, "bpf_object: .BTF header length %u is not between 24 and the section's %u bytes",
	       len + 4, len);
	h->hdr_len = 24;
	h->str_len++;
	EXPECT(&o,
	       "bpf_object: .BTF string section (offset %u, %u bytes) runs past the end of .BTF "
	       "(%u bytes after the header)",
	       h->str_off, h->str_len, len - 24);
	h->str_len--;
	h->type_len += 4;
	EXPECT(&o,
	       "bpf_object: .BTF type section (offset 0, %u bytes) runs into the string section "
	       "at offset %u",
	       h->type_len, h->str_off);
	h->type_len -= 8;
	h->type_off = 2;
	EXPECT(&o, "bpf_object: .BTF type section offset 2 is not a multiple of 4");
	test_object_free(&o);
}

TEST(object_check_btf_strings)
{
	struct test_object o;

	test_object_build(&o, NULL);
	btf_header(&o)->str_len = 0;
	EXPECT(&o, "bpf_object: .BTF string section is empty");
	btf_header(&o)->str_len = o.btf_str_len;
	o.buf[o.btf_strs] = 'x';
	EXPECT(&o, "bpf_object: .BTF string section does not start with the empty string");
	o.buf[o.btf_strs] = 0;
	o.buf[o.btf_strs + o.btf_str_len - 1] = 'x';
	EXPECT(&o, "bpf_object: .BTF string section does not end with a NUL byte");
	test_object_free(&o);
}

TEST(object_check_btf_records)
{
	struct test_object o;
	uint32_t len;

	test_object_build(&o, NULL);
	len = type_section_size(&o);
	*test_object_type_word(&o, T_FWD, 1) = 25u << 24;
	EXPECT(&o, "bpf_object: .BTF type 16 (at byte %zu of the type section) has unknown kind 25",
	       o.type_off[T_FWD] - o.type_off[T_INT]);
	*test_object_type_word(&o, T_FWD, 1) = 0;
	EXPECT(&o, "bpf_object: .BTF type 16 (at byte %zu of the type section) has unknown kind 0",
	       o.type_off[T_FWD] - o.type_off[T_INT]);
	*test_object_type_word(&o, T_FWD, 1) = BTF_KIND_FWD << 24;
	*test_object_type_word(&o, T_EVENT, 1) = BTF_KIND_STRUCT << 24 | 200;
	EXPECT(&o,
	       "bpf_object: .BTF type 2 (struct, 200 entries) runs past the end of the type "
	       "section (%u bytes)",
	       len);
	*test_object_type_word(&o, T_EVENT, 1) = BTF_KIND_STRUCT << 24 | 1;
	btf_header(&o)->type_len -= 4;
	EXPECT(&o, "bpf_object: .BTF type section ends 8 bytes into type 16");
	test_object_free(&o);
}

TEST(object_check_btf_name_offsets)
{
	struct test_object o;
	uint32_t n;

	test_object_build(&o, NULL);
	n = o.btf_str_len;
	*test_object_type_word(&o, T_INT, 0) = n;
	EXPECT(&o,
	       "bpf_object: .BTF type 1 (int) has name offset %u past the end of the strings (%u "
	       "bytes)",
	       n, n);
	test_object_free(&o);
	test_object_build(&o, NULL);
	*test_object_type_word(&o, T_EVENT, 3) = 99999;
	EXPECT(&o,
	       "bpf_object: .BTF type 2 (struct event) member 0 has name offset 99999 past the "
	       "end of the strings (%u bytes)",
	       n);
	test_object_free(&o);
	test_object_build(&o, NULL);
	*test_object_type_word(&o, T_PROTO, 3) = n + 1;
	EXPECT(&o,
	       "bpf_object: .BTF type 4 (func_proto) parameter 0 has name offset %u past the end "
	       "of the strings (%u bytes)",
	       n + 1, n);
	test_object_free(&o);
	test_object_build(&o, NULL);
	*test_object_type_word(&o, T_ENUM, 3) = n;
	EXPECT(&o,
	       "bpf_object: .BTF type 8 (enum e) enumerator 0 has name offset %u past the end of "
	       "the strings (%u bytes)",
	       n, n);
	test_object_free(&o);
	test_object_build(&o, NULL);
	*test_object_type_word(&o, T_ENUM64, 3) = n;
	EXPECT(&o,
	       "bpf_object: .BTF type 13 (enum64 e64) enumerator 0 has name offset %u past the "
	       "end of the strings (%u bytes)",
	       n, n);
	test_object_free(&o);
}

/* The corruption, and every other place a type id is kept. */
TEST(object_check_btf_type_ids)
{
	static const struct {
		enum test_type_id id;
		unsigned int word;
		const char *where;
	} refs[] = {
		{T_EVENT, 4, "type 2 (struct event) member 0"},
		{T_EVENT_PTR, 2, "type 3 (ptr)"},
		{T_PROTO, 2, "type 4 (func_proto) return type"},
		{T_PROTO, 4, "type 4 (func_proto) parameter 0"},
		{T_FUNC, 2, "type 5 (func prog)"},
		{T_VAR, 2, "type 6 (var ev)"},
		{T_DATASEC, 3, "type 7 (datasec .data) variable 0"},
		{T_ARRAY, 3, "type 9 (array) element type"},
		{T_ARRAY, 4, "type 9 (array) index type"},
		{T_TYPEDEF, 2, "type 10 (typedef t)"},
		{T_CONST, 2, "type 11 (const)"},
		{T_DECL_TAG, 2, "type 12 (decl_tag tag)"},
		{T_TYPE_TAG, 2, "type 15 (type_tag tt)"},
	};
	struct test_object o;
	size_t i;

	for (i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
		test_object_build(&o, NULL);
		*test_object_type_word(&o, refs[i].id, refs[i].word) = o.nr_types;
		EXPECT(&o, "bpf_object: .BTF %s refers to type %u past the last type %u",
		       refs[i].where, o.nr_types, o.nr_types - 1);
		*test_object_type_word(&o, refs[i].id, refs[i].word) = 0xffffffff;
		EXPECT(&o, "bpf_object: .BTF %s refers to type 4294967295 past the last type %u",
		       refs[i].where, o.nr_types - 1);
		test_object_free(&o);
	}
}

TEST(object_check_btf_kind_rules)
{
	struct test_object o;

	test_object_build(&o, NULL);
	*test_object_type_word(&o, T_EVENT_PTR, 1) |= 1;
	EXPECT(&o, "bpf_object: .BTF type 3 (ptr) has vlen 1; a ptr has no entries");
	*test_object_type_word(&o, T_EVENT_PTR, 1) &= ~0xffffu;
	*test_object_type_word(&o, T_FUNC, 1) = BTF_KIND_FUNC << 24 | 3;
	EXPECT(&o, "bpf_object: .BTF type 5 (func prog) has linkage 3, not static, global or "
		   "extern");
	*test_object_type_word(&o, T_FUNC, 1) = BTF_KIND_FUNC << 24 | BTF_FUNC_GLOBAL;
	*test_object_type_word(&o, T_FUNC, 2) = T_INT;
	EXPECT(&o, "bpf_object: .BTF type 5 (func prog) refers to type 1 (int int), not a "
		   "func_proto");
	*test_object_type_word(&o, T_FUNC, 2) = T_PROTO;
	*test_object_type_word(&o, T_DATASEC, 3) = T_INT;
	EXPECT(&o, "bpf_object: .BTF type 7 (datasec .data) variable 0 refers to type 1 (int int), "
		   "not a var or func");
	*test_object_type_word(&o, T_DATASEC, 3) = T_FUNC; /* an extern func in .ksyms */
	PASSES(&o);
	test_object_free(&o);
}

TEST(object_check_btf_decl_tags)
{
	struct test_object o;

	test_object_build(&o, NULL);
	*test_object_type_word(&o, T_DECL_TAG, 2) = T_INT;
	EXPECT(&o, "bpf_object: .BTF type 12 (decl_tag tag) refers to type 1 (int int), not a "
		   "struct, union, func, var or typedef");
	*test_object_type_word(&o, T_DECL_TAG, 2) = T_EVENT;
	*test_object_type_word(&o, T_DECL_TAG, 3) = 1;
	EXPECT(&o, "bpf_object: .BTF type 12 (decl_tag tag) tags component 1 of type 2 (struct "
		   "event), which has 1");
	*test_object_type_word(&o, T_DECL_TAG, 3) = (uint32_t)-2;
	EXPECT(&o, "bpf_object: .BTF type 12 (decl_tag tag) tags component -2 of type 2 (struct "
		   "event), which has 1");
	*test_object_type_word(&o, T_DECL_TAG, 3) = (uint32_t)-1; /* the whole struct */
	PASSES(&o);
	*test_object_type_word(&o, T_DECL_TAG, 2) = T_FUNC; /* parameter 0 of prog */
	*test_object_type_word(&o, T_DECL_TAG, 3) = 0;
	PASSES(&o);
	*test_object_type_word(&o, T_DECL_TAG, 3) = 1;
	EXPECT(&o, "bpf_object: .BTF type 12 (decl_tag tag) tags component 1 of type 5 (func "
		   "prog), which has 1");
	test_object_free(&o);
}

TEST(object_check_btf_cycles)
{
	struct test_object o;

	test_object_build(&o, NULL);
	*test_object_type_word(&o, T_TYPEDEF, 2) = T_CONST; /* t is const t */
	EXPECT(&o, "bpf_object: .BTF type 11 (const) refers to type 10 (typedef t), which leads "
		   "back to it with no pointer between");
	test_object_free(&o);
	test_object_build(&o, NULL);
	*test_object_type_word(&o, T_EVENT, 4) = T_EVENT; /* struct event holds itself */
	EXPECT(&o, "bpf_object: .BTF type 2 (struct event) refers to type 2 (struct event), which "
		   "leads back to it with no pointer between");
	*test_object_type_word(&o, T_EVENT, 4) = T_EVENT_PTR; /* a list: through a pointer */
	PASSES(&o);
	test_object_free(&o);
	test_object_build(&o, NULL);
	*test_object_type_word(&o, T_ARRAY, 3) = T_ARRAY;
	EXPECT(&o, "bpf_object: .BTF type 9 (array) refers to type 9 (array), which leads back to "
		   "it with no pointer between");
	test_object_free(&o);
}

static int chain_length;

/* const const ... int: each const one more level of types. */
static void const_chain(struct btf *btf)
{
	int i, id = T_INT;

	for (i = 0; i < chain_length; i++)
		id = btf__add_const(btf, id);
}

TEST(object_check_btf_depth)
{
	struct test_object o;

	chain_length = RAW_BTF_MAX_DEPTH - 1; /* with int: as deep as allowed */
	test_object_build(&o, const_chain);
	PASSES(&o);
	test_object_free(&o);
	chain_length = RAW_BTF_MAX_DEPTH;
	test_object_build(&o, const_chain);
	EXPECT(&o, "bpf_object: .BTF type %d (const) nests types more than %d deep",
	       NR_TEST_TYPES - 1 + RAW_BTF_MAX_DEPTH, RAW_BTF_MAX_DEPTH);
	test_object_free(&o);
}

TEST(object_check_btf_ext_header)
{
	struct test_object o;
	Elf64_Shdr *ext;

	test_object_build(&o, NULL);
	ext = test_object_section(&o, S_BTF_EXT);
	ext->sh_size = 4;
	EXPECT(&o, "bpf_object: .BTF.ext is 4 bytes, too short for its header");
	ext->sh_size = 108;
	*ext_word(&o, 0) = 0x1234 | 1 << 16;
	EXPECT(&o, "bpf_object: .BTF.ext has magic 0x1234, not 0xeb9f");
	*ext_word(&o, 0) = BTF_MAGIC | 2 << 16;
	EXPECT(&o, "bpf_object: .BTF.ext has version 2 and flags 0x0, not 1 and 0");
	*ext_word(&o, 0) = BTF_MAGIC | 1 << 16 | 1 << 24;
	EXPECT(&o, "bpf_object: .BTF.ext has version 1 and flags 0x1, not 1 and 0");
	*ext_word(&o, 0) = BTF_MAGIC | 1 << 16;
	*ext_word(&o, 1) = 20;
	EXPECT(&o, "bpf_object: .BTF.ext header length 20 is not at least 24 and below the "
		   "section's 108 bytes");
	*ext_word(&o, 1) = 108;
	EXPECT(&o, "bpf_object: .BTF.ext header length 108 is not at least 24 and below the "
		   "section's 108 bytes");
	test_object_free(&o);
}

TEST(object_check_btf_ext_blocks)
{
	struct test_object o;

	test_object_build(&o, NULL);
	*ext_word(&o, 2) = 2; /* func_info's offset */
	EXPECT(&o, "bpf_object: .BTF.ext func_info offset 2 is not a multiple of 4");
	*ext_word(&o, 2) = 0;
	*ext_word(&o, 5) = 100; /* line_info's length */
	EXPECT(&o, "bpf_object: .BTF.ext line_info (offset 20, 100 bytes) runs past the end of "
		   ".BTF.ext (76 bytes after the header)");
	*ext_word(&o, 5) = 28;
	*ext_word(&o, 3) = 2; /* func_info's length */
	EXPECT(&o, "bpf_object: .BTF.ext func_info has no record size");
	*ext_word(&o, 3) = 4;
	EXPECT(&o, "bpf_object: .BTF.ext func_info has no sections");
	*ext_word(&o, 3) = 8;
	EXPECT(&o, "bpf_object: .BTF.ext func_info section 0: 4 bytes left, too few for its "
		   "header");
	*ext_word(&o, 3) = 20;
	*test_object_word(&o, o.func_info) = 4;
	EXPECT(&o, "bpf_object: .BTF.ext func_info record size 4 is not a multiple of 4 between 8 "
		   "and 256");
	*test_object_word(&o, o.func_info) = 10;
	EXPECT(&o, "bpf_object: .BTF.ext func_info record size 10 is not a multiple of 4 between 8 "
		   "and 256");
	*test_object_word(&o, o.func_info) = 260;
	EXPECT(&o, "bpf_object: .BTF.ext func_info record size 260 is not a multiple of 4 between "
		   "8 and 256");
	test_object_free(&o);
}

TEST(object_check_btf_ext_sections)
{
	struct test_object o;
	uint32_t text;

	test_object_build(&o, NULL);
	text = *test_object_word(&o, o.func_info + 4);
	*test_object_word(&o, o.func_info + 4) = 0;
	EXPECT(&o,
	       "bpf_object: .BTF.ext func_info section 0 has no name (offset 0, .BTF strings: "
	       "%u bytes)",
	       o.btf_str_len);
	*test_object_word(&o, o.func_info + 4) = o.btf_str_len;
	EXPECT(&o,
	       "bpf_object: .BTF.ext func_info section 0 has no name (offset %u, .BTF strings: "
	       "%u bytes)",
	       o.btf_str_len, o.btf_str_len);
	*test_object_word(&o, o.func_info + 4) = text;
	*test_object_word(&o, o.func_info + 8) = 0;
	EXPECT(&o, "bpf_object: .BTF.ext func_info section 0 (.text) has no records");
	*test_object_word(&o, o.func_info + 8) = 2;
	EXPECT(&o, "bpf_object: .BTF.ext func_info section 0 (.text): 2 records of 8 bytes do not "
		   "fit in the 8 bytes left");
	test_object_free(&o);
}

TEST(object_check_btf_ext_records)
{
	struct test_object o;
	size_t fi, li, cr;
	uint32_t n;

	test_object_build(&o, NULL);
	n = o.btf_str_len;
	fi = o.func_info + 12, li = o.line_info + 12, cr = o.core_relo + 12;
	*test_object_word(&o, fi) = 4;
	EXPECT(&o, "bpf_object: .BTF.ext func_info section 0 (.text) record 0 has instruction "
		   "offset 4, not a multiple of 8");
	*test_object_word(&o, fi) = 8;
	*test_object_word(&o, fi + 4) = o.nr_types;
	EXPECT(&o,
	       "bpf_object: .BTF.ext func_info section 0 (.text) record 0 refers to type %u "
	       "past the last type %u",
	       o.nr_types, o.nr_types - 1);
	*test_object_word(&o, fi + 4) = T_PROTO;
	EXPECT(&o, "bpf_object: .BTF.ext func_info section 0 (.text) record 0 refers to type 4 "
		   "(func_proto), not a func");
	*test_object_word(&o, fi + 4) = T_FUNC;
	*test_object_word(&o, li + 4) = n;
	EXPECT(&o,
	       "bpf_object: .BTF.ext line_info section 0 (.text) record 0 has file name "
	       "offset %u past the end of the .BTF strings (%u bytes)",
	       n, n);
	*test_object_word(&o, li + 4) = 0;
	*test_object_word(&o, li + 8) = n + 7;
	EXPECT(&o,
	       "bpf_object: .BTF.ext line_info section 0 (.text) record 0 has line text "
	       "offset %u past the end of the .BTF strings (%u bytes)",
	       n + 7, n);
	*test_object_word(&o, li + 8) = 0;
	*test_object_word(&o, cr + 4) = 0xffffffff;
	EXPECT(&o,
	       "bpf_object: .BTF.ext core_relo section 0 (.text) record 0 refers to type "
	       "4294967295 past the last type %u",
	       o.nr_types - 1);
	*test_object_word(&o, cr + 4) = T_EVENT;
	*test_object_word(&o, cr + 8) = n;
	EXPECT(&o,
	       "bpf_object: .BTF.ext core_relo section 0 (.text) record 0 has access string "
	       "offset %u past the end of the .BTF strings (%u bytes)",
	       n, n);
	*test_object_word(&o, cr + 8) = 0;
	*test_object_word(&o, cr + 12) = BPF_CORE_TYPE_MATCHES + 1;
	EXPECT(&o,
	       "bpf_object: .BTF.ext core_relo section 0 (.text) record 0 has unknown "
	       "relocation kind %d",
	       BPF_CORE_TYPE_MATCHES + 1);
	test_object_free(&o);
}
