/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The package's meta, parsed once into typed structs: eunomia-bpf's bpf_skel and export_types,
 * and this project's extensions (tool, args, hook_variants, events, display, exit_maps)
 * described by schema/package.schema.json. Every object is closed: an unknown key is refused
 * with its path and the nearest known key. cJSON stays inside the parsing code; strings borrow
 * from the package document, which outlives the meta.
 */
#ifndef FORMAT_META_H
#define FORMAT_META_H

#include <stdbool.h>
#include <stdint.h>
#include "core/diag.h"
#include "format/meta_display.h"

struct cJSON;

#define ARG_MAX_LONG_NAMES 4

/* "sets": {"var": value}: the value as text, parsed later by the variable's BTF type. */
struct var_setting {
	const char *var;
	const char *text;
};

enum arg_combine {
	COMBINE_REPLACE, /* a value replaces the previous one */
	COMBINE_OR,	 /* values are OR-ed into the variable (repeatable -f A -f B) */
};

/* What names the cgroups whose ids an option's values become (map_keys: a cgroup id map). */
enum arg_cgroups {
	ARG_CGROUPS_NONE,
	ARG_CGROUPS_CONTAINER, /* a container's name or id */
	ARG_CGROUPS_UNIT,      /* a systemd unit's name */
};

struct arg_spec {
	const char *name; /* what display conditions call it; defaults to the first long name */
	char short_name;  /* 0: none */
	const char *long_names[ARG_MAX_LONG_NAMES];
	int nr_long_names;
	const char *metavar;
	const char *help;
	bool flag;		     /* takes no value; "=true" or "=false" may be attached */
	bool invert;		     /* a flag that writes the opposite of its value */
	const char *var;	     /* a .rodata/.bss variable written with the value */
	const char *map_keys;	     /* a map whose keys are set from a comma list */
	enum arg_cgroups cgroups_of; /* map_keys: the ids of the cgroups the values name */
	const char *pinned_map;	     /* a map replaced by the pinned map at the given path */
	bool output;	      /* selects the output format: json, table, custom-columns=a,b */
	const char *contains; /* a field: only events whose text holds the value are shown */
	bool attach_cgroup;   /* the value is the cgroup cgroup programs attach to */
	enum arg_combine combine;
	struct var_setting *sets; /* more variables written when the arg is given */
	int nr_sets;
	const char **excludes; /* names of args that cannot be given with this one */
	int nr_excludes;
	const char *default_text; /* the package's "default", as help shows it; NULL: none */
	bool default_on;	  /* a flag without var: its value when not given */
	bool positional; /* given without an option, in the order of the package's positionals */
	const char *initial; /* written to var when the arg is not given; NULL: the object's */
};

/*
 * Programs a variant uses where it can: where one of them cannot be loaded or attached, the
 * group is dropped and the variant kept, and ecli says what goes unseen (covers).
 */
struct optional_programs {
	const char **programs;
	int nr_programs;
	const char *covers; /* what they see: "binds made through io_uring" */
};

struct hook_variant {
	const char *name;
	const char
		*when; /* tried only while this condition holds (options pick it); NULL: always */
	const char **programs; /* each must load and attach, or the variant fails */
	int nr_programs;
	struct optional_programs *optional;
	int nr_optional;
	/* what the variant counts as lost rather than shows, besides a full buffer's drops */
	const char *counts_as_lost;
};

/* The optional group of v that lists prog, or -1 (a required program, or not v's). */
int hook_variant_optional_group(const struct hook_variant *v, const char *prog);

/* v lists prog, as required or optional. */
bool hook_variant_has(const struct hook_variant *v, const char *prog);

struct program_spec {
	const char *name;
	bool link; /* attach it (eunomia's "link") */
};

/* eunomia-bpf's data-section variables: options are generated from them without "args". */
struct data_var {
	const char *name;
	const char *description;
	const char *cmd_long; /* cmdarg */
	const char *cmd_short;
	const char *cmd_help;
};

struct data_section {
	const char *name;
	struct data_var *vars;
	int nr_vars;
};

enum sample_type {
	SAMPLE_DEFAULT_KV,
	SAMPLE_LOG2_HIST,
	SAMPLE_LINEAR_HIST,
};

/* A sample's unit or header while a condition holds (a flag or variable, "!" negates). */
struct sample_override {
	const char *when;
	const char *unit;   /* NULL: as before */
	const char *header; /* NULL: as before */
};

struct sample_spec {
	const char *map;
	int map_index;	 /* in bpf_skel.maps, for messages */
	int interval_ms; /* 0: printed at exit (and every ecli run --interval) */
	enum sample_type type;
	const char *unit;
	/*
	 * The line before each key's histogram, as written, its {NAME}s replaced by the row's
	 * fields (key then value members; {key} for a scalar key); "" none. NULL: eunomia's
	 * "key = ..." and "member = value" lines.
	 */
	const char *header;
	const char *when; /* printed only while this condition holds; NULL: always */
	struct sample_override *overrides;
	int nr_overrides;
	bool clear;
};

/* A map's size set when the object is loaded, as the tool's user space sets it. */
enum map_size_kind {
	MAP_SIZE_FIXED,	  /* entries */
	MAP_SIZE_PID_MAX, /* /proc/sys/kernel/pid_max: one entry per possible pid */
	MAP_SIZE_NR_CPUS, /* one entry per possible CPU */
};

struct map_size {
	const char *map;
	enum map_size_kind kind;
	int entries;
};

struct exit_map_spec {
	const char *map;
	const char *when;	 /* printed only when this condition holds */
	bool replaces_events;	 /* while printed, there is no event table */
	bool sort_by_value_desc; /* most frequent first */
	const char *value_name;	 /* the name of a scalar map value in rows */
	struct column_list columns;
};

enum metric_type {
	METRIC_COUNTER,	  /* events counted (or a field's values added up), per label values */
	METRIC_GAUGE,	  /* the last event's value of a field, per label values */
	METRIC_HISTOGRAM, /* a histogram map's buckets (a "slots" array), per row */
};

/*
 * A Prometheus metric the package declares (`ecli run --metrics`). Counters and gauges come from
 * the events shown, one series per distinct value of their labels, each an event field (named
 * so) shown as the table shows it; a histogram from a map, one series per row, its labels fields
 * of the row.
 */
struct metric_spec {
	const char *name;
	enum metric_type type;
	const char *help;
	const char **labels;
	int nr_labels;
	const char *value; /* an integer event field: a counter adds it, a gauge holds it */
	const char *map;   /* METRIC_HISTOGRAM */
	const char *when;  /* counted only when this condition holds */
};

struct events_spec {
	const char *type;    /* the event struct */
	const char *ringbuf; /* map names; found by type when not given */
	const char *perfbuf;
	const char *perfbuf_switch; /* bool variable telling the program to use the perf buffer */
	const char *lost_counter; /* per-CPU array of u64 counting events that could not be sent */
};

/*
 * Variables the loader writes before every load attempt with what only it knows at run time:
 * the device (the kernel's dev_t encoding) and inode of its own PID namespace
 * (/proc/self/ns/pid), so a program can show ids as that namespace sees them. Both or neither.
 */
struct runtime_spec {
	const char *pidns_dev; /* a 64-bit integer variable, or NULL */
	const char *pidns_ino;
};

struct package_meta {
	const char *obj_name;
	const char *tool_name;
	const char *description;
	const char *details;
	const char **examples;
	int nr_examples;
	const char *banner; /* printed on stderr once attached; ends with "Hit Ctrl-C to end" */
	bool has_args;	    /* explicit "args"; otherwise args come from data_sections */
	struct arg_spec *args;
	int nr_args;
	struct data_section *sections;
	int nr_sections;
	struct program_spec *programs;
	int nr_programs;
	struct hook_variant *variants;
	int nr_variants;
	struct sample_spec *samples;
	int nr_samples;
	struct map_size *map_sizes; /* bpf_skel.maps[].max_entries */
	int nr_map_sizes;
	struct exit_map_spec *exit_maps;
	int nr_exit_maps;
	struct metric_spec *metrics;
	int nr_metrics;
	struct events_spec events;
	struct runtime_spec runtime;
	struct type_hints hints;
	struct column_list columns; /* the event table's columns */
};

int meta_parse(const struct cJSON *meta, struct package_meta *m, struct diag *d);
void meta_free(struct package_meta *m);

/* An option's names as a command line can give them; path names them in the message. */
int meta_check_long_name(const char *name, const char *path, struct diag *d);
int meta_check_short_name(const char *name, const char *path, struct diag *d);

/* The runtime key ("pidns_dev", "pidns_ino") whose variable var is, or NULL. */
const char *meta_runtime_key(const struct package_meta *m, const char *var);

#endif
