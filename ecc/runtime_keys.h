/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * meta.runtime found in the object by name, as event_maps.h finds use_perfbuf: an object with
 * the 64-bit variables pidns_dev and pidns_ino (pid_ns.bpf.h's) gets
 * "runtime": {"pidns_dev": "pidns_dev", "pidns_ino": "pidns_ino"}, so the loader writes its PID
 * namespace into them. A schema's own "runtime" is kept as written ({} turns this off).
 */
#ifndef ECC_RUNTIME_KEYS_H
#define ECC_RUNTIME_KEYS_H

#include <bpf/libbpf.h>
#include <cjson/cJSON.h>
#include "core/diag.h"

int runtime_keys_complete(struct bpf_object *obj, cJSON *meta, struct diag *d);

#endif
