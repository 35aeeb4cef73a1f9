// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <string.h>
#include <bpf/btf.h>
#include "btf_describe.h"
#include "event_type.h"
#include "object/output_sizes.h"
#include "output/btf_layout.h"

#define MAX_CANDIDATES 4

static bool defined_in(const struct source_scan *s, const char *name)
{
	int i;

	for (i = 0; s && i < s->nr_structs; i++)
		if (!strcmp(s->structs[i].name, name))
			return true;
	return false;
}

/* A struct of the running kernel's (from vmlinux.h): never a tool's own event. */
static bool kernel_struct(const struct btf *vmlinux, const char *name)
{
	return vmlinux && btf__find_by_name_kind(vmlinux, name, BTF_KIND_STRUCT) > 0;
}

/*
 * Named structs of size bytes: the header's and source's; for an object alone, any that is not
 * the kernel's.
 */
static int candidates(struct bpf_object *obj, const struct event_type_input *in, uint32_t size,
		      const char **found)
{
	const struct btf *btf = bpf_object__btf(obj);
	struct btf *vmlinux = in->source ? NULL : btf__load_vmlinux_btf();
	uint32_t id, n = btf__type_cnt(btf);
	const struct btf_type *t;
	const char *name;
	int nr = 0;

	for (id = 1; id < n; id++) {
		t = btf__type_by_id(btf, id);
		name = btf__name_by_offset(btf, t->name_off);
		if (!btf_is_struct(t) || t->size != size || !name || !*name)
			continue;
		if (in->source && !defined_in(in->source, name) && !defined_in(in->header, name))
			continue;
		if (!in->source && kernel_struct(vmlinux, name))
			continue;
		if (nr < MAX_CANDIDATES)
			found[nr] = name;
		nr++;
	}
	btf__free(vmlinux);
	return nr;
}

static int struct_size(struct bpf_object *obj, const char *name)
{
	const struct btf *btf = bpf_object__btf(obj);
	int id = layout_find_record(btf, name);

	return id < 0 ? -1 : (int)btf__resolve_size(btf, id);
}

static int ambiguous(const struct event_type_input *in, uint32_t size, const char **found, int nr,
		     struct diag *d)
{
	return diag_set(d, -EINVAL,
			"%s: events are %u bytes, and %d structs are: %s, %s%s; set events.type "
			"in a schema",
			in->path, size, nr, found[0], found[1], nr > 2 ? ", ..." : "");
}

int event_type_pick(struct bpf_object *obj, const struct event_type_input *in, char *name,
		    size_t len, char *origin, size_t origin_len, FILE *log, struct diag *d)
{
	int guess_size = in->guess ? struct_size(obj, in->guess) : -1;
	const char *found[MAX_CANDIDATES];
	struct output_sizes sent;
	int nr;

	name[0] = 0;
	snprintf(origin, origin_len, "%s", in->guess_origin ? in->guess_origin : "");
	output_sizes_find(obj, &sent);
	if (sent.nr > 1)
		return diag_set(
			d, -EINVAL,
			"%s: the programs send events of %u and %u bytes; set events.type in "
			"a schema",
			in->path, sent.sizes[0], sent.sizes[1]);
	if (sent.nr == 1 && guess_size != (int)sent.sizes[0]) {
		nr = candidates(obj, in, sent.sizes[0], found);
		if (nr > 1)
			return ambiguous(in, sent.sizes[0], found, nr, d);
		if (nr == 1) {
			snprintf(name, len, "%s", found[0]);
			snprintf(origin, origin_len, "the struct of the %u bytes the programs send",
				 sent.sizes[0]);
			if (log)
				fprintf(log, "ecc: event type: struct %s, %s\n", name, origin);
			return 0;
		}
		if (guess_size >= 0)
			return diag_set(
				d, -EINVAL,
				"%s: the programs send events of %u bytes, but struct %s (%s) "
				"is %d bytes and no struct in the object is %u; set events.type "
				"in a schema",
				in->path, sent.sizes[0], in->guess, in->guess_origin, guess_size,
				sent.sizes[0]);
	}
	if (in->guess)
		snprintf(name, len, "%s", in->guess);
	else if (describe_exported_types(obj, name, len) != 1)
		name[0] = 0;
	return 0;
}

int event_type_check_size(struct bpf_object *obj, const char *type, const char *path,
			  struct diag *d)
{
	struct output_sizes sent;
	int size = struct_size(obj, type), i;
	char list[96] = "";
	size_t used = 0;

	output_sizes_find(obj, &sent);
	if (size < 0 || !sent.calls || sent.unknown)
		return 0;
	for (i = 0; i < sent.nr; i++) {
		if (sent.sizes[i] == (uint32_t)size)
			return 0;
		if (used < sizeof(list))
			used += snprintf(list + used, sizeof(list) - used, "%s%u", i ? ", " : "",
					 sent.sizes[i]);
	}
	return diag_set(d, -EINVAL,
			"%s: struct %s is %d bytes, but the programs send events of %s bytes: "
			"every record would be rendered as the wrong struct",
			path, type, size, list);
}
