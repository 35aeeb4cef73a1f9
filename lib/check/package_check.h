/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one validator of a package's meta against its object, run by ecc before it writes a
 * package and by ecli before anything loads: every variable, map, program, struct, member and
 * condition the meta names must exist with the shape the loader uses it by; values it writes
 * must parse as their variable's BTF type; formats must suit their fields; renames must keep
 * keys distinct; every hook variant must attach something. A failure is one line naming the
 * offending key by its path from meta.
 */
#ifndef CHECK_PACKAGE_CHECK_H
#define CHECK_PACKAGE_CHECK_H

#include <bpf/libbpf.h>
#include "core/diag.h"
#include "format/meta.h"

int package_check(const struct package_meta *m, struct bpf_object *obj, struct diag *d);

/* --btf PATH must be readable BTF; libbpf's own error would not name the file. */
int package_check_btf_file(const char *path, struct diag *d);

#endif
