// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <bpf/btf.h>
#include "object/object_vars.h"
#include "runtime_keys.h"

#define PIDNS_DEV "pidns_dev"
#define PIDNS_INO "pidns_ino"

static bool is_u64_var(struct bpf_object *obj, const char *name)
{
	struct var_ref ref;
	const struct btf_type *t = object_var_type(obj, name, &ref);

	return t && btf_is_int(t) && !(btf_int_encoding(t) & BTF_INT_BOOL) && ref.size == 8;
}

int runtime_keys_complete(struct bpf_object *obj, cJSON *meta, struct diag *d)
{
	cJSON *runtime;

	if (cJSON_HasObjectItem(meta, "runtime") || !is_u64_var(obj, PIDNS_DEV) ||
	    !is_u64_var(obj, PIDNS_INO))
		return 0;
	runtime = cJSON_AddObjectToObject(meta, "runtime");
	if (!runtime || !cJSON_AddStringToObject(runtime, "pidns_dev", PIDNS_DEV) ||
	    !cJSON_AddStringToObject(runtime, "pidns_ino", PIDNS_INO))
		return diag_set(d, -ENOMEM, "out of memory");
	return 0;
}
