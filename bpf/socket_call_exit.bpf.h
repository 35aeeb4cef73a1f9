/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Socket calls (bind, accept, accept4) seen at the end of a syscall, from the raw_syscalls
 * sys_exit raw tracepoint, which is given the registers and the result. The registers still hold
 * the arguments (kernel_shims.bpf.h says which, per architecture). A 64-bit syscall and a 32-bit
 * (compat) one are numbered apart: x86-64's own numbers (bind 49, accept 43, accept4 288) and
 * i386's (bind 361, accept4 364, socketcall 102: a call number and a pointer to 32-bit argument
 * words; int $0x80 from any process, every syscall of a 32-bit process); arm64's own (bind 200,
 * accept 202, accept4 242) and AArch32's (bind 282, accept 285, accept4 366; it has no
 * socketcall). The syscalls:* tracepoints skip 32-bit syscalls; this one program sees both kinds.
 *
 * It runs at the end of every syscall, so a program tests the syscall number first
 * (maybe_socket_call), and the task's compat flag (which tells the two numberings apart) only
 * for the numbers it wants. One raw program at exit costs a syscall less than a syscalls:* pair,
 * which also builds a record for each call before running its program.
 */
#ifndef SOCKET_CALL_EXIT_BPF_H
#define SOCKET_CALL_EXIT_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "kernel_shims.bpf.h"

#define NO_SYSCALL (-1000) /* a number no syscall has: "this numbering has none" */

#if defined(__TARGET_ARCH_arm64)
#define NR_BIND		     200
#define NR_ACCEPT	     202
#define NR_ACCEPT4	     242
#define COMPAT_NR_BIND	     282
#define COMPAT_NR_ACCEPT     285
#define COMPAT_NR_ACCEPT4    366
#define COMPAT_NR_SOCKETCALL NO_SYSCALL
#define TIF_32BIT	     22 /* arch/arm64/include/asm/thread_info.h */
#elif defined(__TARGET_ARCH_x86)
#define NR_BIND		     49
#define NR_ACCEPT	     43
#define NR_ACCEPT4	     288
#define COMPAT_NR_BIND	     361
#define COMPAT_NR_ACCEPT     NO_SYSCALL
#define COMPAT_NR_ACCEPT4    364
#define COMPAT_NR_SOCKETCALL 102
#define TS_COMPAT	     0x0002 /* arch/x86/include/asm/thread_info.h */
#else
#error "socket_call_exit.bpf.h knows the syscalls of x86-64 and arm64"
#endif

#define SOCKETCALL_BIND	   2
#define SOCKETCALL_ACCEPT  5
#define SOCKETCALL_ACCEPT4 18

/* The first three arguments of a socket call, whichever way it was made. */
struct socket_call_args {
	int fd;
	__u32 len;
	__u64 addr; /* a user pointer */
};

static __always_inline bool in_compat_syscall(void)
{
	struct task_struct___now *task = (void *)bpf_get_current_task();

#if defined(__TARGET_ARCH_arm64)
	return BPF_CORE_READ(task, thread_info.flags) & (1UL << TIF_32BIT);
#else
	return BPF_CORE_READ(task, thread_info.status) & TS_COMPAT;
#endif
}

static __always_inline struct pt_regs___now *exit_regs(const struct bpf_raw_tracepoint_args *ctx)
{
	return (void *)ctx->args[0];
}

/* The number of the syscall that is ending: sys_exit is given only the registers and result. */
static __always_inline long exit_syscall_nr(const struct bpf_raw_tracepoint_args *ctx)
{
#if defined(__TARGET_ARCH_arm64)
	return BPF_CORE_READ(exit_regs(ctx), syscallno);
#else
	return BPF_CORE_READ(exit_regs(ctx), orig_ax);
#endif
}

/* The result of the syscall that is ending. */
static __always_inline long exit_syscall_ret(const struct bpf_raw_tracepoint_args *ctx)
{
	return (long)ctx->args[1];
}

/* Whether syscall nr may make the socket call (SOCKETCALL_*) in one numbering or the other. */
static __always_inline bool maybe_socket_call(long nr, int call)
{
	if (nr == COMPAT_NR_SOCKETCALL)
		return true;
	if (call == SOCKETCALL_BIND)
		return nr == NR_BIND || nr == COMPAT_NR_BIND;
	if (call == SOCKETCALL_ACCEPT)
		return nr == NR_ACCEPT || nr == COMPAT_NR_ACCEPT;
	return nr == NR_ACCEPT4 || nr == COMPAT_NR_ACCEPT4;
}

/* Argument i (0-2) of the ending syscall, as its kind passes it (kernel_shims.bpf.h). */
static __always_inline __u64 exit_syscall_arg(struct pt_regs___now *regs, int i, bool compat)
{
#if defined(__TARGET_ARCH_arm64)
	return i == 0 ? BPF_CORE_READ(regs, orig_x0) : BPF_CORE_READ(regs, regs[i]);
#else
	if (compat)
		return i == 0	? BPF_CORE_READ(regs, bx)
		       : i == 1 ? BPF_CORE_READ(regs, cx)
				: BPF_CORE_READ(regs, dx);
	return i == 0	? BPF_CORE_READ(regs, di)
	       : i == 1 ? BPF_CORE_READ(regs, si)
			: BPF_CORE_READ(regs, dx);
#endif
}

/*
 * The socket call (SOCKETCALL_BIND, _ACCEPT, _ACCEPT4) that syscall nr makes, or 0. The same
 * number means different calls in the two numberings (i386's 49 is geteuid, 43 times).
 */
static __always_inline int exit_socket_call(const struct bpf_raw_tracepoint_args *ctx, long nr)
{
	int call;

	if (!in_compat_syscall())
		return nr == NR_BIND	  ? SOCKETCALL_BIND
		       : nr == NR_ACCEPT  ? SOCKETCALL_ACCEPT
		       : nr == NR_ACCEPT4 ? SOCKETCALL_ACCEPT4
					  : 0;
	if (nr == COMPAT_NR_BIND)
		return SOCKETCALL_BIND;
	if (nr == COMPAT_NR_ACCEPT)
		return SOCKETCALL_ACCEPT;
	if (nr == COMPAT_NR_ACCEPT4)
		return SOCKETCALL_ACCEPT4;
	if (nr != COMPAT_NR_SOCKETCALL)
		return 0;
	call = (int)exit_syscall_arg(exit_regs(ctx), 0, true);
	return call == SOCKETCALL_BIND || call == SOCKETCALL_ACCEPT || call == SOCKETCALL_ACCEPT4
		       ? call
		       : 0;
}

/*
 * The arguments of the socket call syscall nr made (exit_socket_call() found one): the fd, and
 * with with_addr the address and its length too, from the registers, or for socketcall from
 * user memory, which may not be readable at that moment (then -1). 0 otherwise.
 */
static __always_inline int exit_socket_args(const struct bpf_raw_tracepoint_args *ctx, long nr,
					    struct socket_call_args *args, bool with_addr)
{
	struct pt_regs___now *regs = exit_regs(ctx);
	bool compat = nr != NR_BIND && nr != NR_ACCEPT && nr != NR_ACCEPT4;
	__u32 words[3];

	__builtin_memset(args, 0, sizeof(*args));
	if (nr == COMPAT_NR_SOCKETCALL) {
		if (bpf_probe_read_user(
			    words, sizeof(words),
			    (const void *)(unsigned long)(__u32)exit_syscall_arg(regs, 1, true)))
			return -1;
		args->fd = words[0];
		args->addr = with_addr ? words[1] : 0;
		args->len = with_addr ? words[2] : 0;
		return 0;
	}
	args->fd = (int)exit_syscall_arg(regs, 0, compat);
	if (with_addr) {
		args->addr = exit_syscall_arg(regs, 1, compat);
		args->len = (__u32)exit_syscall_arg(regs, 2, compat);
		if (compat)
			args->addr = (__u32)args->addr;
	}
	return 0;
}

#endif
