// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * killwatch: a test tool written the eunomia-bpf way, packed with one command from outside
 * the tree: `ecc -o p.json killwatch.bpf.c killwatch.h`. No schema, no EXPORT_EVENT_TYPE:
 * ecc finds the event type in the header, the event maps and lost counter in the object, and
 * each option's help and names in the comments below.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "emit_event.bpf.h"
#include "killwatch.h"

/// Trace kill() calls made by this process only
/// (0: every process).
/// @cmdarg {"default": 0, "short": "p", "long": "pid"}
const volatile pid_t target_pid = 0;

/// @description "Trace this signal number only (0: any)"
static const volatile int target_signal = 0;

/// A word copied into every event
/// @cmdarg {"short": "t", "long": "tag",
///          "default": "kill", "help": "the tag each event carries"}
const volatile char tag[8] = "kill";

SEC("tracepoint/syscalls/sys_enter_kill")
int trace_kill(struct trace_event_raw_sys_enter *ctx)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	struct kill_event e = {};
	unsigned int i;

	if (target_pid && pid != (__u32)target_pid)
		return 0;
	if (target_signal && ctx->args[1] != target_signal)
		return 0;
	e.pid = pid;
	e.target = ctx->args[0];
	e.sig = ctx->args[1];
	bpf_get_current_comm(e.comm, sizeof(e.comm));
	for (i = 0; i < sizeof(e.tag); i++) /* volatile reads: the loader may have set it */
		e.tag[i] = tag[i];
	emit_event(ctx, &e, sizeof(e));
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
