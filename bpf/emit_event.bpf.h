/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Sends an event to user space through the ring buffer, or through the perf buffer where the
 * kernel has no ring buffer (the loader sets use_perfbuf), and counts what could not be sent so
 * the loader can report losses instead of dropping events silently.
 */
#ifndef EMIT_EVENT_BPF_H
#define EMIT_EVENT_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#ifndef EVENTS_RINGBUF_BYTES
#define EVENTS_RINGBUF_BYTES (1 << 20)
#endif

/*
 * BTF keeps only types that something global refers to; this pointer makes the event struct
 * visible to the packer. The prefix is eunomia-bpf's, so its loaders skip the variable too.
 */
#define EXPORT_EVENT_TYPE(name) struct name *__eunomia_dummy_##name##_ptr __attribute__((unused))

const volatile bool use_perfbuf = false;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, EVENTS_RINGBUF_BYTES);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events_perf SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} lost_events SEC(".maps");

/* An event, or something that would have made one, could not be kept: say so to the loader. */
static __always_inline void count_lost(void)
{
	__u32 zero = 0;
	__u64 *lost = bpf_map_lookup_elem(&lost_events, &zero);

	/* atomic: a preempted program on the same CPU may be counting too */
	if (lost)
		__sync_fetch_and_add(lost, 1);
}

static __always_inline void emit_event(void *ctx, void *event, __u64 size)
{
	long err;

	if (use_perfbuf)
		err = bpf_perf_event_output(ctx, &events_perf, BPF_F_CURRENT_CPU, event, size);
	else
		err = bpf_ringbuf_output(&events, event, size, 0);
	if (err)
		count_lost();
}

#endif
