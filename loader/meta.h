/*
 * The package's meta, parsed and checked once: eunomia-bpf's bpf_skel and export_types, and
 * this project's extensions (tool, args, hook_variants, events, display, exit_maps) described
 * by schema/package.schema.json. Strings and sub-objects point into the package's cJSON tree.
 */
#ifndef META_H
#define META_H

#include <stdbool.h>
#include <cjson/cJSON.h>
#include "diag.h"

#define ARG_MAX_LONG_NAMES 4

struct arg_spec {
	const char *name; /* what display conditions call it; defaults to the first long name */
	char short_name;  /* 0: none */
	const char *long_names[ARG_MAX_LONG_NAMES];
	int nr_long_names;
	const char *metavar;
	const char *help;
	bool flag;		/* takes no value; "=true" or "=false" may be attached */
	bool invert;		/* a flag that writes the opposite of its value */
	const char *var;	/* a .rodata/.bss variable written with the value */
	const char *map_keys;	/* a map whose keys are set from a comma list */
	const char *pinned_map; /* a map replaced by the pinned map at the given path */
	bool output;		/* selects the output format: json, table, custom-columns=a,b */
	const cJSON *sets;	/* more variables written when the arg is given: {"var": value} */
	const cJSON *excludes;	/* names of args that cannot be given with this one */
	const cJSON *default_value; /* shown in help for args that have no variable */
};

struct hook_variant {
	const char *name;
	const char **programs;
	int nr_programs;
};

struct program_spec {
	const char *name;
	bool link; /* attach it (eunomia's "link") */
};

struct sample_spec {
	const char *map;
	int interval_ms;
	const char *type; /* log2_hist, linear_hist, default_kv */
	const char *unit;
	bool clear;
};

struct exit_map_spec {
	const char *map;
	const char *when;	 /* printed only when this condition holds */
	bool replaces_events;	 /* while printed, there is no event table */
	bool sort_by_value_desc; /* most frequent first */
	const char *value_name;	 /* the name of a scalar map value in rows */
	const cJSON *columns;
};

struct events_spec {
	const char *type;    /* the event struct */
	const char *ringbuf; /* map names; found by type when not given */
	const char *perfbuf;
	const char *perfbuf_switch; /* bool variable telling the program to use the perf buffer */
	const char *lost_counter; /* per-CPU array of u64 counting events that could not be sent */
};

struct package_meta {
	const char *obj_name;
	const char *tool_name;
	const char *description;
	const char *details;
	const cJSON *examples; /* array of strings */
	const char *banner;    /* printed on stderr once attached; ends with "Hit Ctrl-C to end" */
	bool has_args;	       /* explicit "args"; otherwise args come from data_sections */
	struct arg_spec *args;
	int nr_args;
	const cJSON *data_sections;
	struct program_spec *programs;
	int nr_programs;
	struct hook_variant *variants;
	int nr_variants;
	struct sample_spec *samples;
	int nr_samples;
	struct exit_map_spec *exit_maps;
	int nr_exit_maps;
	struct events_spec events;
	const cJSON *type_hints; /* {"struct name": {"member": {hint}}} */
	const cJSON *columns;	 /* the event table's columns */
};

int meta_parse(const cJSON *meta, struct package_meta *m, struct diag *d);
void meta_free(struct package_meta *m);

/* Typed getters that name the offending key in their error: 0, or -EINVAL when mistyped. */
int json_get_string(const cJSON *obj, const char *where, const char *key, bool required,
		    const char **out, struct diag *d);
int json_get_int(const cJSON *obj, const char *where, const char *key, long long min, long long max,
		 int *out, struct diag *d);
int json_get_bool(const cJSON *obj, const char *where, const char *key, bool *out, struct diag *d);
int json_get_container(const cJSON *obj, const char *where, const char *key, bool array,
		       const cJSON **out, struct diag *d);

#endif
