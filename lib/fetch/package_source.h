/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Where a package comes from, decided from the one PACKAGE argument, in this order:
 *
 *   -                                    standard input
 *   SCHEME://...                         a URL: http:// and https:// are fetched, others refused
 *   an existing file (not a directory)   a path
 *   HOST[:PORT]/REPO[:TAG]               an OCI reference, when the part before the first '/'
 *   HOST[:PORT]/REPO@sha256:HEX          is "localhost", has a dot or a port (./x forces a path)
 *   NAME (no '/', not ending in .json)   an installed tool: NAME.json in the package folders
 *   anything else                        a path (that does not exist, as the error says)
 *
 * The package folders are those of $ECLI_PACKAGES (colon-separated) when it is set, else
 * <ecli's folder>/../share/ecli/packages, /usr/share/ecli/packages and
 * /usr/local/share/ecli/packages, searched in that order.
 */
#ifndef FETCH_PACKAGE_SOURCE_H
#define FETCH_PACKAGE_SOURCE_H

#include <limits.h>
#include <stddef.h>
#include "core/diag.h"
#include "fetch/fetch_http.h"
#include "fetch/package_verify.h"
#include "format/package_read.h"

enum package_source_kind {
	PACKAGE_STDIN,
	PACKAGE_URL,
	PACKAGE_PATH,
	PACKAGE_OCI,
	PACKAGE_NAME,
};

#define PACKAGE_DIRS_MAX  16
#define PACKAGE_LABEL_MAX (PATH_MAX + 64)

enum package_source_kind package_source_kind(const char *arg);
/* The package folders, in search order (duplicates dropped); returns how many. */
int package_dirs(char dirs[PACKAGE_DIRS_MAX][PATH_MAX]);
/* NAME.json in the first package folder that has it; one line listing where it looked if none. */
int package_find_installed(const char *name, char *path, size_t size, struct diag *d);
/*
 * The package's bytes (malloc'd), read or fetched, and verified (package_verify.h) before they
 * are returned; label (PACKAGE_LABEL_MAX bytes) gets what later messages should name: the
 * argument, "(stdin)", or the file an installed name found; g what was verified (free it with
 * package_origin_free). Standard input is not verified.
 */
int package_source_bytes(const char *arg, const struct fetch_opts *o, char **text, size_t *len,
			 char *label, struct package_origin *g, struct diag *d);
/* package_source_bytes, then package_parse; parse errors of fetched or found packages name it. */
int package_source_read(const char *arg, const struct fetch_opts *o, struct package *pkg,
			char *label, struct package_origin *g, struct diag *d);

#endif
