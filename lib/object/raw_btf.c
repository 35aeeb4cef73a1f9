// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/btf.h>
#include "object/raw_btf.h"

#define RECORD_BYTES sizeof(struct btf_type)

static const char *const kind_names[] = {
	"void", "int",	   "ptr",      "array",	   "struct",   "union",	 "enum",
	"fwd",	"typedef", "volatile", "const",	   "restrict", "func",	 "func_proto",
	"var",	"datasec", "float",    "decl_tag", "type_tag", "enum64",
};

/* A type's record, copied: an object's sections need not be aligned. */
static struct btf_type record(const struct raw_btf_index *x, uint32_t id)
{
	struct btf_type t = {0};

	if (id > 0 && id < x->nr_types)
		memcpy(&t, x->types + x->offsets[id], sizeof(t));
	return t;
}

/* The n-th 32-bit word after the record's common part. */
static uint32_t word(const struct raw_btf_index *x, uint32_t id, size_t n)
{
	uint32_t w;

	memcpy(&w, x->types + x->offsets[id] + RECORD_BYTES + 4 * n, sizeof(w));
	return w;
}

unsigned int raw_btf_index_kind(const struct raw_btf_index *x, uint32_t id)
{
	return id ? BTF_INFO_KIND(record(x, id).info) : 0;
}

static const char *kind_name(unsigned int kind)
{
	return kind < sizeof(kind_names) / sizeof(kind_names[0]) ? kind_names[kind] : "unknown";
}

static const char *name_at(const struct raw_btf_index *x, uint32_t off)
{
	return off < x->str_len ? x->strs + off : NULL;
}

void raw_btf_index_describe(const struct raw_btf_index *x, uint32_t id, char *buf, size_t size)
{
	struct btf_type t = record(x, id);
	const char *kind = kind_name(id ? BTF_INFO_KIND(t.info) : 0);
	const char *name = id ? name_at(x, t.name_off) : NULL;

	if (name && *name)
		snprintf(buf, size, "type %u (%s %.64s)", id, kind, name);
	else if (id && (BTF_INFO_KIND(t.info) == BTF_KIND_STRUCT ||
			BTF_INFO_KIND(t.info) == BTF_KIND_UNION ||
			BTF_INFO_KIND(t.info) == BTF_KIND_ENUM ||
			BTF_INFO_KIND(t.info) == BTF_KIND_ENUM64))
		snprintf(buf, size, "type %u (anonymous %s)", id, kind);
	else
		snprintf(buf, size, "type %u (%s)", id, kind);
}

/* Bytes of a record of this kind with vlen entries; 0 for a kind libbpf 1.1 does not know. */
static size_t record_size(unsigned int kind, uint32_t vlen)
{
	switch (kind) {
	case BTF_KIND_PTR:
	case BTF_KIND_FWD:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC:
	case BTF_KIND_FLOAT:
	case BTF_KIND_TYPE_TAG:
		return RECORD_BYTES;
	case BTF_KIND_INT:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
		return RECORD_BYTES + 4;
	case BTF_KIND_ARRAY:
		return RECORD_BYTES + sizeof(struct btf_array);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return RECORD_BYTES + (size_t)vlen * sizeof(struct btf_member);
	case BTF_KIND_ENUM:
		return RECORD_BYTES + (size_t)vlen * sizeof(struct btf_enum);
	case BTF_KIND_ENUM64:
		return RECORD_BYTES + (size_t)vlen * sizeof(struct btf_enum64);
	case BTF_KIND_FUNC_PROTO:
		return RECORD_BYTES + (size_t)vlen * sizeof(struct btf_param);
	case BTF_KIND_DATASEC:
		return RECORD_BYTES + (size_t)vlen * sizeof(struct btf_var_secinfo);
	default:
		return 0;
	}
}

/* Kinds whose vlen counts entries after the record (a func's holds its linkage). */
static bool has_entries(unsigned int kind)
{
	return kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION || kind == BTF_KIND_ENUM ||
	       kind == BTF_KIND_ENUM64 || kind == BTF_KIND_FUNC_PROTO || kind == BTF_KIND_DATASEC ||
	       kind == BTF_KIND_FUNC;
}

/* Where something in a record is: "member 3", "return type", "" (the record itself). */
struct place {
	const char *what;
	long index; /* -1: none */
};

static void place_text(struct place p, char *buf, size_t size)
{
	if (!p.what)
		buf[0] = 0;
	else if (p.index < 0)
		snprintf(buf, size, " %s", p.what);
	else
		snprintf(buf, size, " %s %ld", p.what, p.index);
}

/* The k-th name offset of a type: its own, then its entries'. False past the last. */
static bool name_ref(const struct raw_btf_index *x, uint32_t id, uint32_t k, uint32_t *off,
		     struct place *p)
{
	struct btf_type t = record(x, id);
	unsigned int kind = BTF_INFO_KIND(t.info);
	uint32_t i = k - 1;

	*p = (struct place){NULL, -1};
	if (k == 0) {
		*off = t.name_off;
		return true;
	}
	if (!has_entries(kind) || kind == BTF_KIND_FUNC || kind == BTF_KIND_DATASEC ||
	    i >= BTF_INFO_VLEN(t.info))
		return false;
	switch (kind) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		*p = (struct place){"member", i};
		*off = word(x, id, 3 * i);
		return true;
	case BTF_KIND_ENUM64:
		*p = (struct place){"enumerator", i};
		*off = word(x, id, 3 * i);
		return true;
	case BTF_KIND_ENUM:
		*p = (struct place){"enumerator", i};
		*off = word(x, id, 2 * i);
		return true;
	default: /* func_proto */
		*p = (struct place){"parameter", i};
		*off = word(x, id, 2 * i);
		return true;
	}
}

/* The k-th type a type refers to; *pointer when it is a pointer's target. */
static bool type_ref(const struct raw_btf_index *x, uint32_t id, uint32_t k, uint32_t *ref,
		     bool *pointer, struct place *p)
{
	struct btf_type t = record(x, id);
	unsigned int kind = BTF_INFO_KIND(t.info);

	*pointer = kind == BTF_KIND_PTR;
	*p = (struct place){NULL, -1};
	switch (kind) {
	case BTF_KIND_PTR:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC:
	case BTF_KIND_TYPE_TAG:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
		*ref = t.type;
		return k == 0;
	case BTF_KIND_ARRAY:
		*p = (struct place){k ? "index type" : "element type", -1};
		*ref = word(x, id, k);
		return k < 2;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		*p = (struct place){"member", k};
		*ref = k < BTF_INFO_VLEN(t.info) ? word(x, id, 3 * k + 1) : 0;
		return k < BTF_INFO_VLEN(t.info);
	case BTF_KIND_FUNC_PROTO:
		*p = k ? (struct place){"parameter", k - 1} : (struct place){"return type", -1};
		*ref = k == 0			    ? t.type
		       : k <= BTF_INFO_VLEN(t.info) ? word(x, id, 2 * (k - 1) + 1)
						    : 0;
		return k <= BTF_INFO_VLEN(t.info);
	case BTF_KIND_DATASEC:
		*p = (struct place){"variable", k};
		*ref = k < BTF_INFO_VLEN(t.info) ? word(x, id, 3 * k) : 0;
		return k < BTF_INFO_VLEN(t.info);
	default: /* int, fwd, enum, enum64, float */
		return false;
	}
}

static int check_header(const uint8_t *data, size_t size, struct btf_header *h, struct diag *d)
{
	if (size < sizeof(*h))
		return diag_set(d, -EINVAL,
				"bpf_object: .BTF is %zu bytes, too short for its header", size);
	memcpy(h, data, sizeof(*h));
	if (h->magic != BTF_MAGIC)
		return diag_set(d, -EINVAL, "bpf_object: .BTF has magic 0x%04x, not 0x%04x",
				h->magic, BTF_MAGIC);
	if (h->version != BTF_VERSION)
		return diag_set(d, -EINVAL, "bpf_object: .BTF has version %u, not %u", h->version,
				BTF_VERSION);
	if (h->hdr_len < sizeof(*h) || h->hdr_len > size)
		return diag_set(d, -EINVAL,
				"bpf_object: .BTF header length %u is not between %zu and the "
				"section's %zu bytes",
				h->hdr_len, sizeof(*h), size);
	if ((uint64_t)h->str_off + h->str_len > size - h->hdr_len)
		return diag_set(d, -EINVAL,
				"bpf_object: .BTF string section (offset %u, %u bytes) runs past "
				"the end of .BTF (%zu bytes after the header)",
				h->str_off, h->str_len, size - h->hdr_len);
	if ((uint64_t)h->type_off + h->type_len > h->str_off)
		return diag_set(d, -EINVAL,
				"bpf_object: .BTF type section (offset %u, %u bytes) runs into the "
				"string section at offset %u",
				h->type_off, h->type_len, h->str_off);
	if (h->type_off % 4)
		return diag_set(d, -EINVAL,
				"bpf_object: .BTF type section offset %u is not a multiple of 4",
				h->type_off);
	return 0;
}

static int check_strings(const struct raw_btf_index *x, struct diag *d)
{
	if (x->str_len == 0)
		return diag_set(d, -EINVAL, "bpf_object: .BTF string section is empty");
	if (x->strs[0])
		return diag_set(d, -EINVAL,
				"bpf_object: .BTF string section does not start with the empty "
				"string");
	if (x->strs[x->str_len - 1])
		return diag_set(d, -EINVAL,
				"bpf_object: .BTF string section does not end with a NUL byte");
	return 0;
}

/* Finds each record: its kind known, its entries within the type section. */
static int index_records(struct raw_btf_index *x, uint32_t len, struct diag *d)
{
	uint32_t pos = 0, cap = len / RECORD_BYTES + 1;
	struct btf_type t;
	size_t bytes;

	x->offsets = calloc(cap, sizeof(*x->offsets));
	if (!x->offsets)
		return diag_set(d, -ENOMEM, "bpf_object: out of memory checking .BTF");
	x->nr_types = 1;
	while (pos < len) {
		if (len - pos < RECORD_BYTES)
			return diag_set(d, -EINVAL,
					"bpf_object: .BTF type section ends %u bytes into type %u",
					len - pos, x->nr_types);
		memcpy(&t, x->types + pos, sizeof(t));
		bytes = record_size(BTF_INFO_KIND(t.info), BTF_INFO_VLEN(t.info));
		if (!bytes)
			return diag_set(d, -EINVAL,
					"bpf_object: .BTF type %u (at byte %u of the type section) "
					"has unknown kind %u",
					x->nr_types, pos, BTF_INFO_KIND(t.info));
		if (bytes > len - pos)
			return diag_set(
				d, -EINVAL,
				"bpf_object: .BTF type %u (%s, %u entries) runs past the end "
				"of the type section (%u bytes)",
				x->nr_types, kind_name(BTF_INFO_KIND(t.info)),
				BTF_INFO_VLEN(t.info), len);
		x->offsets[x->nr_types++] = pos;
		pos += bytes;
	}
	return 0;
}

static int check_names(const struct raw_btf_index *x, uint32_t id, struct diag *d)
{
	char who[96], where[48];
	struct place p;
	uint32_t k, off;

	for (k = 0; name_ref(x, id, k, &off, &p); k++) {
		if (off < x->str_len)
			continue;
		raw_btf_index_describe(x, id, who, sizeof(who));
		place_text(p, where, sizeof(where));
		return diag_set(d, -EINVAL,
				"bpf_object: .BTF %s%s has name offset %u past the end of the "
				"strings (%u bytes)",
				who, where, off, x->str_len);
	}
	return 0;
}

static int check_refs(const struct raw_btf_index *x, uint32_t id, struct diag *d)
{
	char who[96], where[48];
	struct place p;
	uint32_t k, ref;
	bool pointer;

	for (k = 0; type_ref(x, id, k, &ref, &pointer, &p); k++) {
		if (ref < x->nr_types)
			continue;
		raw_btf_index_describe(x, id, who, sizeof(who));
		place_text(p, where, sizeof(where));
		return diag_set(d, -EINVAL,
				"bpf_object: .BTF %s%s refers to type %u past the last type %u",
				who, where, ref, x->nr_types - 1);
	}
	return 0;
}

static int wrong_kind(const struct raw_btf_index *x, uint32_t id, struct place p, uint32_t ref,
		      const char *wanted, struct diag *d)
{
	char who[96], where[48], target[96];

	raw_btf_index_describe(x, id, who, sizeof(who));
	raw_btf_index_describe(x, ref, target, sizeof(target));
	place_text(p, where, sizeof(where));
	return diag_set(d, -EINVAL, "bpf_object: .BTF %s%s refers to %s, not %s", who, where,
			target, wanted);
}

/* A decl_tag names a struct or union member, a func parameter, or (-1) the whole target. */
static int check_decl_tag(const struct raw_btf_index *x, uint32_t id, struct diag *d)
{
	struct btf_type t = record(x, id), target = record(x, t.type);
	unsigned int kind = BTF_INFO_KIND(target.info);
	int32_t component = (int32_t)word(x, id, 0);
	uint32_t entries = 0;
	char who[96], what[96];

	if (kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION)
		entries = BTF_INFO_VLEN(target.info);
	else if (kind == BTF_KIND_FUNC)
		entries = BTF_INFO_VLEN(record(x, target.type).info);
	else if (kind != BTF_KIND_VAR && kind != BTF_KIND_TYPEDEF)
		return wrong_kind(x, id, (struct place){NULL, -1}, t.type,
				  "a struct, union, func, var or typedef", d);
	if (component == -1 || (component >= 0 && (uint32_t)component < entries))
		return 0;
	raw_btf_index_describe(x, id, who, sizeof(who));
	raw_btf_index_describe(x, t.type, what, sizeof(what));
	return diag_set(d, -EINVAL, "bpf_object: .BTF %s tags component %d of %s, which has %u",
			who, component, what, entries);
}

/* What libbpf takes for granted of each kind once every reference is a valid id. */
static int check_kind_rules(const struct raw_btf_index *x, uint32_t id, struct diag *d)
{
	struct btf_type t = record(x, id);
	unsigned int kind = BTF_INFO_KIND(t.info), k, vlen = BTF_INFO_VLEN(t.info);
	char who[96];

	if (!has_entries(kind) && vlen) {
		raw_btf_index_describe(x, id, who, sizeof(who));
		return diag_set(d, -EINVAL, "bpf_object: .BTF %s has vlen %u; a %s has no entries",
				who, vlen, kind_name(kind));
	}
	if (kind == BTF_KIND_FUNC && vlen > BTF_FUNC_EXTERN) {
		raw_btf_index_describe(x, id, who, sizeof(who));
		return diag_set(d, -EINVAL,
				"bpf_object: .BTF %s has linkage %u, not static, global or extern",
				who, vlen);
	}
	if (kind == BTF_KIND_FUNC && raw_btf_index_kind(x, t.type) != BTF_KIND_FUNC_PROTO)
		return wrong_kind(x, id, (struct place){NULL, -1}, t.type, "a func_proto", d);
	if (kind == BTF_KIND_DECL_TAG)
		return check_decl_tag(x, id, d);
	for (k = 0; kind == BTF_KIND_DATASEC && k < vlen; k++) {
		unsigned int var = raw_btf_index_kind(x, word(x, id, 3 * k));

		if (var != BTF_KIND_VAR && var != BTF_KIND_FUNC)
			return wrong_kind(x, id, (struct place){"variable", k}, word(x, id, 3 * k),
					  "a var or func", d);
	}
	return 0;
}

struct frame {
	uint32_t id, next;
};

enum visit { NEW, ON_PATH, DONE };

struct walk {
	const struct raw_btf_index *x;
	uint8_t *state;
	uint32_t *depth; /* while ON_PATH: the deepest child so far; once DONE: its own */
	struct frame *stack;
	uint32_t top;
};

static int cycle(const struct walk *w, uint32_t from, uint32_t to, struct diag *d)
{
	char a[96], b[96];

	raw_btf_index_describe(w->x, from, a, sizeof(a));
	raw_btf_index_describe(w->x, to, b, sizeof(b));
	return diag_set(d, -EINVAL,
			"bpf_object: .BTF %s refers to %s, which leads back to it with no "
			"pointer between",
			a, b);
}

/* One step of the depth-first walk from the frame on top of the stack. */
static int step(struct walk *w, struct diag *d)
{
	struct frame *f = &w->stack[w->top - 1];
	uint32_t ref, done;
	struct place p;
	bool pointer;
	char who[96];

	if (type_ref(w->x, f->id, f->next++, &ref, &pointer, &p)) {
		if (pointer || ref == 0)
			return 0;
		if (w->state[ref] == ON_PATH)
			return cycle(w, f->id, ref, d);
		if (w->state[ref] == DONE) {
			if (w->depth[ref] > w->depth[f->id])
				w->depth[f->id] = w->depth[ref];
			return 0;
		}
		w->state[ref] = ON_PATH;
		w->stack[w->top++] = (struct frame){ref, 0};
		return 0;
	}
	done = f->id;
	w->depth[done]++;
	if (w->depth[done] > RAW_BTF_MAX_DEPTH) {
		raw_btf_index_describe(w->x, done, who, sizeof(who));
		return diag_set(d, -EINVAL, "bpf_object: .BTF %s nests types more than %d deep",
				who, RAW_BTF_MAX_DEPTH);
	}
	w->state[done] = DONE;
	w->top--;
	if (w->top && w->depth[done] > w->depth[w->stack[w->top - 1].id])
		w->depth[w->stack[w->top - 1].id] = w->depth[done];
	return 0;
}

/* libbpf follows modifiers, typedefs, arrays and members in loops and by recursion. */
static int check_cycles(const struct raw_btf_index *x, struct diag *d)
{
	struct walk w = {x, calloc(x->nr_types, 1), calloc(x->nr_types, sizeof(uint32_t)),
			 calloc(x->nr_types, sizeof(struct frame)), 0};
	uint32_t root;
	int err = 0;

	if (!w.state || !w.depth || !w.stack)
		err = diag_set(d, -ENOMEM, "bpf_object: out of memory checking .BTF");
	for (root = 1; root < x->nr_types && !err; root++) {
		if (w.state[root] != NEW)
			continue;
		w.state[root] = ON_PATH;
		w.stack[w.top++] = (struct frame){root, 0};
		while (w.top && !err)
			err = step(&w, d);
	}
	free(w.state);
	free(w.depth);
	free(w.stack);
	return err;
}

static int check_types(const struct raw_btf_index *x, struct diag *d)
{
	uint32_t id;
	int err = 0;

	/* names first: every later message may name the types it is about */
	for (id = 1; id < x->nr_types && !err; id++)
		err = check_names(x, id, d);
	for (id = 1; id < x->nr_types && !err; id++)
		err = check_refs(x, id, d);
	for (id = 1; id < x->nr_types && !err; id++)
		err = check_kind_rules(x, id, d);
	return err ?: check_cycles(x, d);
}

int raw_btf_check(const uint8_t *data, size_t size, struct raw_btf_index *x, struct diag *d)
{
	struct btf_header h;
	int err;

	memset(x, 0, sizeof(*x));
	err = check_header(data, size, &h, d);
	if (err)
		return err;
	x->types = data + h.hdr_len + h.type_off;
	x->strs = (const char *)data + h.hdr_len + h.str_off;
	x->str_len = h.str_len;
	err = check_strings(x, d);
	err = err ?: index_records(x, h.type_len, d);
	err = err ?: check_types(x, d);
	if (err)
		raw_btf_index_free(x);
	return err;
}

void raw_btf_index_free(struct raw_btf_index *x)
{
	free(x->offsets);
	memset(x, 0, sizeof(*x));
}
