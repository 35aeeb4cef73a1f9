/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Event layout of execsnoop, shared by the BPF program and any C reader. */
#ifndef EXECSNOOP_H
#define EXECSNOOP_H

#define TASK_COMM_LEN	  16
#define EXEC_ARG_LEN	  128 /* bcc's ARGSIZE: longer arguments are cut */
#define EXEC_MAX_ARGS	  40  /* the most --max-args can show */
#define EXEC_DEFAULT_ARGS 20  /* bcc's --max-args default */

struct exec_event {
	__u64 ts_ns; /* bpf_ktime_get_ns() when exec returned */
	__u32 pid;
	__u32 ppid;
	__u32 uid;
	__s32 ret; /* 0, or the -errno of a failed exec */
	char comm[TASK_COMM_LEN];
	__u64 cgroup_id; /* the task's cgroup v2 id: ecli names its container or unit */
	/*
	 * The path given to exec (argv[0] when it names none, as fexecve's), then argv[1] on, up
	 * to --max-args strings; "..." after them when argv has more (as bcc shows it); the first
	 * empty string ends the list.
	 */
	char args[EXEC_MAX_ARGS + 1][EXEC_ARG_LEN];
};

#endif
