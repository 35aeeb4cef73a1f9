// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "format/base64.h"
#include "format/inflate.h"
#include "format/meta_json.h"
#include "format/package_btf_for.h"

static const char *const entry_keys[] = {"release", "arch", "btf", "btf_size", NULL};

static int entry_size(const cJSON *e, const char *path, size_t *size, struct diag *d)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(e, "btf_size");

	if (!cJSON_IsNumber(n))
		return diag_set(d, -EINVAL, "%s.btf_size: %s", path,
				n ? "not a number" : "missing");
	if (n->valuedouble != floor(n->valuedouble) || n->valuedouble <= 0 ||
	    n->valuedouble > PACKAGE_MAX_BTF_BYTES)
		return diag_set(d, -EINVAL,
				"%s.btf_size: %g is not a positive integer up to %u MiB", path,
				n->valuedouble, PACKAGE_MAX_BTF_BYTES >> 20);
	*size = (size_t)n->valuedouble;
	return 0;
}

static int entry_btf(const cJSON *e, const char *path, struct embedded_btf *b, struct diag *d)
{
	const cJSON *text = cJSON_GetObjectItemCaseSensitive(e, "btf");
	uint8_t *zdata = NULL;
	size_t zlen = 0, bad = 0;
	char what[48];
	struct btf *btf;
	int err;

	if (!cJSON_IsString(text))
		return diag_set(d, -EINVAL, "%s.btf: %s", path, text ? "not a string" : "missing");
	err = base64_decode(text->valuestring, strlen(text->valuestring), &zdata, &zlen, &bad);
	if (err == -EINVAL)
		return diag_set(d, err, "%s.btf: invalid base64 at character %zu", path, bad);
	if (err)
		return diag_set(d, err, "%s.btf: out of memory decoding base64", path);
	snprintf(what, sizeof(what), "%s.btf", path);
	err = inflate_exact_as(zdata, zlen, b->size, what, "btf_size", &b->data, d);
	free(zdata);
	if (err)
		return err;
	btf = btf__new(b->data, b->size);
	err = libbpf_get_error(btf);
	btf__free(btf);
	if (err)
		return diag_set(d, -EINVAL, "%s.btf: not BTF (%s)", path,
				strerror(err < 0 ? -err : err));
	return 0;
}

/* An entry for release and arch (NULL: any): entries for any architecture match every one. */
static const struct embedded_btf *find(const struct package *pkg, const char *release,
				       const char *arch)
{
	int i;

	for (i = 0; i < pkg->nr_btfs; i++)
		if (!strcmp(pkg->btfs[i].release, release) &&
		    (!arch || !pkg->btfs[i].arch || !strcmp(pkg->btfs[i].arch, arch)))
			return &pkg->btfs[i];
	return NULL;
}

static int parse_entry(const cJSON *e, const char *path, struct package *pkg, struct diag *d)
{
	const cJSON *release = cJSON_GetObjectItemCaseSensitive(e, "release");
	const cJSON *arch = cJSON_GetObjectItemCaseSensitive(e, "arch");
	struct embedded_btf *b = &pkg->btfs[pkg->nr_btfs];
	int err;

	if (!cJSON_IsObject(e))
		return diag_set(d, -EINVAL, "%s: not an object", path);
	err = json_check_keys(e, path, entry_keys, d);
	if (err)
		return err;
	if (!cJSON_IsString(release) || !*release->valuestring)
		return diag_set(d, -EINVAL, "%s.release: %s", path,
				release ? "not a non-empty string" : "missing");
	if (arch && (!cJSON_IsString(arch) || !*arch->valuestring))
		return diag_set(d, -EINVAL, "%s.arch: not a non-empty string", path);
	b->arch = arch ? arch->valuestring : NULL;
	if (find(pkg, release->valuestring, b->arch))
		return diag_set(d, -EINVAL, "%s.release: '%s' is given twice%s%s", path,
				release->valuestring, b->arch ? " for " : "",
				b->arch ? b->arch : "");
	err = entry_size(e, path, &b->size, d) ?: entry_btf(e, path, b, d);
	if (err) {
		free(b->data);
		return err;
	}
	b->release = release->valuestring;
	pkg->nr_btfs++;
	return 0;
}

int package_btf_for_parse(const cJSON *root, struct package *pkg, struct diag *d)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "btf_for"), *e;
	char path[32];
	int n, err = 0;

	if (!list)
		return 0;
	if (!cJSON_IsArray(list))
		return diag_set(d, -EINVAL, "btf_for: not an array");
	n = cJSON_GetArraySize(list);
	pkg->btfs = calloc(n ?: 1, sizeof(*pkg->btfs));
	if (!pkg->btfs)
		return diag_set(d, -ENOMEM, "btf_for: out of memory");
	cJSON_ArrayForEach(e, list) {
		snprintf(path, sizeof(path), "btf_for[%d]", pkg->nr_btfs);
		err = parse_entry(e, path, pkg, d);
		if (err)
			break;
	}
	return err;
}

void package_btf_for_free(struct package *pkg)
{
	int i;

	for (i = 0; i < pkg->nr_btfs; i++)
		free(pkg->btfs[i].data);
	free(pkg->btfs);
	pkg->btfs = NULL;
	pkg->nr_btfs = 0;
}

const struct embedded_btf *package_btf_for_release(const struct package *pkg, const char *release)
{
	const struct embedded_btf *b = find(pkg, release, pkg->arch);

	/* one for another architecture than the object's would relocate it wrongly */
	return b && (!b->arch || (pkg->arch && !strcmp(b->arch, pkg->arch))) ? b : NULL;
}
