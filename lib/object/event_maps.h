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

/*
 * The map of one kind events come through: the one named (NULL if there is none of that name),
 * else the only map of that kind in the object, NULL when it has none or more than one. The one
 * rule ecc follows to fill events.* and ecli to read them. BPF_MAP_TYPE_PERCPU_ARRAY stands for
 * the lost counter: one u64 at a u32 key.
 */
struct bpf_map *event_maps_find(struct bpf_object *obj, const char *name, enum bpf_map_type type);

/* How many maps of that kind (as event_maps_find counts them) the object has. */
int event_maps_count(struct bpf_object *obj, enum bpf_map_type type);

/* True when the object has a ring buffer or a perf event array. */
bool event_maps_present(struct bpf_object *obj);

/* Adds to events each of ringbuf, perfbuf, lost_counter, perfbuf_switch it lacks and finds. */
int event_maps_complete(struct bpf_object *obj, cJSON *events, struct diag *d);

#endif
