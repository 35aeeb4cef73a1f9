// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include "core/cgroup_path.h"

/*
 * mountinfo's fields: id, parent, major:minor, root, mount point, options, optional fields up
 * to "-", then the file system type: the first cgroup2 mount of the hierarchy's root.
 */
int cgroup2_root(char *path, size_t size)
{
	char line[4096], root[PATH_MAX], point[PATH_MAX];
	FILE *f = fopen("/proc/self/mountinfo", "re");
	int err = -ENOENT;

	if (!f)
		return -errno;
	while (err && fgets(line, sizeof(line), f)) {
		if (!strstr(line, " - cgroup2 ") ||
		    sscanf(line, "%*s %*s %*s %4095s %4095s", root, point) != 2 ||
		    strcmp(root, "/"))
			continue;
		if ((size_t)snprintf(path, size, "%s", point) < size)
			err = 0;
	}
	fclose(f);
	return err;
}

static bool is_cgroup2_dir(const char *path)
{
	struct statfs fs;
	struct stat st;

	return !statfs(path, &fs) && fs.f_type == CGROUP2_SUPER_MAGIC && !stat(path, &st) &&
	       S_ISDIR(st.st_mode);
}

int cgroup2_dir(const char *value, const char *what, char *path, size_t size, struct diag *d)
{
	char root[PATH_MAX];

	if (value[0] == '/' && is_cgroup2_dir(value)) {
		snprintf(path, size, "%s", value);
		return 0;
	}
	if (cgroup2_root(root, sizeof(root)))
		return diag_set(d, -ENOENT, "%s: cgroup v2 is not mounted here", what);
	if (strstr(value, "..") ||
	    (size_t)snprintf(path, size, "%s/%s", root, value + (value[0] == '/')) >= size ||
	    !is_cgroup2_dir(path))
		return diag_set(d, -ENOENT, "%s: '%s' is not a cgroup v2 folder, nor one below %s",
				what, value, root);
	return 0;
}
