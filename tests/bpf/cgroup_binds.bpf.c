// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * cgroup socket programs, for the loader's cgroup attachment: each sends an event when a
 * process binds an IPv4 socket, and allows the bind (returns 1 on every path, as ecli checks):
 *   on_bind4       cgroup/bind4 (CGROUP_SOCK_ADDR): before the bind, the address asked for
 *   on_post_bind4  cgroup/post_bind4 (CGROUP_SOCK): after a bind that worked, the port bound
 * ecli attaches both to the cgroup v2 root: every process of the machine.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "emit_event.bpf.h"

enum hook {
	HOOK_BIND4 = 1,
	HOOK_POST_BIND4 = 2,
};

struct cgroup_event {
	__u32 pid;
	__u16 port;
	enum hook hook;
};

EXPORT_EVENT_TYPE(cgroup_event);

const volatile __u32 target_pid = 0;

static __always_inline void report(void *ctx, __u16 port, enum hook hook)
{
	struct cgroup_event e = {
		.pid = bpf_get_current_pid_tgid() >> 32, .port = port, .hook = hook};

	if (!target_pid || e.pid == target_pid)
		emit_event(ctx, &e, sizeof(e));
}

SEC("cgroup/bind4")
int on_bind4(struct bpf_sock_addr *ctx)
{
	report(ctx, bpf_ntohs(ctx->user_port), HOOK_BIND4);
	return 1;
}

SEC("cgroup/post_bind4")
int on_post_bind4(struct bpf_sock *ctx)
{
	report(ctx, ctx->src_port, HOOK_POST_BIND4);
	return 1;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
