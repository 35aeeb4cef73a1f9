// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/vfs.h>
#include <unistd.h>
#include "load/tracefs.h"

#define TRACEFS_MAGIC 0x74726163

static bool mounted_on_host;

static int is_tracefs(const char *path)
{
	struct statfs st;

	return !statfs(path, &st) && st.f_type == TRACEFS_MAGIC;
}

/* A copy of the mounts that shares no propagation with the host: mounts made here stay here. */
static int private_mount_namespace(void)
{
	if (unshare(CLONE_NEWNS))
		return -errno;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return -errno;
	return 0;
}

int tracefs_ensure_mounted(struct diag *d)
{
	bool on_host;

	if (is_tracefs(TRACEFS_PATH) || is_tracefs(DEBUGFS_TRACING))
		return 0;
	on_host = private_mount_namespace() != 0;
	if (mount("nodev", TRACEFS_PATH, "tracefs", 0, NULL))
		return diag_set(
			d, -errno,
			"tracefs is not mounted on %s and cannot be mounted (%s): tracepoints "
			"need it; mount it with 'mount -t tracefs nodev %s'",
			TRACEFS_PATH, strerror(errno), TRACEFS_PATH);
	mounted_on_host = on_host;
	return 0;
}

void tracefs_release(void)
{
	if (mounted_on_host && !umount2(TRACEFS_PATH, MNT_DETACH))
		mounted_on_host = false;
}
