// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include "format/base64.h"
#include "format/inflate.h"
#include "format/meta_json.h"
#include "object/object_check.h"
#include "format/package_btf_for.h"
#include "format/package_read.h"
#include "core/file_io.h"

static const char *const package_keys[] = {
	"bpf_object", "bpf_object_size", "arch", "arch_objects", "btf_for", "meta", NULL};
static const char *const arch_object_keys[] = {"bpf_object", "bpf_object_size", NULL};

int package_read_bytes(const char *path, char **text, size_t *len, struct diag *d)
{
	int err = file_read(path, PACKAGE_MAX_FILE_BYTES, text, len, d);

	if (err == -EFBIG)
		diag_set(d, err, "%s: larger than %u MiB, not a package",
			 strcmp(path, "-") ? path : "stdin", PACKAGE_MAX_FILE_BYTES >> 20);
	return err;
}

int package_read_file(const char *path, struct package *pkg, struct diag *d)
{
	char *text = NULL;
	size_t len = 0;
	int err;

	memset(pkg, 0, sizeof(*pkg));
	err = package_read_bytes(path, &text, &len, d);
	if (err)
		return err;
	err = package_parse(text, len, pkg, d);
	free(text);
	return err;
}

/* where: "" for the package's own object, "arch_objects.ARCH." for another architecture's. */
static int object_size(const cJSON *holder, const char *where, size_t *size, struct diag *d)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(holder, "bpf_object_size");
	double v;

	if (!n)
		return diag_set(d, -EINVAL, "package: missing key \"%sbpf_object_size\"", where);
	if (!cJSON_IsNumber(n))
		return diag_set(d, -EINVAL, "package: \"%sbpf_object_size\" is not a number",
				where);
	v = n->valuedouble;
	if (v != floor(v) || v <= 0)
		return diag_set(d, -EINVAL,
				"package: \"%sbpf_object_size\" %g is not a positive integer",
				where, v);
	if (v > PACKAGE_MAX_OBJECT_BYTES)
		return diag_set(d, -EFBIG,
				"package: \"%sbpf_object_size\" %.15g is over the %u MiB cap",
				where, v, PACKAGE_MAX_OBJECT_BYTES >> 20);
	*size = (size_t)v;
	return 0;
}

/* holder's bpf_object, inflated to its bpf_object_size bytes and checked. */
static int decode_object(const cJSON *holder, const char *where, void **object, size_t *size,
			 struct diag *d)
{
	const cJSON *b64 = cJSON_GetObjectItemCaseSensitive(holder, "bpf_object");
	uint8_t *zdata = NULL;
	size_t zlen = 0, bad = 0, expected = 0;
	int err = object_size(holder, where, &expected, d);

	if (err)
		return err;
	if (!b64)
		return diag_set(d, -EINVAL, "package: missing key \"%sbpf_object\"", where);
	if (!cJSON_IsString(b64))
		return diag_set(d, -EINVAL, "package: \"%sbpf_object\" is not a string", where);
	err = base64_decode(b64->valuestring, strlen(b64->valuestring), &zdata, &zlen, &bad);
	if (err == -EINVAL)
		return diag_set(d, err, "%sbpf_object: invalid base64 at character %zu", where,
				bad);
	if (err)
		return diag_set(d, err, "%sbpf_object: out of memory decoding base64", where);
	err = inflate_exact(zdata, zlen, expected, object, d);
	free(zdata);
	if (!err)
		*size = expected;
	err = err ?: object_check(*object, expected, d);
	if (err && *where) /* inflate's and the check's messages say bpf_object: which one */
		diag_wrap(d, err, "%.*s", (int)strlen(where) - 1, where);
	return err;
}

const char *package_machine_arch(void)
{
	static struct utsname u;

	if (!u.machine[0] && uname(&u))
		snprintf(u.machine, sizeof(u.machine), "unknown");
	return u.machine;
}

/* An architecture's name as uname -m gives it: x86_64, aarch64. */
static bool arch_name(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_");

	return n && !s[n] && n < 32;
}

/* "arch" and "arch_objects": each architecture named once, each entry closed. */
static int check_arches(const cJSON *root, const char **arch, const cJSON **others, struct diag *d)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(root, "arch"), *o, *e;
	char where[64];
	int err = 0;

	*others = cJSON_GetObjectItemCaseSensitive(root, "arch_objects");
	*arch = NULL;
	if (!a && *others)
		return diag_set(d, -EINVAL, "package: \"arch_objects\" without \"arch\"");
	if (!a)
		return 0;
	if (!cJSON_IsString(a) || !arch_name(a->valuestring))
		return diag_set(
			d, -EINVAL,
			"package: \"arch\" is not an architecture's name (x86_64, aarch64)");
	*arch = a->valuestring;
	if (*others && !cJSON_IsObject(*others))
		return diag_set(d, -EINVAL, "package: \"arch_objects\" is not an object");
	o = *others;
	cJSON_ArrayForEach(e, o) {
		snprintf(where, sizeof(where), "package: arch_objects.%.32s", e->string);
		if (!arch_name(e->string) || !strcmp(e->string, *arch))
			return diag_set(d, -EINVAL, "%s: %s", where,
					arch_name(e->string) ? "is the package's own \"arch\""
							     : "is not an architecture's name");
		err = json_check_keys(e, where, arch_object_keys, d);
		if (err)
			return err;
	}
	return 0;
}

/* "x86_64, aarch64": the architectures the package has objects for. */
static void list_arches(const char *arch, const cJSON *others, char *buf, size_t size)
{
	const cJSON *e;
	size_t used = (size_t)snprintf(buf, size, "%s", arch);

	cJSON_ArrayForEach(e, others)
		if (used < size)
			used += (size_t)snprintf(buf + used, size - used, ", %s", e->string);
}

/*
 * The object for machine (NULL: every architecture's is decoded and checked, and the package's
 * own kept): the package's own when it has no "arch" or it is machine's, else the entry of
 * arch_objects for machine; a package without one is refused.
 */
static int select_object(const cJSON *root, const char *machine, struct package *pkg,
			 struct diag *d)
{
	const cJSON *others, *e;
	char where[64], arches[160];
	void *other = NULL;
	size_t size;
	int err = check_arches(root, &pkg->arch, &others, d);

	if (err)
		return err;
	if (!machine || !pkg->arch || !strcmp(pkg->arch, machine)) {
		err = decode_object(root, "", &pkg->object, &pkg->object_size, d);
		cJSON_ArrayForEach(e, others) {
			if (err || machine)
				break;
			snprintf(where, sizeof(where), "arch_objects.%s.", e->string);
			err = decode_object(e, where, &other, &size, d);
			free(other);
			other = NULL;
		}
		return err;
	}
	e = cJSON_GetObjectItemCaseSensitive(others, machine);
	if (!e) {
		list_arches(pkg->arch, others, arches, sizeof(arches));
		return diag_set(d, -ENOEXEC, "package has objects for %s; this machine is %s",
				arches, machine);
	}
	snprintf(where, sizeof(where), "arch_objects.%s.", machine);
	pkg->arch = e->string;
	return decode_object(e, where, &pkg->object, &pkg->object_size, d);
}

static int parse(const char *text, size_t len, const char *machine, struct package *pkg,
		 struct diag *d)
{
	const cJSON *meta;
	int err;

	memset(pkg, 0, sizeof(*pkg));
	if (len == 0)
		return diag_set(d, -EINVAL, "package: empty input");
	err = json_parse_document(text, len, "package", &pkg->root, d);
	if (err)
		return err;
	if (!cJSON_IsObject(pkg->root)) {
		err = diag_set(d, -EINVAL, "package: top level is not a JSON object");
		goto fail;
	}
	err = json_check_keys(pkg->root, "package", package_keys, d);
	if (err)
		goto fail;
	meta = cJSON_GetObjectItemCaseSensitive(pkg->root, "meta");
	if (!meta) {
		err = diag_set(d, -EINVAL, "package: missing key \"meta\"");
		goto fail;
	}
	if (!cJSON_IsObject(meta)) {
		err = diag_set(d, -EINVAL, "package: \"meta\" is not an object");
		goto fail;
	}
	pkg->meta = meta;
	err = select_object(pkg->root, machine, pkg, d);
	if (!err)
		err = package_btf_for_parse(pkg->root, pkg, d);
	if (!err)
		return 0;
fail:
	package_free(pkg);
	return err;
}

int package_parse(const char *text, size_t len, struct package *pkg, struct diag *d)
{
	return parse(text, len, package_machine_arch(), pkg, d);
}

int package_parse_all(const char *text, size_t len, struct package *pkg, struct diag *d)
{
	return parse(text, len, NULL, pkg, d);
}

void package_free(struct package *pkg)
{
	cJSON_Delete(pkg->root);
	free(pkg->object);
	package_btf_for_free(pkg);
	memset(pkg, 0, sizeof(*pkg));
}
