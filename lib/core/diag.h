/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * One-line error messages carried from where a failure is found to where it is printed.
 * Messages quote user input (arguments, paths, package keys): every control byte (newlines
 * included, and UTF-8's C1 controls) is written as \xHH, so that a message stays one line and
 * cannot drive the terminal it is printed on.
 */
#ifndef CORE_DIAG_H
#define CORE_DIAG_H

#include <stddef.h>

struct diag {
	char msg[512];
};

/* Formats the message into d (when d is not NULL) and returns err, a negative errno. */
int diag_set(struct diag *d, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* "text; message": text first, so that only the old message's end can be cut. Returns err. */
int diag_prepend(struct diag *d, int err, const char *text);

/*
 * "<fmt's text>: message": names what d's message is about (a file, a URL, a reference).
 * The new text comes first, so that only the old message's end can be cut. Returns err.
 */
int diag_wrap(struct diag *d, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The name diag_print puts before each line; each program sets its own at start. */
void diag_set_program(const char *name);

/* Prints "<program>: <message>" and a newline on stderr, escaped as diag_set escapes. */
void diag_print(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Copies text to buf (size > 4) with its control bytes escaped; cuts whole escapes only. */
void diag_escape(const char *text, char *buf, size_t size);

#endif
