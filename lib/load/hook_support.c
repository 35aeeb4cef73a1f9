// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "core/cgroup_path.h"
#include "load/cgroup_root.h"
#include "load/hook_support.h"
#include "load/libbpf_log.h"
#include "load/tracefs.h"

#define EVENT_SOURCES	"/sys/bus/event_source/devices"
#define MAX_TRIAL_KINDS 8

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* The section's kind, as the author wrote it: "fexit" of "fexit/FUNCTION". */
static int kind_len(const char *sec)
{
	const char *slash = strchr(sec, '/');

	return slash ? (int)(slash - sec) : (int)strlen(sec);
}

/*
 * 0 or -errno from loading "r0 = 0; exit" as this type and attach type with no attach target.
 * Remembered per kind: a run asks once.
 */
static int trial_load(enum bpf_prog_type type, enum bpf_attach_type attach)
{
	static struct {
		enum bpf_prog_type type;
		enum bpf_attach_type attach;
		int err;
	} seen[MAX_TRIAL_KINDS];
	static int nr_seen;
	const struct bpf_insn insns[] = {
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0},
		{.code = BPF_JMP | BPF_EXIT},
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = attach);
	int i, fd, err;

	for (i = 0; i < nr_seen; i++)
		if (seen[i].type == type && seen[i].attach == attach)
			return seen[i].err;
	fd = bpf_prog_load(type, NULL, "GPL", insns, 2, &opts);
	err = fd < 0 ? -errno : 0;
	if (fd >= 0)
		close(fd);
	if (nr_seen < MAX_TRIAL_KINDS)
		seen[nr_seen++] = (typeof(seen[0])){type, attach, err};
	return err;
}

static enum hook_verdict check_trampoline(const struct bpf_program *prog, char *why, size_t size)
{
	const char *sec = bpf_program__section_name(prog);
	int err = trial_load(bpf_program__type(prog), bpf_program__expected_attach_type(prog));

	if (err != -EPERM)
		return HOOK_MAY_WORK;
	snprintf(why, size,
		 "prog '%s': this kernel refuses %.*s programs (an empty one, checked before "
		 "loading: %s)",
		 bpf_program__name(prog), kind_len(sec), sec, strerror(EPERM));
	libbpf_log_explain_eperm();
	return HOOK_LOAD_FAILS;
}

/* No kprobe PMU (Linux 4.17+ has it wherever kprobe events are built) and no kprobe_events. */
static bool kernel_lacks_kprobes(void)
{
	return !access(EVENT_SOURCES "/tracepoint", F_OK) &&
	       access(EVENT_SOURCES "/kprobe", F_OK) &&
	       access(TRACEFS_PATH "/kprobe_events", F_OK) &&
	       access(DEBUGFS_TRACING "/kprobe_events", F_OK);
}

static enum hook_verdict check_kprobe(const struct bpf_program *prog, char *why, size_t size)
{
	const char *sec = bpf_program__section_name(prog);

	if (!starts_with(sec, "kprobe/") && !starts_with(sec, "kretprobe/") &&
	    !starts_with(sec, "ksyscall/") && !starts_with(sec, "kretsyscall/"))
		return HOOK_MAY_WORK;
	if (!kernel_lacks_kprobes())
		return HOOK_MAY_WORK;
	snprintf(why, size,
		 "prog '%s': this kernel has no kprobes (no kprobe PMU, no kprobe_events; checked "
		 "before loading)",
		 bpf_program__name(prog));
	return HOOK_ATTACH_FAILS;
}

static enum hook_verdict check_tracepoint(const struct bpf_program *prog, char *why, size_t size)
{
	const char *sec = bpf_program__section_name(prog), *tp = strchr(sec, '/');
	const char *root = !access(TRACEFS_PATH "/events", F_OK)      ? TRACEFS_PATH
			   : !access(DEBUGFS_TRACING "/events", F_OK) ? DEBUGFS_TRACING
								      : NULL;
	char path[512];

	if (!tp || !strchr(tp + 1, '/') || !root)
		return HOOK_MAY_WORK;
	if (snprintf(path, sizeof(path), "%s/events/%s", root, tp + 1) >= (int)sizeof(path) ||
	    !access(path, F_OK))
		return HOOK_MAY_WORK;
	snprintf(why, size,
		 "prog '%s': no tracepoint %s here (tracefs lacks it; checked before "
		 "loading)",
		 bpf_program__name(prog), tp + 1);
	return HOOK_ATTACH_FAILS;
}

static enum hook_verdict check_cgroup(const struct bpf_program *prog, char *why, size_t size)
{
	char path[256];

	if (!cgroup2_root(path, sizeof(path)))
		return HOOK_MAY_WORK;
	snprintf(why, size, "prog '%s': cgroup v2 is not mounted here (checked before loading)",
		 bpf_program__name(prog));
	return HOOK_ATTACH_FAILS;
}

enum hook_verdict hook_support_check(const struct bpf_program *prog, char *why, size_t size)
{
	switch (bpf_program__type(prog)) {
	case BPF_PROG_TYPE_CGROUP_SOCK:
	case BPF_PROG_TYPE_CGROUP_SOCK_ADDR:
	case BPF_PROG_TYPE_SOCK_OPS:
		return check_cgroup(prog, why, size);
	case BPF_PROG_TYPE_TRACING:
	case BPF_PROG_TYPE_LSM:
		return check_trampoline(prog, why, size);
	case BPF_PROG_TYPE_KPROBE:
		return check_kprobe(prog, why, size);
	case BPF_PROG_TYPE_TRACEPOINT:
		return check_tracepoint(prog, why, size);
	default:
		return HOOK_MAY_WORK;
	}
}
