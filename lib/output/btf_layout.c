// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "output/btf_layout.h"

#define MAX_NESTING 16
/* Bounds on what one package's BTF may make the loader build and print per event. */
#define MAX_RECORD_BYTES (1u << 20)
#define MAX_FIELDS	 4096

struct builder {
	const struct btf *btf;
	const struct type_hints *hints;
	struct diag *d;
	int fields; /* built so far, nested records included */
};

static int build_record(struct builder *b, uint32_t type_id, int depth, struct layout **out);

int layout_find_record(const struct btf *btf, const char *name)
{
	uint32_t id, n = btf__type_cnt(btf);

	for (id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *tname = btf__name_by_offset(btf, t->name_off);

		if (!tname || strcmp(tname, name))
			continue;
		if (btf_is_typedef(t)) {
			int target = btf__resolve_type(btf, id);

			/* never move id back to target: the scan would restart and not end */
			if (target > 0 && btf_is_composite(btf__type_by_id(btf, target)))
				return target;
			continue;
		}
		if (btf_is_struct(t) || btf_is_union(t))
			return id;
	}
	return -ENOENT;
}

bool layout_is_char(const struct btf *btf, const struct btf_type *t)
{
	const char *name = btf__name_by_offset(btf, t->name_off);

	return btf_is_int(t) && t->size == 1 &&
	       ((btf_int_encoding(t) & BTF_INT_CHAR) || (name && !strcmp(name, "char")));
}

static int collect_enums(struct builder *b, const struct btf_type *t, struct field *f)
{
	int i, n = btf_vlen(t);

	f->enums = calloc(n ? n : 1, sizeof(*f->enums));
	if (!f->enums)
		return -ENOMEM;
	f->nr_enums = n;
	f->is_signed = btf_kflag(t);
	for (i = 0; i < n; i++) {
		if (btf_is_enum(t)) {
			const struct btf_enum *e = btf_enum(t) + i;

			f->enums[i].name = btf__name_by_offset(b->btf, e->name_off);
			f->enums[i].value =
				f->is_signed ? (int64_t)e->val : (int64_t)(uint32_t)e->val;
		} else {
			const struct btf_enum64 *e = btf_enum64(t) + i;

			f->enums[i].name = btf__name_by_offset(b->btf, e->name_off);
			f->enums[i].value = (int64_t)btf_enum64_value(e);
		}
	}
	return 0;
}

/* Fills kind, size and sub-layouts of f from type_id; offsets are set by the caller. */
static int describe_type(struct builder *b, uint32_t type_id, int depth, struct field *f)
{
	int id = btf__resolve_type(b->btf, type_id);
	const struct btf_type *t;

	if (id < 0 || depth > MAX_NESTING)
		return diag_set(b->d, -EINVAL, "BTF: type %u of field \"%s\" cannot be resolved",
				type_id, f->name);
	t = btf__type_by_id(b->btf, id);
	f->size = t->size;
	if (btf_is_int(t)) {
		f->kind = btf_int_encoding(t) & BTF_INT_BOOL ? FIELD_BOOL : FIELD_INT;
		f->is_signed = btf_int_encoding(t) & BTF_INT_SIGNED;
		f->is_char = layout_is_char(b->btf, t);
		if (btf_int_bits(t) < t->size * 8 || btf_int_offset(t)) {
			f->bit_offset += btf_int_offset(t);
			f->bit_size = btf_int_bits(t);
		}
		if (t->size > 16)
			return diag_set(b->d, -EINVAL, "BTF: field \"%s\" is a %u-byte integer",
					f->name, t->size);
		return 0;
	}
	if (btf_is_enum(t) || btf_is_enum64(t)) {
		f->kind = FIELD_ENUM;
		return collect_enums(b, t, f);
	}
	if (btf_is_float(t)) {
		f->kind = FIELD_FLOAT;
		return 0;
	}
	if (btf_is_ptr(t)) {
		f->kind = FIELD_POINTER;
		f->size = sizeof(uint64_t);
		return 0;
	}
	if (btf_is_struct(t) || btf_is_union(t)) {
		f->kind = FIELD_RECORD;
		f->is_union = btf_is_union(t);
		return build_record(b, id, depth + 1, &f->record);
	}
	if (btf_is_array(t)) {
		const struct btf_array *arr = btf_array(t);
		int elem = btf__resolve_type(b->btf, arr->type);
		long long total = btf__resolve_size(b->btf, id);

		if (elem < 0 || total < 0)
			return diag_set(b->d, -EINVAL, "BTF: array field \"%s\" has no size",
					f->name);
		f->count = arr->nelems;
		f->size = total;
		if (layout_is_char(b->btf, btf__type_by_id(b->btf, elem))) {
			f->kind = FIELD_STRING;
			return 0;
		}
		f->kind = FIELD_ARRAY;
		f->elem = calloc(1, sizeof(*f->elem));
		if (!f->elem)
			return -ENOMEM;
		f->elem->name = f->elem->key = f->name;
		f->elem->version_field = -1;
		if (f->count && btf__resolve_size(b->btf, elem) <= 0)
			return diag_set(b->d, -EINVAL, "BTF: array \"%s\" has elements of no size",
					f->name);
		return describe_type(b, elem, depth + 1, f->elem);
	}
	return diag_set(b->d, -EINVAL,
			"BTF: field \"%s\" has a type (kind %u) that cannot be shown", f->name,
			btf_kind(t));
}

static int hint_error(struct builder *b, const struct layout *l, const struct field *f,
		      const char *key, const char *what)
{
	return diag_set(b->d, -EINVAL, "display.types.%s.%s.%s: %s", l->name, f->name, key, what);
}

/*
 * An address is 4 or 16 bytes as the kernel stores it (network byte order): an integer (__u32,
 * a 16-byte unsigned __int128 as libbpf-tools' tcpstates has), an array of integers (__u8[16],
 * __u32[4]) or a struct (in_addr, in6_addr).
 */
static bool holds_ip(const struct field *f)
{
	if (f->bit_size || (f->size != 4 && f->size != 16))
		return false;
	if (f->kind == FIELD_ARRAY)
		return f->elem->kind == FIELD_INT && !f->elem->bit_size;
	return f->kind == FIELD_INT || f->kind == FIELD_RECORD;
}

/* 1 + the index of the union member named name, or 0. */
static int union_member(const struct field *f, const char *name)
{
	int i;

	for (i = 0; i < f->record->nr_fields; i++)
		if (!strcmp(f->record->fields[i].name, name))
			return i + 1;
	return 0;
}

/* "select": a union shown as one of its members, always or as a sibling tag says. */
static int apply_select(struct builder *b, struct layout *l, struct field *f,
			const struct member_hint *hint)
{
	int i;

	if (!hint->select && !hint->select_by)
		return 0;
	if (f->kind != FIELD_RECORD || !f->is_union)
		return hint_error(b, l, f, "select", "needs a union member");
	if (hint->select && !(f->select = union_member(f, hint->select)))
		return hint_error(b, l, f, "select", "names no member of the union");
	if (!hint->nr_cases)
		return 0;
	f->cases = calloc(hint->nr_cases, sizeof(*f->cases));
	if (!f->cases)
		return diag_set(b->d, -ENOMEM, "out of memory");
	for (i = 0; i < hint->nr_cases; i++, f->nr_cases++) {
		f->cases[i].value = hint->cases[i].value;
		f->cases[i].member = union_member(f, hint->cases[i].member);
		if (!f->cases[i].member)
			return hint_error(b, l, f, "select.cases",
					  "names a member the union does not have");
	}
	return 0;
}

static int apply_hint(struct builder *b, struct layout *l, struct field *f,
		      const struct member_hint *hint)
{
	if (hint->key)
		f->key = hint->key;
	f->hidden = hint->hidden;
	if (hint->format == FORMAT_FLAGS) {
		if (f->kind != FIELD_INT)
			return hint_error(b, l, f, "format", "\"flags\" needs an integer member");
		f->format = FORMAT_FLAGS;
		f->letters = hint->letters;
	} else if (hint->format == FORMAT_IP) {
		if (!holds_ip(f))
			return hint_error(b, l, f, "format",
					  "\"ip\" needs 4 or 16 bytes: an integer, an array of "
					  "integers or a struct (in_addr, in6_addr)");
		f->format = FORMAT_IP;
	} else if (hint->format == FORMAT_CGROUP) {
		if (f->kind != FIELD_INT || f->size != 8 || f->bit_size)
			return hint_error(b, l, f, "format",
					  "\"cgroup\" needs a 64-bit integer member (a cgroup id)");
		f->format = FORMAT_CGROUP;
	}
	return 0;
}

/* The keys a "cgroup" member adds, in enum cgroup_part's order. */
static const char *const cgroup_part_keys[CGROUP_PARTS] = {"container", "container_id", "runtime",
							   "unit", "cgroup"};

/* After the members: what each "cgroup" member's id resolves to, one field per part. */
static int add_cgroup_names(struct builder *b, struct layout *l)
{
	int i, p, n = l->nr_fields;
	struct field *fields, *f;

	for (i = 0; i < n; i++) {
		if (l->fields[i].format != FORMAT_CGROUP)
			continue;
		fields = realloc(l->fields, (l->nr_fields + CGROUP_PARTS) * sizeof(*fields));
		if (!fields)
			return -ENOMEM;
		l->fields = fields;
		for (p = 0; p < CGROUP_PARTS; p++) {
			f = &fields[l->nr_fields++];
			memset(f, 0, sizeof(*f));
			f->name = f->key = cgroup_part_keys[p];
			f->kind = FIELD_CGROUP_NAME;
			f->offset = fields[i].offset;
			f->size = fields[i].size;
			f->version_field = -1;
			f->part = p;
		}
		b->fields += CGROUP_PARTS;
	}
	return 0;
}

/* The member whose value picks a union's member: an integer sibling, resolved like version. */
static int link_select_by(struct builder *b, struct layout *l, struct field *f,
			  const struct member_hint *hint)
{
	int i;

	if (!hint->select_by || f->kind != FIELD_RECORD)
		return 0;
	for (i = 0; i < l->nr_fields; i++) {
		if (strcmp(l->fields[i].name, hint->select_by) ||
		    (l->fields[i].kind != FIELD_INT && l->fields[i].kind != FIELD_ENUM))
			continue;
		f->select_by = i + 1;
		return 0;
	}
	return hint_error(b, l, f, "select.by", "names no integer member");
}

/* The IP version member is resolved after all members exist, since it may come later. */
static int link_ip_version(struct builder *b, struct layout *l, struct field *f,
			   const struct member_hint *hint)
{
	int i;

	if (f->format != FORMAT_IP || !hint->version)
		return 0;
	for (i = 0; i < l->nr_fields; i++) {
		if (strcmp(l->fields[i].name, hint->version) || l->fields[i].kind != FIELD_INT)
			continue;
		f->version_field = i;
		return 0;
	}
	return hint_error(b, l, f, "version", "names no integer member");
}

/* Rendering reads a field's bytes from the record: they must all lie inside it. */
static int check_bounds(struct builder *b, const struct layout *l, const struct field *f)
{
	uint64_t end = f->bit_size ? (uint64_t)f->offset * 8 + f->bit_offset + f->bit_size
				   : ((uint64_t)f->offset + f->size) * 8;

	if (end > (uint64_t)l->size * 8)
		return diag_set(b->d, -EINVAL, "BTF: field \"%s\" of %s lies outside its %u bytes",
				f->name, l->name, l->size);
	if (f->bit_size && f->bit_offset + f->bit_size > 120)
		return diag_set(b->d, -EINVAL, "BTF: bitfield \"%s\" of %s is too wide", f->name,
				l->name);
	return 0;
}

static int add_member(struct builder *b, struct layout *l, const char *name, uint32_t type_id,
		      uint32_t bit_offset, uint32_t bit_size, int depth)
{
	struct field *fields = realloc(l->fields, (l->nr_fields + 1) * sizeof(*fields));
	struct field *f;

	if (!fields)
		return -ENOMEM;
	l->fields = fields;
	f = &fields[l->nr_fields++];
	memset(f, 0, sizeof(*f));
	f->name = f->key = name;
	f->version_field = -1;
	f->offset = bit_offset / 8;
	if (bit_size) {
		f->bit_offset = bit_offset % 8;
		f->bit_size = bit_size;
	}
	if (++b->fields > MAX_FIELDS)
		return diag_set(b->d, -E2BIG, "BTF: %s has more than %d fields", l->name,
				MAX_FIELDS);
	return describe_type(b, type_id, depth, f) ?: check_bounds(b, l, f);
}

static int add_members(struct builder *b, struct layout *l, const struct btf_type *t,
		       uint32_t base_bits, int depth)
{
	const struct btf_member *m = btf_members(t);
	int i, err = 0;

	for (i = 0; i < btf_vlen(t) && !err; i++, m++) {
		const char *name = btf__name_by_offset(b->btf, m->name_off);
		uint32_t bits = base_bits + btf_member_bit_offset(t, i);
		int id = btf__resolve_type(b->btf, m->type);
		const struct btf_type *mt = id > 0 ? btf__type_by_id(b->btf, id) : NULL;

		/* members of an anonymous struct or union belong to the enclosing record */
		if ((!name || !*name) && mt && (btf_is_struct(mt) || btf_is_union(mt)))
			err = depth < MAX_NESTING ? add_members(b, l, mt, bits, depth + 1) : -ELOOP;
		else if (name && *name)
			err = add_member(b, l, name, m->type, bits, btf_member_bitfield_size(t, i),
					 depth);
	}
	return err == -ELOOP ? diag_set(b->d, -ELOOP, "BTF: records nest too deeply") : err;
}

/*
 * Renames must leave every shown key distinct: JSON objects cannot repeat a key. A struct's
 * members have distinct names, so only a rename can collide. (A map row joins two structs,
 * whose members may share a name; that is the map's layout, not the package's mistake.)
 */
static int check_keys_distinct(struct builder *b, const struct layout *l)
{
	const struct field *renamed, *other;
	int i, j;

	for (i = 0; i < l->nr_fields; i++) {
		for (j = 0; j < i; j++) {
			if (strcmp(l->fields[i].key, l->fields[j].key))
				continue;
			if (l->fields[i].kind == FIELD_CGROUP_NAME)
				return diag_set(
					b->d, -EINVAL,
					"display.types.%s: a \"cgroup\" member adds the key "
					"\"%s\", which member %s has too",
					l->name, l->fields[i].key, l->fields[j].name);
			renamed = l->fields[i].key != l->fields[i].name ? &l->fields[i]
									: &l->fields[j];
			other = renamed == &l->fields[i] ? &l->fields[j] : &l->fields[i];
			return diag_set(b->d, -EINVAL,
					"display.types.%s.%s.key: \"%s\" is also the key of "
					"member %s",
					l->name, renamed->name, renamed->key, other->name);
		}
	}
	return 0;
}

static int attach_hints(struct builder *b, struct layout *l)
{
	const struct member_hint *hint;
	int i, err = 0;

	for (i = 0; i < l->nr_fields && !err; i++) {
		hint = meta_find_hint(b->hints, l->name, l->fields[i].name);
		if (hint)
			err = apply_hint(b, l, &l->fields[i], hint)
				      ?: apply_select(b, l, &l->fields[i], hint);
	}
	for (i = 0; i < l->nr_fields && !err; i++) {
		hint = meta_find_hint(b->hints, l->name, l->fields[i].name);
		if (hint)
			err = link_ip_version(b, l, &l->fields[i], hint)
				      ?: link_select_by(b, l, &l->fields[i], hint);
	}
	return err;
}

static int build_record(struct builder *b, uint32_t type_id, int depth, struct layout **out)
{
	const struct btf_type *t = btf__type_by_id(b->btf, type_id);
	struct layout *l;
	int err;

	if (!t || !(btf_is_struct(t) || btf_is_union(t)))
		return diag_set(b->d, -EINVAL, "BTF: type %u is not a struct or union", type_id);
	if (depth > MAX_NESTING)
		return diag_set(b->d, -ELOOP, "BTF: records nest too deeply");
	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->name = btf__name_by_offset(b->btf, t->name_off);
	if (!l->name || !*l->name)
		l->name = "(anon)";
	l->size = t->size;
	if (l->size > MAX_RECORD_BYTES)
		err = diag_set(b->d, -E2BIG, "BTF: %s is %u bytes, more than %u", l->name, l->size,
			       MAX_RECORD_BYTES);
	else
		err = add_members(b, l, t, 0, depth);
	err = err ?: attach_hints(b, l);
	err = err ?: add_cgroup_names(b, l);
	err = err ?: check_keys_distinct(b, l);
	if (err) {
		layout_free(l);
		return err;
	}
	*out = l;
	return 0;
}

int layout_build(const struct btf *btf, uint32_t type_id, const struct type_hints *hints,
		 struct layout **out, struct diag *d)
{
	struct builder b = {.btf = btf, .hints = hints, .d = d};
	int err = build_record(&b, type_id, 0, out);

	return err == -ENOMEM ? diag_set(d, err, "BTF: out of memory") : err;
}

/* Without BTF a key or value is an integer of a usual size, otherwise an array of bytes. */
static int add_raw_member(struct layout *row, const char *name, uint32_t size, uint32_t offset)
{
	struct field *fields = realloc(row->fields, (row->nr_fields + 1) * sizeof(*fields));
	struct field *f;

	if (!fields)
		return -ENOMEM;
	row->fields = fields;
	f = &fields[row->nr_fields++];
	memset(f, 0, sizeof(*f));
	f->name = f->key = name;
	f->version_field = -1;
	f->offset = offset;
	f->size = size;
	if (size == 1 || size == 2 || size == 4 || size == 8)
		return 0;
	f->kind = FIELD_ARRAY;
	f->count = size;
	f->elem = calloc(1, sizeof(*f->elem));
	if (!f->elem)
		return -ENOMEM;
	f->elem->name = f->elem->key = name;
	f->elem->size = 1;
	f->elem->version_field = -1;
	return 0;
}

/* A struct key or value lends its members to the row; any other type becomes one member. */
static int add_part(struct builder *b, struct layout *row, uint32_t type_id, uint32_t size,
		    uint32_t offset, const char *name)
{
	const struct btf_type *t;

	if (!b->btf || !type_id)
		return add_raw_member(row, name, size, offset);
	t = btf__type_by_id(b->btf, btf__resolve_type(b->btf, type_id));
	if (t && (btf_is_struct(t) || btf_is_union(t)))
		return add_members(b, row, t, offset * 8, 0);
	return add_member(b, row, name, type_id, offset * 8, 0, 0);
}

int layout_build_map_row(const struct btf *btf, uint32_t key_type, uint32_t key_size,
			 uint32_t value_type, uint32_t value_size, const char *value_name,
			 const struct type_hints *hints, struct layout **out, struct diag *d)
{
	struct builder b = {.btf = btf, .hints = hints, .d = d};
	struct layout *row = calloc(1, sizeof(*row));
	const struct btf_type *kt;
	int err;

	if (!row)
		return diag_set(d, -ENOMEM, "BTF: out of memory");
	kt = btf && key_type ? btf__type_by_id(btf, btf__resolve_type(btf, key_type)) : NULL;
	row->name = kt ? btf__name_by_offset(btf, kt->name_off) : NULL;
	if (!row->name || !*row->name)
		row->name = "key";
	row->size = key_size + value_size;
	if (row->size > MAX_RECORD_BYTES) {
		layout_free(row);
		return diag_set(d, -E2BIG, "map row of %u bytes is more than %u",
				key_size + value_size, MAX_RECORD_BYTES);
	}
	err = add_part(&b, row, key_type, key_size, 0, "key");
	err = err ?: add_part(&b, row, value_type, value_size, key_size, value_name);
	err = err ?: attach_hints(&b, row);
	if (err) {
		layout_free(row);
		return err == -ENOMEM ? diag_set(d, err, "BTF: out of memory") : err;
	}
	*out = row;
	return 0;
}

int field_describe(const struct btf *btf, uint32_t type_id, const char *name, struct field *f,
		   struct diag *d)
{
	struct builder b = {.btf = btf, .d = d};
	int err;

	memset(f, 0, sizeof(*f));
	f->name = f->key = name;
	f->version_field = -1;
	err = describe_type(&b, type_id, 0, f);
	if (err)
		field_release(f);
	return err == -ENOMEM ? diag_set(d, err, "BTF: out of memory") : err;
}

void field_release(struct field *f)
{
	free(f->enums);
	free(f->cases);
	if (f->elem) {
		field_release(f->elem);
		free(f->elem);
	}
	layout_free(f->record);
}

void layout_free(struct layout *l)
{
	int i;

	if (!l)
		return;
	for (i = 0; i < l->nr_fields; i++)
		field_release(&l->fields[i]);
	free(l->fields);
	free(l);
}

const struct field *layout_find(const struct layout *l, const char *key)
{
	int i;

	for (i = 0; i < l->nr_fields; i++)
		if (!strcmp(l->fields[i].key, key))
			return &l->fields[i];
	for (i = 0; i < l->nr_fields; i++)
		if (!strcmp(l->fields[i].name, key))
			return &l->fields[i];
	return NULL;
}

const struct field *layout_find_path(const struct layout *l, const char *path,
				     const struct layout **owner, uint32_t *base)
{
	const char *dot = strchr(path, '.');
	const struct field *f, *inner;
	char head[128];

	*owner = l;
	*base = 0;
	if (!dot)
		return layout_find(l, path);
	if ((size_t)(dot - path) >= sizeof(head))
		return NULL;
	memcpy(head, path, dot - path);
	head[dot - path] = 0;
	f = layout_find(l, head);
	if (!f || f->kind != FIELD_RECORD)
		return NULL;
	inner = layout_find_path(f->record, dot + 1, owner, base);
	if (inner)
		*base += f->offset;
	return inner;
}

const char *field_enum_name(const struct field *f, int64_t value)
{
	int i;

	for (i = 0; i < f->nr_enums; i++)
		if (f->enums[i].value == value)
			return f->enums[i].name;
	return NULL;
}
