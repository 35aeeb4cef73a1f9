/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Whole files in and out of memory: the packer's inputs, and an object it was asked to keep. */
#ifndef CORE_FILE_IO_H
#define CORE_FILE_IO_H

#include <stddef.h>
#include "core/diag.h"

/* *data is malloc'd and ends with a NUL byte not counted in *size. */
int file_read(const char *path, char **data, size_t *size, struct diag *d);

/* Writes size bytes to path, replacing it. */
int file_write(const char *path, const void *data, size_t size, struct diag *d);

#endif
