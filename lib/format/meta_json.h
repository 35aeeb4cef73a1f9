/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Typed access to the package's JSON for the meta parsers, and nothing else: each getter names
 * the offending key by its path from meta ("display.columns[3].width") in its error, and
 * json_check_keys refuses keys an object does not know, suggesting the nearest known one.
 */
#ifndef FORMAT_META_JSON_H
#define FORMAT_META_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>
#include "core/diag.h"

#define JSON_PATH_MAX 160

/*
 * One JSON document and nothing else: no NUL byte (cJSON would end a string there), nothing
 * but white space after it, no key twice in any object (readers would disagree on which one
 * counts). what names the input in messages ("package", a file name).
 */
int json_parse_document(const char *text, size_t len, const char *what, cJSON **out,
			struct diag *d);

/*
 * obj's string member key, base64-decoded into *out (malloc'd); else the message "what: 'key'
 * is not base64".
 */
int json_base64_member(const cJSON *obj, const char *key, const char *what, uint8_t **out,
		       size_t *len, struct diag *d);

/* "where.key", or "key" when where is empty. */
void json_path(char *buf, size_t len, const char *where, const char *key);
/* "where.key[i]", or "where[i]" when key is NULL. */
void json_item_path(char *buf, size_t len, const char *where, const char *key, int i);

/* known: NULL-terminated. Refuses the first key of obj that is not in known. */
int json_check_keys(const cJSON *obj, const char *where, const char *const *known, struct diag *d);

/*
 * where is obj's path; each returns 0 (absent and not required: *out untouched) or -EINVAL.
 * json_get_string is for names and refuses "", json_get_text for free text such as help.
 */
int json_get_string(const cJSON *obj, const char *where, const char *key, bool required,
		    const char **out, struct diag *d);
int json_get_text(const cJSON *obj, const char *where, const char *key, bool required,
		  const char **out, struct diag *d);
int json_get_int(const cJSON *obj, const char *where, const char *key, long long min, long long max,
		 int *out, struct diag *d);
int json_get_bool(const cJSON *obj, const char *where, const char *key, bool *out, struct diag *d);
int json_get_object(const cJSON *obj, const char *where, const char *key, const cJSON **out,
		    struct diag *d);
int json_get_array(const cJSON *obj, const char *where, const char *key, const cJSON **out,
		   struct diag *d);
/* One of names (NULL-terminated) by its index; *out untouched when absent. */
int json_get_enum(const cJSON *obj, const char *where, const char *key, const char *const *names,
		  int *out, struct diag *d);
/* An array of strings, allocated (free *out); a missing key gives *out NULL, *count 0. */
int json_get_strings(const cJSON *obj, const char *where, const char *key, const char ***out,
		     int *count, struct diag *d);

/* Parses one item of an array into out (zeroed); where is the item's path ("args[2]"). */
typedef int (*json_item_fn)(const cJSON *item, const char *where, void *out, struct diag *d);

/*
 * An array parsed item by item into a new array of item_size items (free *items, also after an
 * error: items not reached stay zeroed). json_get_items reads obj's key; json_parse_items a
 * list at path where. A missing key gives *items NULL and *count 0.
 */
int json_get_items(const cJSON *obj, const char *where, const char *key, size_t item_size,
		   json_item_fn parse, void *items, int *count, struct diag *d);
int json_parse_items(const cJSON *list, const char *where, size_t item_size, json_item_fn parse,
		     void *items, int *count, struct diag *d);

/* calloc of an array's worth of items (at least one), or NULL. */
void *json_alloc_items(const cJSON *array, size_t item_size, int *count);

#endif
