// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bindsnoop: reports bind() on IPv4 and IPv6 sockets with the socket options that shape it.
 *
 * One object carries four hook variants; the loader keeps the first that loads and attaches
 * among those the options given need:
 *   fexit    fexit/inet_bind, fexit/inet6_bind
 *   kprobe   kprobe + kretprobe on inet_bind, inet6_bind
 *   cgroup   cgroup/bind4, bind6, post_bind4, post_bind6 on the cgroup v2 root: they run on
 *            binds only, so the rest of the machine's syscalls pay nothing; not for -E (the
 *            kernel runs no cgroup program after a bind that fails)
 *   syscall  raw_syscalls sys_exit for 64- and 32-bit syscalls (x86-64 and i386's bind and
 *            socketcall, int $0x80 and 32-bit processes; arm64 and AArch32's bind: see
 *            socket_call_exit.bpf.h; the socket is found from the fd), and an
 *            optional group the loader drops, saying so, where it cannot be used:
 *            io_uring:io_uring_submit_req + io_uring_complete + io_uring_cqe_overflow for
 *            IORING_OP_BIND (posted, or overflowing a full completion queue).
 * fexit and kprobe see every bind that reaches inet_bind or inet6_bind, however it was made
 * (64- or 32-bit syscall, io_uring, kernel_bind). So does the cgroup variant, but for raw and
 * ping sockets, which bind through their protocol's own function and run no cgroup program
 * (neither seen nor counted). It reports a bind that takes a port from
 * post_bind; a port-0 bind with IP_BIND_ADDRESS_NO_PORT takes none and runs no post_bind, so
 * bind4/6 judge it before it happens: reported when nothing the kernel checks after them can
 * fail it (the wildcard address, a socket allowed to bind any address, loopback with lo up),
 * counted as lost when they cannot tell (another specific address: only the routing table
 * knows whether it is this host's). Two threads binding one socket at once could make a
 * judged bind fail after all.
 * The syscall variant sees binds made by 64-
 * and 32-bit syscalls and through io_uring. It counts as lost: an io_uring bind submitted with
 * IOSQE_CQE_SKIP_SUCCESS (its success posts nothing; if it fails it is reported as well), a
 * 32-bit socketcall whose argument words cannot be read. It neither sees nor counts:
 * kernel_bind, x32 syscalls, an io_uring bind submitted before tracing started whose
 * completion overflows the completion queue.
 * Failed binds report the address and port the caller asked for, read from bind()'s arguments
 * (or the io_uring request).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>
#include "bindsnoop.h"
#include "kernel_shims.bpf.h"
#include "emit_event.bpf.h"
#include "task_filter.bpf.h"
#include "task_cgroup.bpf.h"
#include "socket_from_fd.bpf.h"
#include "sock_addr.bpf.h"
#include "port_filter.bpf.h"
#include "socket_call_exit.bpf.h"
#include "io_uring_req.bpf.h"

EXPORT_EVENT_TYPE(bind_event);

const volatile bool report_errors = false;
const volatile bool count_binds = false;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct bind_count_key);
	__type(value, __u64);
} bind_counts SEC(".maps");

/* What inet_bind() was asked for, kept from the kprobe to the kretprobe of one thread. */
struct bind_request {
	__u32 tid; /* whose request the slot holds; 0: none */
	struct socket *sock;
	__u8 sockaddr[sizeof(struct sockaddr_in6)];
};

/*
 * One slot per thread id modulo REQUEST_SLOTS, not a hash map: an array slot is found by an
 * index the verifier inlines, where a hash map's update, lookup and delete cost every bind
 * about 200 ns more. Two binds in flight at once whose thread ids share a slot: the later one
 * takes it, and the earlier is counted lost when it ends.
 */
#define REQUEST_SLOTS 16384

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, REQUEST_SLOTS);
	__type(key, __u32);
	__type(value, struct bind_request);
} requests SEC(".maps");

static __always_inline struct bind_request *request_slot(__u32 tid)
{
	__u32 slot = tid & (REQUEST_SLOTS - 1);

	return bpf_map_lookup_elem(&requests, &slot);
}

static __always_inline void copy_sockaddr(struct bind_request *req, const void *addr, int len,
					  bool user)
{
	__u32 size;

	if (len <= 0)
		return;
	size = len > (int)sizeof(req->sockaddr) ? sizeof(req->sockaddr) : len;
	/* keep clang from handing the helper the unclamped copy of len */
	barrier_var(size);
	size &= 0x1f; /* sizeof(struct sockaddr_in6) is 28 */
	if (user)
		bpf_probe_read_user(req->sockaddr, size, addr);
	else
		bpf_probe_read_kernel(req->sockaddr, size, addr);
}

/* The option bits: in inet_flags since Linux 6.6, in bitfields before (kernel_shims.bpf.h). */
static __always_inline __u8 socket_options(struct sock *sk, const struct sock_common *skc)
{
	__u8 opts = 0;

	if (bpf_core_field_exists(struct inet_sock___now, inet_flags)) {
		struct inet_sock___now *inet = (void *)sk;
		unsigned long flags = BPF_CORE_READ(inet, inet_flags);

		if (flags & (1UL << INET_FLAGS_FREEBIND))
			opts |= OPT_FREEBIND;
		if (flags & (1UL << INET_FLAGS_TRANSPARENT))
			opts |= OPT_TRANSPARENT;
		if (flags & (1UL << INET_FLAGS_BIND_ADDRESS_NO_PORT))
			opts |= OPT_BIND_ADDRESS_NO_PORT;
	} else {
		struct inet_sock___was *inet = (void *)sk;

		if (BPF_CORE_READ_BITFIELD_PROBED(inet, freebind))
			opts |= OPT_FREEBIND;
		if (BPF_CORE_READ_BITFIELD_PROBED(inet, transparent))
			opts |= OPT_TRANSPARENT;
		if (BPF_CORE_READ_BITFIELD_PROBED(inet, bind_address_no_port))
			opts |= OPT_BIND_ADDRESS_NO_PORT;
	}
	if (BPF_CORE_READ_BITFIELD(skc, skc_reuse))
		opts |= OPT_REUSEADDR;
	if (BPF_CORE_READ_BITFIELD(skc, skc_reuseport))
		opts |= OPT_REUSEPORT;
	return opts;
}

/* skc_num is the bound port in host order (inet_sport is the same in network order). */
static __always_inline void bound_address(struct bind_event *e, const struct sock_common *skc)
{
	e->port = skc->skc_num;
	sock_local_addr(skc, e->ip, e->addr);
}

/* The sockaddr's own family decides its layout; AF_UNSPEC binds an IPv4 socket to any address. */
static __always_inline void requested_address(struct bind_event *e, const __u8 *sockaddr)
{
	__u16 family = *(const __u16 *)sockaddr;

	if (family == AF_INET || (family == AF_UNSPEC && e->ip == 4)) {
		const struct sockaddr_in *in = (const void *)sockaddr;

		e->ip = 4;
		e->port = bpf_ntohs(in->sin_port);
		__builtin_memcpy(e->addr, &in->sin_addr, 4);
	} else if (family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sockaddr;

		e->ip = 6;
		e->port = bpf_ntohs(in6->sin6_port);
		__builtin_memcpy(e->addr, &in6->sin6_addr, 16);
	}
}

static __always_inline void count_bind(const struct bind_event *e)
{
	struct bind_count_key key;
	__u64 one = 1, *count;

	__builtin_memset(&key, 0, sizeof(key));
	__builtin_memcpy(key.addr, e->addr, sizeof(key.addr));
	key.port = e->port;
	key.ip = e->ip;
	count = bpf_map_lookup_elem(&bind_counts, &key);
	if (!count && !bpf_map_update_elem(&bind_counts, &key, &one, BPF_NOEXIST))
		return;
	/* either present already, or another CPU inserted it first */
	if (!count)
		count = bpf_map_lookup_elem(&bind_counts, &key);
	if (count)
		__sync_fetch_and_add(count, 1);
	else
		count_lost(); /* the map is full */
}

/*
 * Reports sk's bind: the address and port it is bound to, or (ret, or requested) the ones asked
 * for. cgroup: called from a cgroup socket program, which the kernel gives no
 * bpf_get_ns_current_pid_tgid() before Linux 6.10.
 */
static __always_inline int report_sock_bind(void *ctx, struct sock *sk, const __u8 *sockaddr,
					    int ret, bool requested, bool cgroup)
{
	struct sock_common skc;
	struct bind_event e;

	if (!sk || (ret && !report_errors) || sock_common_copy(sk, &skc))
		return 0;
	__builtin_memset(&e, 0, sizeof(e));
	e.ip = sock_ip_version(&skc);
	if (!e.ip)
		return 0;
	if (ret || requested)
		requested_address(&e, sockaddr);
	else
		bound_address(&e, &skc);
	if (!port_is_traced(e.port))
		return 0;
	if (count_binds) {
		count_bind(&e);
		return 0;
	}
	e.ts_ns = bpf_ktime_get_ns();
	e.pid = (cgroup ? pidns_current_pid_tgid_walked() : pidns_current_pid_tgid()) >> 32;
	e.uid = (__u32)bpf_get_current_uid_gid();
	e.cgroup_id = task_cgroup_id();
	bpf_get_current_comm(e.comm, sizeof(e.comm));
	e.proto = BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol);
	e.opts = socket_options(sk, &skc);
	e.bound_if = skc.skc_bound_dev_if;
	e.ret = ret;
	emit_event(ctx, &e, sizeof(e));
	return 0;
}

static __always_inline int report_bind(void *ctx, struct socket *sock, const __u8 *sockaddr,
				       int ret)
{
	return report_sock_bind(ctx, BPF_CORE_READ(sock, sk), sockaddr, ret, false, false);
}

static __always_inline int remember_request(struct socket *sock, const void *sockaddr, int len)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct bind_request *req;

	if (!task_is_traced())
		return 0;
	req = request_slot(tid);
	if (!req)
		return 0;
	req->tid = tid;
	req->sock = sock;
	/* the address asked for is shown only for a failed bind, and only with -E */
	if (report_errors) {
		__builtin_memset(req->sockaddr, 0, sizeof(req->sockaddr));
		copy_sockaddr(req, sockaddr, len, false);
	}
	return 0;
}

static __always_inline int finish_request(void *ctx, int ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct bind_request *req = request_slot(tid);

	if (!req || !req->tid)
		return 0;
	if (req->tid != tid) {
		count_lost(); /* another thread's bind took the slot of this one */
		return 0;
	}
	report_bind(ctx, req->sock, req->sockaddr, ret);
	req->tid = 0;
	return 0;
}

static __always_inline int report_fexit(void *ctx, struct socket *sock, const void *sockaddr,
					int len, int ret)
{
	struct bind_request req;

	if (!task_is_traced())
		return 0;
	__builtin_memset(&req, 0, sizeof(req));
	copy_sockaddr(&req, sockaddr, len, false);
	return report_bind(ctx, sock, req.sockaddr, ret);
}

SEC("fexit/inet_bind")
int BPF_PROG(fexit_inet_bind, struct socket *sock, struct sockaddr *uaddr, int addr_len, int ret)
{
	return report_fexit(ctx, sock, uaddr, addr_len, ret);
}

SEC("fexit/inet6_bind")
int BPF_PROG(fexit_inet6_bind, struct socket *sock, struct sockaddr *uaddr, int addr_len, int ret)
{
	return report_fexit(ctx, sock, uaddr, addr_len, ret);
}

SEC("kprobe/inet_bind")
int BPF_KPROBE(kprobe_inet_bind, struct socket *sock, struct sockaddr *uaddr, int addr_len)
{
	return remember_request(sock, uaddr, addr_len);
}

SEC("kprobe/inet6_bind")
int BPF_KPROBE(kprobe_inet6_bind, struct socket *sock, struct sockaddr *uaddr, int addr_len)
{
	return remember_request(sock, uaddr, addr_len);
}

SEC("kretprobe/inet_bind")
int BPF_KRETPROBE(kretprobe_inet_bind, int ret)
{
	return finish_request(ctx, ret);
}

SEC("kretprobe/inet6_bind")
int BPF_KRETPROBE(kretprobe_inet6_bind, int ret)
{
	return finish_request(ctx, ret);
}

/*
 * Runs at the end of every syscall: anything but a 64- or 32-bit bind or socketcall returns after
 * the first test. The registers still hold the call's arguments, and user memory the sockaddr.
 */
SEC("raw_tracepoint/sys_exit")
int sys_exit_bind(struct bpf_raw_tracepoint_args *ctx)
{
	long nr = exit_syscall_nr(ctx);
	int ret = (int)exit_syscall_ret(ctx);
	struct socket_call_args args;
	struct bind_request req;
	struct socket *sock;
	bool with_addr;

	if (!maybe_socket_call(nr, SOCKETCALL_BIND) ||
	    exit_socket_call(ctx, nr) != SOCKETCALL_BIND || !task_is_traced())
		return 0;
	/* the address asked for is shown only for a failed bind, and only with -E */
	with_addr = ret && report_errors;
	if (exit_socket_args(ctx, nr, &args, with_addr)) {
		count_lost(); /* socketcall's argument words were not readable: no fd */
		return 0;
	}
	sock = socket_from_fd(args.fd);
	if (!sock)
		return 0;
	__builtin_memset(&req, 0, sizeof(req));
	if (with_addr)
		copy_sockaddr(&req, (const void *)(unsigned long)args.addr, (int)args.len, true);
	return report_bind(ctx, sock, req.sockaddr, ret);
}

/*
 * The cgroup variant: programs the kernel runs on binds only, attached to the cgroup v2 root
 * (every process), each allowing the bind (returns 1). post_bind4/6 run after a bind that took
 * a port, in the binding task: every bind that works, but a port-0 bind on a socket with
 * IP_BIND_ADDRESS_NO_PORT, which takes no port and runs no post_bind program. bind4/6 run
 * before every bind and report that one kind, where what is left of the bind cannot fail it.
 */
SEC("cgroup/post_bind4")
int cgroup_post_bind4(struct bpf_sock *ctx)
{
	if (task_is_traced())
		report_sock_bind(ctx, (struct sock *)ctx, NULL, 0, false, true);
	return 1;
}

SEC("cgroup/post_bind6")
int cgroup_post_bind6(struct bpf_sock *ctx)
{
	if (task_is_traced())
		report_sock_bind(ctx, (struct sock *)ctx, NULL, 0, false, true);
	return 1;
}

#define TCP_CLOSE 7
#define IFF_UP	  1

static __always_inline bool loopback_is_up(const struct sock_common *skc)
{
	struct net___now *net = (void *)skc->skc_net.net;

	return BPF_CORE_READ(net, loopback_dev, flags) & IFF_UP;
}

static __always_inline bool may_bind_nonlocal(const struct sock_common *skc, __u8 opts, __u8 ip)
{
	struct net___now *net = (void *)skc->skc_net.net;

	if (opts & (OPT_FREEBIND | OPT_TRANSPARENT))
		return true;
	return ip == 4 ? BPF_CORE_READ(net, ipv4.sysctl_ip_nonlocal_bind)
		       : BPF_CORE_READ(net, ipv6.sysctl.ip_nonlocal_bind);
}

/*
 * Whether __inet_bind() will bind to the IPv4 address asked for: 1 yes, 0 no, -1 not known here
 * (a specific address: whether this host has it is the kernel's routing table's to say).
 */
static __always_inline int ipv4_bind_works(struct bpf_sock_addr *ctx, const struct sock_common *skc,
					   __u8 opts)
{
	__u32 addr = bpf_ntohl(ctx->user_ip4);

	if (ctx->user_family != AF_INET && (ctx->user_family != AF_UNSPEC || addr))
		return 0; /* EAFNOSUPPORT */
	if (!addr || may_bind_nonlocal(skc, opts, 4))
		return 1;
	return (addr >> 24) == 127 && loopback_is_up(skc) ? 1 : -1;
}

/* The same for __inet6_bind(); a v4-mapped, link-local or multicast address: not known here. */
static __always_inline int ipv6_bind_works(struct bpf_sock_addr *ctx, const struct sock_common *skc,
					   __u8 opts)
{
	__u32 a0 = bpf_ntohl(ctx->user_ip6[0]), a1 = ctx->user_ip6[1], a2 = ctx->user_ip6[2],
	      a3 = bpf_ntohl(ctx->user_ip6[3]);

	if (ctx->user_family != AF_INET6)
		return 0; /* EAFNOSUPPORT */
	if (!a0 && !a1 && !a2 && !a3)
		return 1;
	if (!a0 && !a1 && a2 == bpf_htonl(0xffff))
		return -1;
	if ((a0 & 0xffc00000) == 0xfe800000 || (a0 >> 24) == 0xff)
		return -1;
	if (may_bind_nonlocal(skc, opts, 6))
		return 1;
	return !a0 && !a1 && !a2 && a3 == 1 && loopback_is_up(skc) ? 1 : -1;
}

/* The address asked for, as a sockaddr (requested_address() reads it). */
static __always_inline void ctx_sockaddr(struct bpf_sock_addr *ctx, __u8 ip, __u8 *sockaddr)
{
	*(__u16 *)sockaddr = ctx->user_family;
	if (ip == 4) {
		struct sockaddr_in *in = (void *)sockaddr;

		in->sin_addr.s_addr = ctx->user_ip4;
	} else {
		struct sockaddr_in6 *in6 = (void *)sockaddr;

		in6->sin6_addr.in6_u.u6_addr32[0] = ctx->user_ip6[0];
		in6->sin6_addr.in6_u.u6_addr32[1] = ctx->user_ip6[1];
		in6->sin6_addr.in6_u.u6_addr32[2] = ctx->user_ip6[2];
		in6->sin6_addr.in6_u.u6_addr32[3] = ctx->user_ip6[3];
	}
}

/*
 * A port-0 bind on a socket with IP_BIND_ADDRESS_NO_PORT, before it happens: reported when what
 * the kernel checks after this hook cannot fail it (a socket neither bound already nor in use,
 * the family, an address it may bind), counted as lost when that is not known here.
 */
static __always_inline void report_unported_bind(struct bpf_sock_addr *ctx, __u8 ip)
{
	struct bpf_sock_addr_kern___now *kctx = (void *)ctx;
	__u8 sockaddr[sizeof(struct sockaddr_in6)] = {};
	struct sock *sk = BPF_CORE_READ(kctx, sk);
	struct sock_common skc;
	__u8 opts;
	int works;

	if (ctx->user_port || !sk || sock_common_copy(sk, &skc))
		return;
	opts = socket_options(sk, &skc);
	if (!(opts & OPT_BIND_ADDRESS_NO_PORT) || !task_is_traced())
		return; /* post_bind reports it, if it works */
	if (skc.skc_num || skc.skc_state != TCP_CLOSE)
		return; /* EINVAL */
	works = ip == 4 ? ipv4_bind_works(ctx, &skc, opts) : ipv6_bind_works(ctx, &skc, opts);
	if (works < 0) {
		count_lost();
		return;
	}
	if (!works)
		return;
	ctx_sockaddr(ctx, ip, sockaddr);
	report_sock_bind(ctx, sk, sockaddr, 0, true, true);
}

SEC("cgroup/bind4")
int cgroup_bind4(struct bpf_sock_addr *ctx)
{
	report_unported_bind(ctx, 4);
	return 1;
}

SEC("cgroup/bind6")
int cgroup_bind6(struct bpf_sock_addr *ctx)
{
	report_unported_bind(ctx, 6);
	return 1;
}

static __always_inline int report_uring_bind(void *ctx, struct io_kiocb___now *req, int res)
{
	__u8 sockaddr[sizeof(struct sockaddr_in6)] = {};
	struct socket *sock;

	if (!task_is_traced())
		return 0;
	sock = socket_from_file(BPF_CORE_READ(req, file));
	if (!sock)
		return 0;
	if (res)
		uring_bind_sockaddr(req, sockaddr);
	return report_bind(ctx, sock, sockaddr, res);
}

SEC("tracepoint/io_uring/io_uring_submit_req")
int uring_submit_req(struct trace_event_raw_io_uring_submit_req___now *ctx)
{
	return uring_submitted_req(ctx, IORING_OP_BIND);
}

SEC("tracepoint/io_uring/io_uring_complete")
int uring_complete(struct trace_event_raw_io_uring_complete___now *ctx)
{
	struct io_kiocb___now *req = ctx->req;

	if (!req || uring_req_opcode(req) != IORING_OP_BIND)
		return 0;
	uring_untrack(ctx->ctx, ctx->user_data);
	return report_uring_bind(ctx, req, ctx->res);
}

/* A completion the full queue could not take yet: the application will read it later. */
SEC("tracepoint/io_uring/io_uring_cqe_overflow")
int uring_cqe_overflow(struct trace_event_raw_io_uring_cqe_overflow___now *ctx)
{
	struct io_kiocb___now *req = uring_tracked(ctx->ctx, ctx->user_data);

	if (!req || uring_req_opcode(req) != IORING_OP_BIND)
		return 0;
	uring_untrack(ctx->ctx, ctx->user_data);
	return report_uring_bind(ctx, req, ctx->res);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
