/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The display parts of meta: how a struct member is named and formatted wherever the struct is
 * shown (display.types), and the columns of a table (display.columns, exit_maps[].columns).
 */
#ifndef FORMAT_META_DISPLAY_H
#define FORMAT_META_DISPLAY_H

#include <stdbool.h>
#include <stdint.h>
#include "core/diag.h"

struct cJSON;

/* Display hints: how a struct member is named and formatted wherever the struct is shown. */
enum member_format {
	FORMAT_PLAIN,
	FORMAT_IP,    /* an address: 4 bytes, 16 bytes, or 16 with a version field saying 4 or 6 */
	FORMAT_FLAGS, /* one letter per set bit, '.' per clear bit, lowest bit first */
	FORMAT_CGROUP, /* a cgroup v2 id: shown as is, and named by the fields it adds (container, unit) */
};

/* A value of a union's tag member, and the union member shown when the tag holds it. */
struct union_case {
	long long value;
	const char *member;
};

struct member_hint {
	const char *member;
	const char *key; /* rename; NULL: the member's name */
	enum member_format format;
	const char *letters; /* FORMAT_FLAGS */
	const char *version; /* FORMAT_IP: the member holding 4 or 6 */
	bool hidden;
	/* a union: the one member shown ("select": "name") ... */
	const char *select;
	/* ... or the one a sibling member's value picks ("select": {"by": tag, "cases": {...}}) */
	const char *select_by;
	struct union_case *cases;
	int nr_cases;
};

struct type_hint {
	const char *type;
	struct member_hint *members;
	int nr_members;
};

struct type_hints {
	struct type_hint *types;
	int nr_types;
};

enum column_format {
	COLUMN_VALUE,
	COLUMN_ELAPSED,	 /* time since the first row's value, or since the tool started */
	COLUMN_STRERROR, /* an errno (or its negative) as its text */
	COLUMN_CLOCK,	 /* wall clock time of printing, HH:MM:SS; needs no field */
	COLUMN_HEX,	 /* an integer in lowercase hexadecimal */
	COLUMN_OCTAL,	 /* an integer in octal */
	COLUMN_JOIN,	 /* an array of strings joined by a separator */
	COLUMN_CHAR,	 /* a one-byte integer as its character */
	COLUMN_RESULT,	 /* a syscall's return value: itself when not negative, else -1 */
	COLUMN_ERRNO,	 /* a syscall's return value: its errno when negative, else 0 */
	COLUMN_SCALED,	 /* an integer divided by divide, with decimals */
	COLUMN_TEXT,	 /* the same text in every row (tcpstates' "->"); needs no field */
};

/* Which properties a column or override sets: an override changes only what it sets. */
enum column_prop {
	PROP_TITLE = 1 << 0,
	PROP_WIDTH = 1 << 1,
	PROP_ALIGN = 1 << 2,
	PROP_TITLE_ALIGN = 1 << 3,
	PROP_TRUNCATE = 1 << 4,
	PROP_GAP = 1 << 5,
	PROP_FORMAT = 1 << 6,
	PROP_DECIMALS = 1 << 7,
	PROP_UNIT = 1 << 8,
	PROP_SINCE = 1 << 9,
	PROP_ZERO_PAD = 1 << 10,
	PROP_SEPARATOR = 1 << 11,
	PROP_QUOTE = 1 << 12,
	PROP_DIVIDE = 1 << 13,
	PROP_VALUES = 1 << 14,
	PROP_TEXT = 1 << 15,
};

struct column_props {
	unsigned int given; /* enum column_prop bits */
	const char *title;
	int width;
	bool left;
	bool title_left;
	bool truncate;
	int gap;
	enum column_format format;
	int decimals;
	uint64_t units_per_second;
	bool since_start;
	bool zero_pad;
	const char *separator;
	bool quote;
	int divide;		   /* COLUMN_SCALED */
	struct union_case *values; /* an integer's name for some values ("values": {"1": "x"}) */
	int nr_values;
	const char *text; /* COLUMN_TEXT */
};

struct column_override {
	const char *when;
	struct column_props props;
};

struct column_spec {
	const char *field; /* a key or a dotted member path; NULL for a clock column */
	const char *when;
	struct column_props props;
	struct column_override *overrides;
	int nr_overrides;
};

struct column_list {
	const char *where; /* "display.columns", "exit_maps[0].columns": for messages */
	bool present;	   /* given at all; otherwise the default table */
	struct column_spec *items;
	int nr;
};

/* The display parts on their own (where: the path named in messages, e.g. "display.types"). */
int meta_parse_hints(const struct cJSON *types, const char *where, struct type_hints *out,
		     struct diag *d);
void meta_free_hints(struct type_hints *h);
int meta_parse_columns(const struct cJSON *columns, const char *where, struct column_list *out,
		       struct diag *d);
void meta_free_columns(struct column_list *c);

/* The hint for a struct's member, or NULL. */
const struct member_hint *meta_find_hint(const struct type_hints *h, const char *type,
					 const char *member);

#endif
