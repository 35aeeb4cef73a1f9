// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "core/file_io.h"

int file_read(const char *path, char **data, size_t *size, struct diag *d)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	ssize_t n = -1;
	int err = 0;

	*data = NULL;
	if (fd < 0 || fstat(fd, &st))
		err = diag_set(d, -errno, "%s: %s", path, strerror(errno));
	else if (!S_ISREG(st.st_mode))
		err = diag_set(d, -EINVAL, "%s: not a regular file", path);
	else if (!(*data = malloc(st.st_size + 1)))
		err = diag_set(d, -ENOMEM, "%s: out of memory", path);
	else if ((n = read(fd, *data, st.st_size)) != st.st_size)
		err = diag_set(d, -EIO, "%s: cannot read", path);
	if (fd >= 0)
		close(fd);
	if (err) {
		free(*data);
		*data = NULL;
		return err;
	}
	(*data)[n] = 0;
	*size = n;
	return 0;
}

int file_write(const char *path, const void *data, size_t size, struct diag *d)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ssize_t n = fd < 0 ? -1 : write(fd, data, size);
	int err = 0;

	if (fd < 0)
		err = diag_set(d, -errno, "%s: %s", path, strerror(errno));
	else if (n != (ssize_t)size)
		err = diag_set(d, -EIO, "%s: cannot write", path);
	if (fd >= 0 && close(fd) && !err)
		err = diag_set(d, -errno, "%s: %s", path, strerror(errno));
	return err;
}
