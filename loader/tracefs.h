/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* libbpf attaches tracepoints through tracefs, which a fresh machine may not have mounted. */
#ifndef TRACEFS_H
#define TRACEFS_H

#include "diag.h"

/* Mounts tracefs on /sys/kernel/tracing unless tracefs (or debugfs's copy) is there. */
int tracefs_ensure_mounted(struct diag *d);

#endif
