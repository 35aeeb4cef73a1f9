/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * OCI references: HOST[:PORT]/REPO[:TAG] or HOST[:PORT]/REPO[:TAG]@sha256:HEX. HOST is
 * "localhost", a name with a dot, an IPv4 address or a bracketed IPv6 address; there is no
 * default registry, so the host is never implied.
 */
#ifndef FETCH_OCI_REF_H
#define FETCH_OCI_REF_H

#include <stdbool.h>
#include "core/diag.h"
#include "fetch/digest.h"

#define OCI_TAG_MAX 128

struct oci_ref {
	char host[256]; /* as given, port included: "localhost:5000", "[::1]:5000" */
	char repo[256];
	char tag[OCI_TAG_MAX + 1];	 /* "latest" when neither a tag nor a digest is given */
	char digest[DIGEST_STR_LEN + 1]; /* empty without "@sha256:..." */
};

/* Shape only: a '/' after a first part that is a registry host (see above). */
bool oci_ref_looks_like(const char *s);
/* Parses and checks every part; messages name the part that is wrong. */
int oci_ref_parse(const char *s, struct oci_ref *ref, struct diag *d);
/* "tag" or "sha256:..." (the digest when there is one): what the manifest is fetched by. */
const char *oci_ref_target(const struct oci_ref *ref);
/* A loopback registry (localhost, 127.0.0.0/8, [::1]): spoken to in plain http. */
bool oci_host_is_loopback(const char *host);

#endif
