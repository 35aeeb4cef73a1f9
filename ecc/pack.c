// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "btf_describe.h"
#include "object/event_maps.h"
#include "core/file_io.h"
#include "format/package_read.h"
#include "format/meta_json.h"
#include "object/object_check.h"
#include "object/output_sizes.h"
#include "alternatives.h"
#include "event_fields.h"
#include "event_type.h"
#include "pack.h"
#include "format/package_write.h"
#include "runtime_keys.h"
#include "samples.h"
#include "schema_check.h"
#include "source_options.h"

/* A tool schema holds meta's extension keys; what BTF knows is derived, never written. */
static const char *const schema_keys[] = {
	"tool",	     "args",	"hook_variants", "events",  "runtime", "display",
	"exit_maps", "samples", "map_sizes",	 "metrics", NULL};

cJSON *pack_read_schema(const char *path, struct diag *d)
{
	char *text = NULL;
	size_t size;
	cJSON *schema;

	if (file_read(path, PACKAGE_MAX_FILE_BYTES, &text, &size, d))
		return NULL;
	json_parse_document(text, size, path, &schema, d);
	free(text);
	if (!schema)
		return NULL;
	if (!cJSON_IsObject(schema)) {
		diag_set(d, -EINVAL, "%s: not a JSON object", path);
		cJSON_Delete(schema);
		return NULL;
	}
	if (json_check_keys(schema, "", schema_keys, d)) {
		diag_wrap(d, -EINVAL, "%s", path);
		cJSON_Delete(schema);
		return NULL;
	}
	return schema;
}

const char *pack_schema_event_type(const cJSON *schema)
{
	return describe_string(schema, "events", "type");
}

/* Prefixes d's message, which names a key of meta, with the file that key came from. */
static int in_file(const struct pack_input *in, int err, struct diag *d)
{
	return diag_wrap(d, err, "%s", in->schema ? in->schema : in->path);
}

/* Prefixes d's message, which is about the object, with the object's file. */
static int in_object(const struct pack_input *in, int err, struct diag *d)
{
	return diag_wrap(d, err, "%s", in->path);
}

static int no_event_type(const struct pack_input *in, struct diag *d)
{
	if (in->source)
		return diag_set(
			d, -EINVAL,
			"%s: the object has an event map but no event type: pass the header "
			"that defines the event struct (ecc %s HEADER.h) or set events.type "
			"in a schema",
			in->path, in->path);
	return diag_set(d, -EINVAL,
			"%s: the object has an event map but no event type: set events.type in "
			"the schema, or EXPORT_EVENT_TYPE(the struct) in the source",
			in->path);
}

/* The event type: the schema's, else the one event_type.h picks (NULL: none). */
static int event_type(struct bpf_object *obj, const cJSON *events, const struct pack_input *in,
		      char *name, size_t len, char *origin, size_t origin_len, const char **type,
		      struct diag *d)
{
	const cJSON *given = cJSON_GetObjectItemCaseSensitive(events, "type");
	struct event_type_input e = {.path = in->path,
				     .guess = in->event_type,
				     .guess_origin = in->event_type_origin,
				     .source = in->source,
				     .header = in->header_scan};
	int err;

	*type = NULL;
	if (cJSON_IsString(given)) {
		*type = given->valuestring;
		return 0;
	}
	err = event_type_pick(obj, &e, name, len, origin, origin_len, in->verbose ? stderr : NULL,
			      d);
	if (!err && name[0])
		*type = name;
	return err;
}

/* export_types: the event type; events: its maps, as far as the schema left them out. */
static int describe_events(struct bpf_object *obj, cJSON *events, const struct pack_input *in,
			   cJSON **types, struct diag *d)
{
	char found[128], origin[160];
	const char *type;
	cJSON *export = NULL;
	int err;

	*types = NULL;
	err = event_type(obj, events, in, found, sizeof(found), origin, sizeof(origin), &type, d);
	if (err)
		return err;
	if (!type)
		return event_maps_present(obj) ? no_event_type(in, d)
					       : event_maps_complete(obj, events, d);
	err = event_type_check_size(obj, type, in->schema ? in->schema : in->path, d);
	if (err)
		return err;
	export = describe_export_type(obj, type, d);
	if (!export && in->event_type && !strcmp(in->event_type, type))
		return diag_set(d, -EINVAL,
				"%s: struct %s (%s) is not in the compiled object: "
				"does the source include %s?",
				in->path, type, origin,
				in->header ? in->header : "the file that defines it");
	if (!export)
		return in_file(in, -EINVAL, d);
	*types = cJSON_CreateArray();
	if (!*types || !cJSON_AddItemToArray(*types, export) ||
	    (!cJSON_GetObjectItemCaseSensitive(events, "type") &&
	     !cJSON_AddStringToObject(events, "type", type)))
		return diag_set(d, -ENOMEM, "out of memory");
	return event_maps_complete(obj, events, d);
}

/* Help's usage line says "mytool", not eunomia's object name "mytool_bpf". */
static int default_tool_name(cJSON *meta, const char *path)
{
	static const char *const suffixes[] = {".bpf.c", ".bpf.o", ".c", ".o"};
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	cJSON *tool = cJSON_GetObjectItemCaseSensitive(meta, "tool");
	size_t n = strlen(base), i, len;
	char name[64];

	if (cJSON_HasObjectItem(tool, "name"))
		return 0;
	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		len = strlen(suffixes[i]);
		if (n > len && !strcmp(base + n - len, suffixes[i])) {
			n -= len;
			break;
		}
	}
	snprintf(name, sizeof(name), "%.*s", (int)n, base);
	if (!tool && !(tool = cJSON_AddObjectToObject(meta, "tool")))
		return -ENOMEM;
	return cJSON_AddStringToObject(tool, "name", name) ? 0 : -ENOMEM;
}

/* Without the schema's hook_variants, those the object's alternative programs make. */
static int infer_variants(struct bpf_object *obj, cJSON *meta, const struct pack_input *in,
			  struct diag *d)
{
	cJSON *variants = NULL;
	int err;

	if (cJSON_GetObjectItemCaseSensitive(meta, "hook_variants"))
		return 0;
	err = alternatives_infer(obj, in->verbose ? stderr : NULL, &variants, d);
	if (!err && variants)
		cJSON_AddItemToObject(meta, "hook_variants", variants);
	return err;
}

/*
 * Whether a map of this type without max_entries needs its size from the tool: a perf event
 * array takes one per CPU, and local storage (socket, inode, task) has no size at all.
 */
static bool sized_at_load(enum bpf_map_type type)
{
	switch (type) {
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
	case BPF_MAP_TYPE_SK_STORAGE:
	case BPF_MAP_TYPE_INODE_STORAGE:
	case BPF_MAP_TYPE_TASK_STORAGE:
		return false;
	default:
		return true;
	}
}

/*
 * The schema's map_sizes (consumed) into bpf_skel.maps[].max_entries; a map the object declares
 * without a size (its user space sets one) and the schema does not size is refused.
 */
static int map_sizes_complete(struct bpf_object *obj, cJSON *skel, cJSON *sizes,
			      const struct pack_input *in, struct diag *d)
{
	const struct bpf_map *map;
	cJSON *s, *entry;
	int err = 0;

	if (sizes && !cJSON_IsObject(sizes)) {
		cJSON_Delete(sizes);
		return in_file(
			in, diag_set(d, -EINVAL, "map_sizes: is not an object ({\"MAP\": SIZE})"),
			d);
	}
	cJSON_ArrayForEach(s, sizes) {
		entry = describe_skeleton_map(skel, s->string);
		if (!entry) {
			err = in_file(in,
				      diag_set(d, -EINVAL,
					       "map_sizes.%s: the object has no such map",
					       s->string),
				      d);
			break;
		}
		cJSON_AddItemToObject(entry, "max_entries", cJSON_Duplicate(s, false));
	}
	bpf_object__for_each_map(map, obj) {
		if (err)
			break;
		if (!bpf_map__max_entries(map) && sized_at_load(bpf_map__type(map)) &&
		    !cJSON_HasObjectItem(sizes, bpf_map__name(map)))
			err = diag_set(d, -EINVAL,
				       "%s: map %s declares no max_entries (its tool sets it at "
				       "load): give map_sizes.%s in the schema (a number, "
				       "\"pid_max\" or \"nr_cpus\")",
				       in->path, bpf_map__name(map), bpf_map__name(map));
	}
	cJSON_Delete(sizes);
	return err;
}

/*
 * meta = bpf_skel, export_types, events, then the rest of the schema's keys as written, then
 * runtime when the schema left it out and the object has its variables.
 */
static cJSON *build_meta(struct bpf_object *obj, cJSON *schema, const struct pack_input *in,
			 struct diag *d)
{
	cJSON *meta = cJSON_CreateObject(), *skel, *types = NULL, *item, *events;
	int err = 0;

	events = cJSON_DetachItemFromObjectCaseSensitive(schema, "events") ?: cJSON_CreateObject();
	skel = describe_skeleton(obj, describe_string(schema, "tool", "description"), d);
	if (!meta || !skel || !events)
		err = diag_set(d, -ENOMEM, "out of memory");
	if (!err && in->source)
		err = source_options_apply(skel, in->source, obj, d);
	if (!err)
		err = samples_complete(obj, skel,
				       cJSON_DetachItemFromObjectCaseSensitive(schema, "samples"),
				       in->source, in->verbose ? stderr : NULL, d);
	err = err
		      ?: map_sizes_complete(
				 obj, skel,
				 cJSON_DetachItemFromObjectCaseSensitive(schema, "map_sizes"), in,
				 d);
	err = err ?: describe_events(obj, events, in, &types, d);
	if (err) {
		cJSON_Delete(meta);
		cJSON_Delete(skel);
		cJSON_Delete(events);
		return NULL;
	}
	cJSON_AddItemToObject(meta, "bpf_skel", skel);
	if (types)
		cJSON_AddItemToObject(meta, "export_types", types);
	if (events->child)
		cJSON_AddItemToObject(meta, "events", events);
	else
		cJSON_Delete(events);
	while (schema && (item = schema->child)) {
		cJSON_DetachItemViaPointer(schema, item);
		cJSON_AddItemToObject(meta, item->string, item);
	}
	if (infer_variants(obj, meta, in, d) || runtime_keys_complete(obj, meta, d)) {
		cJSON_Delete(meta);
		return NULL;
	}
	if (default_tool_name(meta, in->path)) {
		cJSON_Delete(meta);
		diag_set(d, -ENOMEM, "out of memory");
		return NULL;
	}
	if (samples_metrics_complete(obj, meta, in->verbose ? stderr : NULL, d)) {
		cJSON_Delete(meta);
		return NULL;
	}
	return meta;
}

/* As eunomia names objects: "dir/bindsnoop.bpf.o" (or .bpf.c) is "bindsnoop_bpf". */
static void object_name(const char *path, char *name, size_t len)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t n = strlen(base);
	char *p;

	if (n > 2 && (!strcmp(base + n - 2, ".o") || !strcmp(base + n - 2, ".c")))
		n -= 2;
	snprintf(name, len, "%.*s", (int)n, base);
	for (p = name; *p; p++)
		if (*p == '.' || *p == '-')
			*p = '_';
}

/* A map printed as a histogram or sample while it runs (bpf_skel.maps[].sample). */
static bool has_sample(const cJSON *meta)
{
	const cJSON *maps = cJSON_GetObjectItemCaseSensitive(
			    cJSON_GetObjectItemCaseSensitive(meta, "bpf_skel"), "maps"),
		    *m;

	cJSON_ArrayForEach(m, maps)
		if (cJSON_GetObjectItemCaseSensitive(m, "sample"))
			return true;
	return false;
}

/* A package that could never show anything is refused: nothing it does would be seen. */
static int check_shows_something(const cJSON *meta, struct bpf_object *obj,
				 const struct pack_input *in, struct diag *d)
{
	if (event_maps_present(obj) || has_sample(meta) ||
	    cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(meta, "exit_maps")) > 0 ||
	    output_prints(obj))
		return 0;
	return diag_set(
		d, -EINVAL,
		"%s: the package could never show anything: it has no event map (ring buffer "
		"or perf event array), no map printed as a histogram or at exit, and no "
		"bpf_printk",
		in->path);
}

/* The checker's messages name a key of meta; say which file it came from. */
static int check(const cJSON *meta, struct bpf_object *obj, const struct pack_input *in,
		 struct diag *d)
{
	int err = schema_check(meta, obj, d);

	return err ? in_file(in, err, d) : 0;
}

/*
 * An object as packed: checked (an object from elsewhere, ecc OBJECT.o, before libbpf trusts
 * it), with the struct the schema's events.fields describe added to its BTF (*own then holds
 * it), and opened.
 */
static int prepare(struct package_object *o, const cJSON *fields, const char *type,
		   const struct pack_input *in, void **own, struct bpf_object **obj, struct diag *d)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts);
	char name[64];
	int err = object_check(o->data, o->size, d);

	object_name(in->path, name, sizeof(name));
	opts.object_name = name;
	if (err)
		return in_object(in, err, d);
	if (fields) {
		err = event_fields_add(o->data, o->size, type, fields, own, &o->size, d);
		if (err)
			return in_file(in, err, d);
		o->data = *own;
		if (in->verbose)
			fprintf(stderr,
				"ecc: struct %s added to the %s object's BTF from "
				"events.fields\n",
				type, o->arch ? o->arch : "");
	}
	*obj = bpf_object__open_mem(o->data, o->size, &opts);
	if (!*obj)
		return diag_set(d, -errno, "%s: not a BPF object libbpf can open", in->path);
	if (!bpf_object__btf(*obj))
		return diag_set(d, -EINVAL, "%s: has no BTF (compile with -g)", in->path);
	return 0;
}

/* Another architecture's object must have what the meta, made from the first, names. */
static int check_other(const cJSON *meta, struct bpf_object *obj, const char *arch,
		       const struct pack_input *in, struct diag *d)
{
	int err = schema_check(meta, obj, d);

	return err ? diag_wrap(d, err, "%s: the %s object", in->path, arch) : 0;
}

int pack_object(const char *out, const struct package_object *objects, int nr, cJSON *schema,
		const struct pack_input *in, struct diag *d)
{
	struct package_object o[PACK_MAX_OBJECTS];
	struct bpf_object *obj[PACK_MAX_OBJECTS] = {NULL};
	void *own[PACK_MAX_OBJECTS] = {NULL}; /* objects with the schema's event struct added */
	cJSON *meta = NULL, *btf_for = NULL, *fields;
	const char *type = pack_schema_event_type(schema);
	int i, err = nr > 0 && nr <= PACK_MAX_OBJECTS ? 0 : diag_set(d, -EINVAL, "no object");

	fields = cJSON_DetachItemFromObjectCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(schema, "events"), "fields");
	for (i = 0; i < nr && !err; i++) {
		o[i] = objects[i];
		err = prepare(&o[i], fields, type, in, &own[i], &obj[i], d);
	}
	if (!err && !(meta = build_meta(obj[0], schema, in, d)))
		err = -EINVAL;
	err = err ?: check_shows_something(meta, obj[0], in, d);
	err = err ?: check(meta, obj[0], in, d);
	for (i = 1; i < nr && !err; i++)
		err = check_other(meta, obj[i], o[i].arch, in, d);
	if (!err && in->btf_for && in->btf_for->nr &&
	    !(btf_for = min_btf_build(in->btf_for, o, nr, d)))
		err = -EINVAL;
	if (!err) {
		err = package_write(out, o, nr, btf_for, meta, d);
		meta = NULL;
	}
	cJSON_Delete(meta);
	cJSON_Delete(schema);
	cJSON_Delete(fields);
	for (i = 0; i < nr && i < PACK_MAX_OBJECTS; i++) {
		bpf_object__close(obj[i]);
		free(own[i]);
	}
	return err;
}
