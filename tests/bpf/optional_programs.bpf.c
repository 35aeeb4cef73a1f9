// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A hook variant with optional groups, for the loader's handling of programs a kernel cannot
 * use. Each program that runs sends an event naming itself when the traced process makes its
 * syscall:
 *   on_getppid      getppid()  the variant's one required program
 *   read_unchecked  getpgrp()  optional, alone in a group: every verifier rejects it
 *   on_getsid       getsid()   optional, grouped with on_missing (listed first)
 *   on_missing      a tracepoint no kernel has: attaching its group fails
 *   on_getpgid      getpgid()  optional, alone in a group: works everywhere
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "emit_event.bpf.h"

enum hook {
	HOOK_GETPPID = 1,
	HOOK_GETPGRP = 2,
	HOOK_GETSID = 3,
	HOOK_MISSING = 4,
	HOOK_GETPGID = 5,
};

struct hook_event {
	__u32 pid;
	enum hook hook;
};

EXPORT_EVENT_TYPE(hook_event);

const volatile __u32 target_pid = 0;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} one_u64 SEC(".maps");

static __always_inline int report(void *ctx, enum hook hook)
{
	struct hook_event e = {.pid = bpf_get_current_pid_tgid() >> 32, .hook = hook};

	if (target_pid && e.pid != target_pid)
		return 0;
	emit_event(ctx, &e, sizeof(e));
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int on_getppid(void *ctx)
{
	return report(ctx, HOOK_GETPPID);
}

SEC("tracepoint/syscalls/sys_enter_getpgrp")
int read_unchecked(void *ctx)
{
	__u32 zero = 0;
	__u64 *value = bpf_map_lookup_elem(&one_u64, &zero);

	report(ctx, HOOK_GETPGRP);
	return *value != 0; /* value may be NULL: the verifier refuses the read */
}

SEC("tracepoint/syscalls/sys_enter_getsid")
int on_getsid(void *ctx)
{
	return report(ctx, HOOK_GETSID);
}

SEC("tracepoint/syscalls/sys_enter_ecli_test_no_such_call")
int on_missing(void *ctx)
{
	return report(ctx, HOOK_MISSING);
}

SEC("tracepoint/syscalls/sys_enter_getpgid")
int on_getpgid(void *ctx)
{
	return report(ctx, HOOK_GETPGID);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
