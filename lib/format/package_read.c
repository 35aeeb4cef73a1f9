// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "format/base64.h"
#include "format/inflate.h"
#include "format/meta_json.h"
#include "object/object_check.h"
#include "format/package_btf_for.h"
#include "format/package_read.h"
#include "core/file_io.h"

static const char *const package_keys[] = {"bpf_object", "bpf_object_size", "btf_for", "meta",
					   NULL};

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

static int object_size(const cJSON *root, size_t *size, struct diag *d)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(root, "bpf_object_size");
	double v;

	if (!n)
		return diag_set(d, -EINVAL, "package: missing key \"bpf_object_size\"");
	if (!cJSON_IsNumber(n))
		return diag_set(d, -EINVAL, "package: \"bpf_object_size\" is not a number");
	v = n->valuedouble;
	if (v != floor(v) || v <= 0)
		return diag_set(d, -EINVAL,
				"package: \"bpf_object_size\" %g is not a positive integer", v);
	if (v > PACKAGE_MAX_OBJECT_BYTES)
		return diag_set(d, -EFBIG,
				"package: \"bpf_object_size\" %.15g is over the %u MiB cap", v,
				PACKAGE_MAX_OBJECT_BYTES >> 20);
	*size = (size_t)v;
	return 0;
}

static int decode_object(const cJSON *root, size_t expected, struct package *pkg, struct diag *d)
{
	const cJSON *b64 = cJSON_GetObjectItemCaseSensitive(root, "bpf_object");
	uint8_t *zdata = NULL;
	size_t zlen = 0, bad = 0;
	int err;

	if (!b64)
		return diag_set(d, -EINVAL, "package: missing key \"bpf_object\"");
	if (!cJSON_IsString(b64))
		return diag_set(d, -EINVAL, "package: \"bpf_object\" is not a string");
	err = base64_decode(b64->valuestring, strlen(b64->valuestring), &zdata, &zlen, &bad);
	if (err == -EINVAL)
		return diag_set(d, err, "bpf_object: invalid base64 at character %zu", bad);
	if (err)
		return diag_set(d, err, "bpf_object: out of memory decoding base64");
	err = inflate_exact(zdata, zlen, expected, &pkg->object, d);
	free(zdata);
	if (err)
		return err;
	pkg->object_size = expected;
	return object_check(pkg->object, expected, d);
}

int package_parse(const char *text, size_t len, struct package *pkg, struct diag *d)
{
	const cJSON *meta;
	size_t expected = 0;
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
	err = object_size(pkg->root, &expected, d);
	if (!err)
		err = decode_object(pkg->root, expected, pkg, d);
	if (!err)
		err = package_btf_for_parse(pkg->root, pkg, d);
	if (!err)
		return 0;
fail:
	package_free(pkg);
	return err;
}

void package_free(struct package *pkg)
{
	cJSON_Delete(pkg->root);
	free(pkg->object);
	package_btf_for_free(pkg);
	memset(pkg, 0, sizeof(*pkg));
}
