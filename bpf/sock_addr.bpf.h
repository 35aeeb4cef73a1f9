/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A socket's IP version and its local and remote addresses, as 16 bytes (IPv4 in the first 4). */
#ifndef SOCK_ADDR_BPF_H
#define SOCK_ADDR_BPF_H

#define AF_UNSPEC 0
#define AF_INET	  2
#define AF_INET6  10

/* 4 or 6; 0 for a socket that is neither. */
static __always_inline __u8 sock_ip_version(struct sock *sk)
{
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);

	return family == AF_INET ? 4 : family == AF_INET6 ? 6 : 0;
}

static __always_inline void sock_local_addr(struct sock *sk, __u8 ip, __u8 *addr)
{
	if (ip == 4)
		BPF_CORE_READ_INTO((__u32 *)addr, sk, __sk_common.skc_rcv_saddr);
	else
		BPF_CORE_READ_INTO((struct in6_addr *)addr, sk, __sk_common.skc_v6_rcv_saddr);
}

static __always_inline void sock_remote_addr(struct sock *sk, __u8 ip, __u8 *addr)
{
	if (ip == 4)
		BPF_CORE_READ_INTO((__u32 *)addr, sk, __sk_common.skc_daddr);
	else
		BPF_CORE_READ_INTO((struct in6_addr *)addr, sk, __sk_common.skc_v6_daddr);
}

#endif
