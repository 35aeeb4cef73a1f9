/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Text from a package or from the traced processes, made safe to show: what a terminal would
 * take as a control would break a table's one line per record, or drive the terminal (set its
 * title, clear it, write its clipboard with OSC 52). C0 and DEL, C1 (U+0080 to U+009F, and the
 * bytes 0x80 to 0x9F a terminal in 8-bit mode reads as C1, such as 0x9b, CSI) and any byte
 * that is not well-formed UTF-8 become '?', in place, keeping the length.
 */
#ifndef CORE_TERM_TEXT_H
#define CORE_TERM_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* keep_newlines: '\n' stays (help text, a banner), everything else as above. */
void term_text_sanitize(char *text, size_t n, bool keep_newlines);

#endif
