// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A histogram tool written the way libbpf-tools write theirs, for the loader's handling of
 * them: the sizes of write() calls counted in log2 slots of a struct hist map value, and the
 * same handler twice, as tp_btf and raw_tp programs on raw_syscalls sys_enter (user space
 * would keep one). Without a schema, ecc infers both: the map prints as a histogram at exit,
 * and the two programs are hook variants, so each write is counted once.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#define MAX_SLOTS 26
#define TASK_COMM 16
#if defined(__TARGET_ARCH_arm64)
#define NR_WRITE 64
#else
#define NR_WRITE 1
#endif

struct hist {
	__u32 slots[MAX_SLOTS];
	char comm[TASK_COMM];
};

/// Count the writes of this process only (0: every process).
const volatile __u32 targ_tgid = 0;
/// One histogram per file descriptor.
const volatile bool per_fd = false;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, struct hist);
} hists SEC(".maps");

static struct hist zero;

/* floor(log2(v)), 0 for 0 and 1: slot i counts 2^i .. 2^(i+1) - 1 */
static __always_inline __u32 slot_of(__u64 v)
{
	__u32 slot = 0;

	for (int i = 0; i < 63 && v > 1; i++) {
		v >>= 1;
		slot++;
	}
	return slot < MAX_SLOTS ? slot : MAX_SLOTS - 1;
}

static __always_inline int count_write(struct pt_regs *regs, long id)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32, key, slot;
	struct hist *h;

	if (id != NR_WRITE || (targ_tgid && tgid != targ_tgid))
		return 0;
	key = per_fd ? (__u32)PT_REGS_PARM1_CORE_SYSCALL(regs) : (__u32)-1;
	h = bpf_map_lookup_elem(&hists, &key);
	if (!h) {
		bpf_map_update_elem(&hists, &key, &zero, BPF_NOEXIST);
		h = bpf_map_lookup_elem(&hists, &key);
		if (!h)
			return 0;
		bpf_get_current_comm(h->comm, sizeof(h->comm));
	}
	slot = slot_of(PT_REGS_PARM3_CORE_SYSCALL(regs));
	__sync_fetch_and_add(&h->slots[slot], 1);
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(write_btf, struct pt_regs *regs, long id)
{
	return count_write(regs, id);
}

SEC("raw_tp/sys_enter")
int BPF_PROG(write_raw, struct pt_regs *regs, long id)
{
	return count_write(regs, id);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
