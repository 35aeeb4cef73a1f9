/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A record as one JSON object per line, keys in the record's field order. */
#ifndef OUTPUT_RENDER_JSON_H
#define OUTPUT_RENDER_JSON_H

#include "core/json_writer.h"
#include "output/btf_layout.h"

void render_json_line(struct json_writer *jw, const struct layout *l, const void *record);

#endif
