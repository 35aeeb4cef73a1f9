/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Process and thread ids as the loader's own PID namespace sees them, so that a tool run in a
 * container shows, and filters on, the ids the container knows. The loader writes the device
 * and inode of its /proc/self/ns/pid into pidns_dev and pidns_ino before load (the package's
 * "runtime" names them; ecc adds it when an object has both variables).
 *
 * Unset (0), or the initial namespace: the kernel's global ids, exactly as
 * bpf_get_current_pid_tgid() gives them (the other branch is pruned at load).
 * A task the namespace cannot see (one outside it, e.g. on the host while the loader runs in a
 * container) has id 0, as the kernel's pid_nr_ns() gives for it; a filter on a non-zero id never
 * matches it. A task in a namespace nested inside the loader's has the id the loader's sees.
 */
#ifndef PID_NS_BPF_H
#define PID_NS_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

const volatile __u64 pidns_dev = 0;
const volatile __u64 pidns_ino = 0;

#define PIDNS_INIT_INO	0xEFFFFFFCU /* PROC_PID_INIT_INO: the initial namespace's inode */
#define PIDNS_MAX_LEVEL 32	    /* MAX_PID_NS_LEVEL: namespaces nest at most this deep */

static __always_inline bool pidns_translates(void)
{
	return pidns_ino && pidns_ino != PIDNS_INIT_INO;
}

/*
 * pid's number in the loader's namespace, 0 when it has none there: pid->numbers[] holds one
 * number per level, from the initial namespace (0) down to the task's own (pid->level). The
 * inode alone identifies the namespace: every namespace inode lives on the one nsfs device.
 */
static __always_inline __u32 pidns_pid_nr(struct pid *pid)
{
	unsigned int level = BPF_CORE_READ(pid, level);
	__u64 numbers = bpf_core_field_offset(struct pid, numbers);
	__u64 upid_size = bpf_core_type_size(struct upid);
	struct upid *upid;
	int i;

	for (i = 0; i <= PIDNS_MAX_LEVEL; i++) {
		if (i > level)
			break;
		upid = (struct upid *)((char *)pid + numbers + i * upid_size);
		if (BPF_CORE_READ(upid, ns, ns.inum) == pidns_ino)
			return BPF_CORE_READ(upid, nr);
	}
	return 0;
}

/* A task's thread id (the kernel's pid) in the loader's namespace. */
static __always_inline __u32 pidns_task_tid(struct task_struct *task)
{
	if (!pidns_translates())
		return BPF_CORE_READ(task, pid);
	return pidns_pid_nr(BPF_CORE_READ(task, thread_pid));
}

/* A task's process id (the kernel's tgid) in the loader's namespace. */
static __always_inline __u32 pidns_task_tgid(struct task_struct *task)
{
	if (!pidns_translates())
		return BPF_CORE_READ(task, tgid);
	return pidns_pid_nr(BPF_CORE_READ(task, group_leader, thread_pid));
}

/*
 * The same, always by the walk: for program types that the kernel gives no
 * bpf_get_ns_current_pid_tgid() (cgroup socket programs before Linux 6.10).
 */
static __always_inline __u64 pidns_current_pid_tgid_walked(void)
{
	struct task_struct *task;

	if (!pidns_translates())
		return bpf_get_current_pid_tgid();
	task = (struct task_struct *)bpf_get_current_task();
	return (__u64)pidns_task_tgid(task) << 32 | pidns_task_tid(task);
}

/*
 * bpf_get_current_pid_tgid() in the loader's namespace: the process id in the upper 32 bits,
 * the thread id in the lower. The kernel's helper answers for a task directly in that
 * namespace (Linux 5.7+); a task in a nested namespace, outside it, or a kernel without the
 * helper takes the walk through its struct pid.
 */
static __always_inline __u64 pidns_current_pid_tgid(void)
{
	struct bpf_pidns_info ns = {};

	if (!pidns_translates())
		return bpf_get_current_pid_tgid();
	if (bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_get_ns_current_pid_tgid) &&
	    !bpf_get_ns_current_pid_tgid(pidns_dev, pidns_ino, &ns, sizeof(ns)))
		return (__u64)ns.tgid << 32 | ns.pid;
	return pidns_current_pid_tgid_walked();
}

#endif
