/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Is a package signed by a trusted key (trust.h)? Three forms of signature:
 *
 *   a registry's   cosign's signature tag (cosign_sig.h) for the manifest pulled
 *   a URL's        URL.sig: what `cosign sign-blob --key` writes, the base64 of the signature
 *                  of the package's bytes; or no signature but a pin, URL#sha256=HEX
 *   a file's       FILE.sig beside it, when there is one: sign-blob's form, or the bundle
 *                  `ecli pull -o FILE` saves (PACKAGE_SIG_BUNDLE_TYPE: the manifest, the
 *                  payload and its signature, so that it is checked again without the registry)
 *
 * With o->skip_verify nothing is refused and the origin says it was not verified.
 */
#ifndef FETCH_PACKAGE_VERIFY_H
#define FETCH_PACKAGE_VERIFY_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include "core/diag.h"
#include "fetch/digest.h"
#include "fetch/fetch_http.h"
#include "fetch/oci_client.h"
#include "fetch/sig_crypto.h"

#define PACKAGE_SIG_BUNDLE_TYPE "application/vnd.ecli.signature.v1+json"
#define PACKAGE_SIG_MAX_BYTES	(1u << 20)

/* What was checked, for the line a run prints and the FILE.sig pull saves. */
struct package_origin {
	bool remote;			 /* a URL or a registry: each run says what it runs */
	bool unverified;		 /* --insecure-skip-verify let it through unchecked */
	char digest[DIGEST_STR_LEN + 1]; /* the manifest's (registry), else the package's */
	char by[PATH_MAX + 32];		 /* "key FILE", "the pinned digest", or "" */
	char *bundle;			 /* for FILE.sig (malloc'd), or NULL */
};

void package_origin_free(struct package_origin *g);
/* The registry's signatures of what oci_pull got. */
int package_verify_oci(const struct fetch_opts *o, const char *name, const struct oci_pulled *p,
		       struct package_origin *g, struct diag *d);
/*
 * A URL's package: pin is the HEX of "#sha256=HEX" (or NULL); sig the text of URL.sig (or NULL
 * when there is none).
 */
int package_verify_url(const struct fetch_opts *o, const char *url, const char *data, size_t len,
		       const char *pin, const char *sig, struct package_origin *g, struct diag *d);
/* A file's package: checked against path.sig when there is one. */
int package_verify_file(const struct fetch_opts *o, const char *path, const char *data, size_t len,
			struct package_origin *g, struct diag *d);
/*
 * Signs digest (a manifest just pushed to ref) as `cosign sign --key` does, and adds the
 * signature to the repository's signature tag.
 */
int package_sign_oci(const struct fetch_opts *o, const char *name, const struct oci_ref *ref,
		     const struct sig_key *key, const char *digest, struct diag *d);
/* One line for stderr: "NAME: running sha256:..., signed (key FILE)". */
void package_origin_text(const char *name, const struct package_origin *g, const char *verb,
			 char *buf, size_t size);

#endif
