// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include "btf_describe.h"
#include "output/btf_layout.h"

struct decl_buf {
	char text[256];
	size_t len;
};

static void append_decl(void *ctx, const char *fmt, va_list args)
{
	struct decl_buf *b = ctx;

	if (b->len < sizeof(b->text))
		b->len += vsnprintf(b->text + b->len, sizeof(b->text) - b->len, fmt, args);
	if (b->len >= sizeof(b->text))
		b->len = sizeof(b->text) - 1;
}

/*
 * The C spelling of a type, as eunomia writes it: "unsigned int", "char[16]", "struct x *";
 * without const and volatile ("const volatile int" is "int").
 */
static cJSON *type_name(const struct btf *btf, uint32_t id)
{
	LIBBPF_OPTS(btf_dump_emit_type_decl_opts, opts, .field_name = "", .strip_mods = true);
	struct decl_buf b = {"", 0};
	struct btf_dump *dump = btf_dump__new(btf, append_decl, &b, NULL);
	char *p;

	if (!dump)
		return NULL;
	btf_dump__emit_type_decl(dump, id, &opts);
	btf_dump__free(dump);
	for (p = b.text; (p = strstr(p, " ["));) /* "char [16]" reads better as "char[16]" */
		memmove(p, p + 1, strlen(p));
	return cJSON_CreateString(b.text);
}

static cJSON *describe_programs(struct bpf_object *obj)
{
	cJSON *progs = cJSON_CreateArray();
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj) {
		cJSON *p = cJSON_CreateObject();

		cJSON_AddStringToObject(p, "name", bpf_program__name(prog));
		cJSON_AddStringToObject(p, "attach", bpf_program__section_name(prog));
		cJSON_AddBoolToObject(p, "link", true);
		cJSON_AddItemToArray(progs, p);
	}
	return progs;
}

/* eunomia's "ident": the skeleton's name for a map; .rodata's map is "rodata". */
static void add_map_ident(cJSON *m, const char *name, bool internal)
{
	const char *dot = internal ? strchr(name, '.') : NULL;
	char ident[64], *p;

	snprintf(ident, sizeof(ident), "%s", dot ? dot + 1 : name);
	for (p = ident; *p; p++)
		if (*p == '.')
			*p = '_';
	cJSON_AddStringToObject(m, "ident", ident);
}

static cJSON *describe_maps(struct bpf_object *obj)
{
	cJSON *maps = cJSON_CreateArray();
	struct bpf_map *map;

	bpf_object__for_each_map(map, obj) {
		cJSON *m = cJSON_CreateObject();
		bool internal = bpf_map__is_internal(map);

		cJSON_AddStringToObject(m, "name", bpf_map__name(map));
		add_map_ident(m, bpf_map__name(map), internal);
		if (internal)
			cJSON_AddBoolToObject(m, "mmaped", true);
		cJSON_AddItemToArray(maps, m);
	}
	return maps;
}

static cJSON *describe_section(const struct btf *btf, const struct btf_type *sec)
{
	const struct btf_var_secinfo *vs = btf_var_secinfos(sec);
	cJSON *s = cJSON_CreateObject(), *vars = cJSON_CreateArray();
	int i;

	cJSON_AddStringToObject(s, "name", btf__name_by_offset(btf, sec->name_off));
	for (i = 0; i < btf_vlen(sec); i++, vs++) {
		const struct btf_type *var = btf__type_by_id(btf, vs->type);
		cJSON *v = cJSON_CreateObject();

		cJSON_AddStringToObject(v, "name", btf__name_by_offset(btf, var->name_off));
		cJSON_AddItemToObject(v, "type", type_name(btf, var->type));
		cJSON_AddItemToArray(vars, v);
	}
	cJSON_AddItemToObject(s, "variables", vars);
	return s;
}

static cJSON *describe_data_sections(struct bpf_object *obj)
{
	const struct btf *btf = bpf_object__btf(obj);
	cJSON *sections = cJSON_CreateArray();
	uint32_t id;

	for (id = 1; btf && id < btf__type_cnt(btf); id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *name = btf__name_by_offset(btf, t->name_off);

		if (btf_is_datasec(t) && name &&
		    (!strcmp(name, ".rodata") || !strcmp(name, ".bss") || !strcmp(name, ".data")))
			cJSON_AddItemToArray(sections, describe_section(btf, t));
	}
	return sections;
}

cJSON *describe_skeleton(struct bpf_object *obj, const char *brief, struct diag *d)
{
	cJSON *skel = cJSON_CreateObject(), *doc;

	if (!skel) {
		diag_set(d, -ENOMEM, "out of memory");
		return NULL;
	}
	cJSON_AddItemToObject(skel, "data_sections", describe_data_sections(obj));
	cJSON_AddItemToObject(skel, "maps", describe_maps(obj));
	cJSON_AddStringToObject(skel, "obj_name", bpf_object__name(obj));
	cJSON_AddItemToObject(skel, "progs", describe_programs(obj));
	if (brief) {
		doc = cJSON_AddObjectToObject(skel, "doc");
		cJSON_AddStringToObject(doc, "brief", brief);
	}
	return skel;
}

cJSON *describe_export_type(struct bpf_object *obj, const char *type, struct diag *d)
{
	const struct btf *btf = bpf_object__btf(obj);
	int id = btf ? layout_find_record(btf, type) : -ENOENT;
	const struct btf_type *t;
	const struct btf_member *m;
	cJSON *e, *members;
	int i;

	if (id < 0) {
		diag_set(d, -ENOENT, "events.type: no struct \"%s\" in the object's BTF", type);
		return NULL;
	}
	t = btf__type_by_id(btf, id);
	e = cJSON_CreateObject();
	members = cJSON_CreateArray();
	for (i = 0, m = btf_members(t); i < btf_vlen(t); i++, m++) {
		cJSON *member = cJSON_CreateObject();

		cJSON_AddStringToObject(member, "name", btf__name_by_offset(btf, m->name_off));
		cJSON_AddItemToObject(member, "type", type_name(btf, m->type));
		cJSON_AddItemToArray(members, member);
	}
	cJSON_AddItemToObject(e, "members", members);
	cJSON_AddStringToObject(e, "name", type);
	cJSON_AddNumberToObject(e, "size", t->size);
	cJSON_AddNumberToObject(e, "type_id", id);
	return e;
}

static int count_exported(const struct btf *btf, const struct btf_type *sec, char *name, size_t len,
			  int found)
{
	static const char prefix[] = "__eunomia_dummy_", suffix[] = "_ptr";
	const struct btf_var_secinfo *vs = btf_var_secinfos(sec);
	int i;

	for (i = 0; i < btf_vlen(sec); i++, vs++) {
		const char *var =
			btf__name_by_offset(btf, btf__type_by_id(btf, vs->type)->name_off);
		size_t n = var ? strlen(var) : 0;

		if (n <= strlen(prefix) + strlen(suffix) || strncmp(var, prefix, strlen(prefix)) ||
		    strcmp(var + n - strlen(suffix), suffix))
			continue;
		if (!found++)
			snprintf(name, len, "%.*s", (int)(n - strlen(prefix) - strlen(suffix)),
				 var + strlen(prefix));
	}
	return found;
}

int describe_exported_types(struct bpf_object *obj, char *name, size_t len)
{
	const struct btf *btf = bpf_object__btf(obj);
	uint32_t id;
	int found = 0;

	for (id = 1; btf && id < btf__type_cnt(btf); id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		if (btf_is_datasec(t))
			found = count_exported(btf, t, name, len, found);
	}
	return found;
}

const char *describe_string(const cJSON *obj, const char *key, const char *member)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(obj, key), member);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

cJSON *describe_skeleton_map(cJSON *skel, const char *name)
{
	cJSON *m;

	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(skel, "maps")) {
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(m, "name");

		if (cJSON_IsString(n) && !strcmp(n->valuestring, name))
			return m;
	}
	return NULL;
}
