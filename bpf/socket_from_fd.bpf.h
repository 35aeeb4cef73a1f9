/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Finds the struct socket behind a file descriptor of the current task, for programs attached
 * to syscall tracepoints, which see descriptors rather than kernel objects:
 * task->files->fdt->fd[fd]->private_data, after checking that the file is a socket. io_uring
 * programs, which see files, start from the file.
 */
#ifndef SOCKET_FROM_FD_BPF_H
#define SOCKET_FROM_FD_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#define S_IFMT	 00170000
#define S_IFSOCK 0140000

static __always_inline struct socket *socket_from_file(struct file *file)
{
	if (!file || (BPF_CORE_READ(file, f_inode, i_mode) & S_IFMT) != S_IFSOCK)
		return NULL;
	return BPF_CORE_READ(file, private_data);
}

static __always_inline struct socket *socket_from_fd(long fd)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **files;
	struct file *file = NULL;

	if (!fdt || fd < 0 || fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	files = BPF_CORE_READ(fdt, fd);
	if (bpf_probe_read_kernel(&file, sizeof(file), &files[fd]))
		return NULL;
	return socket_from_file(file);
}

#endif
