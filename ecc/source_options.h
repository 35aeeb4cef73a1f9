/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the source says of its globals, written where eunomia-bpf's ecc writes it:
 * bpf_skel.data_sections[].variables[] get "description" (the `///` text) and "cmdarg"
 * (the @cmdarg object), from which the loader makes each variable's option.
 */
#ifndef ECC_SOURCE_OPTIONS_H
#define ECC_SOURCE_OPTIONS_H

#include <bpf/libbpf.h>
#include <cjson/cJSON.h>
#include "core/diag.h"
#include "source_scan.h"

/*
 * An @cmdarg's "default" must parse as the variable's type and equal its initial value (the
 * loader starts from the initial value), and no two options may share a name.
 */
int source_options_apply(cJSON *skel, const struct source_scan *scan, struct bpf_object *obj,
			 struct diag *d);

#endif
