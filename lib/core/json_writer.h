/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A streaming JSON writer in the manner of bpftool's: values go straight into an out_buf, with
 * no tree built per event. Integers are written exactly (64 and 128 bits); strings are escaped
 * and bytes that are not valid UTF-8 are written as \u00XX so every line stays valid JSON.
 */
#ifndef CORE_JSON_WRITER_H
#define CORE_JSON_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/out_buf.h"

#define JSON_MAX_DEPTH 64

struct json_writer {
	struct out_buf *out;
	int depth;
	bool after_key;
	bool has_items[JSON_MAX_DEPTH];
};

void jw_init(struct json_writer *jw, struct out_buf *out);
void jw_object_begin(struct json_writer *jw);
void jw_object_end(struct json_writer *jw);
void jw_array_begin(struct json_writer *jw);
void jw_array_end(struct json_writer *jw);
void jw_key(struct json_writer *jw, const char *key);
void jw_string(struct json_writer *jw, const char *s, size_t len);
void jw_u64(struct json_writer *jw, uint64_t v);
void jw_s64(struct json_writer *jw, int64_t v);
void jw_u128(struct json_writer *jw, unsigned __int128 v);
void jw_s128(struct json_writer *jw, __int128 v);
void jw_bool(struct json_writer *jw, bool v);
void jw_double(struct json_writer *jw, double v);
void jw_null(struct json_writer *jw);

/* Escaped string body without quotes; shared with text output of the same values. */
void json_escape(struct out_buf *out, const char *s, size_t len);
/*
 * Length of the valid multi-byte UTF-8 sequence starting at s (len bytes left), or 0 when the
 * bytes are not one (ASCII, a stray or cut byte, an overlong form, a surrogate, past U+10FFFF).
 */
size_t utf8_sequence(const unsigned char *s, size_t len);

#endif
