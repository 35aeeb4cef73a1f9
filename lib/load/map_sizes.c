// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "load/map_sizes.h"

#define PID_MAX_PATH "/proc/sys/kernel/pid_max"

static int read_pid_max(int *out, struct diag *d)
{
	FILE *f = fopen(PID_MAX_PATH, "re");
	int n = 0, ok;

	if (!f)
		return diag_set(d, -errno, "%s: %s", PID_MAX_PATH, strerror(errno));
	ok = fscanf(f, "%d", &n) == 1 && n > 0;
	fclose(f);
	if (!ok)
		return diag_set(d, -EINVAL, "%s: not a positive number", PID_MAX_PATH);
	*out = n;
	return 0;
}

static int entries(const struct map_size *ms, int *out, struct diag *d)
{
	switch (ms->kind) {
	case MAP_SIZE_FIXED:
		*out = ms->entries;
		return 0;
	case MAP_SIZE_PID_MAX:
		return read_pid_max(out, d);
	case MAP_SIZE_NR_CPUS:
		*out = libbpf_num_possible_cpus();
		return *out > 0 ? 0 : diag_set(d, *out, "cannot count the possible CPUs");
	}
	return diag_set(d, -EINVAL, "map %s: unknown size", ms->map);
}

int map_sizes_apply(const struct package_meta *m, struct bpf_object *obj, struct diag *d)
{
	struct bpf_map *map;
	int i, n = 0, err = 0;

	for (i = 0; i < m->nr_map_sizes && !err; i++) {
		map = bpf_object__find_map_by_name(obj, m->map_sizes[i].map);
		if (!map)
			return diag_set(d, -ENOENT, "bpf_skel.maps: no map %s in the object",
					m->map_sizes[i].map);
		err = entries(&m->map_sizes[i], &n, d);
		if (!err && (err = bpf_map__set_max_entries(map, (__u32)n)))
			err = diag_set(d, err, "map %s: cannot set %d entries", m->map_sizes[i].map,
				       n);
	}
	return err;
}
