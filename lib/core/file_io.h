/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Whole files in and out of memory: the one reader and the one writer both programs use
 * (packages, sources, schemas, objects; ecc -o, ecc --save-object, ecli pull -o).
 */
#ifndef CORE_FILE_IO_H
#define CORE_FILE_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include "core/diag.h"

/*
 * Reads all of path ("-": standard input, named "stdin" in messages), at most max bytes
 * (-EFBIG past that). *data is malloc'd and ends with a NUL byte not counted in *size. A stop
 * signal (stop_signal.h) ends a read that blocks, as on a pipe that keeps its bytes back.
 */
int file_read(const char *path, size_t max, char **data, size_t *size, struct diag *d);

/*
 * Writes size bytes to path so that a reader never sees half of them: a regular file (or a
 * new one) is replaced by a temporary file in the same folder, synced and renamed over it,
 * keeping an existing file's mode (a new one gets 0666 less the umask); on any failure the old
 * file is left as it was. "-" and /dev/stdout are standard output, /dev/stderr, /dev/fd/N and
 * /proc/self/fd/N that descriptor, written as it is (a file redirected with > or >> too); a
 * device, a pipe or a socket is written in place. Refused: a symbolic link (a root process must
 * not follow a link another user made), a directory, a block device, and a new file in /dev,
 * /proc or /sys.
 */
int file_write(const char *path, const void *data, size_t size, struct diag *d);
/*
 * What a root process may trust: a file or folder that is root's (or, run as another user,
 * that user's own) and that neither its group nor others may write to.
 */
bool file_owned_safely(const struct stat *st);

/* file_write for secrets: only a regular file, new or replaced, always mode 0600. */
int file_write_private(const char *path, const void *data, size_t size, struct diag *d);

#endif
