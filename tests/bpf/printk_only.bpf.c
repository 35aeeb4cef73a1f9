// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A tool that only writes with bpf_printk, as tutorials' first programs do: no event map, no
 * histogram. ecli shows its lines while it runs (on stderr, or as JSON lines with -j).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

/// Print the getppid() calls of this process only (0: every process).
const volatile __u32 target_pid = 0;

SEC("tracepoint/syscalls/sys_enter_getppid")
int on_getppid(void *ctx)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;

	if (target_pid && pid != target_pid)
		return 0;
	bpf_printk("getppid from %u", pid);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
