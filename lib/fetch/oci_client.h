/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Packages in OCI registries, through the distribution API: pull (manifest, then the package
 * layer, each checked against its digest, and the cosign signatures of the manifest) and push
 * (blobs by monolithic POST + PUT upload, then the manifest; and a signature). A registry that
 * answers 401 gets the login of registry_auth.h: Basic, or the token its Bearer challenge
 * points to (anonymous when there is no login). Loopback registries are spoken to in plain
 * http, others in https unless o->plain_http.
 */
#ifndef FETCH_OCI_CLIENT_H
#define FETCH_OCI_CLIENT_H

#include <stddef.h>
#include "core/diag.h"
#include "fetch/cosign_sig.h"
#include "fetch/digest.h"
#include "fetch/fetch_http.h"
#include "fetch/oci_ref.h"

/* What oci_pull got: the package, its manifest, and what signs it. */
struct oci_pulled {
	char *data; /* the package */
	size_t len;
	char *manifest;
	size_t manifest_len;
	char digest[DIGEST_STR_LEN + 1]; /* the manifest's */
	/* unless o->skip_verify: the payloads (checked against their digests) and their signatures
	 */
	struct cosign_layer *sigs;
	char **payloads;
	size_t nr_sigs;
};

/*
 * The package the reference names, after checking: the manifest's sha256 is the reference's
 * digest when it has one (else the registry's Docker-Content-Digest when it sends one), the
 * manifest has one layer of the package media type, no larger than a package may be, and the
 * layer's bytes have the manifest's size and sha256. Unless o->skip_verify, also the
 * signatures of the manifest's digest (none when the registry has no signature tag). name is
 * the reference as the user wrote it, for messages.
 */
int oci_pull(const struct fetch_opts *o, const char *name, const struct oci_ref *ref,
	     struct oci_pulled *p, struct diag *d);
void oci_pulled_free(struct oci_pulled *p);
/* Uploads data (a package) and its manifest; manifest_digest gets the manifest's digest. */
int oci_push(const struct fetch_opts *o, const char *name, const struct oci_ref *ref,
	     const char *data, size_t len, const char *title,
	     char manifest_digest[DIGEST_STR_LEN + 1], struct diag *d);
/*
 * Adds a signature of digest (a payload and its base64 signature) to the repository's
 * signature tag, keeping the signatures already there.
 */
int oci_push_signature(const struct fetch_opts *o, const char *name, const struct oci_ref *ref,
		       const char *digest, const char *payload, size_t payload_len,
		       const char *signature, struct diag *d);
/*
 * Checks a login at a registry (host): 0 when /v2/ answers 200 with it (through the token
 * flow where the registry uses one).
 */
int oci_check_login(const struct fetch_opts *o, const char *host, const char *user,
		    const char *password, struct diag *d);

#endif
