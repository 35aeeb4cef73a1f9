/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * cgroup socket programs (cgroup/bind4, post_bind4, connect4, sock_create, ... and their v6
 * twins: program types CGROUP_SOCK and CGROUP_SOCK_ADDR) attach to a cgroup and see every
 * socket call of every process below it. ecli attaches them to the root of the cgroup v2
 * hierarchy, wherever it is mounted (/sys/fs/cgroup, or /sys/fs/cgroup/unified on a hybrid
 * system): every process of the machine, or of the container when ecli runs in a cgroup
 * namespace; or to the cgroup a package's attach_cgroup option names. Their links end with
 * ecli (nothing is pinned), so they are detached on every exit.
 */
#ifndef LOAD_CGROUP_ROOT_H
#define LOAD_CGROUP_ROOT_H

#include <stdbool.h>
#include <stddef.h>
#include <bpf/libbpf.h>
#include "core/diag.h"

/* A program of a cgroup socket type. */
bool cgroup_prog(const struct bpf_program *prog);
/* An fd of the cgroup folder dir (NULL: the cgroup v2 root), to close once attached. */
int cgroup_attach_fd(const char *dir, struct diag *d);

#endif
