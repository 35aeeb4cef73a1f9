// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "fetch/cosign_sig.h"
#include "fetch/digest.h"
#include "format/meta_json.h"

#define PAYLOAD_TYPE "cosign container image signature"

void cosign_sig_tag(const char *digest, char *tag, size_t size)
{
	const char *hex = strchr(digest, ':');

	snprintf(tag, size, "sha256-%s.sig", hex ? hex + 1 : digest);
}

int cosign_payload_build(const char *docker_ref, const char *digest, char **out, size_t *len)
{
	/* docker_ref and digest are checked references: nothing in them needs escaping */
	int n = asprintf(out,
			 "{\"critical\":{\"identity\":{\"docker-reference\":\"%s\"},"
			 "\"image\":{\"docker-manifest-digest\":\"%s\"},"
			 "\"type\":\"" PAYLOAD_TYPE "\"},\"optional\":null}",
			 docker_ref, digest);

	if (n < 0) {
		*out = NULL;
		return -ENOMEM;
	}
	*len = n;
	return 0;
}

static const cJSON *member(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

int cosign_payload_check(const char *payload, size_t len, const char *digest, struct diag *d)
{
	const cJSON *critical, *type, *signed_digest;
	cJSON *root = NULL;
	int err = json_parse_document(payload, len, "signature payload", &root, d);

	if (err)
		return err;
	critical = member(root, "critical");
	type = member(critical, "type");
	signed_digest = member(member(critical, "image"), "docker-manifest-digest");
	if (!cJSON_IsString(type) || strcmp(type->valuestring, PAYLOAD_TYPE))
		err = diag_set(d, -EINVAL, "signature payload: critical.type is not \"%s\"",
			       PAYLOAD_TYPE);
	else if (!cJSON_IsString(signed_digest))
		err = diag_set(d, -EINVAL,
			       "signature payload: no critical.image.docker-manifest-digest");
	else if (strcmp(signed_digest->valuestring, digest))
		err = diag_set(d, -EINVAL, "signature payload: signs %.80s, not %s",
			       signed_digest->valuestring, digest);
	cJSON_Delete(root);
	return err;
}

static bool is_payload_layer(const cJSON *l)
{
	const cJSON *t = member(l, "mediaType");

	return cJSON_IsString(t) && !strcmp(t->valuestring, COSIGN_PAYLOAD_MEDIA_TYPE);
}

static int read_layer(const cJSON *l, struct cosign_layer *out)
{
	const cJSON *digest = member(l, "digest"), *size = member(l, "size"),
		    *sig = member(member(l, "annotations"), COSIGN_SIGNATURE_ANNOTATION);

	if (!cJSON_IsString(digest) || !digest_valid(digest->valuestring) ||
	    !cJSON_IsNumber(size) || size->valuedouble < 0 ||
	    size->valuedouble > COSIGN_PAYLOAD_MAX_BYTES || !cJSON_IsString(sig) ||
	    strlen(sig->valuestring) >= sizeof(out->signature))
		return -EINVAL;
	strcpy(out->payload.digest, digest->valuestring);
	out->payload.size = (uint64_t)size->valuedouble;
	strcpy(out->signature, sig->valuestring);
	return 0;
}

static int parse_manifest(const char *text, size_t len, cJSON **root, const cJSON **layers,
			  struct diag *d)
{
	int err = json_parse_document(text, len, "signature manifest", root, d);

	if (err)
		return err;
	*layers = member(*root, "layers");
	if (cJSON_IsArray(*layers))
		return 0;
	cJSON_Delete(*root);
	*root = NULL;
	return diag_set(d, -EINVAL, "signature manifest: no layers array");
}

int cosign_sig_layers(const char *manifest, size_t len, struct cosign_layer **layers, size_t *n,
		      struct diag *d)
{
	const cJSON *arr, *l;
	cJSON *root;
	int err = parse_manifest(manifest, len, &root, &arr, d);

	*layers = NULL;
	*n = 0;
	if (err)
		return err;
	*layers = calloc(COSIGN_MAX_SIGNATURES, sizeof(**layers));
	if (!*layers) {
		cJSON_Delete(root);
		return diag_set(d, -ENOMEM, "out of memory");
	}
	/* layers of other kinds, or without a signature, sign nothing here */
	cJSON_ArrayForEach(l, arr) {
		if (*n < COSIGN_MAX_SIGNATURES && is_payload_layer(l) &&
		    !read_layer(l, *layers + *n))
			(*n)++;
	}
	cJSON_Delete(root);
	return 0;
}

static cJSON *descriptor(const char *media_type, const char *digest, uint64_t size)
{
	cJSON *o = cJSON_CreateObject();

	if (!o || !cJSON_AddStringToObject(o, "mediaType", media_type) ||
	    !cJSON_AddNumberToObject(o, "size", (double)size) ||
	    !cJSON_AddStringToObject(o, "digest", digest)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* The new signature's layer, after those kept from old (signatures equal to it dropped). */
static int collect_layers(const char *old, size_t old_len, const struct cosign_layer *add,
			  cJSON *layers, struct diag *d)
{
	struct cosign_layer kept;
	const cJSON *arr = NULL, *l;
	cJSON *root = NULL, *mine, *ann;
	int err = old ? parse_manifest(old, old_len, &root, &arr, d) : 0;

	if (err)
		return err;
	cJSON_ArrayForEach(l, arr) {
		if (!is_payload_layer(l) || read_layer(l, &kept) ||
		    (!strcmp(kept.payload.digest, add->payload.digest) &&
		     !strcmp(kept.signature, add->signature)))
			continue;
		cJSON_AddItemToArray(layers, cJSON_Duplicate(l, true));
	}
	cJSON_Delete(root);
	mine = descriptor(COSIGN_PAYLOAD_MEDIA_TYPE, add->payload.digest, add->payload.size);
	ann = mine ? cJSON_AddObjectToObject(mine, "annotations") : NULL;
	if (!ann || !cJSON_AddStringToObject(ann, COSIGN_SIGNATURE_ANNOTATION, add->signature)) {
		cJSON_Delete(mine);
		return diag_set(d, -ENOMEM, "out of memory");
	}
	cJSON_AddItemToArray(layers, mine);
	return 0;
}

/* The image config cosign writes: empty but for the layers' digests. */
static char *image_config(const cJSON *layers)
{
	cJSON *c = cJSON_CreateObject(), *rootfs, *ids, *history, *h;
	const cJSON *l;
	char *text = NULL;

	if (!c)
		return NULL;
	cJSON_AddStringToObject(c, "architecture", "");
	cJSON_AddStringToObject(c, "created", "0001-01-01T00:00:00Z");
	history = cJSON_AddArrayToObject(c, "history");
	h = cJSON_CreateObject();
	cJSON_AddStringToObject(h, "created", "0001-01-01T00:00:00Z");
	cJSON_AddItemToArray(history, h);
	cJSON_AddStringToObject(c, "os", "");
	rootfs = cJSON_AddObjectToObject(c, "rootfs");
	cJSON_AddStringToObject(rootfs, "type", "layers");
	ids = cJSON_AddArrayToObject(rootfs, "diff_ids");
	cJSON_ArrayForEach(l, layers) {
		cJSON_AddItemToArray(ids, cJSON_CreateString(member(l, "digest")->valuestring));
	}
	cJSON_AddObjectToObject(c, "config");
	text = cJSON_PrintUnformatted(c);
	cJSON_Delete(c);
	return text;
}

int cosign_sig_manifest(const char *old, size_t old_len, const struct cosign_layer *add,
			char **config, size_t *config_len, char **manifest, size_t *manifest_len,
			struct diag *d)
{
	cJSON *m = cJSON_CreateObject(), *layers = cJSON_CreateArray(), *cfg;
	char config_digest[DIGEST_STR_LEN + 1];
	int err;

	*config = *manifest = NULL;
	if (!m || !layers) {
		err = diag_set(d, -ENOMEM, "out of memory");
		goto out;
	}
	err = collect_layers(old, old_len, add, layers, d);
	if (err)
		goto out;
	*config = image_config(layers);
	if (!*config) {
		err = diag_set(d, -ENOMEM, "out of memory");
		goto out;
	}
	*config_len = strlen(*config);
	err = digest_sha256(*config, *config_len, config_digest, d);
	if (err)
		goto out;
	cJSON_AddNumberToObject(m, "schemaVersion", 2);
	cJSON_AddStringToObject(m, "mediaType", OCI_MANIFEST_MEDIA_TYPE);
	cfg = descriptor(COSIGN_CONFIG_MEDIA_TYPE, config_digest, *config_len);
	cJSON_AddItemToObject(m, "config", cfg);
	cJSON_AddItemToObject(m, "layers", layers);
	layers = NULL;
	*manifest = cJSON_PrintUnformatted(m);
	if (!cfg || !*manifest)
		err = diag_set(d, -ENOMEM, "out of memory");
	else
		*manifest_len = strlen(*manifest);
out:
	if (err) {
		free(*config);
		free(*manifest);
		*config = *manifest = NULL;
	}
	cJSON_Delete(layers);
	cJSON_Delete(m);
	return err;
}
