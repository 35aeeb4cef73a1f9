/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Decides whether a task is traced by its name: the loader writes the text of an option such as
 * bcc's -n into target_comm, and only tasks whose comm contains it are traced (empty: all).
 * Done here rather than in user space so that other tasks' events are never sent.
 */
#ifndef COMM_FILTER_BPF_H
#define COMM_FILTER_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#ifndef TASK_COMM_LEN
#define TASK_COMM_LEN 16
#endif

const volatile char target_comm[TASK_COMM_LEN] = {};

static __always_inline bool comm_is_traced(const char comm[TASK_COMM_LEN])
{
	int start, i;

	if (!target_comm[0])
		return true;
	for (start = 0; start < TASK_COMM_LEN; start++) {
		/* comm ends in a NUL that target_comm's characters never match */
		for (i = 0; start + i < TASK_COMM_LEN; i++) {
			if (!target_comm[i])
				return true;
			if (comm[start + i] != target_comm[i])
				break;
		}
	}
	return false;
}

#endif
