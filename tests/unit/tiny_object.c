// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include <linux/btf.h>
#include "tiny_object.h"

#define ALIGN8(x) (((x) + 7) & ~(size_t)7)

static const char section_names[] = "\0.strtab\0.text\0.rel.text\0.data\0.BTF\0.BTF.ext\0"
				    ".symtab\0prog\0ev";

/* Offsets of each section's name, and of the symbols' names, in section_names. */
static const uint32_t name_of[NR_S] = {0, 1, 9, 15, 25, 31, 36, 45};
#define NAME_PROG 53
#define NAME_EV	  58

static struct btf *listed_types(void)
{
	struct btf *btf = btf__new_empty();

	btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	btf__add_struct(btf, "event", 4);
	btf__add_field(btf, "pid", T_INT, 0, 0);
	btf__add_ptr(btf, T_EVENT);
	btf__add_func_proto(btf, T_INT);
	btf__add_func_param(btf, "ctx", T_EVENT_PTR);
	btf__add_func(btf, "prog", BTF_FUNC_GLOBAL, T_PROTO);
	btf__add_var(btf, "ev", BTF_VAR_GLOBAL_ALLOCATED, T_EVENT);
	btf__add_datasec(btf, ".data", 4);
	btf__add_datasec_var_info(btf, T_VAR, 0, 4);
	btf__add_enum(btf, "e", 4);
	btf__add_enum_value(btf, "E1", 0);
	btf__add_array(btf, T_INT, T_INT, 2);
	btf__add_typedef(btf, "t", T_INT);
	btf__add_const(btf, T_TYPEDEF);
	btf__add_decl_tag(btf, "tag", T_EVENT, 0);
	btf__add_enum64(btf, "e64", 8, false);
	btf__add_enum64_value(btf, "F1", 1);
	btf__add_float(btf, "float", 4);
	btf__add_type_tag(btf, "tt", T_INT);
	btf__add_fwd(btf, "fw", BTF_FWD_STRUCT);
	/* what .BTF.ext refers to */
	btf__add_str(btf, ".text");
	btf__add_str(btf, "f.c");
	btf__add_str(btf, "return 0;");
	btf__add_str(btf, "0:0");
	return btf;
}

static size_t put(uint8_t *buf, size_t at, const void *data, size_t len)
{
	memcpy(buf + at, data, len);
	return at + len;
}

static size_t put_u32(uint8_t *buf, size_t at, uint32_t v)
{
	return put(buf, at, &v, sizeof(v));
}

/* One block: record size, one section named .text, one record. */
static size_t put_info(uint8_t *buf, size_t at, uint32_t text, const void *rec, uint32_t size)
{
	at = put_u32(buf, at, size);
	at = put_u32(buf, at, text);
	at = put_u32(buf, at, 1);
	return put(buf, at, rec, size);
}

static size_t put_btf_ext(struct test_object *o, const struct btf *btf, size_t at)
{
	uint32_t text = btf__find_str((struct btf *)btf, ".text");
	struct bpf_func_info fi = {0, T_FUNC};
	struct bpf_line_info li = {0, btf__find_str((struct btf *)btf, "f.c"),
				   btf__find_str((struct btf *)btf, "return 0;"), (3 << 10) | 2};
	struct bpf_core_relo cr = {0, T_EVENT, btf__find_str((struct btf *)btf, "0:0"),
				   BPF_CORE_FIELD_BYTE_OFFSET};
	uint32_t header[8] = {BTF_MAGIC | (1 << 16), 32, 0, 20, 20, 28, 48, 28};
	size_t start = at;

	at = put(o->buf, at, header, sizeof(header));
	o->func_info = at;
	at = put_info(o->buf, at, text, &fi, sizeof(fi));
	o->line_info = at;
	at = put_info(o->buf, at, text, &li, sizeof(li));
	o->core_relo = at;
	at = put_info(o->buf, at, text, &cr, sizeof(cr));
	return at - start;
}

static size_t put_btf(struct test_object *o, struct btf *btf, size_t at)
{
	uint32_t size, id;
	const uint8_t *raw = btf__raw_data(btf, &size);
	const struct btf_header *h = (const void *)raw;
	const uint8_t *first = (const void *)btf__type_by_id(btf, 1);

	memcpy(o->buf + at, raw, size);
	o->nr_types = btf__type_cnt(btf);
	for (id = 1; id < o->nr_types; id++)
		o->type_off[id] = at + h->hdr_len + h->type_off +
				  ((const uint8_t *)btf__type_by_id(btf, id) - first);
	o->btf_strs = at + h->hdr_len + h->str_off;
	o->btf_str_len = h->str_len;
	return size;
}

static void put_section(struct test_object *o, size_t shoff, unsigned int i, Elf64_Shdr sh)
{
	sh.sh_name = name_of[i];
	memcpy(o->buf + shoff + i * sizeof(sh), &sh, sizeof(sh));
}

void test_object_build(struct test_object *o, void (*more_types)(struct btf *btf))
{
	struct bpf_insn text[3] = {{.code = BPF_LD | BPF_IMM | BPF_DW, .dst_reg = 1},
				   {0},
				   {.code = BPF_JMP | BPF_EXIT}};
	Elf64_Rel rel = {0, ELF64_R_INFO(2, 1)};
	Elf64_Sym syms[3] = {
		{0},
		{NAME_PROG, ELF64_ST_INFO(STB_GLOBAL, STT_FUNC), 0, S_TEXT, 0, sizeof(text)},
		{NAME_EV, ELF64_ST_INFO(STB_GLOBAL, STT_OBJECT), 0, S_DATA, 0, 4}};
	Elf64_Ehdr eh = {.e_type = ET_REL,
			 .e_machine = EM_BPF,
			 .e_version = EV_CURRENT,
			 .e_ehsize = sizeof(eh),
			 .e_shentsize = sizeof(Elf64_Shdr),
			 .e_shnum = NR_S,
			 .e_shstrndx = S_STRTAB};
	struct btf *btf = listed_types();
	size_t off[NR_S], len[NR_S], at = sizeof(eh);
	unsigned int i;

	if (more_types)
		more_types(btf);
	memset(o, 0, sizeof(*o));
	o->buf = calloc(1, 1 << 20);
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	off[S_STRTAB] = at, len[S_STRTAB] = sizeof(section_names);
	at = ALIGN8(put(o->buf, at, section_names, sizeof(section_names)));
	off[S_TEXT] = at, len[S_TEXT] = sizeof(text);
	at = ALIGN8(put(o->buf, at, text, sizeof(text)));
	off[S_REL_TEXT] = at, len[S_REL_TEXT] = sizeof(rel);
	at = ALIGN8(put(o->buf, at, &rel, sizeof(rel)));
	off[S_DATA] = at, len[S_DATA] = 4;
	at = ALIGN8(at + 4);
	off[S_BTF] = at, len[S_BTF] = put_btf(o, btf, at);
	at = ALIGN8(at + len[S_BTF]);
	off[S_BTF_EXT] = at, len[S_BTF_EXT] = put_btf_ext(o, btf, at);
	at = ALIGN8(at + len[S_BTF_EXT]);
	off[S_SYMTAB] = at, len[S_SYMTAB] = sizeof(syms);
	at = ALIGN8(put(o->buf, at, syms, sizeof(syms)));
	eh.e_shoff = at;
	put(o->buf, 0, &eh, sizeof(eh));
	put_section(o, at, 0, (Elf64_Shdr){0});
	put_section(o, at, S_STRTAB, (Elf64_Shdr){.sh_type = SHT_STRTAB});
	put_section(o, at, S_TEXT,
		    (Elf64_Shdr){.sh_type = SHT_PROGBITS, .sh_flags = SHF_ALLOC | SHF_EXECINSTR});
	put_section(o, at, S_REL_TEXT,
		    (Elf64_Shdr){.sh_type = SHT_REL,
				 .sh_link = S_SYMTAB,
				 .sh_info = S_TEXT,
				 .sh_entsize = sizeof(rel)});
	put_section(o, at, S_DATA,
		    (Elf64_Shdr){.sh_type = SHT_PROGBITS, .sh_flags = SHF_ALLOC | SHF_WRITE});
	put_section(o, at, S_BTF, (Elf64_Shdr){.sh_type = SHT_PROGBITS});
	put_section(o, at, S_BTF_EXT, (Elf64_Shdr){.sh_type = SHT_PROGBITS});
	put_section(o, at, S_SYMTAB,
		    (Elf64_Shdr){.sh_type = SHT_SYMTAB,
				 .sh_link = S_STRTAB,
				 .sh_info = 1,
				 .sh_entsize = sizeof(Elf64_Sym)});
	for (i = 1; i < NR_S; i++) {
		test_object_section(o, i)->sh_offset = off[i];
		test_object_section(o, i)->sh_size = len[i];
		test_object_section(o, i)->sh_addralign = 8;
	}
	o->size = at + NR_S * sizeof(Elf64_Shdr);
	btf__free(btf);
}

void test_object_free(struct test_object *o)
{
	free(o->buf);
	o->buf = NULL;
}

Elf64_Ehdr *test_object_header(struct test_object *o)
{
	return (Elf64_Ehdr *)o->buf;
}

Elf64_Shdr *test_object_section(struct test_object *o, unsigned int i)
{
	return (Elf64_Shdr *)(o->buf + test_object_header(o)->e_shoff) + i;
}

Elf64_Sym *test_object_symbol(struct test_object *o, unsigned int i)
{
	return (Elf64_Sym *)(o->buf + test_object_section(o, S_SYMTAB)->sh_offset) + i;
}

Elf64_Rel *test_object_rel(struct test_object *o)
{
	return (Elf64_Rel *)(o->buf + test_object_section(o, S_REL_TEXT)->sh_offset);
}

uint32_t *test_object_type_word(struct test_object *o, uint32_t id, unsigned int n)
{
	return (uint32_t *)(o->buf + o->type_off[id]) + n;
}

uint32_t *test_object_word(struct test_object *o, size_t off)
{
	return (uint32_t *)(o->buf + off);
}
