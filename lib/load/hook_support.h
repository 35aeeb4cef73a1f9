/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Whether this kernel can run a program's kind of hook, decided before loading: a load parses
 * the kernel's BTF and relocates the whole object (15-20 ms), where these checks take
 * microseconds. Each check answers only when it is sure; otherwise the load decides.
 *  - fentry/fexit/fmod_ret/LSM programs: an empty program of the same type and attach type is
 *    loaded with no target. A kernel that answers EPERM refuses the type itself (lockdown, a
 *    security policy, missing capabilities), whatever the program.
 *  - kprobes: the kprobe PMU in /sys/bus/event_source/devices and tracefs's kprobe_events are
 *    both missing (the kernel was built without kprobe events).
 *  - tracepoints: tracefs is mounted and has no events/CATEGORY/NAME.
 *  - cgroup socket programs: cgroup v2 is mounted nowhere (they attach to its root).
 */
#ifndef LOAD_HOOK_SUPPORT_H
#define LOAD_HOOK_SUPPORT_H

#include <stddef.h>
#include <bpf/libbpf.h>

/* How a program is sure to fail here. */
enum hook_verdict {
	HOOK_MAY_WORK,	  /* no check is sure: load it and see */
	HOOK_LOAD_FAILS,  /* the kernel refuses to load this kind of program */
	HOOK_ATTACH_FAILS /* it would load, but its hook does not exist here */
};

/* The verdict for prog; unless HOOK_MAY_WORK, why (names the program) in why. */
enum hook_verdict hook_support_check(const struct bpf_program *prog, char *why, size_t size);

#endif
