// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include "core/cgroup_path.h"

static char root_given[PATH_MAX]; /* cgroup2_set_root's, or "" */

static bool is_cgroup2_dir(const char *path)
{
	struct statfs fs;
	struct stat st;

	return !statfs(path, &fs) && fs.f_type == CGROUP2_SUPER_MAGIC && !stat(path, &st) &&
	       S_ISDIR(st.st_mode);
}

int cgroup2_set_root(const char *path, const char *what, struct diag *d)
{
	if (path[0] != '/' || !is_cgroup2_dir(path) ||
	    (size_t)snprintf(root_given, sizeof(root_given), "%s", path) >= sizeof(root_given)) {
		root_given[0] = '\0';
		return diag_set(d, -EINVAL, "%s: '%s' is not a cgroup v2 folder (an absolute path)",
				what, path);
	}
	return 0;
}

bool cgroup2_root_given(void)
{
	return root_given[0];
}

/*
 * mountinfo's fields: id, parent, major:minor, root, mount point, options, optional fields up
 * to "-", then the file system type: the first cgroup2 mount of the hierarchy's root.
 */
int cgroup2_root(char *path, size_t size)
{
	char line[4096], root[PATH_MAX], point[PATH_MAX];
	FILE *f;
	int err = -ENOENT;

	if (root_given[0])
		return (size_t)snprintf(path, size, "%s", root_given) < size ? 0 : -ENAMETOOLONG;
	f = fopen("/proc/self/mountinfo", "re");
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

/* The initial cgroup namespace's inode number is fixed: PROC_CGROUP_INIT_INO. */
#define CGROUP_NS_INIT "cgroup:[4026531835]"

bool cgroup2_own_namespace(void)
{
	char self[64] = "";

	if (readlink("/proc/self/ns/cgroup", self, sizeof(self) - 1) < 0)
		return false;
	return strcmp(self, CGROUP_NS_INIT);
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
