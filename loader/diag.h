/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* One-line error messages carried from where a failure is found to where it is printed. */
#ifndef DIAG_H
#define DIAG_H

struct diag {
	char msg[512];
};

/* Formats the message into d (when d is not NULL) and returns err, a negative errno. */
int diag_set(struct diag *d, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
