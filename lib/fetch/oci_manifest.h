/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The OCI image manifest that carries a package: an empty JSON config of ecli's own media type
 * and one layer, the package.json itself, of media type ECLI_PACKAGE_MEDIA_TYPE.
 */
#ifndef FETCH_OCI_MANIFEST_H
#define FETCH_OCI_MANIFEST_H

#include <stddef.h>
#include <stdint.h>
#include "core/diag.h"
#include "fetch/digest.h"

#define OCI_MANIFEST_MEDIA_TYPE "application/vnd.oci.image.manifest.v1+json"
#define ECLI_PACKAGE_MEDIA_TYPE "application/vnd.ecli.package.v1+json"
#define ECLI_CONFIG_MEDIA_TYPE	"application/vnd.ecli.package.config.v1+json"
#define ECLI_CONFIG_BLOB	"{}"
#define OCI_MANIFEST_MAX_BYTES	(4u << 20) /* registries refuse larger manifests too */

struct oci_descriptor {
	char digest[DIGEST_STR_LEN + 1];
	uint64_t size;
};

/*
 * The manifest's bytes (malloc'd, *len bytes): deterministic, so one package pushed twice has
 * one digest. title, when it is made only of letters, digits, '.', '_' and '-', becomes the
 * layer's org.opencontainers.image.title (the file name other OCI tools write it to).
 */
int oci_manifest_build(const struct oci_descriptor *config, const struct oci_descriptor *layer,
		       const char *title, char **out, size_t *len);
/* The one layer of media type ECLI_PACKAGE_MEDIA_TYPE in a manifest; anything else refused. */
int oci_manifest_package_layer(const char *text, size_t len, struct oci_descriptor *layer,
			       struct diag *d);
/* A registry's error body ({"errors": [{"code", "message"}]}) as "CODE: message", or "". */
void oci_registry_error(const char *body, size_t len, char *out, size_t size);

#endif
