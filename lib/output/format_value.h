/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * How one field of a record is shown: as a JSON value, or as table text. Integers are exact,
 * enums show their enumerator's name, char arrays their text, "ip" fields an address and
 * "flags" fields their letters; arrays and nested records are JSON in both forms.
 */
#ifndef OUTPUT_FORMAT_VALUE_H
#define OUTPUT_FORMAT_VALUE_H

#include "output/btf_layout.h"
#include "core/json_writer.h"
#include "core/out_buf.h"

/* Integer-like fields (int, bool, enum, pointer), zero- or sign-extended to 64 bits. */
uint64_t field_u64(const struct field *f, const void *record);
unsigned __int128 field_u128(const struct field *f, const void *record);

/* record is the start of the layout that holds f (a sibling may say the IP version). */
void format_json(struct json_writer *jw, const struct layout *l, const struct field *f,
		 const void *record);
void format_record_json(struct json_writer *jw, const struct layout *l, const void *record);
void format_text(struct out_buf *out, const struct layout *l, const struct field *f,
		 const void *record);

/* An integer field in base 8 or 16, as the unsigned value of its bits. */
void format_radix(struct out_buf *out, const struct field *f, const void *record, int base);
/* An array of strings up to its last non-empty one, joined; quote wraps each in "". */
void format_join(struct out_buf *out, const struct field *f, const void *record,
		 const char *separator, bool quote);
/* A one-byte integer as its character (nothing for NUL). */
void format_char(struct out_buf *out, const struct field *f, const void *record);

/* Text of an address: 4 bytes are IPv4, 16 bytes IPv6. */
void format_ip(char *buf, size_t len, const uint8_t *addr, int version);

#endif
