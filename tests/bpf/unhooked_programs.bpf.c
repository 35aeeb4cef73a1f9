// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A hook variant that is sure to fail before anything loads, for the loader's checks before
 * loading (lib/load/hook_support.h):
 *   on_unhooked  a tracepoint no kernel has (tracefs has no such event): variant "unhooked",
 *                listed first, is refused without loading
 *   on_getppid   getppid(): variant "works", kept
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "emit_event.bpf.h"

struct call_event {
	__u32 pid;
	__u32 hook; /* 1: getppid */
};

EXPORT_EVENT_TYPE(call_event);

const volatile __u32 target_pid = 0;

SEC("tracepoint/syscalls/sys_enter_ecli_test_no_such_call")
int on_unhooked(void *ctx)
{
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int on_getppid(void *ctx)
{
	struct call_event e = {.pid = bpf_get_current_pid_tgid() >> 32, .hook = 1};

	if (target_pid && e.pid != target_pid)
		return 0;
	emit_event(ctx, &e, sizeof(e));
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
