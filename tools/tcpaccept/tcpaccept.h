/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Event layout of tcpaccept, shared by the BPF program and any C reader. */
#ifndef TCPACCEPT_H
#define TCPACCEPT_H

#define TASK_COMM_LEN 16

struct accept_event {
	__u64 ts_ns;
	__u32 pid;
	char comm[TASK_COMM_LEN];
	__u8 ip; /* 4 or 6: which part of the addresses is meaningful */
	__u8 raddr[16];
	__u16 rport;
	__u8 laddr[16];
	__u16 lport;
	__u64 cgroup_id; /* the task's cgroup v2 id: ecli names its container or unit */
};

#endif
