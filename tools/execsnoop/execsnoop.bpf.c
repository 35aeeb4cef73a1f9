// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * execsnoop: reports execve() and execveat() calls: the process, its parent, the path and
 * arguments it ran, and what exec returned.
 *
 * Syscall tracepoints only: the entry hook copies the path and arguments while the caller's
 * memory still holds them; the exit hook adds the result (and, after a successful exec, the new
 * program's name) and sends the event, as bcc does. The schema's hook variants list the same
 * programs with and without execveat.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "execsnoop.h"
#include "emit_event.bpf.h"
#include "task_filter.bpf.h"
#include "task_cgroup.bpf.h"
#include "comm_filter.bpf.h"

EXPORT_EVENT_TYPE(exec_event);

const volatile int max_args = EXEC_DEFAULT_ARGS;
const volatile bool include_failed = false;
const volatile __u32 target_ppid = 0;

/*
 * Execs in flight by process (the kernel's global id): a thread other than the leader that execs
 * successfully returns with the process's id as its own (de_thread), so a thread id would not
 * find its entry. Two threads of one process calling exec at once share an entry (only one exec
 * can succeed).
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct exec_event);
} execs SEC(".maps");

/* Never written: the zeroed value an exec's entry starts from (too big for the stack). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct exec_event);
} blank_event SEC(".maps");

/* The parent's process id in the loader's PID namespace (0: the parent is outside it). */
static __always_inline __u32 parent_pid(void)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	return pidns_task_tgid(BPF_CORE_READ(task, real_parent));
}

static __always_inline int remember_exec(const char *path, const char *const *argv)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32, zero = 0;
	int i, shown = max_args;
	struct exec_event *e, *blank;
	const char *arg;

	if (!task_is_traced() || (target_ppid && parent_pid() != target_ppid))
		return 0;
	blank = bpf_map_lookup_elem(&blank_event, &zero);
	if (!blank)
		return 0;
	if (bpf_map_update_elem(&execs, &pid, blank, BPF_ANY)) {
		count_lost();
		return 0;
	}
	e = bpf_map_lookup_elem(&execs, &pid);
	if (!e)
		return 0;
	/* execveat(fd, "", ..., AT_EMPTY_PATH), as fexecve() does, names no path: show argv[0] */
	if (bpf_probe_read_user_str(e->args[0], EXEC_ARG_LEN, path) <= 1 &&
	    !bpf_probe_read_user(&arg, sizeof(arg), &argv[0]) && arg)
		bpf_probe_read_user_str(e->args[0], EXEC_ARG_LEN, arg);
	if (shown > EXEC_MAX_ARGS)
		shown = EXEC_MAX_ARGS;
	for (i = 1; i < EXEC_MAX_ARGS && i < shown; i++) {
		if (bpf_probe_read_user(&arg, sizeof(arg), &argv[i]) || !arg)
			return 0;
		bpf_probe_read_user_str(e->args[i], EXEC_ARG_LEN, arg);
	}
	if (!bpf_probe_read_user(&arg, sizeof(arg), &argv[i]) && arg)
		__builtin_memcpy(e->args[i], "...", 4);
	return 0;
}

static __always_inline int report_exec(void *ctx, long ret)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	struct exec_event *e = bpf_map_lookup_elem(&execs, &pid);

	if (!e)
		return 0;
	if (ret && !include_failed)
		goto done;
	e->ts_ns = bpf_ktime_get_ns();
	e->pid = pidns_current_pid_tgid() >> 32;
	e->ppid = parent_pid();
	e->uid = (__u32)bpf_get_current_uid_gid();
	e->cgroup_id = task_cgroup_id();
	e->ret = ret;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	if (comm_is_traced(e->comm))
		emit_event(ctx, e, sizeof(*e));
done:
	bpf_map_delete_elem(&execs, &pid);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_execve")
int sys_enter_execve(struct trace_event_raw_sys_enter *ctx)
{
	return remember_exec((const char *)ctx->args[0], (const char *const *)ctx->args[1]);
}

SEC("tracepoint/syscalls/sys_enter_execveat")
int sys_enter_execveat(struct trace_event_raw_sys_enter *ctx)
{
	return remember_exec((const char *)ctx->args[1], (const char *const *)ctx->args[2]);
}

SEC("tracepoint/syscalls/sys_exit_execve")
int sys_exit_execve(struct trace_event_raw_sys_exit *ctx)
{
	return report_exec(ctx, ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_execveat")
int sys_exit_execveat(struct trace_event_raw_sys_exit *ctx)
{
	return report_exec(ctx, ctx->ret);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
