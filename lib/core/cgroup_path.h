/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Where cgroup v2 is mounted, and which of its folders a path names: what cgroup socket
 * programs attach to (load/cgroup_root.h) and what a package's attach_cgroup option names.
 */
#ifndef CORE_CGROUP_PATH_H
#define CORE_CGROUP_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include "core/diag.h"

/*
 * The mount point of the cgroup v2 hierarchy's root (/sys/fs/cgroup, or /sys/fs/cgroup/unified
 * on a hybrid system), from /proc/self/mountinfo; -ENOENT when it is mounted nowhere.
 */
int cgroup2_root(char *path, size_t size);
/*
 * From now on the root is path, a cgroup v2 folder (`ecli run --cgroup-root`: the host's
 * hierarchy mounted into a container whose own cgroup namespace hides it); what names the
 * value in messages.
 */
int cgroup2_set_root(const char *path, const char *what, struct diag *d);
bool cgroup2_root_given(void);
/* Whether this process is in a cgroup namespace other than the initial one (false: unknown). */
bool cgroup2_own_namespace(void);
/*
 * The cgroup v2 folder value names into path: a folder of the cgroup v2 file system, or a
 * path below its root ("system.slice/nginx.service"). what names the value in messages.
 */
int cgroup2_dir(const char *value, const char *what, char *path, size_t size, struct diag *d);

#endif
