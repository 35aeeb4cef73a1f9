// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Benchmark package: a raw_syscalls sys_exit program that returns at once, the floor of a raw
 * program at every syscall's exit (what tcpaccept's syscall variant hooks). Its map is for ecc,
 * which refuses a package that could never show anything.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} unused SEC(".maps");

SEC("raw_tracepoint/sys_exit")
int on_exit(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
