/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the packer derives from the compiled object rather than retyping: eunomia-bpf's
 * bpf_skel (object name, programs and their sections, maps, data-section variables and their
 * C types) and export_types (the event struct's members and types).
 */
#ifndef ECC_BTF_DESCRIBE_H
#define ECC_BTF_DESCRIBE_H

#include <bpf/libbpf.h>
#include <cjson/cJSON.h>
#include "core/diag.h"

cJSON *describe_skeleton(struct bpf_object *obj, const char *brief, struct diag *d);
cJSON *describe_export_type(struct bpf_object *obj, const char *type, struct diag *d);

/* obj.key.member when it is a string (as "tool": {"name": ...}), else NULL. */
const char *describe_string(const cJSON *obj, const char *key, const char *member);

/* The entry of bpf_skel.maps (skel: describe_skeleton's) for the map name, or NULL. */
cJSON *describe_skeleton_map(cJSON *skel, const char *name);

/*
 * How many structs the object exports as eunomia does (a global __eunomia_dummy_<T>_ptr, the
 * EXPORT_EVENT_TYPE(T) of emit_event.bpf.h); the first one's T is written into name.
 */
int describe_exported_types(struct bpf_object *obj, char *name, size_t len);

#endif
