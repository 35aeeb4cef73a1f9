/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The layout of a record (an event, a map key and value) derived from BTF once, so rendering
 * an event is a walk over precomputed fields with no BTF lookups. Display hints from the
 * package ("key" renames, "ip" and "flags" formats) are attached to the fields here; two fields
 * shown under one key are refused.
 */
#ifndef OUTPUT_BTF_LAYOUT_H
#define OUTPUT_BTF_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>
#include <bpf/btf.h>
#include "core/diag.h"
#include "format/meta.h"

enum field_kind {
	FIELD_INT, /* 1 to 16 bytes, or a bitfield */
	FIELD_BOOL,
	FIELD_ENUM,
	FIELD_FLOAT,
	FIELD_STRING, /* a char array: text up to the first NUL */
	FIELD_ARRAY,
	FIELD_RECORD,	   /* struct or union */
	FIELD_POINTER,	   /* printed as a number */
	FIELD_CGROUP_NAME, /* what a "cgroup" field's id resolves to (cgroup_part): no bytes */
};

/* What a FIELD_CGROUP_NAME shows of its cgroup (output/cgroup_names.h), under its key. */
enum cgroup_part {
	CGROUP_PART_CONTAINER,	  /* "container": the container's name */
	CGROUP_PART_CONTAINER_ID, /* "container_id" */
	CGROUP_PART_RUNTIME,	  /* "runtime": podman, docker, containerd, cri-o */
	CGROUP_PART_UNIT,	  /* "unit": a host process's systemd unit */
	CGROUP_PART_PATH,	  /* "cgroup": the folder, for a cgroup neither names */
	CGROUP_PARTS,
};

struct enum_name {
	int64_t value;
	const char *name;
};

struct layout;

/* A union's tag value, and 1 + the index of the member shown when the tag holds it. */
struct field_case {
	int64_t value;
	int member;
};

struct field {
	const char *name; /* the BTF member name */
	const char *key;  /* the name shown: a "key" hint, else the member name */
	enum field_kind kind;
	uint32_t offset;     /* bytes from the record start */
	uint32_t size;	     /* bytes of the value's type */
	uint32_t bit_offset; /* bitfields: bits after offset; bit_size 0 means not a bitfield */
	uint32_t bit_size;
	bool is_signed;
	bool is_char; /* a plain char: shown as a character */
	bool hidden;  /* left out of JSON objects and default tables */
	enum member_format format;
	const char *letters; /* FORMAT_FLAGS */
	int version_field;   /* FORMAT_IP: index of the sibling holding 4 or 6, or -1 */
	bool is_union;	     /* FIELD_RECORD of a union */
	int select;	     /* a union shown as one member: 1 + its index in record; 0: all */
	int select_by;	     /* 1 + the index of the sibling whose value picks the member shown */
	struct field_case *cases;
	int nr_cases;
	struct enum_name *enums;
	int nr_enums;
	uint32_t count;	       /* FIELD_ARRAY, FIELD_STRING: elements */
	struct field *elem;    /* FIELD_ARRAY: one element at offset 0 */
	struct layout *record; /* FIELD_RECORD */
	enum cgroup_part part; /* FIELD_CGROUP_NAME; its id is this field's offset and size */
};

struct cgroup_names;

struct layout {
	const char *name;
	uint32_t size;
	int nr_fields;
	struct field *fields;
	/* resolves FIELD_CGROUP_NAME fields (the caller's, set after layout_build); NULL: none */
	struct cgroup_names *cgroups;
};

/* A plain char (the element type that makes an array a string). */
bool layout_is_char(const struct btf *btf, const struct btf_type *t);

/* Finds a struct or union (or a typedef of one) by name. Returns its id, or -ENOENT. */
int layout_find_record(const struct btf *btf, const char *name);

/*
 * hints: the package's display.types (may be NULL). A member with the "cgroup" format adds, after
 * the members, the fields container, container_id, runtime, unit and cgroup (FIELD_CGROUP_NAME).
 */
int layout_build(const struct btf *btf, uint32_t type_id, const struct type_hints *hints,
		 struct layout **out, struct diag *d);

/*
 * A map row as one record: the key's fields then the value's, the value placed key_size bytes
 * in. A scalar key is called "key", a scalar value value_name. type ids of 0 (no BTF) make
 * plain integers or byte arrays of the given sizes.
 */
int layout_build_map_row(const struct btf *btf, uint32_t key_type, uint32_t key_size,
			 uint32_t value_type, uint32_t value_size, const char *value_name,
			 const struct type_hints *hints, struct layout **out, struct diag *d);

void layout_free(struct layout *l);

/* One value of type type_id at offset 0, e.g. a global variable; release with field_release. */
int field_describe(const struct btf *btf, uint32_t type_id, const char *name, struct field *f,
		   struct diag *d);
void field_release(struct field *f);

/* A top-level field by its shown key or its member name, or NULL. */
const struct field *layout_find(const struct layout *l, const char *key);

/*
 * A field by a dotted path of keys into nested records ("pt.x"), or NULL. *owner is the record
 * that holds it and *base that record's offset in l, so its bytes are at record + *base.
 */
const struct field *layout_find_path(const struct layout *l, const char *path,
				     const struct layout **owner, uint32_t *base);

/* The enumerator named for value, or NULL. */
const char *field_enum_name(const struct field *f, int64_t value);

#endif
