// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "object/object_vars.h"
#include "load/runtime_vars.h"

#define OWN_PID_NS "/proc/self/ns/pid"

int runtime_values_read(const struct runtime_spec *r, struct runtime_values *v, struct diag *d)
{
	struct stat st;

	memset(v, 0, sizeof(*v));
	if (!r->pidns_dev)
		return 0;
	if (stat(OWN_PID_NS, &st))
		return diag_set(d, -errno, "cannot read its PID namespace: %s: %s", OWN_PID_NS,
				strerror(errno));
	/*
	 * stat() encodes the device for user space; bpf_get_ns_current_pid_tgid() compares the
	 * kernel's own encoding (MKDEV), which differs once the minor number passes 255.
	 */
	v->pidns_dev = (uint64_t)major(st.st_dev) << 20 | minor(st.st_dev);
	v->pidns_ino = st.st_ino;
	return 0;
}

static int write_u64(struct bpf_object *obj, const char *key, const char *var, uint64_t value,
		     struct diag *d)
{
	struct var_ref ref;
	int err;

	if (!var)
		return 0;
	err = object_find_var(obj, var, &ref);
	err = err ?: ref.size == sizeof(value) ? object_var_write(&ref, &value) : -EINVAL;
	return err ? diag_set(d, err, "runtime.%s: cannot set variable %s", key, var) : 0;
}

int runtime_vars_write(const struct runtime_spec *r, const struct runtime_values *v,
		       struct bpf_object *obj, struct diag *d)
{
	int err = write_u64(obj, "pidns_dev", r->pidns_dev, v->pidns_dev, d);

	return err ?: write_u64(obj, "pidns_ino", r->pidns_ino, v->pidns_ino, d);
}
