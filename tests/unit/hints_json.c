// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stddef.h>
#include <stdlib.h>
#include <cjson/cJSON.h>
#include "hints_json.h"

/* The typed structs borrow strings from the document, so each keeps its own. */
struct hints_box {
	struct type_hints hints;
	cJSON *doc;
};

struct columns_box {
	struct column_list columns;
	cJSON *doc;
};

struct type_hints *test_hints(const char *json, struct diag *d)
{
	struct hints_box *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	b->doc = cJSON_Parse(json);
	if (!b->doc || meta_parse_hints(b->doc, "display.types", &b->hints, d)) {
		cJSON_Delete(b->doc);
		free(b);
		return NULL;
	}
	return &b->hints;
}

void test_hints_free(struct type_hints *h)
{
	struct hints_box *b = (struct hints_box *)((char *)h - offsetof(struct hints_box, hints));

	if (!h)
		return;
	meta_free_hints(h);
	cJSON_Delete(b->doc);
	free(b);
}

struct column_list *test_columns(const char *json, struct diag *d)
{
	struct columns_box *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	b->doc = cJSON_Parse(json);
	if (!b->doc || meta_parse_columns(b->doc, "display.columns", &b->columns, d)) {
		cJSON_Delete(b->doc);
		free(b);
		return NULL;
	}
	return &b->columns;
}

void test_columns_free(struct column_list *c)
{
	struct columns_box *b =
		(struct columns_box *)((char *)c - offsetof(struct columns_box, columns));

	if (!c)
		return;
	meta_free_columns(c);
	cJSON_Delete(b->doc);
	free(b);
}
