/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Decides whether the current task is traced: by process id (as the loader's PID namespace
 * sees it, pid_ns.bpf.h), user id, cgroup (a pinned map of cgroup ids, as bcc's --cgroupmap)
 * and mount namespace (a pinned map of namespace ids, as bcc's --mntnsmap). The loader writes
 * the rodata switches from the tool's arguments.
 */
#ifndef TASK_FILTER_BPF_H
#define TASK_FILTER_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "pid_ns.bpf.h"

const volatile __u32 target_pid = 0;
const volatile __u32 target_uid = 0;
const volatile bool filter_uid = false;
const volatile bool filter_cgroup = false;
const volatile bool filter_mntns = false;

/* Key and value sizes follow bcc's special filtering maps so existing pins can be reused. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64);
	__type(value, __u64);
} cgroup_set SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64);
	__type(value, __u32);
} mntns_set SEC(".maps");

static __always_inline bool task_is_traced(void)
{
	__u32 uid = (__u32)bpf_get_current_uid_gid();

	if (target_pid && (pidns_current_pid_tgid() >> 32) != target_pid)
		return false;
	if (filter_uid && uid != target_uid)
		return false;
	if (filter_cgroup) {
		__u64 cgroup_id = bpf_get_current_cgroup_id();

		if (!bpf_map_lookup_elem(&cgroup_set, &cgroup_id))
			return false;
	}
	if (filter_mntns) {
		struct task_struct *task = (struct task_struct *)bpf_get_current_task();
		__u64 mntns_id = BPF_CORE_READ(task, nsproxy, mnt_ns, ns.inum);

		if (!bpf_map_lookup_elem(&mntns_set, &mntns_id))
			return false;
	}
	return true;
}

#endif
