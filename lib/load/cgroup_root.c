// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "core/cgroup_path.h"
#include "load/cgroup_root.h"

bool cgroup_prog(const struct bpf_program *prog)
{
	enum bpf_prog_type t = bpf_program__type(prog);

	return t == BPF_PROG_TYPE_CGROUP_SOCK || t == BPF_PROG_TYPE_CGROUP_SOCK_ADDR ||
	       t == BPF_PROG_TYPE_SOCK_OPS;
}

/*
 * In a cgroup namespace of its own (a container's), the root ecli sees is its container's
 * cgroup: its programs would see that container's processes only. Said once.
 */
static void warn_own_namespace(void)
{
	static bool warned;

	if (warned || cgroup2_root_given() || !cgroup2_own_namespace())
		return;
	warned = true;
	fprintf(stderr, "ecli: warning: ecli is in a cgroup namespace of its own: its cgroup "
			"programs see this namespace's processes only (--cgroup-root names the "
			"host's cgroup v2 mount)\n");
}

int cgroup_attach_fd(const char *dir, struct diag *d)
{
	char root[PATH_MAX];
	int fd;

	if (!dir)
		warn_own_namespace();
	if (!dir && cgroup2_root(root, sizeof(root)))
		return diag_set(d, -ENOENT,
				"cgroup v2 is not mounted here (mount -t cgroup2 none "
				"/sys/fs/cgroup)");
	fd = open(dir ?: root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return diag_set(d, -errno, "%s: %s", dir ?: root, strerror(errno));
	return fd;
}
