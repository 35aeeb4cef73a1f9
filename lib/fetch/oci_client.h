/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Packages in OCI registries, through the distribution API: pull (manifest, then the package
 * layer, each checked against its digest) and push (blobs by monolithic POST + PUT upload,
 * then the manifest). No authentication: registries that need a token are out of scope.
 * Loopback registries are spoken to in plain http, others in https unless o->plain_http.
 */
#ifndef FETCH_OCI_CLIENT_H
#define FETCH_OCI_CLIENT_H

#include <stddef.h>
#include "core/diag.h"
#include "fetch/digest.h"
#include "fetch/fetch_http.h"
#include "fetch/oci_ref.h"

/*
 * The package bytes (malloc'd) the reference names, after checking: the manifest's sha256 is
 * the reference's digest when it has one (else the registry's Docker-Content-Digest when it
 * sends one), the manifest has one layer of the package media type, no larger than a package
 * may be, and the layer's bytes have the manifest's size and sha256. name is the reference as
 * the user wrote it, for messages. manifest_digest gets the manifest's digest.
 */
int oci_pull(const struct fetch_opts *o, const char *name, const struct oci_ref *ref, char **data,
	     size_t *len, char manifest_digest[DIGEST_STR_LEN + 1], struct diag *d);
/* Uploads data (a package) and its manifest; manifest_digest gets the manifest's digest. */
int oci_push(const struct fetch_opts *o, const char *name, const struct oci_ref *ref,
	     const char *data, size_t len, const char *title,
	     char manifest_digest[DIGEST_STR_LEN + 1], struct diag *d);

#endif
