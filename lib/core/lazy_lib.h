/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Libraries that only some commands use, opened the first time one is needed. Linked, libcurl
 * (with the TLS, Kerberos and LDAP libraries it pulls in) and libcrypto cost every start of
 * ecli about 5 ms and 4 MB of mapped pages, though only fetching from URLs and registries uses
 * them; a tool started from a file should start as fast as a hand-written one.
 */
#ifndef CORE_LAZY_LIB_H
#define CORE_LAZY_LIB_H

#include <stddef.h>
#include "core/diag.h"

struct lazy_symbol {
	const char *name;
	void **addr; /* where the function's address goes */
};

/*
 * Opens soname (once per process: later calls find it loaded) and fills in every symbol.
 * -ELIBACC with d naming the library or the symbol when either is missing; then no symbol is
 * filled in.
 */
int lazy_lib_open(const char *soname, const struct lazy_symbol *syms, size_t n, struct diag *d);

#endif
