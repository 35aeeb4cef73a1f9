// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <linux/bpf.h>
#include <linux/btf.h>
#include "object/raw_btf_ext.h"

/* A record size past this is no format the loader knows, only a way to skip data. */
#define MAX_RECORD_BYTES 256

/* .BTF.ext's header as clang writes it (libbpf keeps its definition private). */
struct ext_header {
	uint16_t magic;
	uint8_t version;
	uint8_t flags;
	uint32_t hdr_len;
	uint32_t func_info_off;
	uint32_t func_info_len;
	uint32_t line_info_off;
	uint32_t line_info_len;
	uint32_t core_relo_off; /* these two only when hdr_len covers them */
	uint32_t core_relo_len;
};

#define BASE_HEADER_BYTES offsetof(struct ext_header, core_relo_off)

/* Where a record is, for a message: formatted only when a check fails. */
struct rec_where {
	const char *kind;
	uint32_t section;
	const char *name;
	uint32_t record;
	char text[160];
};

static const char *where_text(struct rec_where *w)
{
	snprintf(w->text, sizeof(w->text), "%s section %u (%.64s) record %u", w->kind, w->section,
		 w->name, w->record);
	return w->text;
}

struct info_kind {
	const char *name;
	size_t min_record;
	/* checks one record (its first min_record bytes, copied) */
	int (*check)(const void *rec, struct rec_where *where, const struct raw_btf_index *btf,
		     struct diag *d);
};

/* What is left of one info block (func_info, line_info or core_relo) to read. */
struct cursor {
	const uint8_t *data;
	uint32_t left;
	uint32_t record_size;
};

static int insn_aligned(uint32_t insn_off, struct rec_where *where, struct diag *d)
{
	if (insn_off % sizeof(struct bpf_insn) == 0)
		return 0;
	return diag_set(d, -EINVAL,
			"bpf_object: .BTF.ext %s has instruction offset %u, not a multiple of %zu",
			where_text(where), insn_off, sizeof(struct bpf_insn));
}

static int string_ok(uint32_t off, const char *what, struct rec_where *where,
		     const struct raw_btf_index *btf, struct diag *d)
{
	if (off < btf->str_len)
		return 0;
	return diag_set(d, -EINVAL,
			"bpf_object: .BTF.ext %s has %s offset %u past the end of the .BTF strings "
			"(%u bytes)",
			where_text(where), what, off, btf->str_len);
}

static int type_ok(uint32_t id, struct rec_where *where, const struct raw_btf_index *btf,
		   struct diag *d)
{
	if (id < btf->nr_types)
		return 0;
	return diag_set(d, -EINVAL,
			"bpf_object: .BTF.ext %s refers to type %u past the last type %u",
			where_text(where), id, btf->nr_types - 1);
}

static int check_func_info(const void *rec, struct rec_where *where,
			   const struct raw_btf_index *btf, struct diag *d)
{
	const struct bpf_func_info *f = rec;
	char what[96];
	int err = insn_aligned(f->insn_off, where, d);

	err = err ?: type_ok(f->type_id, where, btf, d);
	if (err || raw_btf_index_kind(btf, f->type_id) == BTF_KIND_FUNC)
		return err;
	raw_btf_index_describe(btf, f->type_id, what, sizeof(what));
	return diag_set(d, -EINVAL, "bpf_object: .BTF.ext %s refers to %s, not a func",
			where_text(where), what);
}

static int check_line_info(const void *rec, struct rec_where *where,
			   const struct raw_btf_index *btf, struct diag *d)
{
	const struct bpf_line_info *l = rec;
	int err = insn_aligned(l->insn_off, where, d);

	err = err ?: string_ok(l->file_name_off, "file name", where, btf, d);
	return err ?: string_ok(l->line_off, "line text", where, btf, d);
}

static int check_core_relo(const void *rec, struct rec_where *where,
			   const struct raw_btf_index *btf, struct diag *d)
{
	const struct bpf_core_relo *r = rec;
	int err = insn_aligned(r->insn_off, where, d);

	err = err ?: type_ok(r->type_id, where, btf, d);
	err = err ?: string_ok(r->access_str_off, "access string", where, btf, d);
	if (err || r->kind <= BPF_CORE_TYPE_MATCHES)
		return err;
	return diag_set(d, -EINVAL, "bpf_object: .BTF.ext %s has unknown relocation kind %u",
			where_text(where), r->kind);
}

static const struct info_kind func_info = {"func_info", sizeof(struct bpf_func_info),
					   check_func_info};
static const struct info_kind line_info = {"line_info", sizeof(struct bpf_line_info),
					   check_line_info};
static const struct info_kind core_relo = {"core_relo", sizeof(struct bpf_core_relo),
					   check_core_relo};

static uint32_t take_u32(struct cursor *c)
{
	uint32_t v;

	memcpy(&v, c->data, sizeof(v));
	c->data += sizeof(v);
	c->left -= sizeof(v);
	return v;
}

/* A section's header (name, record count), then its records. */
static int check_section(const struct info_kind *k, struct cursor *c, uint32_t nr,
			 const struct raw_btf_index *btf, struct diag *d)
{
	uint8_t rec[MAX_RECORD_BYTES];
	struct rec_where where = {.kind = k->name, .section = nr};
	uint32_t name_off, count, i;
	const char *name;
	int err = 0;

	if (c->left < 8)
		return diag_set(d, -EINVAL,
				"bpf_object: .BTF.ext %s section %u: %u bytes left, too few for "
				"its header",
				k->name, nr, c->left);
	name_off = take_u32(c);
	count = take_u32(c);
	name = name_off < btf->str_len ? btf->strs + name_off : NULL;
	if (!name || !*name)
		return diag_set(d, -EINVAL,
				"bpf_object: .BTF.ext %s section %u has no name (offset %u, "
				".BTF strings: %u bytes)",
				k->name, nr, name_off, btf->str_len);
	if (count == 0)
		return diag_set(d, -EINVAL,
				"bpf_object: .BTF.ext %s section %u (%.64s) has no records",
				k->name, nr, name);
	if ((uint64_t)count * c->record_size > c->left)
		return diag_set(d, -EINVAL,
				"bpf_object: .BTF.ext %s section %u (%.64s): %u records of %u "
				"bytes do not fit in the %u bytes left",
				k->name, nr, name, count, c->record_size, c->left);
	for (i = 0; i < count && !err; i++) {
		memcpy(rec, c->data, k->min_record);
		c->data += c->record_size;
		c->left -= c->record_size;
		where.name = name;
		where.record = i;
		err = k->check(rec, &where, btf, d);
	}
	return err;
}

static int check_info(const struct info_kind *k, const uint8_t *data, size_t size, uint32_t off,
		      uint32_t len, const struct raw_btf_index *btf, struct diag *d)
{
	struct cursor c;
	uint32_t nr;
	int err = 0;

	if (len == 0)
		return 0;
	if (off % 4)
		return diag_set(d, -EINVAL,
				"bpf_object: .BTF.ext %s offset %u is not a multiple of 4", k->name,
				off);
	if ((uint64_t)off + len > size)
		return diag_set(d, -EINVAL,
				"bpf_object: .BTF.ext %s (offset %u, %u bytes) runs past the end "
				"of .BTF.ext (%zu bytes after the header)",
				k->name, off, len, size);
	c = (struct cursor){data + off, len, 0};
	if (c.left < 4)
		return diag_set(d, -EINVAL, "bpf_object: .BTF.ext %s has no record size", k->name);
	c.record_size = take_u32(&c);
	if (c.record_size < k->min_record || c.record_size % 4 || c.record_size > MAX_RECORD_BYTES)
		return diag_set(d, -EINVAL,
				"bpf_object: .BTF.ext %s record size %u is not a multiple of 4 "
				"between %zu and %d",
				k->name, c.record_size, k->min_record, MAX_RECORD_BYTES);
	if (c.left == 0)
		return diag_set(d, -EINVAL, "bpf_object: .BTF.ext %s has no sections", k->name);
	for (nr = 0; c.left && !err; nr++)
		err = check_section(k, &c, nr, btf, d);
	return err;
}

int raw_btf_ext_check(const uint8_t *data, size_t size, const struct raw_btf_index *btf,
		      struct diag *d)
{
	struct ext_header h = {0};
	int err;

	if (size < 8)
		return diag_set(d, -EINVAL,
				"bpf_object: .BTF.ext is %zu bytes, too short for its header",
				size);
	memcpy(&h, data, 8);
	if (h.magic != BTF_MAGIC)
		return diag_set(d, -EINVAL, "bpf_object: .BTF.ext has magic 0x%04x, not 0x%04x",
				h.magic, BTF_MAGIC);
	if (h.version != BTF_VERSION || h.flags)
		return diag_set(d, -EINVAL,
				"bpf_object: .BTF.ext has version %u and flags 0x%x, not %u and 0",
				h.version, h.flags, BTF_VERSION);
	if (h.hdr_len < BASE_HEADER_BYTES || h.hdr_len >= size)
		return diag_set(d, -EINVAL,
				"bpf_object: .BTF.ext header length %u is not at least %zu and "
				"below the section's %zu bytes",
				h.hdr_len, BASE_HEADER_BYTES, size);
	memcpy(&h, data, h.hdr_len < sizeof(h) ? h.hdr_len : sizeof(h));
	if (h.hdr_len < sizeof(h))
		h.core_relo_len = 0;
	data += h.hdr_len;
	size -= h.hdr_len;
	err = check_info(&func_info, data, size, h.func_info_off, h.func_info_len, btf, d);
	err = err ?: check_info(&line_info, data, size, h.line_info_off, h.line_info_len, btf, d);
	return err ?: check_info(&core_relo, data, size, h.core_relo_off, h.core_relo_len, btf, d);
}
