/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The event maps of an object, found by what they are rather than by name: the only ring
 * buffer, the only perf event array, the only per-CPU array of one u64 at a u32 key (the lost
 * counter), and the bool variable use_perfbuf when both kinds of event map exist.
 */
#ifndef OBJECT_EVENT_MAPS_H
#define OBJECT_EVENT_MAPS_H

#include <stdbool.h>
#include <bpf/libbpf.h>
#include <cjson/cJSON.h>
#include "core/diag.h"

/* True when the object has a ring buffer or a perf event array. */
bool event_maps_present(struct bpf_object *obj);

/* Adds to events each of ringbuf, perfbuf, lost_counter, perfbuf_switch it lacks and finds. */
int event_maps_complete(struct bpf_object *obj, cJSON *events, struct diag *d);

#endif
