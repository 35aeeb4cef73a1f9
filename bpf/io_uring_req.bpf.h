/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * io_uring requests as the io_uring tracepoints show them, for tools whose syscall
 * tracepoints never see a bind or an accept made through a ring: io_uring_submit_req fires
 * when a request is submitted (after its prep), io_uring_complete when its completion is
 * posted, io_uring_cqe_overflow when it cannot be posted yet (the completion queue is full).
 * The first two name the ring and the request (struct io_kiocb); the extra completions of a
 * multishot request and an overflow name only the ring and the request's user_data, so a tool
 * tracks its requests from submission (uring_track).
 *
 * A completion is posted by the task that issued or completed the request: the submitter, the
 * ring's SQPOLL thread, or an io-wq worker (whose comm is iou-wrk-PID), all threads of the
 * submitting process sharing its file table, as the fexit/kprobe hooks of the same bind or
 * accept would see them.
 *
 * The kernel's types are read through local flavours (CO-RE, kernel_shims.bpf.h), so the source
 * builds against any vmlinux.h (6.1's has no IORING_OP_BIND) and the object loads on kernels
 * whose layouts differ. What every program needs (the tracepoints' fields, io_kiocb's opcode,
 * file, ctx and async_data) is read without a guard: where it is missing the program fails to
 * load and the loader says what goes unseen. What a program can do without is read behind
 * guards: the fixed-file table (two layouts), io_accept's slot, the older home of a bind's
 * sockaddr.
 */
#ifndef IO_URING_REQ_BPF_H
#define IO_URING_REQ_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "kernel_shims.bpf.h"
#include "emit_event.bpf.h"
#include "task_filter.bpf.h"
#include "socket_from_fd.bpf.h"
#include "sock_addr.bpf.h"

/* uapi numbers, stable */
#define IORING_OP_ACCEPT	13
#define IORING_OP_BIND		56
#define IORING_CQE_F_MORE	(1U << 1)
#define IORING_FILE_INDEX_ALLOC (~0U)
/* The first byte of a request's flags mirrors its IOSQE_* bits: bit 6 is CQE_SKIP_SUCCESS. */
#define REQ_F_CQE_SKIP (1ULL << 6)
/* The low bits of a fixed file's file_ptr are flags (FFS_NOWAIT, FFS_ISREG). */
#define FIXED_FILE_PTR_MASK (~7UL)

/* A ring's request as completions name it when they name no request: ring and user_data. */
struct uring_request_key {
	__u64 ring;
	__u64 user_data;
};

/*
 * Requests a tool cares about, from submission to their last completion, for the completions
 * that name no request: the extra ones of a multishot request, and those the kernel could not
 * post because the ring's completion queue was full (io_uring_cqe_overflow: where
 * io_uring_complete is given the posted entry, as in 6.18, it does not fire for these; 6.1
 * fires both). LRU: a request whose last completion is never seen (its ring torn down) does
 * not stay forever.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 10240);
	__type(key, struct uring_request_key);
	__type(value, __u64);
} uring_requests SEC(".maps");

/*
 * The last extra completion a program reported, on this CPU: older kernels fire
 * io_uring_complete and then io_uring_cqe_overflow for the same entry, back to back under the
 * ring's completion lock; the second must not report it again.
 */
struct uring_completion {
	struct uring_request_key key;
	int res;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct uring_completion);
} uring_last_completion SEC(".maps");

static __always_inline void uring_track(void *ring, __u64 user_data, void *req)
{
	struct uring_request_key key = {(__u64)ring, user_data};
	__u64 value = (__u64)req;

	if (bpf_map_update_elem(&uring_requests, &key, &value, BPF_ANY))
		count_lost();
}

static __always_inline void *uring_tracked(void *ring, __u64 user_data)
{
	struct uring_request_key key = {(__u64)ring, user_data};
	__u64 *req = bpf_map_lookup_elem(&uring_requests, &key);

	return req ? (void *)*req : NULL;
}

static __always_inline void uring_untrack(void *ring, __u64 user_data)
{
	struct uring_request_key key = {(__u64)ring, user_data};

	bpf_map_delete_elem(&uring_requests, &key);
}

/* Remembers an extra completion as reported; true if it just was (the overflow's twin). */
static __always_inline bool uring_seen_last(void *ring, __u64 user_data, int res, bool remember)
{
	struct uring_completion *last = bpf_map_lookup_elem(&uring_last_completion, &(__u32){0});
	bool same;

	if (!last)
		return false;
	same = last->key.ring == (__u64)ring && last->key.user_data == user_data &&
	       last->res == res;
	if (remember) {
		last->key.ring = (__u64)ring;
		last->key.user_data = user_data;
		last->res = res;
	} else {
		last->key.ring = 0;
	}
	return same;
}

static __always_inline __u8 uring_req_opcode(struct io_kiocb___now *req)
{
	return BPF_CORE_READ(req, opcode);
}

/*
 * A tool that counts the operations its hooks miss another way (tcpaccept's tracepoint variant
 * counts, when it closes, an accepted socket no hook saw) defines this, before including this
 * header, to say when that way is on: a request whose success posts nothing is then not counted
 * here as well.
 */
#ifndef URING_SKIPS_COUNTED_ELSEWHERE
#define URING_SKIPS_COUNTED_ELSEWHERE() false
#endif

/*
 * A request a traced task submitted (flags: the request's; with IOSQE_CQE_SKIP_SUCCESS its
 * success posts no completion to read): tracked until it completes, or counted.
 */
static __always_inline int uring_note_submission(void *ring, void *req, __u64 user_data,
						 __u8 opcode, __u64 flags, __u8 wanted)
{
	if (opcode != wanted || !task_is_traced())
		return 0;
	if (!(flags & REQ_F_CQE_SKIP))
		uring_track(ring, user_data, req);
	else if (!URING_SKIPS_COUNTED_ELSEWHERE())
		count_lost();
	return 0;
}

/*
 * The submission tracepoint under either of its names. The program for the name this kernel
 * lacks still loads (the type check is constant, so its relocations sit in dead code) and
 * then fails to attach: its optional group is dropped without loading the object again.
 */
static __always_inline int
uring_submitted_req(struct trace_event_raw_io_uring_submit_req___now *ctx, __u8 wanted)
{
	if (!bpf_core_type_exists(struct trace_event_raw_io_uring_submit_req___now))
		return 0;
	return uring_note_submission(ctx->ctx, ctx->req, ctx->user_data, ctx->opcode,
				     BPF_CORE_READ(ctx, flags), wanted);
}

static __always_inline int
uring_submitted_sqe(struct trace_event_raw_io_uring_submit_sqe___was *ctx, __u8 wanted)
{
	if (!bpf_core_type_exists(struct trace_event_raw_io_uring_submit_sqe___was))
		return 0;
	return uring_note_submission(ctx->ctx, ctx->req, ctx->user_data, ctx->opcode, ctx->flags,
				     wanted);
}

/*
 * The sockaddr an IORING_OP_BIND asked for (sizeof(struct sockaddr_in6) bytes), where its prep
 * copied it: since upstream commit 3979840cd858 (2026, backported to stable series, 6.18.44
 * among them) async_data is the sockaddr itself; before, an io_async_msghdr holding it in
 * addr. Nothing in BTF tells the two apart; the first two bytes do: the family in the first
 * layout, in the second the low bits of an 8-byte aligned pointer (6.15+: vec; never AF_INET
 * 2 or AF_INET6 10) or of fast_iov's user buffer address (6.11 to 6.14: so improbably).
 */
static __always_inline void uring_bind_sockaddr(struct io_kiocb___now *req, __u8 *sockaddr)
{
	struct io_async_msghdr___was *msg = BPF_CORE_READ(req, async_data);
	__u16 family;

	if (!msg || bpf_probe_read_kernel(sockaddr, sizeof(struct sockaddr_in6), msg))
		return;
	family = *(const __u16 *)sockaddr;
	if (family != AF_INET && family != AF_INET6 && bpf_core_field_exists(msg->addr))
		bpf_core_read(sockaddr, sizeof(struct sockaddr_in6), &msg->addr);
}

static __always_inline struct io_accept___now *uring_accept_of(struct io_kiocb___now *req)
{
	return (void *)&req->cmd;
}

/* The file in slot idx of the ring's fixed-file table; *known false if the layout is unknown. */
static __always_inline struct file *uring_fixed_file(void *ring, __u32 idx, bool *known)
{
	unsigned long ptr = 0;

	*known = true;
	if (bpf_core_field_exists(struct io_file_table___now, data)) {
		struct io_ring_ctx___now *ctx = ring;
		struct io_rsrc_node___now **nodes = BPF_CORE_READ(ctx, file_table.data.nodes);
		struct io_rsrc_node___now *node = NULL;

		if (idx >= BPF_CORE_READ(ctx, file_table.data.nr) ||
		    bpf_probe_read_kernel(&node, sizeof(node), &nodes[idx]) || !node)
			return NULL;
		ptr = BPF_CORE_READ(node, file_ptr);
	} else if (bpf_core_field_exists(struct io_file_table___was, files)) {
		struct io_ring_ctx___was *ctx = ring;
		struct io_fixed_file___was *files = BPF_CORE_READ(ctx, file_table.files);

		if (idx >= BPF_CORE_READ(ctx, nr_user_files) ||
		    bpf_probe_read_kernel(&ptr, sizeof(ptr), &files[idx].file_ptr))
			return NULL;
	} else {
		*known = false;
	}
	return (struct file *)(ptr & FIXED_FILE_PTR_MASK);
}

/*
 * The socket an IORING_OP_ACCEPT completed with result res made: a descriptor in the process's
 * file table, or a direct descriptor in the ring's (res is the slot it picked, or 0 for the
 * slot it was given). *known is false when the ring's table could not be read here.
 */
static __always_inline struct socket *uring_accepted_socket(struct io_kiocb___now *req, int res,
							    bool *known)
{
	struct io_accept___now *accept = uring_accept_of(req);
	__u32 slot = 0;

	*known = true;
	if (bpf_core_field_exists(accept->file_slot))
		slot = BPF_CORE_READ(accept, file_slot);
	if (!slot)
		return socket_from_fd(res);
	return socket_from_file(uring_fixed_file(
		BPF_CORE_READ(req, ctx), slot == IORING_FILE_INDEX_ALLOC ? res : slot - 1, known));
}

#endif
