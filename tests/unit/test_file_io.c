// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * file_write: a regular file is replaced whole; standard output and descriptors named as
 * /dev/stdout or /dev/fd/N are written as they are (never renamed over: ecli pull -o
 * /dev/stdout once replaced the system's /dev/stdout link); devices in place; a symbolic link,
 * a directory and a new file in /dev are refused in one line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "core/file_io.h"
#include "unit.h"

/* A fresh folder for one test; removed with its files by rm -rf. */
static void scratch(char *dir, size_t len)
{
	snprintf(dir, len, "/tmp/ecli-file-io-XXXXXX");
	CHECK(mkdtemp(dir) != NULL);
}

static void remove_tree(const char *dir)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
}

static char *contents(const char *path)
{
	char *data = NULL;
	size_t size = 0;
	struct diag d = {""};

	return file_read(path, 1 << 20, &data, &size, &d) ? NULL : data;
}

TEST(file_write_replaces_a_regular_file_and_makes_a_new_one)
{
	char dir[64], path[96];
	struct diag d = {""};
	char *text;

	scratch(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/p.json", dir);
	CHECK(file_write(path, "one", 3, &d) == 0);
	CHECK(file_write(path, "two!", 4, &d) == 0);
	text = contents(path);
	CHECK_STR(text ? text : "", "two!");
	free(text);
	remove_tree(dir);
}

TEST(file_write_refuses_links_directories_and_new_files_in_dev)
{
	char dir[64], link[96], target[96], want[256];
	struct diag d = {""};
	struct stat st;

	scratch(dir, sizeof(dir));
	snprintf(target, sizeof(target), "%s/real", dir);
	snprintf(link, sizeof(link), "%s/link", dir);
	CHECK(file_write(target, "kept", 4, &d) == 0);
	CHECK(symlink(target, link) == 0);
	CHECK(file_write(link, "x", 1, &d) == -ELOOP);
	snprintf(want, sizeof(want),
		 "%s: is a symbolic link, which is not followed: give the file it points to", link);
	CHECK_STR(d.msg, want);
	CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode)); /* the link is left as it was */
	CHECK(file_write(dir, "x", 1, &d) == -EINVAL);
	snprintf(want, sizeof(want), "%s: is a directory, not a file to write", dir);
	CHECK_STR(d.msg, want);
	CHECK(file_write("/dev/ecli-no-such-file", "x", 1, &d) == -EINVAL);
	CHECK_STR(d.msg, "/dev/ecli-no-such-file: no new file is made in /dev, /proc or /sys");
	CHECK(access("/dev/ecli-no-such-file", F_OK) != 0);
	remove_tree(dir);
}

TEST(file_write_writes_descriptors_as_they_are)
{
	char path[64], back[8] = "";
	struct diag d = {""};
	int fds[2];

	/* /dev/fd/N: the descriptor itself, a pipe here */
	CHECK(pipe(fds) == 0);
	snprintf(path, sizeof(path), "/dev/fd/%d", fds[1]);
	CHECK(file_write(path, "abc", 3, &d) == 0);
	CHECK(read(fds[0], back, sizeof(back) - 1) == 3);
	CHECK_STR(back, "abc");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[1]);
	CHECK(file_write(path, "de", 2, &d) == 0);
	memset(back, 0, sizeof(back));
	CHECK(read(fds[0], back, sizeof(back) - 1) == 2);
	CHECK_STR(back, "de");
	close(fds[0]);
	close(fds[1]);
	/* a device is written in place */
	CHECK(file_write("/dev/null", "x", 1, &d) == 0);
}
