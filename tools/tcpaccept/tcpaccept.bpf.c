// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tcpaccept: reports TCP connections accepted by a process: who accepted, from which remote
 * address and port, on which local address and port.
 *
 * One object carries five hook variants; the loader keeps the first that loads and attaches:
 *   fexit       fexit/inet_csk_accept
 *   kprobe      kretprobe/inet_csk_accept
 *   cgroup      cgroup/getpeername4 and getpeername6 on the cgroup v2 root, which the kernel
 *               runs when an accept asks for the peer's address; syscalls:sys_enter_accept,
 *               sys_enter_accept4 and sys_enter_getpeername to tell the calls apart; the
 *               account below and the io_uring group below
 *   tracepoint  syscalls:sys_exit_accept and sys_exit_accept4 (the socket is found from the
 *               returned fd), sockops and cgroup/sock_release on the cgroup v2 root to count
 *               the accepts they miss, and the io_uring group below
 *   syscall     raw_syscalls sys_exit for 64- and 32-bit accept and accept4 (int $0x80, 32-bit
 *               processes: i386 accept4 and socketcall; the socket is found from the returned
 *               fd), and an optional group the loader drops, saying so, where it cannot be
 *               used: io_uring:io_uring_submit_req (named io_uring_submit_sqe before 6.3) +
 *               io_uring_complete + io_uring_cqe_overflow for IORING_OP_ACCEPT, into a
 *               descriptor or a direct descriptor, single or multishot, posted or overflowing
 *               a full completion queue.
 * Every variant runs in the process that called accept(), which is the one reported (for
 * io_uring: a thread of the submitting process, its io-wq worker or SQPOLL thread among them).
 * fexit and kprobe see every accept that reaches inet_csk_accept. The cgroup variant costs the
 * machine's other syscalls what one entry tracepoint costs; it sees accepts that ask for the
 * peer's address however they are made, and io_uring's, and counts as lost, when its socket
 * closes while tracing, an accept of a connection established while tracing that asks for no
 * address (accept(fd, NULL, NULL), as libuv calls it). The tracepoint variant costs
 * the machine's other syscalls what one syscall tracepoint costs (the raw program of the
 * syscall variant runs at the end of every syscall, 2-3x that); it sees accepts made by 64-bit
 * syscalls and through io_uring, and counts as lost, when its socket closes while tracing, an
 * accept of a connection established while tracing that no hook saw (32-bit syscalls, which
 * the syscalls:* tracepoints skip; kernel_accept; io_uring's, where the group was dropped or
 * the request posts no success). The syscall variant sees
 * accepts made by 64- and 32-bit syscalls and through io_uring. It counts as lost: an io_uring
 * accept submitted with IOSQE_CQE_SKIP_SUCCESS (its success posts nothing), one into a direct
 * descriptor of a ring whose file table has a layout this source does not know. It neither
 * sees nor counts: x32 syscalls, and the accepts of an io_uring request submitted before
 * tracing started whose completions name no request (the extra ones of a multishot request,
 * or any overflowing the completion queue).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>
#include "tcpaccept.h"
#include "kernel_shims.bpf.h"
#include "emit_event.bpf.h"
#include "task_filter.bpf.h"
#include "task_cgroup.bpf.h"
#include "socket_from_fd.bpf.h"
#include "sock_addr.bpf.h"
#include "port_filter.bpf.h"
#include "socket_call_exit.bpf.h"

/*
 * Set once sockops marked a socket or the cgroup variant's hook reported one (where
 * cgroup/sock_release clears the notes): the other variants note nothing.
 */
bool accounting = false;
#define URING_SKIPS_COUNTED_ELSEWHERE() accounting
#include "io_uring_req.bpf.h"

#define IPPROTO_TCP 6

EXPORT_EVENT_TYPE(accept_event);

const volatile __u8 target_family = 0; /* 0: both, 4: IPv4 only, 6: IPv6 only */

/*
 * The tracepoint variant's account of accepts its hooks cannot see (32-bit syscalls, which the
 * syscalls:* tracepoints skip; io_uring's without its group; kernel_accept): a socket
 * established passively while tracing is marked (sockops, in storage that lives and dies with
 * the socket); an accept the hooks see notes the socket's address; an accepted socket closed
 * while tracing (sock_release runs only for sockets that were accepted) that is marked but
 * unnoted was accepted unseen, and is counted as lost.
 */
struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u8);
} passive_socks SEC(".maps");

#define SEEN_ACCEPTS 262144 /* accepted sockets open at once, noted until they close */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, SEEN_ACCEPTS);
	__type(key, __u64);
	__type(value, __u8);
} seen_accepts SEC(".maps");

/*
 * A TCP socket an accept hook saw. Where the map is full (SEEN_ACCEPTS accepted sockets open at
 * once), its close counts it as unseen: one lost too many, rather than one missed.
 */
static __always_inline void note_seen(struct sock *sk)
{
	__u64 key = (__u64)(unsigned long)sk;
	__u8 one = 1;

	if (accounting)
		bpf_map_update_elem(&seen_accepts, &key, &one, BPF_ANY);
}

/* The accepted socket's IP version where -4, -6 and -P keep it, else 0. */
static __always_inline __u8 traced_ip(const struct sock_common *skc)
{
	__u8 ip = sock_ip_version(skc);

	if (!ip || (target_family && target_family != ip) || !port_is_traced(skc->skc_num))
		return 0;
	return ip;
}

static __always_inline int report_accept(void *ctx, struct sock *sk)
{
	struct sock_common skc;
	struct accept_event e;

	if (!sk || BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol) != IPPROTO_TCP)
		return 0;
	note_seen(sk); /* filtered out or not: its close must not count it */
	if (!task_is_traced() || sock_common_copy(sk, &skc))
		return 0;
	__builtin_memset(&e, 0, sizeof(e));
	e.ip = traced_ip(&skc);
	if (!e.ip)
		return 0;
	e.lport = skc.skc_num;
	e.rport = bpf_ntohs(skc.skc_dport);
	sock_local_addr(&skc, e.ip, e.laddr);
	sock_remote_addr(&skc, e.ip, e.raddr);
	e.ts_ns = bpf_ktime_get_ns();
	e.pid = pidns_current_pid_tgid() >> 32;
	bpf_get_current_comm(e.comm, sizeof(e.comm));
	e.cgroup_id = task_cgroup_id();
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

/*
 * The cgroup variant. An accept that asks for the peer's address (accept(fd, &addr, &len), as
 * most servers call it) has the kernel name the peer before accept returns, which runs the
 * cgroup getpeername hook on the new socket in the accepting task; getpeername() runs the same
 * hook. The entry tracepoints of accept, accept4 and getpeername, which cost the machine's other
 * syscalls what one entry tracepoint costs (no exit tracepoint, no raw program), say which call
 * a task is in. Where no entry said (32-bit syscalls, io_uring, the kernel's own accepts, each
 * naming the peer), a socket sockops marked and no hook noted yet is taken as being accepted.
 * An accept that asks no address (accept(fd, NULL, NULL)) runs no hook: it is counted as lost
 * when its socket closes, as the tracepoint variant counts what it misses.
 */
enum { CALL_ACCEPT = 1, CALL_GETPEERNAME = 2 };

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384); /* tasks in accept() or getpeername() at once */
	__type(key, __u64);	    /* pid_tgid */
	__type(value, __u8);
} current_call SEC(".maps");

static __always_inline int note_call(__u8 call)
{
	__u64 id = bpf_get_current_pid_tgid();

	bpf_map_update_elem(&current_call, &id, &call, BPF_ANY);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_accept")
int tp_enter_accept(struct trace_event_raw_sys_enter *ctx)
{
	return ctx->args[1] ? note_call(CALL_ACCEPT) : 0;
}

SEC("tracepoint/syscalls/sys_enter_accept4")
int tp_enter_accept4(struct trace_event_raw_sys_enter *ctx)
{
	return ctx->args[1] ? note_call(CALL_ACCEPT) : 0;
}

SEC("tracepoint/syscalls/sys_enter_getpeername")
int tp_enter_getpeername(struct trace_event_raw_sys_enter *ctx)
{
	return note_call(CALL_GETPEERNAME);
}

static __always_inline bool noted_seen(struct sock *sk)
{
	__u64 key = (__u64)(unsigned long)sk;

	return bpf_map_lookup_elem(&seen_accepts, &key);
}

/* The peer of a TCP socket named in this task: reported if an accept is naming it. Allows it. */
static __always_inline int peer_named(struct bpf_sock_addr *ctx)
{
	struct bpf_sock *bsk = ctx->sk;
	__u64 id = bpf_get_current_pid_tgid();
	struct sock *sk;
	bool accepting;
	__u8 *call;

	if (!bsk || bsk->protocol != IPPROTO_TCP)
		return 1;
	/* the socket as a plain address, which reads may follow (the context's own field) */
	sk = BPF_CORE_READ((struct bpf_sock_addr_kern *)ctx, sk);
	call = bpf_map_lookup_elem(&current_call, &id);
	if (call) {
		accepting = *call == CALL_ACCEPT;
		bpf_map_delete_elem(&current_call, &id);
	} else {
		accepting = bpf_sk_storage_get(&passive_socks, bsk, 0, 0) && !noted_seen(sk);
	}
	if (accepting) {
		accounting = true; /* count_unseen runs here: note even before sockops marked one */
		report_accept(ctx, sk);
	}
	return 1;
}

SEC("cgroup/getpeername4")
int getpeername4(struct bpf_sock_addr *ctx)
{
	return peer_named(ctx);
}

SEC("cgroup/getpeername6")
int getpeername6(struct bpf_sock_addr *ctx)
{
	return peer_named(ctx);
}

/* Runs at the end of every syscall: anything but a 64- or 32-bit accept returns after one test. */
SEC("raw_tracepoint/sys_exit")
int sys_exit_accept(struct bpf_raw_tracepoint_args *ctx)
{
	long nr = exit_syscall_nr(ctx);
	int call;

	if (!maybe_socket_call(nr, SOCKETCALL_ACCEPT) && !maybe_socket_call(nr, SOCKETCALL_ACCEPT4))
		return 0;
	call = exit_socket_call(ctx, nr);
	if (call != SOCKETCALL_ACCEPT && call != SOCKETCALL_ACCEPT4)
		return 0;
	return report_accepted_fd(ctx, (int)exit_syscall_ret(ctx));
}

/*
 * The tracepoint variant: the syscalls:* exit tracepoints of accept and accept4, which run only
 * at the end of those syscalls (the rest of the machine's syscalls pay the tracing slow path
 * that any syscall tracepoint turns on, and nothing more). They skip 32-bit syscalls: those
 * accepts are counted as lost when their socket closes (above).
 */
SEC("tracepoint/syscalls/sys_exit_accept")
int tp_exit_accept(struct trace_event_raw_sys_exit *ctx)
{
	return report_accepted_fd(ctx, ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_accept4")
int tp_exit_accept4(struct trace_event_raw_sys_exit *ctx)
{
	return report_accepted_fd(ctx, ctx->ret);
}

/* A connection established passively, in softirq: its accept is to come. Allows it (1). */
SEC("sockops")
int mark_passive(struct bpf_sock_ops *ctx)
{
	struct bpf_sock *sk = ctx->sk;

	if (ctx->op != BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB || !sk)
		return 1;
	if (bpf_sk_storage_get(&passive_socks, sk, 0, BPF_SK_STORAGE_GET_F_CREATE))
		accounting = true;
	return 1;
}

/* An accepted socket closed: unseen if sockops marked it and no accept hook noted it. */
SEC("cgroup/sock_release")
int count_unseen(struct bpf_sock *ctx)
{
	struct sock *sk = (struct sock *)ctx;
	struct sock_common skc;
	__u64 key;

	if (ctx->protocol != IPPROTO_TCP)
		return 1;
	/* every note goes with its socket, lest a later socket at the same address seem seen */
	key = (__u64)(unsigned long)BPF_CORE_READ(sk, sk_socket, sk); /* sk's own address */
	if (!bpf_map_delete_elem(&seen_accepts, &key) ||
	    !bpf_sk_storage_get(&passive_socks, ctx, 0, 0) || sock_common_copy(sk, &skc))
		return 1;
	if (traced_ip(&skc) && task_is_traced())
		count_lost();
	return 1;
}

/*
 * An IORING_OP_ACCEPT completed with res. extra: the completion named no request, which was
 * looked up by its ring and user_data: the new socket must then be one of the listener's, lest
 * another request of the same user_data be taken for it.
 */
static __always_inline int report_uring_accept(void *ctx, struct io_kiocb___now *req, int res,
					       bool extra)
{
	struct socket *sock, *listener;
	struct sock *sk;
	bool known;

	if (res < 0 || !task_is_traced())
		return 0;
	sock = uring_accepted_socket(req, res, &known);
	if (!known) {
		/* a direct descriptor in a table this source cannot read; counted at its close
		 * instead where the tracepoint variant's account is on */
		if (!accounting)
			count_lost();
		return 0;
	}
	sk = sock ? BPF_CORE_READ(sock, sk) : NULL;
	if (!sk || noted_seen(sk)) /* the cgroup variant's getpeername hook reported it */
		return 0;
	listener = socket_from_file(BPF_CORE_READ(req, file));
	if (extra && (!listener || BPF_CORE_READ(listener, sk, __sk_common.skc_num) !=
					   BPF_CORE_READ(sk, __sk_common.skc_num)))
		return 0;
	return report_accept(ctx, sk);
}

SEC("tracepoint/io_uring/io_uring_submit_req")
int uring_submit_req(struct trace_event_raw_io_uring_submit_req___now *ctx)
{
	return uring_submitted_req(ctx, IORING_OP_ACCEPT);
}

SEC("tracepoint/io_uring/io_uring_submit_sqe")
int uring_submit_sqe(struct trace_event_raw_io_uring_submit_sqe___was *ctx)
{
	return uring_submitted_sqe(ctx, IORING_OP_ACCEPT);
}

SEC("tracepoint/io_uring/io_uring_complete")
int uring_complete(struct trace_event_raw_io_uring_complete___now *ctx)
{
	struct io_kiocb___now *req = ctx->req;

	if (req) {
		if (uring_req_opcode(req) != IORING_OP_ACCEPT)
			return 0;
		uring_untrack(ctx->ctx, ctx->user_data); /* its last completion */
		return report_uring_accept(ctx, req, ctx->res, false);
	}
	if (!(ctx->cflags & IORING_CQE_F_MORE))
		return 0;
	req = uring_tracked(ctx->ctx, ctx->user_data);
	if (!req || uring_req_opcode(req) != IORING_OP_ACCEPT)
		return 0;
	uring_seen_last(ctx->ctx, ctx->user_data, ctx->res, true);
	return report_uring_accept(ctx, req, ctx->res, true);
}

/* A completion the full queue could not take yet: the application will read it later. */
SEC("tracepoint/io_uring/io_uring_cqe_overflow")
int uring_cqe_overflow(struct trace_event_raw_io_uring_cqe_overflow___now *ctx)
{
	struct io_kiocb___now *req = uring_tracked(ctx->ctx, ctx->user_data);
	bool more = ctx->cflags & IORING_CQE_F_MORE;

	if (!req || uring_req_opcode(req) != IORING_OP_ACCEPT)
		return 0;
	if (more && uring_seen_last(ctx->ctx, ctx->user_data, ctx->res, false))
		return 0; /* older kernels: io_uring_complete reported it just now */
	if (!more)
		uring_untrack(ctx->ctx, ctx->user_data);
	return report_uring_accept(ctx, req, ctx->res, true);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
