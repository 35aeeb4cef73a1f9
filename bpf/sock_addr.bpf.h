/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A socket's IP version and its local and remote addresses (16 bytes, IPv4 in the first 4), from
 * a copy of its struct sock_common made with one read: the fields are then loaded from the copy,
 * at the offsets CO-RE gives them on the running kernel, instead of each with a read of its own
 * (a kernel read costs a program tens of ns; a load from the copy, one instruction).
 */
#ifndef SOCK_ADDR_BPF_H
#define SOCK_ADDR_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#define AF_UNSPEC 0
#define AF_INET	  2
#define AF_INET6  10

/*
 * Copies sk's struct sock_common into *skc; a running kernel's larger one is cut to this one's
 * size (the fields read from it sit at its start on every kernel). 0 or a negative errno.
 */
static __always_inline long sock_common_copy(struct sock *sk, struct sock_common *skc)
{
	__u32 size = bpf_core_type_size(struct sock_common);

	if (size > sizeof(*skc))
		size = sizeof(*skc);
	__builtin_memset(skc, 0, sizeof(*skc));
	return bpf_probe_read_kernel(skc, size, &sk->__sk_common);
}

/* 4 or 6; 0 for a socket that is neither. */
static __always_inline __u8 sock_ip_version(const struct sock_common *skc)
{
	__u16 family = skc->skc_family;

	return family == AF_INET ? 4 : family == AF_INET6 ? 6 : 0;
}

static __always_inline void sock_local_addr(const struct sock_common *skc, __u8 ip, __u8 *addr)
{
	if (ip == 4)
		__builtin_memcpy(addr, &skc->skc_rcv_saddr, 4);
	else
		__builtin_memcpy(addr, &skc->skc_v6_rcv_saddr, 16);
}

static __always_inline void sock_remote_addr(const struct sock_common *skc, __u8 ip, __u8 *addr)
{
	if (ip == 4)
		__builtin_memcpy(addr, &skc->skc_daddr, 4);
	else
		__builtin_memcpy(addr, &skc->skc_v6_daddr, 16);
}

#endif
