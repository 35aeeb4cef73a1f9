// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * runtime_vars: ecli's PID namespace read from /proc/self/ns/pid (in the kernel's dev_t
 * encoding) and written into the variables bindsnoop's package names; those variables are
 * never options. The object is opened, never loaded.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <bpf/libbpf.h>
#include "format/meta.h"
#include "object/object_vars.h"
#include "format/package_read.h"
#include "load/runtime_vars.h"
#include "args/tool_args.h"
#include "unit.h"

#define BINDSNOOP "build/packages/bindsnoop/package.json"

static uint64_t var_u64(struct bpf_object *obj, const char *name)
{
	struct var_ref ref;
	const void *bytes;
	uint64_t v = UINT64_MAX;

	if (!object_find_var(obj, name, &ref) && ref.size == sizeof(v) &&
	    (bytes = object_var_bytes(&ref)))
		memcpy(&v, bytes, sizeof(v));
	return v;
}

TEST(runtime_vars_write_ecli_pid_namespace)
{
	struct package pkg;
	struct package_meta m;
	struct bpf_object *obj = NULL;
	struct runtime_values v;
	struct diag d = {""};
	struct stat st;

	if (package_read_file(BINDSNOOP, &pkg, &d)) {
		CHECK(!"bindsnoop package reads (run from the repository root after make all)");
		return;
	}
	CHECK(meta_parse(pkg.meta, &m, &d) == 0);
	CHECK_STR(m.runtime.pidns_dev, "pidns_dev"); /* added by ecc: the object has both */
	CHECK_STR(m.runtime.pidns_ino, "pidns_ino");
	obj = bpf_object__open_mem(pkg.object, pkg.object_size, NULL);
	CHECK(obj && stat("/proc/self/ns/pid", &st) == 0);
	if (obj && m.runtime.pidns_dev) {
		CHECK(var_u64(obj, "pidns_dev") == 0 && var_u64(obj, "pidns_ino") == 0);
		CHECK(runtime_values_read(&m.runtime, &v, &d) == 0);
		CHECK(v.pidns_ino == st.st_ino);
		CHECK(v.pidns_dev == ((uint64_t)major(st.st_dev) << 20 | minor(st.st_dev)));
		CHECK(runtime_vars_write(&m.runtime, &v, obj, &d) == 0);
		CHECK(var_u64(obj, "pidns_dev") == v.pidns_dev);
		CHECK(var_u64(obj, "pidns_ino") == v.pidns_ino);
	}
	/* a package that names no runtime variable reads and writes nothing */
	{
		struct runtime_spec none = {NULL, NULL};

		CHECK(runtime_values_read(&none, &v, &d) == 0 && !v.pidns_dev && !v.pidns_ino);
		CHECK(!obj || runtime_vars_write(&none, &v, obj, &d) == 0);
	}
	/* a variable the object lacks */
	if (obj) {
		struct runtime_spec wrong = {"pidns_dev", "no_such_variable"};

		CHECK(runtime_vars_write(&wrong, &v, obj, &d) == -ENOENT);
		CHECK_STR(d.msg, "runtime.pidns_ino: cannot set variable no_such_variable");
	}
	bpf_object__close(obj);
	meta_free(&m);
	package_free(&pkg);
}

/* Without "args" every variable becomes an option, except those the loader writes itself. */
TEST(runtime_vars_are_not_generated_options)
{
	struct package pkg;
	struct package_meta m;
	struct bpf_object *obj;
	struct tool_settings s;
	struct diag d = {""};
	int i, pidns = 0, target_pid = 0;

	if (package_read_file(BINDSNOOP, &pkg, &d)) {
		CHECK(!"bindsnoop package reads");
		return;
	}
	CHECK(meta_parse(pkg.meta, &m, &d) == 0);
	obj = bpf_object__open_mem(pkg.object, pkg.object_size, NULL);
	CHECK(obj != NULL);
	m.has_args = false; /* as an eunomia-style source without a schema */
	if (obj && tool_args_parse(&s, &m, obj, 0, NULL, &d) == 0) {
		for (i = 0; i < s.nr_args; i++) {
			pidns += !strncmp(s.args[i].name, "pidns_", 6);
			target_pid += !strcmp(s.args[i].name, "target_pid");
		}
		CHECK(pidns == 0 && target_pid == 1);
		tool_args_free(&s);
	} else {
		CHECK(!"tool_args_parse without args");
	}
	bpf_object__close(obj);
	meta_free(&m);
	package_free(&pkg);
}
