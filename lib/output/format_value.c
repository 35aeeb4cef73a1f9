// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include "output/format_value.h"
#include "output/cgroup_names.h"

/* Little-endian, as BPF shares the host's byte order on the machines this runs on. */
unsigned __int128 field_u128(const struct field *f, const void *record)
{
	const uint8_t *p = (const uint8_t *)record + f->offset;
	unsigned __int128 v = 0;
	uint32_t bits, bytes, i;

	if (!f->bit_size) {
		bytes = f->size > 16 ? 16 : f->size;
		for (i = bytes; i > 0; i--)
			v = v << 8 | p[i - 1];
		bits = bytes * 8;
	} else {
		bytes = (f->bit_offset + f->bit_size + 7) / 8;
		for (i = bytes > 16 ? 16 : bytes; i > 0; i--)
			v = v << 8 | p[i - 1];
		v >>= f->bit_offset;
		bits = f->bit_size;
	}
	if (bits < 128) {
		v &= ((unsigned __int128)1 << bits) - 1;
		if (f->is_signed && bits && (v >> (bits - 1) & 1))
			v |= ~(unsigned __int128)0 << bits;
	}
	return v;
}

uint64_t field_u64(const struct field *f, const void *record)
{
	return (uint64_t)field_u128(f, record);
}

/* Dotted quad without inet_ntop, which formats each IPv4 address through sprintf. */
static int format_ipv4(char *buf, size_t len, const uint8_t *addr)
{
	char text[sizeof("255.255.255.255")];
	size_t n = 0;
	int i;

	for (i = 0; i < 4; i++) {
		if (i)
			text[n++] = '.';
		if (addr[i] >= 100)
			text[n++] = '0' + addr[i] / 100;
		if (addr[i] >= 10)
			text[n++] = '0' + addr[i] / 10 % 10;
		text[n++] = '0' + addr[i] % 10;
	}
	if (n >= len)
		return -1;
	memcpy(buf, text, n);
	buf[n] = 0;
	return 0;
}

void format_ip(char *buf, size_t len, const uint8_t *addr, int version)
{
	if (version == 4 ? format_ipv4(buf, len, addr) : !inet_ntop(AF_INET6, addr, buf, len))
		snprintf(buf, len, "?");
}

static int ip_version(const struct layout *l, const struct field *f, const void *record)
{
	uint64_t v;

	if (f->size == 4)
		return 4;
	if (f->version_field < 0)
		return 6;
	v = field_u64(&l->fields[f->version_field], record);
	return v == 4 || v == 2 /* AF_INET */ ? 4 : 6;
}

/* Text of a field with a display format ("ip", "flags"); returns its length, 0 for none. */
static size_t formatted_text(const struct layout *l, const struct field *f, const void *record,
			     char *buf, size_t len)
{
	const uint8_t *p = (const uint8_t *)record + f->offset;
	uint64_t v;
	size_t i;

	switch (f->format) {
	case FORMAT_IP:
		format_ip(buf, len, p, ip_version(l, f, record));
		return strlen(buf);
	case FORMAT_FLAGS:
		v = field_u64(f, record);
		for (i = 0; f->letters[i] && i < 64 && i + 1 < len; i++)
			buf[i] = v >> i & 1 ? f->letters[i] : '.';
		buf[i] = 0;
		return i;
	case FORMAT_PLAIN:
	case FORMAT_CGROUP:
		break;
	}
	return 0;
}

/*
 * What a FIELD_CGROUP_NAME shows of its cgroup, or NULL for nothing. In a table (text) the unit
 * of a cgroup that is neither a container's nor a unit's is its path.
 */
static const char *cgroup_text(const struct layout *l, const struct field *f, const void *record,
			       bool text)
{
	const struct cgroup_info *i;

	if (!l || !l->cgroups)
		return NULL;
	i = cgroup_names_get(l->cgroups, field_u64(f, record));
	switch (f->part) {
	case CGROUP_PART_CONTAINER:
		return i->runtime ? i->container : NULL;
	case CGROUP_PART_CONTAINER_ID:
		return i->runtime ? i->container_id : NULL;
	case CGROUP_PART_RUNTIME:
		return i->runtime;
	case CGROUP_PART_UNIT:
		return i->unit ? i->unit : text && !i->runtime ? i->path : NULL;
	case CGROUP_PART_PATH:
	case CGROUP_PARTS:
		break;
	}
	return i->runtime || i->unit ? NULL : i->path;
}

/* A char array's text runs to its first NUL or its end. */
static const char *string_of(const struct field *f, const void *record, size_t *len)
{
	const char *p = (const char *)record + f->offset;

	*len = strnlen(p, f->count);
	return p;
}

static double field_double(const struct field *f, const void *record)
{
	const uint8_t *p = (const uint8_t *)record + f->offset;
	double d = 0;
	float fl;

	if (f->size == sizeof(float)) {
		memcpy(&fl, p, sizeof(fl));
		d = fl;
	} else if (f->size == sizeof(double)) {
		memcpy(&d, p, sizeof(d));
	} else if (f->size == sizeof(long double)) {
		long double ld;

		memcpy(&ld, p, sizeof(ld));
		d = (double)ld;
	}
	return d;
}

static void json_int(struct json_writer *jw, const struct field *f, const void *record)
{
	unsigned __int128 v = field_u128(f, record);

	if (f->size <= 8 || f->bit_size)
		f->is_signed ? jw_s64(jw, (int64_t)v) : jw_u64(jw, (uint64_t)v);
	else
		f->is_signed ? jw_s128(jw, (__int128)v) : jw_u128(jw, v);
}

/* An array of strings ends after its last non-empty string (execsnoop's unused slots). */
static uint32_t strings_used(const struct field *f, const void *record)
{
	const char *base = (const char *)record + f->offset;
	uint32_t n = f->count;

	while (n && !base[(size_t)(n - 1) * f->elem->size])
		n--;
	return n;
}

static void json_array(struct json_writer *jw, const struct field *f, const void *record)
{
	const uint8_t *p = (const uint8_t *)record + f->offset;
	uint32_t i, n = f->elem->kind == FIELD_STRING ? strings_used(f, record) : f->count;

	jw_array_begin(jw);
	for (i = 0; i < n; i++)
		format_json(jw, NULL, f->elem, p + (size_t)i * f->elem->size);
	jw_array_end(jw);
}

/* The one member a union is shown as (the one selected, or the one its tag picks), or NULL. */
static const struct field *shown_member(const struct layout *l, const struct field *f,
					const void *record)
{
	int64_t tag;
	int i;

	if (f->select)
		return &f->record->fields[f->select - 1];
	if (!f->select_by || !l)
		return NULL;
	tag = (int64_t)field_u64(&l->fields[f->select_by - 1], record);
	for (i = 0; i < f->nr_cases; i++)
		if (f->cases[i].value == tag)
			return &f->record->fields[f->cases[i].member - 1];
	return NULL;
}

void format_json(struct json_writer *jw, const struct layout *l, const struct field *f,
		 const void *record)
{
	const struct field *m;
	char text[80];
	const char *name;
	size_t n;

	if (l && (n = formatted_text(l, f, record, text, sizeof(text)))) {
		jw_string(jw, text, n);
		return;
	}
	if (f->is_char && f->kind == FIELD_INT) {
		text[0] = (char)field_u64(f, record);
		jw_string(jw, text, text[0] != 0);
		return;
	}
	switch (f->kind) {
	case FIELD_STRING:
		name = string_of(f, record, &n);
		jw_string(jw, name, n);
		break;
	case FIELD_INT:
	case FIELD_POINTER:
		json_int(jw, f, record);
		break;
	case FIELD_BOOL:
		jw_bool(jw, field_u64(f, record) != 0);
		break;
	case FIELD_ENUM:
		name = field_enum_name(f, (int64_t)field_u64(f, record));
		if (name)
			jw_string(jw, name, strlen(name));
		else
			json_int(jw, f, record);
		break;
	case FIELD_FLOAT:
		jw_double(jw, field_double(f, record));
		break;
	case FIELD_ARRAY:
		json_array(jw, f, record);
		break;
	case FIELD_RECORD:
		m = shown_member(l, f, record);
		if (m)
			format_json(jw, f->record, m, (const uint8_t *)record + f->offset);
		else
			format_record_json(jw, f->record, (const uint8_t *)record + f->offset);
		break;
	case FIELD_CGROUP_NAME:
		name = cgroup_text(l, f, record, false);
		if (name)
			jw_string(jw, name, strlen(name));
		else
			jw_null(jw);
		break;
	}
}

void format_record_json(struct json_writer *jw, const struct layout *l, const void *record)
{
	const struct field *f;
	const char *text;
	int i;

	jw_object_begin(jw);
	for (i = 0; i < l->nr_fields; i++) {
		f = &l->fields[i];
		if (f->hidden)
			continue;
		if (f->kind == FIELD_CGROUP_NAME) {
			/* a key only when the cgroup names it */
			text = cgroup_text(l, f, record, false);
			if (text) {
				jw_key(jw, f->key);
				jw_string(jw, text, strlen(text));
			}
			continue;
		}
		jw_key(jw, f->key);
		format_json(jw, l, f, record);
	}
	jw_object_end(jw);
}

static void text_int(struct out_buf *out, const struct field *f, const void *record)
{
	struct json_writer jw;

	jw_init(&jw, out);
	json_int(&jw, f, record);
}

void format_text(struct out_buf *out, const struct layout *l, const struct field *f,
		 const void *record)
{
	const struct field *m;
	char text[80];
	struct json_writer jw;
	const char *name;
	size_t n = formatted_text(l, f, record, text, sizeof(text));

	if (n) {
		out_write(out, text, n);
		return;
	}
	switch (f->kind) {
	case FIELD_STRING:
		name = string_of(f, record, &n);
		out_write(out, name, n);
		return;
	case FIELD_BOOL:
		out_puts(out, field_u64(f, record) ? "true" : "false");
		return;
	case FIELD_ENUM:
		name = field_enum_name(f, (int64_t)field_u64(f, record));
		if (name) {
			out_puts(out, name);
			return;
		}
		text_int(out, f, record);
		return;
	case FIELD_INT:
		if (f->is_char)
			format_char(out, f, record);
		else
			text_int(out, f, record);
		return;
	case FIELD_POINTER:
		text_int(out, f, record);
		return;
	case FIELD_CGROUP_NAME:
		name = cgroup_text(l, f, record, true);
		if (name)
			out_puts(out, name);
		return;
	case FIELD_RECORD:
		m = shown_member(l, f, record);
		if (m) {
			format_text(out, f->record, m, (const uint8_t *)record + f->offset);
			return;
		}
		break;
	default:
		break;
	}
	/* records and arrays are JSON in a table too */
	jw_init(&jw, out);
	format_json(&jw, l, f, record);
}

void format_radix(struct out_buf *out, const struct field *f, const void *record, int base)
{
	unsigned __int128 v = field_u128(f, record);
	uint32_t bits = f->bit_size ? f->bit_size : f->size * 8;
	char digits[48];
	int n = sizeof(digits);

	if (bits < 128)
		v &= ((unsigned __int128)1 << bits) - 1;
	do {
		digits[--n] = "0123456789abcdef"[(int)(v % base)];
		v /= base;
	} while (v && n > 0);
	out_write(out, digits + n, sizeof(digits) - n);
}

static void quoted(struct out_buf *out, const char *s, size_t len)
{
	size_t i;

	out_putc(out, '"');
	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			out_putc(out, '\\');
		out_putc(out, s[i]);
	}
	out_putc(out, '"');
}

void format_join(struct out_buf *out, const struct field *f, const void *record,
		 const char *separator, bool quote)
{
	const struct field *e = f->elem;
	const char *base = (const char *)record + f->offset, *s;
	uint32_t i, n = strings_used(f, record);
	size_t len;

	for (i = 0; i < n; i++) {
		s = base + (size_t)i * e->size;
		len = strnlen(s, e->count);
		if (i)
			out_puts(out, separator);
		if (quote)
			quoted(out, s, len);
		else
			out_write(out, s, len);
	}
}

void format_char(struct out_buf *out, const struct field *f, const void *record)
{
	char c = (char)field_u64(f, record);

	if (c)
		out_putc(out, c);
}
