// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A test object for the broken-input suite: its event has a nested struct, a plain char and an
 * array of strings, and its variables an enum, a char array and 64-bit integers, so the display
 * formats (join, char, dotted paths), the arg properties (combine, contains) and runtime can be
 * checked against BTF.
 * It is packed and validated, never loaded.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "display.h"

struct shape_event *__eunomia_dummy_shape_event_ptr __attribute__((unused));

const volatile enum open_flag target_flags = 0;
const volatile char target_comm[16] = "";
const volatile __u32 target_pid = 0;
/* 64-bit, for runtime cases; not pid_ns.bpf.h's names, so ecc adds no runtime of its own */
const volatile __u64 ns_dev = 0;
const volatile __u64 ns_ino = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16);
} events SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getpid")
int getpid_enter(void *ctx)
{
	struct shape_event e = {};

	e.ts_ns = bpf_ktime_get_ns();
	e.pid = bpf_get_current_pid_tgid() >> 32;
	if (target_pid && e.pid != target_pid)
		return 0;
	e.mark = 'g';
	e.flags = target_flags;
	bpf_get_current_comm(e.comm, sizeof(e.comm));
	bpf_ringbuf_output(&events, &e, sizeof(e), 0);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
