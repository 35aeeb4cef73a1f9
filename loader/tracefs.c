// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/vfs.h>
#include <unistd.h>
#include "tracefs.h"

#define TRACEFS_MAGIC	0x74726163
#define TRACEFS_PATH	"/sys/kernel/tracing"
#define DEBUGFS_TRACING "/sys/kernel/debug/tracing"

static int is_tracefs(const char *path)
{
	struct statfs st;

	return !statfs(path, &st) && st.f_type == TRACEFS_MAGIC;
}

int tracefs_ensure_mounted(struct diag *d)
{
	if (is_tracefs(TRACEFS_PATH) || is_tracefs(DEBUGFS_TRACING))
		return 0;
	if (mount("nodev", TRACEFS_PATH, "tracefs", 0, NULL))
		return diag_set(d, -errno, "cannot mount tracefs on %s: %s", TRACEFS_PATH,
				strerror(errno));
	return 0;
}
