// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "format/meta.h"
#include "check/package_check.h"
#include "schema_check.h"

int schema_check(const cJSON *meta, struct bpf_object *obj, struct diag *d)
{
	struct package_meta m;
	int err = meta_parse(meta, &m, d);

	if (err)
		return err;
	err = package_check(&m, obj, d);
	meta_free(&m);
	return err;
}
