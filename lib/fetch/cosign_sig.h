/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * cosign's signatures of registry artifacts (cosign sign --key, without a transparency log):
 * the manifest of digest sha256:HEX is signed by a manifest tagged "sha256-HEX.sig" in the same
 * repository, whose layers are simple-signing payloads
 *
 *   {"critical":{"identity":{"docker-reference":"HOST/REPO"},
 *    "image":{"docker-manifest-digest":"sha256:HEX"},
 *    "type":"cosign container image signature"},"optional":null}
 *
 * of media type COSIGN_PAYLOAD_MEDIA_TYPE, each with the base64 of its signature in the
 * annotation COSIGN_SIGNATURE_ANNOTATION. A payload counts for the digest it names; the
 * docker-reference is not compared, as cosign does not (a signed artifact may be copied to
 * another registry with its signature).
 */
#ifndef FETCH_COSIGN_SIG_H
#define FETCH_COSIGN_SIG_H

#include <stddef.h>
#include "core/diag.h"
#include "fetch/oci_manifest.h"

#define COSIGN_PAYLOAD_MEDIA_TYPE   "application/vnd.dev.cosign.simplesigning.v1+json"
#define COSIGN_SIGNATURE_ANNOTATION "dev.cosignproject.cosign/signature"
#define COSIGN_CONFIG_MEDIA_TYPE    "application/vnd.oci.image.config.v1+json"
#define COSIGN_PAYLOAD_MAX_BYTES    (64u << 10)
#define COSIGN_MAX_SIGNATURES	    32

/* One signature layer: the payload's descriptor and the base64 signature. */
struct cosign_layer {
	struct oci_descriptor payload;
	char signature[1024];
};

/* "sha256-HEX.sig": the tag of digest's signatures (OCI_TAG_MAX + 1 bytes). */
void cosign_sig_tag(const char *digest, char *tag, size_t size);
/* The payload that signs digest for docker_ref (malloc'd, exact bytes as cosign writes). */
int cosign_payload_build(const char *docker_ref, const char *digest, char **out, size_t *len);
/* 0 when payload is a cosign payload for digest; else why not. */
int cosign_payload_check(const char *payload, size_t len, const char *digest, struct diag *d);
/* The signature layers of a signature manifest (*layers malloc'd, at most COSIGN_MAX_SIGNATURES).
 */
int cosign_sig_layers(const char *manifest, size_t len, struct cosign_layer **layers, size_t *n,
		      struct diag *d);
/*
 * A signature manifest of the layers of old (another signer's, kept as they are; NULL when
 * there is none) and a new one, and the image config it names (both malloc'd).
 */
int cosign_sig_manifest(const char *old, size_t old_len, const struct cosign_layer *add,
			char **config, size_t *config_len, char **manifest, size_t *manifest_len,
			struct diag *d);

#endif
