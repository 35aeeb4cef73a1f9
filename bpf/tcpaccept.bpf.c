// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tcpaccept: reports TCP connections accepted by a process: who accepted, from which remote
 * address and port, on which local address and port.
 *
 * One object carries three hook variants; the loader keeps the first that loads and attaches:
 *   fexit    fexit/inet_csk_accept
 *   kprobe   kretprobe/inet_csk_accept
 *   syscall  syscalls:sys_exit_accept and sys_exit_accept4 (the socket is found from the
 *            returned fd)
 * Every variant runs in the process that called accept(), which is the one reported.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>
#include "tcpaccept.h"
#include "emit_event.bpf.h"
#include "task_filter.bpf.h"
#include "socket_from_fd.bpf.h"
#include "sock_addr.bpf.h"
#include "port_filter.bpf.h"

#define IPPROTO_TCP 6

EXPORT_EVENT_TYPE(accept_event);

const volatile __u8 target_family = 0; /* 0: both, 4: IPv4 only, 6: IPv6 only */

static __always_inline int report_accept(void *ctx, struct sock *sk)
{
	struct accept_event e;

	if (!sk || !task_is_traced())
		return 0;
	if (BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol) != IPPROTO_TCP)
		return 0;
	__builtin_memset(&e, 0, sizeof(e));
	e.ip = sock_ip_version(sk);
	if (!e.ip || (target_family && target_family != e.ip))
		return 0;
	e.lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	if (!port_is_traced(e.lport))
		return 0;
	e.rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	sock_local_addr(sk, e.ip, e.laddr);
	sock_remote_addr(sk, e.ip, e.raddr);
	e.ts_ns = bpf_ktime_get_ns();
	e.pid = pidns_current_pid_tgid() >> 32;
	bpf_get_current_comm(e.comm, sizeof(e.comm));
	emit_event(ctx, &e, sizeof(e));
	return 0;
}

/* inet_csk_accept() lost two arguments in Linux 6.10; the helper finds the return either way. */
SEC("fexit/inet_csk_accept")
int BPF_PROG(fexit_inet_csk_accept)
{
	__u64 ret = 0;

	if (bpf_get_func_ret(ctx, &ret))
		return 0;
	return report_accept(ctx, (struct sock *)ret);
}

SEC("kretprobe/inet_csk_accept")
int BPF_KRETPROBE(kretprobe_inet_csk_accept, struct sock *sk)
{
	return report_accept(ctx, sk);
}

static __always_inline int report_accepted_fd(void *ctx, long fd)
{
	struct socket *sock;

	if (fd < 0)
		return 0;
	sock = socket_from_fd(fd);
	return sock ? report_accept(ctx, BPF_CORE_READ(sock, sk)) : 0;
}

SEC("tracepoint/syscalls/sys_exit_accept4")
int sys_exit_accept4(struct trace_event_raw_sys_exit *ctx)
{
	return report_accepted_fd(ctx, ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_accept")
int sys_exit_accept(struct trace_event_raw_sys_exit *ctx)
{
	return report_accepted_fd(ctx, ctx->ret);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
