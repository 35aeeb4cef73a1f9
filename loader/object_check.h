/*
 * Checks a package's meta against its object before anything loads: the variables and maps
 * options set, the programs hook variants name, and the maps events arrive and are counted
 * through must exist, with the shape the loader reads them by. A package that fails is refused
 * with one line (status 2); ecc runs the same checks before it writes a package.
 */
#ifndef OBJECT_CHECK_H
#define OBJECT_CHECK_H

#include <bpf/libbpf.h>
#include "diag.h"
#include "meta.h"

int object_check(const struct package_meta *m, struct bpf_object *obj, struct diag *d);

/* --btf PATH must be readable BTF; libbpf's own error would not name the file. */
int object_check_btf_file(const char *path, struct diag *d);

#endif
