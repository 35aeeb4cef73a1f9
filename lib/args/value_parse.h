/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Text from the command line turned into the bytes of a BTF type: integers of any width and
 * signedness (decimal or 0x hex) with range checks, bool, enum (by name or number), char
 * arrays (strings), floats, and arrays of those from a comma list.
 */
#ifndef ARGS_VALUE_PARSE_H
#define ARGS_VALUE_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <bpf/btf.h>

/*
 * Writes the value into buf (size bytes, the type's size; zeroed first). On error returns
 * -EINVAL or -ERANGE and puts into why a reason that quotes text, e.g.
 * "'70000' is out of range 0..65535".
 */
int value_parse(const struct btf *btf, uint32_t type_id, const char *text, void *buf, uint32_t size,
		char *why, size_t why_len);

/* true/1/yes/on or false/0/no/off, in any case: the one spelling of booleans everywhere. */
bool value_parse_bool(const char *text, bool *value);

/* Integer of size bytes without BTF (maps that carry no key type). */
int value_parse_int(const char *text, bool is_signed, uint32_t size, void *buf, char *why,
		    size_t why_len);

#endif
