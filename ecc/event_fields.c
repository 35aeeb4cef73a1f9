// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include "object/object_check.h"
#include "event_fields.h"

#define MAX_ELEMS   65536
#define MAX_MEMBERS 1024

/* The member types, as clang names and encodes them in BTF. */
static const struct {
	const char *spelling, *btf_name;
	unsigned int size, encoding;
} kinds[] = {
	{"u8", "unsigned char", 1, 0},	      {"s8", "signed char", 1, BTF_INT_SIGNED},
	{"char", "char", 1, BTF_INT_SIGNED},  {"bool", "_Bool", 1, BTF_INT_BOOL},
	{"u16", "unsigned short", 2, 0},      {"s16", "short", 2, BTF_INT_SIGNED},
	{"u32", "unsigned int", 4, 0},	      {"s32", "int", 4, BTF_INT_SIGNED},
	{"u64", "unsigned long long", 8, 0},  {"s64", "long long", 8, BTF_INT_SIGNED},
	{"u128", "unsigned __int128", 16, 0}, {"s128", "__int128", 16, BTF_INT_SIGNED},
};

#define NR_KINDS (sizeof(kinds) / sizeof(kinds[0]))

struct member {
	const char *name;
	int kind;	   /* index in kinds */
	unsigned int nr;   /* array elements; 0: not an array */
	unsigned int size; /* in bytes */
};

/* "u32" or "char[16]"; -EINVAL with d naming the member when it is neither. */
static int parse_type(const char *text, const char *where, struct member *m, struct diag *d)
{
	size_t len = strcspn(text, "[");
	char *end;
	unsigned long n = 0;
	size_t i;

	for (i = 0; i < NR_KINDS; i++)
		if (strlen(kinds[i].spelling) == len && !strncmp(kinds[i].spelling, text, len))
			break;
	if (i == NR_KINDS)
		return diag_set(d, -EINVAL,
				"%s.type: \"%s\" is not u8, s8, u16, s16, u32, s32, u64, s64, "
				"u128, s128, char or bool, nor an array of one (char[16])",
				where, text);
	if (text[len]) {
		errno = 0;
		n = strtoul(text + len + 1, &end, 10);
		if (errno || end == text + len + 1 || strcmp(end, "]") || !n || n > MAX_ELEMS)
			return diag_set(d, -EINVAL,
					"%s.type: \"%s\": an array is T[N], N from 1 to %d", where,
					text, MAX_ELEMS);
	}
	m->kind = (int)i;
	m->nr = (unsigned int)n;
	m->size = kinds[i].size * (n ? (unsigned int)n : 1);
	return 0;
}

static int parse_members(const cJSON *fields, struct member *members, int n, struct diag *d)
{
	const cJSON *f, *name, *type;
	char where[48];
	int i = 0, j, err = 0;

	cJSON_ArrayForEach(f, fields) {
		snprintf(where, sizeof(where), "events.fields[%d]", i);
		name = cJSON_GetObjectItemCaseSensitive(f, "name");
		type = cJSON_GetObjectItemCaseSensitive(f, "type");
		if (!cJSON_IsObject(f) || cJSON_GetArraySize(f) != 2 || !cJSON_IsString(name) ||
		    !cJSON_IsString(type) || !name->valuestring[0])
			return diag_set(
				d, -EINVAL,
				"%s: must be {\"name\": NAME, \"type\": TYPE}, nothing else",
				where);
		members[i].name = name->valuestring;
		for (j = 0; j < i; j++)
			if (!strcmp(members[j].name, members[i].name))
				return diag_set(d, -EINVAL, "%s.name: \"%s\" is named twice", where,
						members[i].name);
		err = parse_type(type->valuestring, where, &members[i], d);
		if (err || ++i == n)
			break;
	}
	return err;
}

/* The object's int of this kind, else a new one. */
static int int_type(struct btf *btf, int kind)
{
	int id = btf__find_by_name_kind(btf, kinds[kind].btf_name, BTF_KIND_INT);

	if (id > 0 && btf__type_by_id(btf, id)->size == kinds[kind].size)
		return id;
	return btf__add_int(btf, kinds[kind].btf_name, kinds[kind].size, kinds[kind].encoding);
}

/* The struct, each member at its natural alignment, its size rounded up to the largest. */
static int add_struct(struct btf *btf, const char *type, const struct member *m, int n)
{
	unsigned int off = 0, align, max_align = 1, offsets[n];
	int ids[n], index_id, id, i, err = 0;

	index_id = int_type(btf, 6); /* u32: array index */
	for (i = 0; i < n && index_id > 0; i++) {
		ids[i] = int_type(btf, m[i].kind);
		if (ids[i] > 0 && m[i].nr)
			ids[i] = btf__add_array(btf, index_id, ids[i], m[i].nr);
		if (ids[i] < 0)
			return ids[i];
		align = kinds[m[i].kind].size;
		off = (off + align - 1) / align * align;
		offsets[i] = off;
		off += m[i].size;
		max_align = align > max_align ? align : max_align;
	}
	if (index_id < 0)
		return index_id;
	id = btf__add_struct(btf, type, (off + max_align - 1) / max_align * max_align);
	for (i = 0; i < n && id > 0 && !err; i++)
		err = btf__add_field(btf, m[i].name, ids[i], offsets[i] * 8, 0);
	return id < 0 ? id : err;
}

/* object, then the new BTF at the next 8-byte boundary, which .BTF now points at. */
static int rebuild(const void *object, size_t size, const void *raw, size_t raw_size, void **out,
		   size_t *out_size, struct diag *d)
{
	size_t at = (size + 7) & ~(size_t)7;
	uint8_t *buf = calloc(1, at + raw_size);
	int err;

	if (!buf)
		return diag_set(d, -ENOMEM, "out of memory");
	memcpy(buf, object, size);
	memcpy(buf + at, raw, raw_size);
	err = object_move_btf(buf, at + raw_size, at, raw_size, d);
	if (err) {
		free(buf);
		return err;
	}
	*out = buf;
	*out_size = at + raw_size;
	return 0;
}

int event_fields_add(const void *object, size_t size, const char *type, const cJSON *fields,
		     void **out, size_t *out_size, struct diag *d)
{
	int n = cJSON_GetArraySize(fields), err;
	struct member *members = NULL;
	const void *data, *raw;
	struct btf *btf = NULL;
	size_t len;
	__u32 raw_size;

	if (!cJSON_IsArray(fields) || !n)
		return diag_set(d, -EINVAL, "events.fields: must be a list of the event's members");
	if (n > MAX_MEMBERS)
		return diag_set(d, -E2BIG, "events.fields: more than %d members", MAX_MEMBERS);
	if (!type)
		return diag_set(d, -EINVAL, "events.fields: events.type must name the struct");
	err = object_btf_section(object, size, &data, &len, d);
	members = err ? NULL : calloc(n, sizeof(*members));
	if (!err && !members)
		err = diag_set(d, -ENOMEM, "out of memory");
	err = err ?: parse_members(fields, members, n, d);
	if (!err && !(btf = btf__new(data, len)))
		err = diag_set(d, -errno, "the object's BTF cannot be read");
	if (!err && btf__find_by_name_kind(btf, type, BTF_KIND_STRUCT) > 0)
		err = diag_set(d, -EEXIST,
			       "events.fields: the object's BTF already has struct %s: events.type "
			       "alone names it",
			       type);
	if (!err && (err = add_struct(btf, type, members, n)) < 0)
		err = diag_set(d, err, "events.fields: cannot add struct %s to the BTF", type);
	if (!err && !(raw = btf__raw_data(btf, &raw_size)))
		err = diag_set(d, -ENOMEM, "out of memory");
	err = err ?: rebuild(object, size, raw, raw_size, out, out_size, d);
	btf__free(btf);
	free(members);
	return err;
}
