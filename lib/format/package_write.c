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

/* {"bpf_object": zlib + base64, "bpf_object_size": n} into holder. */
static int add_object(cJSON *holder, const struct package_object *o, struct diag *d)
{
	char *b64 = package_encode(o->data, o->size, d);
	cJSON *str = b64 ? cJSON_CreateString(b64) : NULL;

	free(b64);
	if (!str)
		return b64 ? diag_set(d, -ENOMEM, "out of memory") : -EIO;
	cJSON_AddItemToObject(holder, "bpf_object", str);
	return cJSON_AddNumberToObject(holder, "bpf_object_size", (double)o->size)
		       ? 0
		       : diag_set(d, -ENOMEM, "out of memory");
}

/* objects[0] as the package's own, with its "arch"; the others in "arch_objects". */
static int add_objects(cJSON *pkg, const struct package_object *objects, int nr, struct diag *d)
{
	cJSON *others = NULL, *entry;
	int i, err = add_object(pkg, &objects[0], d);

	if (!err && objects[0].arch && !cJSON_AddStringToObject(pkg, "arch", objects[0].arch))
		err = diag_set(d, -ENOMEM, "out of memory");
	if (!err && nr > 1 && !(others = cJSON_AddObjectToObject(pkg, "arch_objects")))
		err = diag_set(d, -ENOMEM, "out of memory");
	for (i = 1; i < nr && !err; i++) {
		entry = cJSON_AddObjectToObject(others, objects[i].arch);
		err = entry ? add_object(entry, &objects[i], d)
			    : diag_set(d, -ENOMEM, "out of memory");
	}
	return err;
}

int package_write(const char *path, const struct package_object *objects, int nr, cJSON *btf_for,
		  cJSON *meta, struct diag *d)
{
	cJSON *pkg = cJSON_CreateObject();
	char *text = NULL;
	int err = pkg ? add_objects(pkg, objects, nr, d) : diag_set(d, -ENOMEM, "out of memory");

	if (!err && btf_for)
		cJSON_AddItemToObject(pkg, "btf_for", btf_for);
	else
		cJSON_Delete(btf_for);
	if (!err)
		cJSON_AddItemToObject(pkg, "meta", meta);
	else
		cJSON_Delete(meta);
	if (!err && !(text = cJSON_Print(pkg)))
		err = diag_set(d, -ENOMEM, "out of memory");
	err = err ?: write_text_line(path, text, d);
	free(text);
	cJSON_Delete(pkg);
	return err;
}
