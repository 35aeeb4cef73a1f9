/* Reads a whole file into memory, NUL-terminated, for the packer's inputs. */
#ifndef FILE_READ_H
#define FILE_READ_H

#include <stddef.h>
#include "diag.h"

/* *data is malloc'd and ends with a NUL byte not counted in *size. */
int file_read(const char *path, char **data, size_t *size, struct diag *d);

#endif
