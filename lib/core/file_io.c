// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "core/file_io.h"
#include "core/stop_signal.h"

static int read_all(int fd, const char *name, size_t max, char **data, size_t *size, struct diag *d)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = NULL, *grown;
	ssize_t got;
	int err = 0;

	for (;;) {
		if (!buf || n == cap) {
			cap = buf ? cap * 2 : cap;
			grown = realloc(buf, cap + 1);
			if (!grown) {
				err = diag_set(d, -ENOMEM, "%s: out of memory", name);
				break;
			}
			buf = grown;
		}
		got = read(fd, buf + n, cap - n);
		/* a stop (Ctrl-C while a pipe keeps the bytes back) ends the read */
		if (got < 0 && errno == EINTR && !stop_signal_raised())
			continue;
		if (got < 0)
			err = diag_set(d, -errno, "%s: %s", name, strerror(errno));
		if (got <= 0)
			break;
		n += got;
		if (n > max) {
			err = diag_set(d, -EFBIG, "%s: larger than %zu bytes", name, max);
			break;
		}
	}
	if (err) {
		free(buf);
		return err;
	}
	buf[n] = 0;
	*data = buf;
	*size = n;
	return 0;
}

int file_read(const char *path, size_t max, char **data, size_t *size, struct diag *d)
{
	bool std_in = !strcmp(path, "-");
	int fd = std_in ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	int err;

	*data = NULL;
	*size = 0;
	if (fd < 0)
		return diag_set(d, -errno, "%s: %s", path, strerror(errno));
	err = read_all(fd, std_in ? "stdin" : path, max, data, size, d);
	if (!std_in)
		close(fd);
	return err;
}

static int write_fd(int fd, const void *data, size_t size)
{
	const char *p = data;
	size_t done = 0;
	ssize_t n;

	while (done < size) {
		n = write(fd, p + done, size - done);
		if (n < 0 && errno != EINTR)
			return -errno;
		if (n > 0)
			done += n;
	}
	return 0;
}

/* Writes into what is there: standard output, a descriptor, a device, a pipe. */
static int write_in_place(const char *path, int given_fd, const void *data, size_t size,
			  struct diag *d)
{
	int fd = given_fd >= 0 ? given_fd : open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
	int err;

	if (fd < 0)
		return diag_set(d, -errno, "%s: %s", path, strerror(errno));
	err = write_fd(fd, data, size);
	if (given_fd < 0 && close(fd) && !err)
		err = -errno;
	return err ? diag_set(d, err, "%s: %s", strcmp(path, "-") ? path : "stdout", strerror(-err))
		   : 0;
}

/* The descriptor a path names itself (/dev/stdout, /dev/fd/N, /proc/self/fd/N), or -1. */
static int descriptor_of(const char *path)
{
	static const char *const prefixes[] = {"/dev/fd/", "/proc/self/fd/"};
	char *end;
	long n;
	size_t i;

	if (!strcmp(path, "-") || !strcmp(path, "/dev/stdout"))
		return STDOUT_FILENO;
	if (!strcmp(path, "/dev/stderr"))
		return STDERR_FILENO;
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t len = strlen(prefixes[i]);

		if (strncmp(path, prefixes[i], len) || !path[len])
			continue;
		errno = 0;
		n = strtol(path + len, &end, 10);
		if (!*end && !errno && n >= 0 && n <= INT_MAX && fcntl((int)n, F_GETFD) >= 0)
			return (int)n;
	}
	return -1;
}

/* No new file is made in the kernel's own file systems. */
static bool in_kernel_fs(const char *path)
{
	static const char *const dirs[] = {"/dev/", "/proc/", "/sys/"};
	size_t i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (!strncmp(path, dirs[i], strlen(dirs[i])))
			return true;
	return false;
}

static mode_t new_file_mode(void)
{
	mode_t mask = umask(0);

	umask(mask);
	return 0666 & ~mask;
}

/* private: only a regular file (new or replaced), mode 0600 */
static int write_file(const char *path, const void *data, size_t size, bool private, struct diag *d)
{
	char tmp[PATH_MAX + 16];
	struct stat st;
	int fd = private ? -1 : descriptor_of(path), err;
	bool exists;
	mode_t mode;

	if (fd >= 0)
		return write_in_place(path, fd, data, size, d);
	exists = !lstat(path, &st);
	if (!exists && errno != ENOENT)
		return diag_set(d, -errno, "%s: %s", path, strerror(errno));
	if (exists && S_ISLNK(st.st_mode))
		return diag_set(d, -ELOOP,
				"%s: is a symbolic link, which is not followed: give the file it "
				"points to",
				path);
	if (exists && (S_ISDIR(st.st_mode) || S_ISBLK(st.st_mode)))
		return diag_set(d, -EINVAL, "%s: is a %s, not a file to write", path,
				S_ISDIR(st.st_mode) ? "directory" : "block device");
	if (exists && !S_ISREG(st.st_mode) && private)
		return diag_set(d, -EINVAL, "%s: is not a regular file", path);
	if (exists && !S_ISREG(st.st_mode))
		return write_in_place(path, -1, data, size, d);
	if (!exists && in_kernel_fs(path))
		return diag_set(d, -EINVAL, "%s: no new file is made in /dev, /proc or /sys", path);
	mode = private ? 0600 : exists ? st.st_mode & 07777 : new_file_mode();
	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
		return diag_set(d, -ENAMETOOLONG, "%s: %s", path, strerror(ENAMETOOLONG));
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return diag_set(d, -errno, "%s: %s", path, strerror(errno));
	err = write_fd(fd, data, size);
	if (!err && (fchmod(fd, mode) || fsync(fd)))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err) {
		unlink(tmp);
		return diag_set(d, err, "%s: %s", path, strerror(-err));
	}
	return 0;
}

int file_write(const char *path, const void *data, size_t size, struct diag *d)
{
	return write_file(path, data, size, false, d);
}

int file_write_private(const char *path, const void *data, size_t size, struct diag *d)
{
	return write_file(path, data, size, true, d);
}

bool file_owned_safely(const struct stat *st)
{
	return (st->st_uid == 0 || st->st_uid == geteuid()) && !(st->st_mode & 022);
}
