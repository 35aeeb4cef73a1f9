/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * libbpf attaches tracepoints through tracefs, which a fresh machine may not have mounted.
 * ecli leaves the host's mounts as it found them: it mounts tracefs in a mount namespace of
 * its own (private propagation, so the mount never reaches the host and dies with ecli, even
 * on SIGKILL). unshare(CLONE_NEWNS) is refused to a process with threads (libcurl's resolver
 * thread may outlive a fetch); then tracefs is mounted on the host and tracefs_release()
 * unmounts it on ecli's exit path.
 */
#ifndef LOAD_TRACEFS_H
#define LOAD_TRACEFS_H

#include "core/diag.h"

#define TRACEFS_PATH	"/sys/kernel/tracing"
#define DEBUGFS_TRACING "/sys/kernel/debug/tracing" /* where older systems mount it */

/* Mounts tracefs on /sys/kernel/tracing unless tracefs (or debugfs's copy) is there. */
int tracefs_ensure_mounted(struct diag *d);

/* Unmounts what tracefs_ensure_mounted() mounted on the host, if anything. */
void tracefs_release(void);

#endif
