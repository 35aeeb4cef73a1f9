// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "include_dir.h"

static int is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

/* dir = <dir of the running ecc>/<rel>, normalised, when it is a directory. */
static int beside_binary(const char *rel, char *dir, size_t len)
{
	char exe[PATH_MAX], candidate[PATH_MAX + 64], *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return -ENOENT;
	exe[n] = 0;
	slash = strrchr(exe, '/');
	if (slash)
		*slash = 0;
	snprintf(candidate, sizeof(candidate), "%s/%s", exe, rel);
	if (!is_dir(candidate) || !realpath(candidate, exe))
		return -ENOENT;
	snprintf(dir, len, "%s", exe);
	return 0;
}

int include_dir_find(char *dir, size_t len, struct diag *d)
{
	const char *env = getenv("ECC_INCLUDE");

	if (env && *env) {
		if (!is_dir(env))
			return diag_set(d, -ENOENT, "ECC_INCLUDE=%s: not a directory", env);
		snprintf(dir, len, "%s", env);
		return 0;
	}
	if (!beside_binary("include", dir, len) ||
	    !beside_binary("../share/ecli/include", dir, len))
		return 0;
	return diag_set(d, -ENOENT,
			"no include dir beside ecc (include/ or ../share/ecli/include/): run make, "
			"or set ECC_INCLUDE to a directory with vmlinux.h and bpf/bpf_helpers.h");
}
