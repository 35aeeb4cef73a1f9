// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "format/base64.h"
#include "format/meta_json.h"

#define NEAR_DISTANCE 2

void json_path(char *buf, size_t len, const char *where, const char *key)
{
	snprintf(buf, len, "%s%s%s", where, *where ? "." : "", key);
}

void json_item_path(char *buf, size_t len, const char *where, const char *key, int i)
{
	if (key)
		snprintf(buf, len, "%s%s%s[%d]", where, *where ? "." : "", key, i);
	else
		snprintf(buf, len, "%s[%d]", where, i);
}

/* Levenshtein distance, capped: names longer than 63 bytes are simply far. */
static int distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	int row[64], prev, cur;

	if (la > 63 || lb > 63)
		return 64;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			cur = row[j];
			row[j] = prev + (a[i - 1] != b[j - 1]);
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			if (cur + 1 < row[j])
				row[j] = cur + 1;
			prev = cur;
		}
	}
	return row[lb];
}

static bool is_prefix(const char *a, const char *b)
{
	size_t n = strlen(a);

	return n >= 3 && !strncmp(a, b, n);
}

static const char *nearest(const char *key, const char *const *known)
{
	const char *best = NULL;
	int best_d = NEAR_DISTANCE + 1, i, dist;

	for (i = 0; known[i]; i++) {
		dist = distance(key, known[i]);
		if (dist > NEAR_DISTANCE && (is_prefix(key, known[i]) || is_prefix(known[i], key)))
			dist = NEAR_DISTANCE;
		if (dist < best_d) {
			best = known[i];
			best_d = dist;
		}
	}
	return best;
}

static int unknown_key(const char *path, const char *key, const char *const *known, struct diag *d)
{
	const char *near = nearest(key, known);
	char list[256] = "";
	size_t used = 0;
	int i;

	if (near)
		return diag_set(d, -EINVAL, "%s: unknown key (did you mean \"%s\"?)", path, near);
	for (i = 0; known[i] && used < sizeof(list); i++)
		used += snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "", known[i]);
	return diag_set(d, -EINVAL, "%s: unknown key (expected one of: %s)", path, list);
}

int json_check_keys(const cJSON *obj, const char *where, const char *const *known, struct diag *d)
{
	const cJSON *item;
	char path[JSON_PATH_MAX];
	int i;

	cJSON_ArrayForEach(item, obj) {
		for (i = 0; known[i] && strcmp(known[i], item->string); i++)
			;
		if (known[i])
			continue;
		json_path(path, sizeof(path), where, item->string);
		return unknown_key(path, item->string, known, d);
	}
	return 0;
}

static const cJSON *member(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

static int mistyped(const char *where, const char *key, const char *what, struct diag *d)
{
	char path[JSON_PATH_MAX];

	json_path(path, sizeof(path), where, key);
	return diag_set(d, -EINVAL, "%s: %s", path, what);
}

int json_get_text(const cJSON *obj, const char *where, const char *key, bool required,
		  const char **out, struct diag *d)
{
	const cJSON *v = member(obj, key);

	if (!v)
		return required ? mistyped(where, key, "missing", d) : 0;
	if (!cJSON_IsString(v))
		return mistyped(where, key, "is not a string", d);
	*out = v->valuestring;
	return 0;
}

int json_get_string(const cJSON *obj, const char *where, const char *key, bool required,
		    const char **out, struct diag *d)
{
	const cJSON *v = member(obj, key);

	if (cJSON_IsString(v) && !*v->valuestring)
		return mistyped(where, key, "is empty", d);
	return json_get_text(obj, where, key, required, out, d);
}

int json_get_int(const cJSON *obj, const char *where, const char *key, long long min, long long max,
		 int *out, struct diag *d)
{
	const cJSON *v = member(obj, key);
	char what[80];

	if (!v)
		return 0;
	if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) || v->valuedouble < min ||
	    v->valuedouble > max) {
		snprintf(what, sizeof(what), "is not an integer in %lld..%lld", min, max);
		return mistyped(where, key, what, d);
	}
	*out = (int)v->valuedouble;
	return 0;
}

int json_get_bool(const cJSON *obj, const char *where, const char *key, bool *out, struct diag *d)
{
	const cJSON *v = member(obj, key);

	if (!v)
		return 0;
	if (!cJSON_IsBool(v))
		return mistyped(where, key, "is not true or false", d);
	*out = cJSON_IsTrue(v);
	return 0;
}

int json_get_object(const cJSON *obj, const char *where, const char *key, const cJSON **out,
		    struct diag *d)
{
	const cJSON *v = member(obj, key);

	if (!v)
		return 0;
	if (!cJSON_IsObject(v))
		return mistyped(where, key, "is not an object", d);
	*out = v;
	return 0;
}

int json_get_array(const cJSON *obj, const char *where, const char *key, const cJSON **out,
		   struct diag *d)
{
	const cJSON *v = member(obj, key);

	if (!v)
		return 0;
	if (!cJSON_IsArray(v))
		return mistyped(where, key, "is not an array", d);
	*out = v;
	return 0;
}

int json_get_enum(const cJSON *obj, const char *where, const char *key, const char *const *names,
		  int *out, struct diag *d)
{
	const char *text = NULL;
	char what[160];
	size_t used;
	int i, err = json_get_string(obj, where, key, false, &text, d);

	if (err || !text)
		return err;
	for (i = 0; names[i]; i++) {
		if (!strcmp(names[i], text)) {
			*out = i;
			return 0;
		}
	}
	used = snprintf(what, sizeof(what), "\"%.40s\" is not one of", text);
	for (i = 0; names[i] && used < sizeof(what); i++)
		used += snprintf(what + used, sizeof(what) - used, "%s %s", i ? "," : "", names[i]);
	return mistyped(where, key, what, d);
}

void *json_alloc_items(const cJSON *array, size_t item_size, int *count)
{
	*count = cJSON_GetArraySize(array);
	return calloc(*count ? *count : 1, item_size);
}

int json_get_strings(const cJSON *obj, const char *where, const char *key, const char ***out,
		     int *count, struct diag *d)
{
	const cJSON *list = NULL, *item;
	char path[JSON_PATH_MAX];
	int i = 0, err = json_get_array(obj, where, key, &list, d);

	*out = NULL;
	*count = 0;
	if (err || !list)
		return err;
	*out = json_alloc_items(list, sizeof(**out), count);
	if (!*out)
		return -ENOMEM;
	cJSON_ArrayForEach(item, list) {
		if (!cJSON_IsString(item) || !*item->valuestring) {
			json_item_path(path, sizeof(path), where, key, i);
			return diag_set(d, -EINVAL, "%s: is not a non-empty string", path);
		}
		(*out)[i++] = item->valuestring;
	}
	return 0;
}

int json_parse_items(const cJSON *list, const char *where, size_t item_size, json_item_fn parse,
		     void *items, int *count, struct diag *d)
{
	char **out = items, path[JSON_PATH_MAX];
	const cJSON *item;
	int i = 0, err;

	if (!cJSON_IsArray(list))
		return diag_set(d, -EINVAL, "%s: is not an array", where);
	*out = json_alloc_items(list, item_size, count);
	if (!*out)
		return -ENOMEM;
	cJSON_ArrayForEach(item, list) {
		json_item_path(path, sizeof(path), where, NULL, i);
		err = parse(item, path, *out + (size_t)i++ * item_size, d);
		if (err)
			return err;
	}
	return 0;
}

int json_get_items(const cJSON *obj, const char *where, const char *key, size_t item_size,
		   json_item_fn parse, void *items, int *count, struct diag *d)
{
	const cJSON *list = NULL;
	char path[JSON_PATH_MAX];
	int err = json_get_array(obj, where, key, &list, d);

	*(void **)items = NULL;
	*count = 0;
	if (err || !list)
		return err;
	json_path(path, sizeof(path), where, key);
	return json_parse_items(list, path, item_size, parse, items, count, d);
}

/* The first key some object under node (at path where) holds twice, named in d. */
static int check_unique_keys(const cJSON *node, const char *where, int depth, struct diag *d)
{
	const cJSON *a, *b;
	char path[JSON_PATH_MAX];
	int i = 0, err = 0;

	if (depth > 64)
		return diag_set(d, -EINVAL, "%s: nested more than 64 levels deep", where);
	for (a = node ? node->child : NULL; a && !err; a = a->next, i++) {
		if (cJSON_IsObject(node)) {
			for (b = node->child; b != a; b = b->next)
				if (!strcmp(a->string, b->string))
					return diag_set(d, -EINVAL,
							"%s: key \"%.64s\" is given twice",
							*where ? where : "(top level)", a->string);
			json_path(path, sizeof(path), where, a->string);
		} else {
			json_item_path(path, sizeof(path), where, NULL, i);
		}
		err = check_unique_keys(a, path, depth + 1, d);
	}
	return err;
}

/* Where "\u0000" stands in a string (not "\\u0000"), or NULL: it would cut the string. */
static const char *escaped_nul(const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	size_t backslashes;

	while ((p = memmem(p, end - p, "\\u0000", 6))) {
		for (backslashes = 0;
		     p - text > (long)backslashes && p[-1 - (long)backslashes] == '\\';
		     backslashes++)
			;
		if (backslashes % 2 == 0)
			return p;
		p += 6;
	}
	return NULL;
}

int json_parse_document(const char *text, size_t len, const char *what, cJSON **out, struct diag *d)
{
	const char *nul = memchr(text, 0, len), *end = NULL;
	int err = 0;

	*out = NULL;
	if (!nul)
		nul = escaped_nul(text, len);
	if (nul)
		return diag_set(d, -EINVAL, "%s: a NUL byte at byte %zu", what,
				(size_t)(nul - text));
	*out = cJSON_ParseWithLengthOpts(text, len, &end, false);
	if (!*out) {
		end = cJSON_GetErrorPtr();
		return diag_set(d, -EINVAL, "%s: not valid JSON (error near byte %zu)", what,
				end && end >= text && end <= text + len ? (size_t)(end - text) : 0);
	}
	while (end < text + len && isspace((unsigned char)*end))
		end++;
	if (end < text + len) {
		err = diag_set(d, -EINVAL, "%s: more after the JSON document (at byte %zu)", what,
			       (size_t)(end - text));
	} else if (check_unique_keys(*out, "", 0, d)) {
		err = diag_wrap(d, -EINVAL, "%s", what);
	}
	if (err) {
		cJSON_Delete(*out);
		*out = NULL;
	}
	return err;
}

int json_base64_member(const cJSON *obj, const char *key, const char *what, uint8_t **out,
		       size_t *len, struct diag *d)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	size_t bad;

	*out = NULL;
	if (!cJSON_IsString(v) ||
	    base64_decode(v->valuestring, strlen(v->valuestring), out, len, &bad))
		return diag_set(d, -EINVAL, "%s: '%s' is not base64", what, key);
	return 0;
}
