/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Reads an eunomia-style BPF source the way its author documents it, without compiling it:
 * the `///` comment block directly above each global (its help text, `@description "text"`,
 * `@cmdarg {...}`, and above a map `@sample {...}`), and the names of the structs the file
 * defines at file scope.
 * Comments, strings, preprocessor lines and anonymous structs (map definitions) are skipped.
 */
#ifndef ECC_SOURCE_SCAN_H
#define ECC_SOURCE_SCAN_H

#include <cjson/cJSON.h>
#include "core/diag.h"

#define SOURCE_NAME_MAX 256

struct source_var {
	char name[SOURCE_NAME_MAX];
	int line;	   /* of the declaration */
	int cmdarg_line;   /* of its @cmdarg, or 0 */
	char *description; /* the block's text lines and @description, joined; or NULL */
	cJSON *cmdarg;	   /* {default, long, short, help}, or NULL */
	int sample_line;   /* of its @sample, or 0 */
	cJSON *sample;	   /* eunomia's @sample {...} above a map, or NULL */
};

struct source_struct {
	char name[SOURCE_NAME_MAX];
	int line;
};

struct source_scan {
	const char *path; /* as given: error messages say "path:line: ..." */
	struct source_var *vars;
	int nr_vars;
	struct source_struct *structs; /* in the order the file defines them */
	int nr_structs;
};

/* text is NUL-terminated. Errors name path and line; scan is freed by source_scan_free. */
int source_scan(const char *path, const char *text, struct source_scan *scan, struct diag *d);
void source_scan_free(struct source_scan *scan);

#endif
