// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include "object/object_vars.h"

/* libbpf names an internal map by a prefix of the object's name followed by the section's. */
static struct bpf_map *section_map(struct bpf_object *obj, const char *section)
{
	size_t slen = strlen(section);
	struct bpf_map *map;

	bpf_object__for_each_map(map, obj) {
		const char *name = bpf_map__name(map);
		size_t len = strlen(name);

		if (bpf_map__is_internal(map) && len >= slen && !strcmp(name + len - slen, section))
			return map;
	}
	return NULL;
}

static bool is_data_section(const char *name)
{
	return !strcmp(name, ".rodata") || !strcmp(name, ".bss") || !strcmp(name, ".data") ||
	       !strncmp(name, ".rodata.", 8) || !strncmp(name, ".data.", 6);
}

int object_find_var(struct bpf_object *obj, const char *name, struct var_ref *ref)
{
	const struct btf *btf = bpf_object__btf(obj);
	uint32_t id, n = btf ? btf__type_cnt(btf) : 0;

	for (id = 1; id < n; id++) {
		const struct btf_type *sec = btf__type_by_id(btf, id);
		const struct btf_var_secinfo *vs;
		const char *sec_name;
		int i;

		if (!btf_is_datasec(sec))
			continue;
		sec_name = btf__name_by_offset(btf, sec->name_off);
		if (!sec_name || !is_data_section(sec_name))
			continue;
		vs = btf_var_secinfos(sec);
		for (i = 0; i < btf_vlen(sec); i++, vs++) {
			const struct btf_type *var = btf__type_by_id(btf, vs->type);

			if (!btf_is_var(var) ||
			    strcmp(btf__name_by_offset(btf, var->name_off), name))
				continue;
			ref->map = section_map(obj, sec_name);
			if (!ref->map)
				return -ENOENT;
			ref->offset = vs->offset;
			ref->size = vs->size;
			ref->type_id = var->type;
			return 0;
		}
	}
	return -ENOENT;
}

const void *object_var_bytes(const struct var_ref *ref)
{
	size_t size = 0;
	const char *data = bpf_map__initial_value(ref->map, &size);

	if (!data || (size_t)ref->offset + ref->size > size)
		return NULL;
	return data + ref->offset;
}

int object_var_write(const struct var_ref *ref, const void *bytes)
{
	size_t size = 0;
	const void *data = bpf_map__initial_value(ref->map, &size);
	char *copy;
	int err;

	if (!data || (size_t)ref->offset + ref->size > size)
		return -EINVAL;
	copy = malloc(size);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, data, size);
	memcpy(copy + ref->offset, bytes, ref->size);
	err = bpf_map__set_initial_value(ref->map, copy, size);
	free(copy);
	return err;
}

bool object_var_is_set(struct bpf_object *obj, const char *name)
{
	struct var_ref ref;
	const unsigned char *p;
	uint32_t i;

	if (object_find_var(obj, name, &ref) || !(p = object_var_bytes(&ref)))
		return false;
	for (i = 0; i < ref.size; i++)
		if (p[i])
			return true;
	return false;
}

const struct btf_type *object_var_type(struct bpf_object *obj, const char *name,
				       struct var_ref *ref)
{
	const struct btf *btf = bpf_object__btf(obj);

	if (!btf || object_find_var(obj, name, ref))
		return NULL;
	return btf__type_by_id(btf, btf__resolve_type(btf, ref->type_id));
}
