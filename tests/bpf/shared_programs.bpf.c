// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Hook variants that share a program, for the loader's variant selection. Each program sends
 * an event naming itself when the traced process makes its syscall:
 *   on_getpgid  getpgid()  in no variant: loaded and attached with every variant
 *   on_getppid  getppid()  in both variants
 *   on_missing  a raw tracepoint no kernel has: it loads anywhere, and the variant "broken"
 *               fails to attach
 *   on_getsid   getsid()   only in the variant "shared", listed before on_getppid
 * The no-variant program comes first in the object, so an attach order that followed the
 * object instead of the variant's list would show.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "emit_event.bpf.h"

enum hook {
	HOOK_GETPGID = 1,
	HOOK_GETPPID = 2,
	HOOK_MISSING = 3,
	HOOK_GETSID = 4,
};

struct hook_event {
	__u32 pid;
	enum hook hook;
};

EXPORT_EVENT_TYPE(hook_event);

const volatile __u32 target_pid = 0;

static __always_inline int report(void *ctx, enum hook hook)
{
	struct hook_event e = {.pid = bpf_get_current_pid_tgid() >> 32, .hook = hook};

	if (target_pid && e.pid != target_pid)
		return 0;
	emit_event(ctx, &e, sizeof(e));
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getpgid")
int on_getpgid(void *ctx)
{
	return report(ctx, HOOK_GETPGID);
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int on_getppid(void *ctx)
{
	return report(ctx, HOOK_GETPPID);
}

SEC("raw_tracepoint/ecli_test_no_such_tracepoint")
int on_missing(void *ctx)
{
	return report(ctx, HOOK_MISSING);
}

SEC("tracepoint/syscalls/sys_enter_getsid")
int on_getsid(void *ctx)
{
	return report(ctx, HOOK_GETSID);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
