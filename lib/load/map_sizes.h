/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Map sizes the package sets at load (bpf_skel.maps[].max_entries), as a tool's user space sets
 * them: a number, one entry per possible pid (/proc/sys/kernel/pid_max) or per possible CPU.
 */
#ifndef LOAD_MAP_SIZES_H
#define LOAD_MAP_SIZES_H

#include <bpf/libbpf.h>
#include "core/diag.h"
#include "format/meta.h"

/* Sets each sized map of obj (opened, not loaded); one line naming the map when one fails. */
int map_sizes_apply(const struct package_meta *m, struct bpf_object *obj, struct diag *d);

#endif
