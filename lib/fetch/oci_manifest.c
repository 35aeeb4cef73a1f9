// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "format/meta_json.h"
#include "fetch/oci_manifest.h"

static bool safe_title(const char *s)
{
	size_t i, n = s ? strlen(s) : 0;

	if (n == 0 || n > 200 || s[0] == '.')
		return false;
	for (i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-",
			    s[i]))
			return false;
	return true;
}

int oci_manifest_build(const struct oci_descriptor *config, const struct oci_descriptor *layer,
		       const char *title, char **out, size_t *len)
{
	char annotations[300] = "";
	int n;

	/* every string written here is a constant, a checked digest or a checked title */
	if (safe_title(title))
		snprintf(annotations, sizeof(annotations),
			 ",\"annotations\":{\"org.opencontainers.image.title\":\"%s\"}", title);
	n = asprintf(out,
		     "{\"schemaVersion\":2,\"mediaType\":\"%s\","
		     "\"config\":{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%llu},"
		     "\"layers\":[{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%llu%s}]}",
		     OCI_MANIFEST_MEDIA_TYPE, ECLI_CONFIG_MEDIA_TYPE, config->digest,
		     (unsigned long long)config->size, ECLI_PACKAGE_MEDIA_TYPE, layer->digest,
		     (unsigned long long)layer->size, annotations);
	if (n < 0) {
		*out = NULL;
		return -ENOMEM;
	}
	*len = n;
	return 0;
}

static const char *string_of(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int read_descriptor(const cJSON *desc, int index, struct oci_descriptor *out, struct diag *d)
{
	const char *digest = string_of(desc, "digest");
	const cJSON *size = cJSON_GetObjectItemCaseSensitive(desc, "size");

	if (!digest || !digest_valid(digest))
		return diag_set(d, -EINVAL,
				"manifest: layers[%d].digest is not sha256: and 64 lowercase hex "
				"digits",
				index);
	if (!cJSON_IsNumber(size) || size->valuedouble < 0 ||
	    size->valuedouble != floor(size->valuedouble) || size->valuedouble > 9007199254740992.0)
		return diag_set(d, -EINVAL, "manifest: layers[%d].size is not a byte count", index);
	strcpy(out->digest, digest);
	out->size = (uint64_t)size->valuedouble;
	return 0;
}

int oci_manifest_package_layer(const char *text, size_t len, struct oci_descriptor *layer,
			       struct diag *d)
{
	cJSON *root = NULL;
	const cJSON *version, *layers, *l;
	const char *media_type, *found_type = NULL;
	/*
	 * one document, no key twice: a manifest with "layers" twice is read by some readers as
	 * its first and by others (the registry, Go, Python) as its last
	 */
	int err = json_parse_document(text, len, "manifest", &root, d), index = 0, found = 0;

	if (err)
		goto out;
	if (!cJSON_IsObject(root)) {
		err = diag_set(d, -EINVAL, "manifest: not a JSON object");
		goto out;
	}
	version = cJSON_GetObjectItemCaseSensitive(root, "schemaVersion");
	if (!cJSON_IsNumber(version) || version->valuedouble != 2) {
		err = diag_set(d, -EINVAL, "manifest: schemaVersion is not 2");
		goto out;
	}
	media_type = string_of(root, "mediaType");
	if (media_type && strcmp(media_type, OCI_MANIFEST_MEDIA_TYPE)) {
		err = diag_set(d, -EINVAL, "manifest: media type %s, not %s", media_type,
			       OCI_MANIFEST_MEDIA_TYPE);
		goto out;
	}
	layers = cJSON_GetObjectItemCaseSensitive(root, "layers");
	if (!cJSON_IsArray(layers)) {
		err = diag_set(d, -EINVAL, "manifest: no layers array");
		goto out;
	}
	cJSON_ArrayForEach(l, layers) {
		const char *t = string_of(l, "mediaType");

		if (t && !strcmp(t, ECLI_PACKAGE_MEDIA_TYPE)) {
			if (found++)
				break;
			err = read_descriptor(l, index, layer, d);
			if (err)
				goto out;
		} else if (!found_type) {
			found_type = t ?: "(none)";
		}
		index++;
	}
	if (found > 1)
		err = diag_set(d, -EINVAL, "manifest: more than one layer of media type %s",
			       ECLI_PACKAGE_MEDIA_TYPE);
	else if (!found && found_type)
		err = diag_set(d, -EINVAL,
			       "manifest: not an ecli package: layer media type %s, not %s",
			       found_type, ECLI_PACKAGE_MEDIA_TYPE);
	else if (!found)
		err = diag_set(d, -EINVAL, "manifest: no layers");
out:
	cJSON_Delete(root);
	return err;
}

void oci_registry_error(const char *body, size_t len, char *out, size_t size)
{
	cJSON *root = cJSON_ParseWithLength(body, len);
	const cJSON *errors = cJSON_GetObjectItemCaseSensitive(root, "errors");
	const cJSON *first = cJSON_IsArray(errors) ? cJSON_GetArrayItem(errors, 0) : NULL;
	const char *code = string_of(first, "code"), *message = string_of(first, "message");

	out[0] = 0;
	if (code && message)
		snprintf(out, size, "%s: %s", code, message);
	else if (code || message)
		snprintf(out, size, "%s", code ?: message);
	for (char *c = out; *c; c++)
		if ((unsigned char)*c < ' ' || *c == 0x7f)
			*c = ' '; /* the server's text stays on the one error line */
	cJSON_Delete(root);
}
