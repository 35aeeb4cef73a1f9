/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The tool's own command line, parsed from the package's meta: explicit "args", or, for
 * eunomia-bpf packages, one option per data-section variable (cmdarg long/short/help). Values
 * are checked against the BTF type of what they set, so a bad value is refused before anything
 * is loaded. The result is a list of actions replayed on every load attempt.
 */
#ifndef ARGS_TOOL_ARGS_H
#define ARGS_TOOL_ARGS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <bpf/libbpf.h>
#include "core/diag.h"
#include "format/meta.h"
#include "output/render.h"

struct var_write {
	const char *var;
	uint32_t size;
	uint8_t *bytes;
};

struct map_fill {
	char *map;
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_keys; /* the map's max_entries */
	uint32_t nr_keys;  /* distinct keys */
	uint8_t *keys;
};

struct map_reuse {
	char *map;
	char *path;
	int fd;
	uint32_t max_entries; /* the pinned map's, adopted by the object's map */
	uint32_t map_flags;
};

/* -l TEXT: only events whose field shows this text (a "contains" option). */
struct tool_settings {
	struct arg_spec *args; /* the package's, or generated ones owned here */
	int nr_args;
	bool args_owned;
	bool *flag_values; /* per arg: the value of a flag that sets no variable */
	bool *given;	   /* per arg: given (a flag: given as true) */
	struct var_write *writes;
	int nr_writes;
	struct map_fill *fills;
	int nr_fills;
	struct map_reuse *reuses;
	int nr_reuses;
	struct text_filter *filters;
	int nr_filters;
	enum output_mode output;
	char *columns; /* -o custom-columns=...: a comma list of keys */
	char *cgroup;  /* an attach_cgroup option's folder: where cgroup programs attach */
	bool help;
};

/* Without "args": whether a data-section variable becomes an option (not a pointer, ...). */
bool tool_args_var_is_option(const struct package_meta *m, struct bpf_object *obj,
			     const struct data_var *v);

/* obj is opened, not loaded: its BTF types the values. Error exits are status 2. */
int tool_args_parse(struct tool_settings *s, const struct package_meta *m, struct bpf_object *obj,
		    int argc, char **argv, struct diag *d);
void tool_args_free(struct tool_settings *s);

/* Writes the variables into an opened object's initial values and reuses pinned maps. */
int tool_args_apply_before_load(const struct tool_settings *s, struct bpf_object *obj,
				struct diag *d);
/* Fills maps from lists, once the object is loaded. */
int tool_args_apply_after_load(const struct tool_settings *s, struct bpf_object *obj,
			       struct diag *d);

/*
 * A display condition: the value of a flag that sets no variable and has this name, or else
 * whether the variable of this name is non-zero in obj (after tool_args_apply_before_load).
 * "!name" holds when name does not.
 */
bool tool_args_condition(const struct tool_settings *s, struct bpf_object *obj, const char *name);

#endif
