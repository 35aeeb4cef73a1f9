// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * opensnoop: reports open(), openat() and openat2() calls: who opened which path with which
 * flags and mode, and the fd or the error that came back.
 *
 * Syscall tracepoints only: the entry hook keeps the path pointer, flags and mode of the calls
 * that pass the filters, the exit hook sends them with the result. The schema's hook variants
 * list the same programs in different sets, for kernels without openat2 (before 5.6) and for
 * architectures without open (arm64, riscv).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "opensnoop.h"
#include "emit_event.bpf.h"
#include "task_filter.bpf.h"
#include "task_cgroup.bpf.h"
#include "comm_filter.bpf.h"

EXPORT_EVENT_TYPE(open_event);

const volatile __u32 target_tid = 0;
const volatile bool failed_only = false;
/* -f: only opens with any of these flag bits; bcc's -f O_RDONLY (no bits) matches nothing */
const volatile bool filter_flags = false;
const volatile enum open_flag flag_filter = O_RDONLY;

/* What open() was asked, kept from the entry hook to the exit hook of one thread. */
struct open_request {
	const char *path;
	__u32 flags;
	__u32 mode;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct open_request);
} requests SEC(".maps");

static __always_inline int remember_open(const char *path, __u32 flags, __u32 mode)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct open_request req = {.path = path, .flags = flags, .mode = mode};
	char comm[TASK_COMM_LEN];

	if (target_tid && (__u32)pidns_current_pid_tgid() != target_tid)
		return 0;
	if (filter_flags && !(flags & flag_filter))
		return 0;
	if (!task_is_traced())
		return 0;
	bpf_get_current_comm(comm, sizeof(comm));
	if (!comm_is_traced(comm))
		return 0;
	if (bpf_map_update_elem(&requests, &tid, &req, BPF_ANY))
		count_lost(); /* too many opens in flight: this one will not be reported */
	return 0;
}

/* bcc's "%04o" of the mode, or "n/a" when the flags ask for no mode (open(2) ignores it). */
static __always_inline void format_mode(char mode_text[OPEN_MODE_LEN], __u32 flags, __u32 mode)
{
	int digits = 4, i;

	if (!(flags & O_CREAT) && (flags & O_TMPFILE) != O_TMPFILE) {
		__builtin_memcpy(mode_text, "n/a", 4);
		return;
	}
	for (i = 12; i < 32; i += 3)
		if (mode >> i)
			digits++;
	for (i = 0; i < digits && i < OPEN_MODE_LEN - 1; i++)
		mode_text[digits - 1 - i] = '0' + ((mode >> (3 * i)) & 7);
}

static __always_inline int report_open(void *ctx, long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct open_request *req = bpf_map_lookup_elem(&requests, &tid);
	struct open_event e;
	__u64 pid_tgid;

	if (!req)
		return 0;
	if (failed_only && ret >= 0)
		goto done;
	__builtin_memset(&e, 0, sizeof(e));
	e.ts_ns = bpf_ktime_get_ns();
	pid_tgid = pidns_current_pid_tgid();
	e.pid = pid_tgid >> 32;
	e.tid = (__u32)pid_tgid;
	e.uid = (__u32)bpf_get_current_uid_gid();
	e.cgroup_id = task_cgroup_id();
	bpf_get_current_comm(e.comm, sizeof(e.comm));
	e.fd = ret >= 0 ? ret : -1;
	e.err = ret >= 0 ? 0 : -ret;
	e.flags = req->flags;
	format_mode(e.mode, req->flags, req->mode);
	bpf_probe_read_user_str(e.path, sizeof(e.path), req->path);
	emit_event(ctx, &e, sizeof(e));
done:
	bpf_map_delete_elem(&requests, &tid);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_open")
int sys_enter_open(struct trace_event_raw_sys_enter *ctx)
{
	return remember_open((const char *)ctx->args[0], ctx->args[1], ctx->args[2]);
}

SEC("tracepoint/syscalls/sys_enter_openat")
int sys_enter_openat(struct trace_event_raw_sys_enter *ctx)
{
	return remember_open((const char *)ctx->args[1], ctx->args[2], ctx->args[3]);
}

SEC("tracepoint/syscalls/sys_enter_openat2")
int sys_enter_openat2(struct trace_event_raw_sys_enter *ctx)
{
	struct open_how how = {};

	bpf_probe_read_user(&how, sizeof(how), (const void *)ctx->args[2]);
	return remember_open((const char *)ctx->args[1], how.flags, how.mode);
}

SEC("tracepoint/syscalls/sys_exit_open")
int sys_exit_open(struct trace_event_raw_sys_exit *ctx)
{
	return report_open(ctx, ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_openat")
int sys_exit_openat(struct trace_event_raw_sys_exit *ctx)
{
	return report_open(ctx, ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_openat2")
int sys_exit_openat2(struct trace_event_raw_sys_exit *ctx)
{
	return report_open(ctx, ctx->ret);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
