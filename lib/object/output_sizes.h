/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What an object's programs send as events, read from their instructions: the size argument of
 * every bpf_ringbuf_output (its third), bpf_ringbuf_reserve (second) and bpf_perf_event_output
 * (fifth) call, where the instructions just before the call load it as a constant (followed
 * through register moves, back to the start of the straight run of code that reaches the
 * call). ecc picks the event struct of that size; a size computed at run time is unknown.
 */
#ifndef OBJECT_OUTPUT_SIZES_H
#define OBJECT_OUTPUT_SIZES_H

#include <stdbool.h>
#include <stdint.h>
#include <bpf/libbpf.h>

#define OUTPUT_SIZES_MAX 8

struct output_sizes {
	uint32_t sizes[OUTPUT_SIZES_MAX]; /* distinct, in the order first met */
	int nr;
	int calls;   /* event-sending calls seen */
	int unknown; /* of which the size is not a constant found */
};

void output_sizes_find(struct bpf_object *obj, struct output_sizes *out);

/* Whether a program calls bpf_trace_printk or bpf_trace_vprintk (what bpf_printk becomes). */
bool output_prints(struct bpf_object *obj);

#endif
