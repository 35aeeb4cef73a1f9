/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * One `///` comment block, as eunomia-bpf's authors write them above a global: text lines
 * (the help), `@description "text"` (more help) and `@cmdarg {"default", "long", "short",
 * "help"}` (the option's names; its JSON may continue on the following `///` lines).
 */
#ifndef ECC_SOURCE_DOC_H
#define ECC_SOURCE_DOC_H

#include <stdbool.h>
#include "core/diag.h"
#include "source_scan.h"

struct doc_line {
	const char *text; /* after the "///", not NUL-terminated */
	int len;
	int line;
};

struct doc_block {
	struct doc_line *lines;
	int nr;
	int cap;
};

int doc_block_add(struct doc_block *b, const char *text, int len, int line);
void doc_block_clear(struct doc_block *b);

/* The line of the block's first @cmdarg, or 0. */
int doc_block_cmdarg_line(const struct doc_block *b);

/*
 * Fills var's description and cmdarg. An option (a const volatile global) refuses commands
 * other than @description and @cmdarg; other globals only take the text.
 */
int doc_block_read(const struct doc_block *b, const char *path, bool option, struct source_var *var,
		   struct diag *d);

#endif
