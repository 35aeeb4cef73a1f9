/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Packs a compiled BPF object into package.json. What the object's BTF knows is derived
 * (bpf_skel, the event type's export_types, the event maps and lost counter in events); the
 * source adds each global's help and option names; the schema, when there is one, adds what
 * neither can know and wins for every key it sets. The result is checked before it is written.
 */
#ifndef ECC_PACK_H
#define ECC_PACK_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "core/diag.h"
#include "format/package_write.h"
#include "min_btf.h"
#include "source_scan.h"

struct pack_input {
	const char *path;   /* the source or object given: names the object, and messages */
	const char *schema; /* its path, or NULL */
	const struct source_scan *source;      /* NULL when an object was given */
	const struct source_scan *header_scan; /* or NULL */
	const char *event_type;		       /* found in the header or the source, or NULL */
	const char *event_type_origin;	       /* "x.h's first struct", for messages */
	const char *header;		       /* or NULL */
	const struct min_btf_list *btf_for;    /* --btf-for, or NULL */
	bool verbose;			       /* -v: say what was inferred */
};

/* The schema's JSON object (only its known top-level keys), or NULL with d set. */
cJSON *pack_read_schema(const char *path, struct diag *d);

/* The schema's events.type, or NULL. */
const char *pack_schema_event_type(const cJSON *schema);

#define PACK_MAX_OBJECTS 2

/*
 * Writes the package to out ("-": stdout): one object per architecture (objects[0]'s arch NULL
 * when nr is 1: a package for any machine). The meta is made from objects[0]; every other
 * object must have what it names. schema (may be NULL) is consumed.
 */
int pack_object(const char *out, const struct package_object *objects, int nr, cJSON *schema,
		const struct pack_input *in, struct diag *d);

#endif
