// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * An eunomia-style source for the broken-input suite: no schema, options from `const volatile`
 * globals and their /// comments. The suite compiles it as it is (it must pack) and with one
 * mistake at a time in its comments (each must be refused with this file's name and the line).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "opencount.h"

/// Trace this process only (0: every process).
/// @cmdarg {"default": 0, "long": "pid", "short": "p", "help": "trace this PID only"}
const volatile int target_pid = 0;

/// Show failed opens too.
const volatile bool report_errors = false;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16);
} rb SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_openat")
int openat_enter(void *ctx)
{
	struct open_event *e;
	int pid = bpf_get_current_pid_tgid() >> 32;

	if (target_pid && pid != target_pid)
		return 0;
	e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
	if (!e)
		return 0;
	e->pid = pid;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
