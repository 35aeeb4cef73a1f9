// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "min_btf.h"
#include "core/file_io.h"
#include "format/package_read.h"
#include "format/package_write.h"
#include "tool_run.h"

#define MIN_BTF_SUFFIX ".btf"

static int release_of(const char *arg, const char **path, char *release, size_t len, struct diag *d)
{
	const char *eq = strchr(arg, '='), *base;
	size_t n;

	if (eq) {
		n = eq - arg;
		*path = eq + 1;
	} else {
		base = strrchr(arg, '/') ? strrchr(arg, '/') + 1 : arg;
		n = strlen(base);
		if (n <= strlen(MIN_BTF_SUFFIX) ||
		    strcmp(base + n - strlen(MIN_BTF_SUFFIX), MIN_BTF_SUFFIX))
			return diag_set(d, -EINVAL,
					"--btf-for %s: the kernel release is not known: give "
					"RELEASE=FILE, or name the file RELEASE.btf",
					arg);
		n -= strlen(MIN_BTF_SUFFIX);
		*path = arg;
		arg = base;
	}
	if (!n || n >= len || memchr(arg, '/', n))
		return diag_set(d, -EINVAL, "--btf-for %s: '%.*s' is not a kernel release", arg,
				(int)n, arg);
	memcpy(release, arg, n);
	release[n] = 0;
	return 0;
}

/*
 * The architecture a kernel's BTF is for, by its struct pt_regs (x86's orig_ax, arm64's
 * syscallno); NULL when it says neither. A file that is not BTF is left to bpftool to refuse.
 */
static const char *btf_arch(const char *path)
{
	struct btf *btf = btf__parse(path, NULL);
	const struct btf_type *t;
	const struct btf_member *m;
	const char *arch = NULL;
	int id, i;

	if (libbpf_get_error(btf))
		return NULL;
	id = btf__find_by_name_kind(btf, "pt_regs", BTF_KIND_STRUCT);
	t = id > 0 ? btf__type_by_id(btf, id) : NULL;
	for (i = 0, m = t ? btf_members(t) : NULL; t && i < btf_vlen(t); i++, m++) {
		const char *name = btf__name_by_offset(btf, m->name_off);

		if (name && !strcmp(name, "orig_ax"))
			arch = "x86_64";
		else if (name && !strcmp(name, "syscallno"))
			arch = "aarch64";
	}
	btf__free(btf);
	return arch;
}

int min_btf_add(struct min_btf_list *l, const char *arg, struct diag *d)
{
	struct min_btf_spec *s = &l->specs[l->nr];
	int i, err;

	if (l->nr == MIN_BTF_MAX)
		return diag_set(d, -E2BIG, "--btf-for %s: more than %d kernels", arg, MIN_BTF_MAX);
	err = release_of(arg, &s->path, s->release, sizeof(s->release), d);
	if (err)
		return err;
	if (!*s->path)
		return diag_set(d, -EINVAL, "--btf-for %s: no file after '='", arg);
	s->arch = btf_arch(s->path);
	for (i = 0; i < l->nr; i++)
		if (!strcmp(l->specs[i].release, s->release) &&
		    (!s->arch || !l->specs[i].arch || !strcmp(l->specs[i].arch, s->arch)))
			return diag_set(d, -EINVAL, "--btf-for %s: release %s is given twice", arg,
					s->release);
	l->nr++;
	return 0;
}

static int minimize(const struct min_btf_spec *s, const char *object, const char *out,
		    const char *tmp, struct diag *d)
{
	const char *bpftool = getenv("BPFTOOL");
	char *argv[] = {(char *)(bpftool && *bpftool ? bpftool : "bpftool"),
			"gen",
			"min_core_btf",
			(char *)s->path,
			(char *)out,
			(char *)object,
			NULL};
	struct tool_result r = {0};
	int err = tool_run(argv, tmp, &r);

	if (err)
		return diag_set(d, err, "--btf-for %s: cannot run %s: %s", s->path, argv[0],
				strerror(-err));
	if (r.status)
		return diag_set(d, -EIO,
				"--btf-for %s: %s gen min_core_btf failed (status %d): is it the "
				"kernel's BTF?",
				s->path, argv[0], r.status);
	return 0;
}

static cJSON *entry(const struct min_btf_spec *s, const char *arch, const char *out,
		    struct diag *d)
{
	char *btf = NULL, *b64 = NULL;
	size_t size = 0;
	cJSON *e = NULL;

	if (file_read(out, PACKAGE_MAX_FILE_BYTES, &btf, &size, d))
		return NULL;
	if (!size)
		diag_set(d, -EINVAL, "--btf-for %s: bpftool wrote an empty BTF", s->path);
	else if ((b64 = package_encode(btf, size, d)) && (e = cJSON_CreateObject())) {
		cJSON_AddStringToObject(e, "release", s->release);
		if (arch)
			cJSON_AddStringToObject(e, "arch", arch);
		cJSON_AddStringToObject(e, "btf", b64);
		cJSON_AddNumberToObject(e, "btf_size", (double)size);
	} else if (b64) {
		diag_set(d, -ENOMEM, "out of memory");
	}
	free(b64);
	free(btf);
	return e;
}

/* The object for the kernel s describes: the package's one, or the one of its architecture. */
static const struct package_object *object_for(const struct min_btf_spec *s,
					       const struct package_object *objects, int nr,
					       struct diag *d)
{
	int i;

	if (nr == 1 && !objects[0].arch)
		return &objects[0];
	if (!s->arch) {
		diag_set(d, -EINVAL,
			 "--btf-for %s: its struct pt_regs says no architecture, and the package "
			 "is built for several",
			 s->path);
		return NULL;
	}
	for (i = 0; i < nr; i++)
		if (!strcmp(objects[i].arch, s->arch))
			return &objects[i];
	diag_set(d, -EINVAL, "--btf-for %s: a kernel for %s, which the package is not built for",
		 s->path, s->arch);
	return NULL;
}

static cJSON *build_all(const struct min_btf_list *l, const char *tmp,
			const struct package_object *objects, int nr, struct diag *d)
{
	cJSON *list = cJSON_CreateArray(), *e = NULL;
	const struct package_object *o;
	char out[PATH_MAX], obj[PATH_MAX];
	int i;

	for (i = 0; list && i < l->nr; i++) {
		snprintf(out, sizeof(out), "%s/%d.btf", tmp, i);
		snprintf(obj, sizeof(obj), "%s/%d.o", tmp, i);
		o = object_for(&l->specs[i], objects, nr, d);
		e = !o || file_write(obj, o->data, o->size, d) ||
				    minimize(&l->specs[i], obj, out, tmp, d)
			    ? NULL
			    : entry(&l->specs[i], o->arch, out, d);
		unlink(out);
		unlink(obj);
		if (!e)
			break;
		cJSON_AddItemToArray(list, e);
	}
	if (list && e)
		return list;
	if (!list)
		diag_set(d, -ENOMEM, "out of memory");
	cJSON_Delete(list);
	return NULL;
}

cJSON *min_btf_build(const struct min_btf_list *l, const struct package_object *objects, int nr,
		     struct diag *d)
{
	const char *base = getenv("TMPDIR");
	char tmp[PATH_MAX - 64];
	cJSON *list;

	snprintf(tmp, sizeof(tmp), "%s/ecc-btf-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(tmp)) {
		diag_set(d, -errno, "--btf-for: cannot create a directory in %s: %s",
			 base && *base ? base : "/tmp", strerror(errno));
		return NULL;
	}
	list = build_all(l, tmp, objects, nr, d);
	rmdir(tmp);
	return list;
}
