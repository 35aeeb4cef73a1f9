// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The cheapest syscall hook there is, for make bench: one program on one syscall's entry
 * tracepoint (bind) that counts the calls. Attached, it sends every syscall of every task
 * through the kernel's tracing slow path (TIF_SYSCALL_TRACEPOINT): what any tool with a
 * syscall tracepoint costs the syscalls it does not trace, at the least. Variant "exit" has the
 * same program on the exit tracepoint instead. The count is printed at exit (a package must
 * show something).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} binds SEC(".maps");

static __always_inline int count_bind(void)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&binds, &zero);

	if (n)
		__sync_fetch_and_add(n, 1);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_bind")
int on_bind_enter(void *ctx)
{
	return count_bind();
}

/* The same at the exit (variant "exit"): what a tool with an exit tracepoint cannot go below. */
SEC("tracepoint/syscalls/sys_exit_bind")
int on_bind_exit(void *ctx)
{
	return count_bind();
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
