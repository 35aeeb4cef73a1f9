/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Where ecc finds the headers a tool's source includes (vmlinux.h, libbpf's bpf/ headers, the
 * project's *.bpf.h): $ECC_INCLUDE, else <dir of the ecc binary>/include (after make:
 * build/include), else <dir of the ecc binary>/../share/ecli/include (an installed ecc).
 */
#ifndef ECC_INCLUDE_DIR_H
#define ECC_INCLUDE_DIR_H

#include <stddef.h>
#include "core/diag.h"

int include_dir_find(char *dir, size_t len, struct diag *d);

#endif
