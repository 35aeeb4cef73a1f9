// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Output to a real fd: a failed write counts the records (events) it did not write, a full
 * pipe is waited for only while give_up() says no, and a non-blocking pipe loses nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include "core/out_buf.h"
#include "unit.h"

static int stalled_read_end = -1, stalled_pipe_size;

/* Gives up once the pipe is full, to within one write: its reader has stalled. */
static bool give_up_when_full(uint64_t waited_ms)
{
	int queued = 0;

	(void)waited_ms;
	ioctl(stalled_read_end, FIONREAD, &queued);
	return queued > stalled_pipe_size - PIPE_BUF;
}

static void records(struct out_buf *ob, int n, size_t size)
{
	int i;

	for (i = 0; i < n; i++) {
		out_pad(ob, 'x', size - 1);
		out_putc(ob, '\n');
		out_buf_end_record(ob);
	}
}

TEST(dev_full_counts_every_record_as_unwritten)
{
	struct out_buf ob;
	int fd = open("/dev/full", O_WRONLY);

	CHECK(fd >= 0);
	out_buf_init(&ob, fd, 4096);
	records(&ob, 3, 100);
	CHECK(out_buf_flush(&ob) == -ENOSPC);
	records(&ob, 2, 100); /* after the error: dropped and counted */
	out_buf_flush(&ob);
	CHECK(ob.unwritten == 5);
	out_buf_free(&ob);
	close(fd);
}

TEST(read_only_fd_is_ebadf)
{
	struct out_buf ob;
	int fd = open("/dev/null", O_RDONLY);

	out_buf_init(&ob, fd, 4096);
	records(&ob, 1, 10);
	CHECK(out_buf_flush(&ob) == -EBADF);
	CHECK(ob.unwritten == 1);
	out_buf_free(&ob);
	close(fd);
}

/* A pipe never read: the records that fit are written, the rest counted once give_up says so. */
static void stalled_pipe(bool nonblocking)
{
	struct out_buf ob;
	int p[2], cap, i;
	char c;

	CHECK(pipe(p) == 0);
	if (nonblocking)
		fcntl(p[1], F_SETFL, O_NONBLOCK);
	cap = fcntl(p[1], F_GETPIPE_SZ);
	stalled_read_end = p[0];
	stalled_pipe_size = cap;
	out_buf_init(&ob, p[1], 256 * 1024);
	ob.give_up = give_up_when_full;
	records(&ob, 1000, 128); /* 128000 bytes: more than a 64 KiB pipe */
	CHECK(out_buf_flush(&ob) == -ECANCELED);
	CHECK(ob.unwritten == (uint64_t)(1000 - cap / 128));
	for (i = 0; i < cap && read(p[0], &c, 1) == 1; i++)
		;
	CHECK(i == cap);
	out_buf_free(&ob);
	close(p[0]);
	close(p[1]);
}

/* Lines that do not divide the pipe's size: what the stalled reader finds ends with a whole line.
 */
static void stalled_pipe_gets_whole_lines(bool nonblocking)
{
	static char got[1 << 20];
	struct out_buf ob;
	int p[2];
	ssize_t n;

	CHECK(pipe(p) == 0);
	if (nonblocking)
		fcntl(p[1], F_SETFL, O_NONBLOCK);
	stalled_read_end = p[0];
	stalled_pipe_size = fcntl(p[1], F_GETPIPE_SZ);
	out_buf_init(&ob, p[1], 256 * 1024);
	ob.give_up = give_up_when_full;
	records(&ob, 1000, 100);
	CHECK(out_buf_flush(&ob) == -ECANCELED);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	n = read(p[0], got, sizeof(got));
	CHECK(n > 0 && n % 100 == 0 && got[n - 1] == '\n');
	CHECK(ob.unwritten == (uint64_t)(1000 - n / 100));
	out_buf_free(&ob);
	close(p[0]);
	close(p[1]);
}

TEST(blocking_pipe_given_up_on_ends_with_a_whole_line)
{
	stalled_pipe_gets_whole_lines(false);
}

TEST(nonblocking_pipe_given_up_on_ends_with_a_whole_line)
{
	stalled_pipe_gets_whole_lines(true);
}

TEST(blocking_pipe_never_read_gives_up)
{
	stalled_pipe(false);
}

TEST(nonblocking_pipe_never_read_gives_up)
{
	stalled_pipe(true);
}

/* A non-blocking pipe whose reader drains it in a child: every byte arrives, nothing counted. */
TEST(nonblocking_pipe_with_a_slow_reader_loses_nothing)
{
	struct out_buf ob;
	int p[2], status;
	pid_t pid;

	CHECK(pipe(p) == 0);
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	pid = fork();
	if (pid == 0) {
		char buf[4096];
		long total = 0;
		ssize_t n;

		close(p[1]);
		usleep(200000);
		while ((n = read(p[0], buf, sizeof(buf))) > 0)
			total += n;
		_exit(total == 2000 * 100 ? 0 : 1);
	}
	close(p[0]);
	out_buf_init(&ob, p[1], 256 * 1024);
	records(&ob, 2000, 100);
	CHECK(out_buf_flush(&ob) == 0);
	CHECK(ob.unwritten == 0);
	close(p[1]);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	out_buf_free(&ob);
}

static bool always_give_up(uint64_t waited_ms)
{
	(void)waited_ms;
	return true;
}

/* give_up is asked only while the reader is behind: a pipe with room takes everything. */
TEST(reader_keeping_up_gets_everything_even_when_giving_up)
{
	struct out_buf ob;
	int p[2];

	CHECK(pipe(p) == 0);
	out_buf_init(&ob, p[1], 4096);
	ob.give_up = always_give_up;
	records(&ob, 100, 100);
	CHECK(out_buf_flush(&ob) == 0);
	CHECK(ob.unwritten == 0);
	out_buf_free(&ob);
	close(p[0]);
	close(p[1]);
}
