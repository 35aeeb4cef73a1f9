/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Ports to trace, filtered in the kernel: the loader fills the ports map from a comma list
 * (-P 80,443) and sets filter_ports.
 */
#ifndef PORT_FILTER_BPF_H
#define PORT_FILTER_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

const volatile bool filter_ports = false;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u16);
	__type(value, __u8);
} ports SEC(".maps");

static __always_inline bool port_is_traced(__u16 port)
{
	return !filter_ports || bpf_map_lookup_elem(&ports, &port);
}

#endif
