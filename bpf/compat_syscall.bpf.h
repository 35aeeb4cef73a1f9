/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The socket calls of 32-bit syscalls on x86-64: int $0x80 from any process, and every syscall
 * of a 32-bit process. The syscalls:* tracepoints skip these; the raw_syscalls sys_exit raw
 * tracepoint sees them with i386 numbers (bind 361, accept4 364, socketcall 102), the result,
 * and the registers, which still hold the arguments in bx, cx, dx (socketcall: a call number
 * and a pointer to 32-bit argument words). It runs at the end of every syscall, so a program
 * tests the syscall number first and the task's TS_COMPAT status only for these three numbers;
 * one program at exit, rather than a pair, halves what every other syscall pays.
 *
 * The x86 fields are read without a CO-RE existence guard on purpose: on a kernel (or an
 * architecture) without them a program using them fails to load, and the loader says what
 * then goes unseen, rather than loading a program that sees nothing.
 */
#ifndef COMPAT_SYSCALL_BPF_H
#define COMPAT_SYSCALL_BPF_H

#define I386_NR_SOCKETCALL 102
#define I386_NR_BIND	   361
#define I386_NR_ACCEPT4	   364
#define SOCKETCALL_BIND	   2
#define SOCKETCALL_ACCEPT  5
#define SOCKETCALL_ACCEPT4 18
#define TS_COMPAT	   0x0002 /* arch/x86/include/asm/thread_info.h */

struct pt_regs___x86 {
	unsigned long bx;
	unsigned long cx;
	unsigned long dx;
	unsigned long orig_ax;
} __attribute__((preserve_access_index));

struct thread_info___x86 {
	__u32 status;
} __attribute__((preserve_access_index));

struct task_struct___x86 {
	struct thread_info___x86 thread_info;
} __attribute__((preserve_access_index));

/* The arguments of a socket call, whichever way it was made. */
struct compat_socket_args {
	__u32 fd;
	__u32 addr; /* a user pointer below 4 GiB */
	__u32 len;
};

static __always_inline bool in_compat_syscall(void)
{
	struct task_struct___x86 *task = (void *)bpf_get_current_task();

	return BPF_CORE_READ(task, thread_info.status) & TS_COMPAT;
}

/* The number of the syscall that is ending: sys_exit is given only the registers and result. */
static __always_inline long compat_exit_nr(const struct bpf_raw_tracepoint_args *ctx)
{
	struct pt_regs___x86 *regs = (void *)ctx->args[0];

	return BPF_CORE_READ(regs, orig_ax);
}

/* The socket call (SOCKETCALL_BIND, _ACCEPT, _ACCEPT4) syscall nr of a 32-bit task makes, or 0. */
static __always_inline int compat_socket_call(const struct bpf_raw_tracepoint_args *ctx, long nr)
{
	struct pt_regs___x86 *regs = (void *)ctx->args[0];
	int call;

	if (nr == I386_NR_BIND)
		return SOCKETCALL_BIND;
	if (nr == I386_NR_ACCEPT4)
		return SOCKETCALL_ACCEPT4;
	if (nr != I386_NR_SOCKETCALL)
		return 0;
	call = (int)BPF_CORE_READ(regs, bx);
	return call == SOCKETCALL_BIND || call == SOCKETCALL_ACCEPT || call == SOCKETCALL_ACCEPT4
		       ? call
		       : 0;
}

/*
 * The first three arguments of that call: from the registers, or for socketcall from user
 * memory, which may not be readable at that moment (then -1).
 */
static __always_inline int compat_socket_args(const struct bpf_raw_tracepoint_args *ctx, long nr,
					      struct compat_socket_args *args)
{
	struct pt_regs___x86 *regs = (void *)ctx->args[0];

	if (nr == I386_NR_SOCKETCALL)
		return bpf_probe_read_user(
			       args, sizeof(*args),
			       (const void *)(unsigned long)(__u32)BPF_CORE_READ(regs, cx))
			       ? -1
			       : 0;
	args->fd = BPF_CORE_READ(regs, bx);
	args->addr = BPF_CORE_READ(regs, cx);
	args->len = BPF_CORE_READ(regs, dx);
	return 0;
}

#endif
