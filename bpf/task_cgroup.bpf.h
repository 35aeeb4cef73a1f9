/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The cgroup an event happened in, so that ecli can say which container or systemd unit it
 * came from. A tool records it in a 64-bit member of its event and gives that member the
 * "cgroup" display format (display.types.EVENT.MEMBER: {"format": "cgroup"}); ecli then adds
 * the keys container, container_id, runtime, unit and cgroup (docs/package-format.md). A
 * package's --container and --unit options fill cgroup_set (task_filter.bpf.h) with the ids
 * they name, so the filter runs in the kernel.
 *
 * The id is the cgroup v2 one, as the cgroup's inode number on the cgroup2 file system: the
 * same whatever cgroup namespace the loader runs in.
 */
#ifndef TASK_CGROUP_BPF_H
#define TASK_CGROUP_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

static __always_inline __u64 task_cgroup_id(void)
{
	return bpf_get_current_cgroup_id();
}

#endif
