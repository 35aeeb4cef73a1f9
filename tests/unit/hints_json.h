/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Typed display hints and columns from JSON text, as a package's meta would give them. */
#ifndef HINTS_JSON_H
#define HINTS_JSON_H

#include "core/diag.h"
#include "format/meta.h"

/* NULL when the JSON or the hints are refused (d, when given, says why). */
struct type_hints *test_hints(const char *json, struct diag *d);
void test_hints_free(struct type_hints *h);

struct column_list *test_columns(const char *json, struct diag *d);
void test_columns_free(struct column_list *c);

#endif
