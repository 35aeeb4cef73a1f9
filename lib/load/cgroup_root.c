// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "load/cgroup_root.h"

bool cgroup_prog(const struct bpf_program *prog)
{
	enum bpf_prog_type t = bpf_program__type(prog);

	return t == BPF_PROG_TYPE_CGROUP_SOCK || t == BPF_PROG_TYPE_CGROUP_SOCK_ADDR;
}

/*
 * mountinfo's fields: id, parent, major:minor, root, mount point, options, optional fields up
 * to "-", then the file system type: the first cgroup2 mount of the hierarchy's root.
 */
int cgroup_root_path(char *path, size_t size)
{
	char line[4096], root[PATH_MAX], point[PATH_MAX], *dash;
	FILE *f = fopen("/proc/self/mountinfo", "re");
	int err = -ENOENT;

	if (!f)
		return -errno;
	while (err && fgets(line, sizeof(line), f)) {
		dash = strstr(line, " - cgroup2 ");
		if (!dash || sscanf(line, "%*s %*s %*s %4095s %4095s", root, point) != 2 ||
		    strcmp(root, "/"))
			continue;
		if ((size_t)snprintf(path, size, "%s", point) < size)
			err = 0;
	}
	fclose(f);
	return err;
}

int cgroup_root_fd(struct diag *d)
{
	static int fd = -1;
	char path[PATH_MAX];
	int err;

	if (fd >= 0)
		return fd;
	err = cgroup_root_path(path, sizeof(path));
	if (err)
		return diag_set(d, err, "cgroup v2 is not mounted here (mount -t cgroup2 none "
					"/sys/fs/cgroup)");
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return diag_set(d, -errno, "%s: %s", path, strerror(errno));
	return fd;
}
