/*
 * What the packer derives from the compiled object rather than retyping: eunomia-bpf's
 * bpf_skel (object name, programs and their sections, maps, data-section variables and their
 * C types) and export_types (the event struct's members and types).
 */
#ifndef BTF_DESCRIBE_H
#define BTF_DESCRIBE_H

#include <bpf/libbpf.h>
#include <cjson/cJSON.h>
#include "diag.h"

cJSON *describe_skeleton(struct bpf_object *obj, const char *brief, struct diag *d);
cJSON *describe_export_type(struct bpf_object *obj, const char *type, struct diag *d);

#endif
