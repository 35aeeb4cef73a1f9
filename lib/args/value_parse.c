// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "output/btf_layout.h"
#include "args/value_parse.h"

static int __attribute__((format(printf, 4, 5)))
reason(char *why, size_t len, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return err;
}

bool value_parse_bool(const char *text, bool *v)
{
	static const char *const yes[] = {"true", "1", "yes", "on"};
	static const char *const no[] = {"false", "0", "no", "off"};
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcasecmp(text, yes[i]) || !strcasecmp(text, no[i])) {
			*v = !strcasecmp(text, yes[i]);
			return true;
		}
	}
	return false;
}

static void store_le(void *buf, uint64_t v, uint32_t size)
{
	uint8_t *p = buf;
	uint32_t i;

	for (i = 0; i < size && i < 8; i++)
		p[i] = v >> (8 * i);
}

int value_parse_int(const char *text, bool is_signed, uint32_t size, void *buf, char *why,
		    size_t why_len)
{
	int base = !strncasecmp(text, "0x", 2) || !strncasecmp(text, "-0x", 3) ? 16 : 10;
	char *end;

	if (size == 0 || size > 8)
		return reason(why, why_len, -EINVAL, "'%s': integers of %u bytes are not supported",
			      text, size);
	errno = 0;
	if (is_signed) {
		long long v = strtoll(text, &end, base);
		long long max = size == 8 ? INT64_MAX : (1LL << (size * 8 - 1)) - 1;

		if (end == text || *end)
			return reason(why, why_len, -EINVAL, "'%s' is not an integer", text);
		if (errno == ERANGE || v > max || v < -max - 1)
			return reason(why, why_len, -ERANGE, "'%s' is out of range %lld..%lld",
				      text, -max - 1, max);
		store_le(buf, (uint64_t)v, size);
		return 0;
	} else {
		unsigned long long max = size == 8 ? UINT64_MAX : (1ULL << (size * 8)) - 1;
		unsigned long long v;

		/* strtoull accepts "-3" and wraps it; a negative number is out of range here */
		while (isspace((unsigned char)*text)) /* as strtoull does, or "\t-3" would wrap */
			text++;
		v = strtoull(text, &end, base);
		if (end == text || *end)
			return reason(why, why_len, -EINVAL, "'%s' is not an integer", text);
		if (text[0] == '-' || errno == ERANGE || v > max)
			return reason(why, why_len, -ERANGE, "'%s' is out of range 0..%llu", text,
				      max);
		store_le(buf, v, size);
		return 0;
	}
}

static int parse_enum(const struct btf *btf, const struct btf_type *t, const char *text, void *buf,
		      char *why, size_t why_len)
{
	int i, n = btf_vlen(t), err;

	for (i = 0; i < n; i++) {
		const char *name;
		uint64_t v;

		if (btf_is_enum(t)) {
			name = btf__name_by_offset(btf, btf_enum(t)[i].name_off);
			v = (uint64_t)(int64_t)btf_enum(t)[i].val;
		} else {
			name = btf__name_by_offset(btf, btf_enum64(t)[i].name_off);
			v = btf_enum64_value(&btf_enum64(t)[i]);
		}
		if (name && !strcmp(name, text)) {
			store_le(buf, v, t->size);
			return 0;
		}
	}
	err = value_parse_int(text, btf_kflag(t), t->size, buf, why, why_len);
	if (err == -EINVAL) /* neither one of its names nor a number */
		err = reason(why, why_len, err, "'%s' is not a name of enum %s or a number", text,
			     btf__name_by_offset(btf, t->name_off) ?: "");
	return err;
}

static int parse_float(const char *text, uint32_t size, void *buf, char *why, size_t why_len)
{
	char *end;
	double d;
	float f;

	errno = 0;
	d = strtod(text, &end);
	if (end == text || *end || errno == ERANGE)
		return reason(why, why_len, -EINVAL, "'%s' is not a number", text);
	if (size == sizeof(float)) {
		f = (float)d;
		memcpy(buf, &f, sizeof(f));
	} else if (size == sizeof(double)) {
		memcpy(buf, &d, sizeof(d));
	} else {
		return reason(why, why_len, -EINVAL, "'%s': this floating type is not supported",
			      text);
	}
	return 0;
}

static int parse_array(const struct btf *btf, const struct btf_type *t, const char *text, void *buf,
		       uint32_t size, char *why, size_t why_len)
{
	const struct btf_array *arr = btf_array(t);
	const struct btf_type *elem = btf__type_by_id(btf, btf__resolve_type(btf, arr->type));
	long long elem_size = btf__resolve_size(btf, arr->type);
	char *copy, *item, *save = NULL;
	uint32_t i = 0;
	int err = 0;

	if (!elem || elem_size <= 0)
		return reason(why, why_len, -EINVAL, "'%s': the array's element type is unknown",
			      text);
	if (layout_is_char(btf, elem)) {
		if (strlen(text) >= arr->nelems || strlen(text) >= size)
			return reason(why, why_len, -ERANGE, "'%s' is longer than %u characters",
				      text, arr->nelems - 1);
		memcpy(buf, text, strlen(text));
		return 0;
	}
	copy = strdup(text);
	if (!copy)
		return -ENOMEM;
	for (item = strtok_r(copy, ",", &save); item && !err; item = strtok_r(NULL, ",", &save)) {
		/* the BTF's count and the variable's size must both hold one more element */
		if (i == arr->nelems || (uint64_t)(i + 1) * elem_size > size) {
			err = reason(why, why_len, -ERANGE, "'%s' has more than %u values", text,
				     i);
			break;
		}
		err = value_parse(btf, arr->type, item, (uint8_t *)buf + i * elem_size, elem_size,
				  why, why_len);
		i++;
	}
	if (!err && i == 0)
		err = reason(why, why_len, -EINVAL, "'%s' holds no values", text);
	free(copy);
	return err;
}

int value_parse(const struct btf *btf, uint32_t type_id, const char *text, void *buf, uint32_t size,
		char *why, size_t why_len)
{
	int id = btf__resolve_type(btf, type_id);
	const struct btf_type *t = id > 0 ? btf__type_by_id(btf, id) : NULL;
	long long type_size;
	bool b;

	memset(buf, 0, size);
	if (!t)
		return reason(why, why_len, -EINVAL, "'%s': the variable's type is unknown", text);
	type_size = btf__resolve_size(btf, id);
	if (type_size < 0 || type_size > size)
		return reason(why, why_len, -EINVAL, "'%s': the variable's type does not fit",
			      text);
	if (btf_is_int(t) && (btf_int_encoding(t) & BTF_INT_BOOL)) {
		if (!value_parse_bool(text, &b))
			return reason(why, why_len, -EINVAL, "'%s' is not true or false", text);
		store_le(buf, b, t->size);
		return 0;
	}
	if (btf_is_int(t))
		return value_parse_int(text, btf_int_encoding(t) & BTF_INT_SIGNED, t->size, buf,
				       why, why_len);
	if (btf_is_enum(t) || btf_is_enum64(t))
		return parse_enum(btf, t, text, buf, why, why_len);
	if (btf_is_float(t))
		return parse_float(text, t->size, buf, why, why_len);
	if (btf_is_array(t))
		return parse_array(btf, t, text, buf, size, why, why_len);
	return reason(why, why_len, -EINVAL, "'%s': variables of this type cannot be set", text);
}
