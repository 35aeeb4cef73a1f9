/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What a cgroup v2 id (bpf_get_current_cgroup_id(), a field with the "cgroup" format) stands
 * for: its folder below the hierarchy's root, the container whose cgroup it is (podman, docker,
 * containerd, CRI-O: the id from the folder's name as each names it, the name from the runtime's
 * state files, with no daemon asked), else the systemd unit (a folder named NAME.service,
 * .scope, .socket, .mount or .swap). Each id is resolved once and kept.
 */
#ifndef OUTPUT_CGROUP_NAMES_H
#define OUTPUT_CGROUP_NAMES_H

#include <stdbool.h>
#include <stdint.h>
#include "core/diag.h"

struct cgroup_info {
	uint64_t id;
	char *path;	 /* below the root ("/system.slice/nginx.service"); NULL: no such cgroup */
	char *container; /* its name, or its id's first 12 digits when the state has none */
	char *container_id; /* 64 hex digits */
	/* "podman", "docker", "containerd", "cri-o", "unknown" (no state has it); NULL: none */
	const char *runtime;
	char *unit; /* a host process's unit ("nginx.service"), or NULL */
};

struct cgroup_names;

/* The runtimes' state is read where they keep it (/var/lib, /run). */
int cgroup_names_open(struct cgroup_names **out, struct diag *d);
void cgroup_names_free(struct cgroup_names *cn);
/* Never NULL: an id no folder has gives an info with path NULL. */
const struct cgroup_info *cgroup_names_get(struct cgroup_names *cn, uint64_t id);

enum cgroup_match {
	CGROUP_MATCH_CONTAINER, /* a container's name, its id, or 12 or more leading digits of it */
	CGROUP_MATCH_UNIT, /* a unit's name (NAME alone: NAME.service); a slice: all below it */
};

/*
 * Calls fn with the id of every cgroup (the folders below too) that value names now; returns
 * how many, or fn's or the walk's negative errno.
 */
int cgroup_names_match(struct cgroup_names *cn, enum cgroup_match what, const char *value,
		       int (*fn)(void *ctx, uint64_t id), void *ctx, struct diag *d);

#endif
