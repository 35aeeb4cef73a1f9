/*
 * Typed access to the package's JSON for the meta parsers, and nothing else: each getter names
 * the offending key by its path from meta ("display.columns[3].width") in its error, and
 * json_check_keys refuses keys an object does not know, suggesting the nearest known one.
 */
#ifndef META_JSON_H
#define META_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>
#include "diag.h"

#define JSON_PATH_MAX 160

/* "where.key", or "key" when where is empty. */
void json_path(char *buf, size_t len, const char *where, const char *key);
/* "where.key[i]", or "where[i]" when key is NULL. */
void json_item_path(char *buf, size_t len, const char *where, const char *key, int i);

/* known: NULL-terminated. Refuses the first key of obj that is not in known. */
int json_check_keys(const cJSON *obj, const char *where, const char *const *known, struct diag *d);

/* where is obj's path; each returns 0 (absent and not required: *out untouched) or -EINVAL. */
int json_get_string(const cJSON *obj, const char *where, const char *key, bool required,
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

/* calloc of an array's worth of items (at least one), or NULL. */
void *json_alloc_items(const cJSON *array, size_t item_size, int *count);

#endif
