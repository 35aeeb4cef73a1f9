/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * ecc's check of the meta it is about to write: the loader's own parser and validator
 * (meta_parse, package_check), so ecc refuses exactly what ecli would refuse.
 */
#ifndef ECC_SCHEMA_CHECK_H
#define ECC_SCHEMA_CHECK_H

#include <bpf/libbpf.h>
#include <cjson/cJSON.h>
#include "core/diag.h"

int schema_check(const cJSON *meta, struct bpf_object *obj, struct diag *d);

#endif
