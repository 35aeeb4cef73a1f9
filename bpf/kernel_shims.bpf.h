/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Every kernel-version and architecture shim the tools use, in one place: local "flavours" of
 * kernel types (CO-RE), declaring only the fields a program reads, read with BPF_CORE_READ and
 * tested with bpf_core_field_exists / bpf_core_type_exists. libbpf drops a flavour's suffix
 * (from "___" on) when it matches the local type against the running kernel's BTF, so one object
 * reads a field wherever that kernel keeps it, and the source builds against any vmlinux.h.
 *
 * Suffix convention (libbpf-tools' core_fixes.bpf.h works the same way, with other suffixes, so
 * that a source may include both): "___now" is a layout of current kernels, or
 * the only layout declared (for an architecture shim, that architecture's); "___was" is an older
 * layout, or an older name, that a kernel change replaced, kept for the kernels before it. Each
 * comment cites the change, with the first release that has it.
 */
#ifndef KERNEL_SHIMS_BPF_H
#define KERNEL_SHIMS_BPF_H

#include "vmlinux.h"

/*
 * inet_sock's IP option bits. Linux 6.6 moved them from bitfields into one word, inet_flags, a
 * bit each (commits "inet: move inet->freebind to inet->inet_flags", "inet: move
 * inet->transparent to inet->inet_flags" and "inet: move inet->bind_address_no_port to
 * inet->inet_flags", v6.6). Their bit numbers are an anonymous enum that CO-RE cannot see
 * (bpf_core_enum_value needs a named one), hence the numbers here.
 */
#define INET_FLAGS_FREEBIND		11
#define INET_FLAGS_TRANSPARENT		15
#define INET_FLAGS_BIND_ADDRESS_NO_PORT 18

struct inet_sock___now {
	unsigned long inet_flags;
} __attribute__((preserve_access_index));

/* ... and before v6.6, bitfields (read with BPF_CORE_READ_BITFIELD_PROBED). */
struct inet_sock___was {
	__u8 freebind : 1;
	__u8 transparent : 1;
	__u8 bind_address_no_port : 1;
} __attribute__((preserve_access_index));

/*
 * io_uring's submission tracepoint. "io_uring: rename trace_io_uring_submit_sqe() tracepoint"
 * (v6.3) named it io_uring_submit_req; "io_uring: expand main struct io_kiocb flags to 64-bits"
 * (v6.9) widened its flags (read with BPF_CORE_READ, which takes the running kernel's size:
 * only the low byte matters here).
 */
struct trace_event_raw_io_uring_submit_req___now {
	void *ctx;
	void *req;
	__u64 user_data;
	__u8 opcode;
	__u64 flags;
} __attribute__((preserve_access_index));

/* ... the same tracepoint before v6.3 (6.1: Debian 12's), under its old name. */
struct trace_event_raw_io_uring_submit_sqe___was {
	void *ctx;
	void *req;
	__u64 user_data;
	__u8 opcode;
	__u32 flags;
} __attribute__((preserve_access_index));

/*
 * The completion tracepoints' records, as 6.1 and 6.18 both give them; declared here so the
 * source builds against a vmlinux.h without io_uring's tracepoints. Fields are found by name:
 * those the kernel added around them do not matter.
 */
struct trace_event_raw_io_uring_complete___now {
	void *ctx;
	void *req; /* NULL for the extra completions of a multishot request */
	__u64 user_data;
	int res;
	unsigned int cflags;
} __attribute__((preserve_access_index));

struct trace_event_raw_io_uring_cqe_overflow___now {
	void *ctx;
	__u64 user_data;
	int res;
	unsigned int cflags;
} __attribute__((preserve_access_index));

/*
 * An io_uring request. Since "io_uring: add generic command payload type to struct io_kiocb"
 * (v6.0) the opcode's own data (struct io_accept, ...) sits in the union member cmd, which
 * overlays the request's first member, file. Its opcode, ctx and async_data are read without a
 * guard: where they are missing the program fails to load and the loader says what goes unseen.
 */
struct io_cmd_data___now {
	struct file *file;
} __attribute__((preserve_access_index));

struct io_kiocb___now {
	union {
		struct file *file;
		struct io_cmd_data___now cmd; /* the opcode's own data: struct io_accept ... */
	};
	__u8 opcode;
	void *ctx;
	void *async_data;
} __attribute__((preserve_access_index));

/*
 * IORING_OP_ACCEPT's data: file_slot came with "io_uring: accept directly into fixed file
 * table" (v5.15); read behind bpf_core_field_exists. 0: a descriptor; else a direct
 * descriptor's slot + 1, or IORING_FILE_INDEX_ALLOC.
 */
struct io_accept___now {
	__u32 file_slot;
} __attribute__((preserve_access_index));

/*
 * Where the prep step of an IORING_OP_BIND copied its sockaddr before upstream commit
 * 3979840cd858 (2026; backported to stable series, 6.18.44 among them), which made async_data
 * the sockaddr itself: an io_async_msghdr holding it in addr. Nothing in BTF tells the two
 * apart (io_uring_req.bpf.h's uring_bind_sockaddr() looks at the first two bytes).
 */
struct io_async_msghdr___was {
	struct {
		__u16 ss_family;
	} addr;
} __attribute__((preserve_access_index));

/*
 * A ring's fixed-file table. "io_uring/rsrc: unify file and buffer resource tables" (v6.13)
 * made it an io_rsrc_data: nr resource nodes, each holding a tagged file pointer (6.18 among
 * the kernels with it) ...
 */
struct io_rsrc_node___now {
	unsigned long file_ptr;
} __attribute__((preserve_access_index));

struct io_rsrc_data___now {
	unsigned int nr;
	struct io_rsrc_node___now **nodes;
} __attribute__((preserve_access_index));

struct io_file_table___now {
	struct io_rsrc_data___now data;
} __attribute__((preserve_access_index));

struct io_ring_ctx___now {
	struct io_file_table___now file_table;
} __attribute__((preserve_access_index));

/* ... before v6.13 (6.1 among them), an array of tagged file pointers, nr_user_files long. */
struct io_fixed_file___was {
	unsigned long file_ptr;
} __attribute__((preserve_access_index));

struct io_file_table___was {
	struct io_fixed_file___was *files;
} __attribute__((preserve_access_index));

struct io_ring_ctx___was {
	struct io_file_table___was file_table;
	unsigned int nr_user_files;
} __attribute__((preserve_access_index));

/*
 * Architecture shims: the registers of struct pt_regs that hold a syscall's number and
 * arguments, and the thread_info field that marks a 32-bit (compat) syscall, at the start of
 * task_struct (THREAD_INFO_IN_TASK on both). Read without an existence guard on purpose: on
 * another kernel layout the program fails to load, and the loader says so.
 *
 * x86-64 (arch/x86/include/asm/ptrace.h, thread_info.h): orig_ax holds the syscall number, the
 * 64-bit arguments are in di, si, dx, a 32-bit syscall's in bx, cx, dx; TS_COMPAT in
 * thread_info.status (since "x86: Move thread_info into task_struct", v4.9).
 * arm64 (arch/arm64/include/asm/ptrace.h, thread_info.h): syscallno holds the number, x0 is the
 * result by the syscall's end, so the first argument is orig_x0, the next ones regs[1] and
 * regs[2], for a 32-bit (AArch32) syscall too; TIF_32BIT in thread_info.flags.
 */
#if defined(__TARGET_ARCH_arm64)
struct pt_regs___now {
	__u64 regs[31];
	__u64 orig_x0;
	__s32 syscallno;
} __attribute__((preserve_access_index));

struct thread_info___now {
	unsigned long flags;
} __attribute__((preserve_access_index));
#else
struct pt_regs___now {
	unsigned long bx;
	unsigned long cx;
	unsigned long dx;
	unsigned long si;
	unsigned long di;
	unsigned long orig_ax;
} __attribute__((preserve_access_index));

struct thread_info___now {
	__u32 status;
} __attribute__((preserve_access_index));
#endif

struct task_struct___now {
	struct thread_info___now thread_info;
} __attribute__((preserve_access_index));

/*
 * What a cgroup sock_addr program's context (struct bpf_sock_addr) stands for in the kernel: the
 * socket comes first. A program reads the kernel's struct sock through it with BPF_CORE_READ,
 * which the verifier does not let it do through ctx->sk (no arithmetic on a socket pointer).
 */
struct bpf_sock_addr_kern___now {
	struct sock *sk;
} __attribute__((preserve_access_index));

/* The sysctls that let any socket bind an address this host does not have. */
struct netns_ipv4___now {
	__u8 sysctl_ip_nonlocal_bind;
} __attribute__((preserve_access_index));

struct netns_sysctl_ipv6___now {
	__u8 ip_nonlocal_bind;
} __attribute__((preserve_access_index));

struct netns_ipv6___now {
	struct netns_sysctl_ipv6___now sysctl;
} __attribute__((preserve_access_index));

struct net___now {
	struct netns_ipv4___now ipv4;
	struct netns_ipv6___now ipv6;
	struct net_device *loopback_dev;
} __attribute__((preserve_access_index));

#endif
