// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "format/base64.h"
#include "core/file_io.h"
#include "format/package_write.h"

char *package_encode(const void *object, size_t size, struct diag *d)
{
	uLongf zlen = compressBound(size);
	unsigned char *z = malloc(zlen);
	char *b64 = NULL;

	if (!z) {
		diag_set(d, -ENOMEM, "out of memory");
		return NULL;
	}
	if (compress2(z, &zlen, object, size, Z_BEST_COMPRESSION) != Z_OK)
		diag_set(d, -EIO, "zlib compression failed");
	else if (!(b64 = base64_encode(z, zlen)))
		diag_set(d, -ENOMEM, "out of memory");
	free(z);
	return b64;
}

/* The document and a newline, written whole or not at all (file_io.h). */
static int write_text_line(const char *path, const char *text, struct diag *d)
{
	size_t len = strlen(text);
	char *line = malloc(len + 1);
	int err;

	if (!line)
		return diag_set(d, -ENOMEM, "out of memory");
	memcpy(line, text, len);
	line[len] = '\n';
	err = file_write(path, line, len + 1, d);
	free(line);
	return err;
}

int package_write(const char *path, const void *object, size_t size, cJSON *btf_for, cJSON *meta,
		  struct diag *d)
{
	char *b64 = package_encode(object, size, d), *text = NULL;
	cJSON *pkg = cJSON_CreateObject();
	int err;

	if (!b64 || !pkg) {
		cJSON_Delete(meta);
		cJSON_Delete(btf_for);
		cJSON_Delete(pkg);
		free(b64);
		return b64 ? diag_set(d, -ENOMEM, "out of memory") : -EIO;
	}
	cJSON_AddItemToObject(pkg, "bpf_object", cJSON_CreateString(b64));
	cJSON_AddNumberToObject(pkg, "bpf_object_size", (double)size);
	if (btf_for)
		cJSON_AddItemToObject(pkg, "btf_for", btf_for);
	cJSON_AddItemToObject(pkg, "meta", meta);
	text = cJSON_Print(pkg);
	err = text ? write_text_line(path, text, d) : diag_set(d, -ENOMEM, "out of memory");
	free(text);
	free(b64);
	cJSON_Delete(pkg);
	return err;
}
