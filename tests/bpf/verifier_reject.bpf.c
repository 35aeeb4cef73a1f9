// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A program every verifier rejects, so the loader's message for a rejected program can be
 * tested on any kernel: it reads a hash map's value without checking that the lookup found
 * one. (A hash lookup can always miss; an array lookup with a constant key may be known to
 * succeed.)
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} one_u64 SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getppid")
int read_unchecked(void *ctx)
{
	__u32 zero = 0;
	__u64 *value = bpf_map_lookup_elem(&one_u64, &zero);

	return *value != 0; /* value may be NULL: the verifier refuses the read */
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
