/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Event and map layouts of bindsnoop, shared by the BPF program and any C reader. */
#ifndef BINDSNOOP_H
#define BINDSNOOP_H

#define TASK_COMM_LEN 16

/* IP protocol numbers named as users read them; the loader prints the enumerator name. */
enum ip_protocol {
	IP = 0,
	ICMP = 1,
	IGMP = 2,
	TCP = 6,
	UDP = 17,
	IPV6 = 41,
	GRE = 47,
	ICMPV6 = 58,
	SCTP = 132,
	UDPLITE = 136,
	RAW = 255,
	MPTCP = 262,
};

/* Socket options set before bind(), one bit each, in bcc's letter order F T N R r. */
enum bind_option {
	OPT_FREEBIND = 1 << 0,
	OPT_TRANSPARENT = 1 << 1,
	OPT_BIND_ADDRESS_NO_PORT = 1 << 2,
	OPT_REUSEADDR = 1 << 3,
	OPT_REUSEPORT = 1 << 4,
};

struct bind_event {
	__u64 ts_ns;
	__u32 pid;
	__u32 uid;
	char comm[TASK_COMM_LEN];
	enum ip_protocol proto;
	__u8 ip; /* 4 or 6: which part of addr is meaningful */
	__u8 addr[16];
	__u16 port;
	__u8 opts; /* enum bind_option bits */
	__u32 bound_if;
	__s32 ret;	 /* 0 or -errno */
	__u64 cgroup_id; /* the task's cgroup v2 id: ecli names its container or unit */
};

/* --count: binds per local address and port */
struct bind_count_key {
	__u8 addr[16];
	__u16 port;
	__u8 ip;
	__u8 pad;
};

#endif
