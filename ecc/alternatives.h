/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Programs that handle the same event through different program types are alternatives, as
 * their authors' user space treats them (libbpf-tools keeps tp_btf where the kernel has it,
 * else raw_tp): tp_btf/X, raw_tp/X and tp/CATEGORY/X handle tracepoint X; fentry/F and kprobe/F
 * the entry of F; fexit/F and kretprobe/F its return. Each such chain becomes hook variants
 * tried in that order (the cheaper program type first), so the first that loads and attaches
 * is kept and nothing is counted twice; programs with no alternative load with every variant.
 */
#ifndef ECC_ALTERNATIVES_H
#define ECC_ALTERNATIVES_H

#include <stdio.h>
#include <bpf/libbpf.h>
#include <cjson/cJSON.h>
#include "core/diag.h"

/*
 * *variants: the hook_variants the object's alternatives make ([{"name", "programs"}], in
 * order), or NULL when it has none. With log, one line per variant says what was inferred.
 */
int alternatives_infer(struct bpf_object *obj, FILE *log, cJSON **variants, struct diag *d);

#endif
