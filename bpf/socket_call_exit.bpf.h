/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Socket calls (bind, accept, accept4) seen at the end of a syscall, from the raw_syscalls
 * sys_exit raw tracepoint on x86-64, which is given the registers and the result. The registers
 * still hold the arguments: di, si, dx for a 64-bit syscall; bx, cx, dx for a 32-bit one
 * (int $0x80 from any process, every syscall of a 32-bit process), whose numbers are i386's
 * (bind 361, accept4 364, socketcall 102: a call number and a pointer to 32-bit argument
 * words). The syscalls:* tracepoints skip 32-bit syscalls; this one program sees both kinds.
 *
 * It runs at the end of every syscall, so a program tests the syscall number first, and the
 * task's TS_COMPAT status (which tells the two numberings apart) only for the numbers it wants.
 * One raw program at exit costs a syscall less than a syscalls:* pair, which also builds a
 * record for each call before running its program.
 *
 * The x86 fields (kernel_shims.bpf.h's pt_regs___now and task_struct___now) are read without a
 * CO-RE existence guard on purpose: on a kernel (or an architecture) without them the program fails
 * to load, and the loader says so, rather than loading a program that sees nothing.
 */
#ifndef SOCKET_CALL_EXIT_BPF_H
#define SOCKET_CALL_EXIT_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "kernel_shims.bpf.h"

#define X86_64_NR_ACCEPT   43
#define X86_64_NR_BIND	   49
#define X86_64_NR_ACCEPT4  288
#define I386_NR_SOCKETCALL 102
#define I386_NR_BIND	   361
#define I386_NR_ACCEPT4	   364
#define SOCKETCALL_BIND	   2
#define SOCKETCALL_ACCEPT  5
#define SOCKETCALL_ACCEPT4 18
#define TS_COMPAT	   0x0002 /* arch/x86/include/asm/thread_info.h */

/* The first three arguments of a socket call, whichever way it was made. */
struct socket_call_args {
	int fd;
	__u32 len;
	__u64 addr; /* a user pointer */
};

static __always_inline bool in_compat_syscall(void)
{
	struct task_struct___now *task = (void *)bpf_get_current_task();

	return BPF_CORE_READ(task, thread_info.status) & TS_COMPAT;
}

static __always_inline struct pt_regs___now *exit_regs(const struct bpf_raw_tracepoint_args *ctx)
{
	return (void *)ctx->args[0];
}

/* The number of the syscall that is ending: sys_exit is given only the registers and result. */
static __always_inline long exit_syscall_nr(const struct bpf_raw_tracepoint_args *ctx)
{
	return BPF_CORE_READ(exit_regs(ctx), orig_ax);
}

/* The result of the syscall that is ending. */
static __always_inline long exit_syscall_ret(const struct bpf_raw_tracepoint_args *ctx)
{
	return (long)ctx->args[1];
}

/*
 * The socket call (SOCKETCALL_BIND, _ACCEPT, _ACCEPT4) that syscall nr makes, or 0. The same
 * number means different calls in the two numberings (i386's 49 is geteuid, 43 times).
 */
static __always_inline int exit_socket_call(const struct bpf_raw_tracepoint_args *ctx, long nr)
{
	int call;

	if (!in_compat_syscall())
		return nr == X86_64_NR_BIND	 ? SOCKETCALL_BIND
		       : nr == X86_64_NR_ACCEPT	 ? SOCKETCALL_ACCEPT
		       : nr == X86_64_NR_ACCEPT4 ? SOCKETCALL_ACCEPT4
						 : 0;
	if (nr == I386_NR_BIND)
		return SOCKETCALL_BIND;
	if (nr == I386_NR_ACCEPT4)
		return SOCKETCALL_ACCEPT4;
	if (nr != I386_NR_SOCKETCALL)
		return 0;
	call = (int)BPF_CORE_READ(exit_regs(ctx), bx);
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
	__u32 words[3];

	__builtin_memset(args, 0, sizeof(*args));
	if (nr == X86_64_NR_BIND || nr == X86_64_NR_ACCEPT || nr == X86_64_NR_ACCEPT4) {
		args->fd = BPF_CORE_READ(regs, di);
		if (with_addr) {
			args->addr = BPF_CORE_READ(regs, si);
			args->len = BPF_CORE_READ(regs, dx);
		}
		return 0;
	}
	if (nr == I386_NR_SOCKETCALL) {
		if (bpf_probe_read_user(
			    words, sizeof(words),
			    (const void *)(unsigned long)(__u32)BPF_CORE_READ(regs, cx)))
			return -1;
	} else {
		words[0] = BPF_CORE_READ(regs, bx);
		words[1] = with_addr ? BPF_CORE_READ(regs, cx) : 0;
		words[2] = with_addr ? BPF_CORE_READ(regs, dx) : 0;
	}
	args->fd = words[0];
	args->addr = words[1];
	args->len = words[2];
	return 0;
}

#endif
