/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A tiny, valid BPF object built by hand for the structural check's tests, each of which
 * breaks one thing in it. Sections: 1 .strtab (section and symbol names), 2 .text (a 16-byte
 * load and an exit), 3 .rel.text (one relocation, at the load, of symbol 2), 4 .data (4 bytes),
 * 5 .BTF, 6 .BTF.ext, 7 .symtab (0 null, 1 prog: func in .text, 2 ev: object in .data). The
 * .BTF types are listed below by id; .BTF.ext holds one func_info, line_info and core_relo
 * record, each in a section named .text.
 */
#ifndef TINY_OBJECT_H
#define TINY_OBJECT_H

#include <elf.h>
#include <stddef.h>
#include <stdint.h>
#include <bpf/btf.h>

enum test_type_id {
	T_INT = 1,   /* int */
	T_EVENT,     /* struct event { int pid; } */
	T_EVENT_PTR, /* struct event * */
	T_PROTO,     /* int (struct event *ctx) */
	T_FUNC,	     /* prog */
	T_VAR,	     /* struct event ev */
	T_DATASEC,   /* .data: ev */
	T_ENUM,	     /* enum e { E1 } */
	T_ARRAY,     /* int[2] */
	T_TYPEDEF,   /* typedef int t */
	T_CONST,     /* const t */
	T_DECL_TAG,  /* "tag" on member 0 of struct event */
	T_ENUM64,    /* enum e64 { F1 = 1 } (64-bit) */
	T_FLOAT,     /* float */
	T_TYPE_TAG,  /* int __tag("tt") */
	T_FWD,	     /* struct fw; */
	NR_TEST_TYPES
};

enum test_section { S_STRTAB = 1, S_TEXT, S_REL_TEXT, S_DATA, S_BTF, S_BTF_EXT, S_SYMTAB, NR_S };

struct test_object {
	uint8_t *buf; /* every part starts 8-byte aligned */
	size_t size;
	size_t type_off[NR_TEST_TYPES + 2048]; /* where each type's record is in buf */
	uint32_t nr_types;		       /* the last id + 1 */
	size_t btf_strs;		       /* where .BTF's strings start in buf */
	uint32_t btf_str_len;
	size_t func_info, line_info, core_relo; /* .BTF.ext: where each block's record size is */
};

/*
 * Builds the object; more_types (when not NULL) adds types after the listed ones, with the
 * ids btf__add_* gives them, before the BTF is laid out.
 */
void test_object_build(struct test_object *o, void (*more_types)(struct btf *btf));
void test_object_free(struct test_object *o);

Elf64_Ehdr *test_object_header(struct test_object *o);
Elf64_Shdr *test_object_section(struct test_object *o, unsigned int i);
Elf64_Sym *test_object_symbol(struct test_object *o, unsigned int i);
Elf64_Rel *test_object_rel(struct test_object *o);
/* A type's n-th 32-bit word: 0 name_off, 1 info, 2 size or type, 3... its entries. */
uint32_t *test_object_type_word(struct test_object *o, uint32_t id, unsigned int n);
/* The 32-bit word at a byte offset of the object. */
uint32_t *test_object_word(struct test_object *o, size_t off);

#endif
