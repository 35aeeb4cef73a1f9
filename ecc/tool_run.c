// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tool_run.h"

static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define NR_STOP_SIGNALS (int)(sizeof(stop_signals) / sizeof(stop_signals[0]))

static volatile sig_atomic_t got_signal;

static void note_signal(int sig)
{
	got_signal = sig;
}

/* Without SA_RESTART: waitpid returns EINTR, and the loop waits for the tool to end. */
static void catch_stop_signals(struct sigaction *saved)
{
	struct sigaction sa;
	int i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = note_signal;
	sigemptyset(&sa.sa_mask);
	got_signal = 0;
	for (i = 0; i < NR_STOP_SIGNALS; i++)
		sigaction(stop_signals[i], &sa, &saved[i]);
}

static void restore_stop_signals(const struct sigaction *saved)
{
	int i;

	for (i = 0; i < NR_STOP_SIGNALS; i++)
		sigaction(stop_signals[i], &saved[i], NULL);
}

/*
 * In the child: stdout to out_fd when asked, then exec. When exec fails, its errno goes back
 * through the close-on-exec pipe; when exec succeeds, the pipe just closes.
 */
static void child(char *const argv[], const char *tmpdir, int out_fd, int report_fd)
{
	int err;

	if (tmpdir)
		setenv("TMPDIR", tmpdir, 1);
	if (out_fd >= 0 && dup2(out_fd, STDOUT_FILENO) < 0)
		_exit(127);
	execvp(argv[0], argv);
	err = errno;
	if (write(report_fd, &err, sizeof(err)) != sizeof(err))
		_exit(127);
	_exit(127);
}

/* Starts the tool; 0 once it runs, or the negative errno of its failed exec. */
static int start(char *const argv[], const char *tmpdir, int out_fd, pid_t *pid)
{
	int report[2], exec_err = 0;
	ssize_t n;

	if (pipe2(report, O_CLOEXEC))
		return -errno;
	*pid = fork();
	if (*pid == 0) {
		close(report[0]);
		child(argv, tmpdir, out_fd, report[1]);
	}
	close(report[1]);
	if (*pid < 0) {
		close(report[0]);
		return -errno;
	}
	do
		n = read(report[0], &exec_err, sizeof(exec_err));
	while (n < 0 && errno == EINTR);
	close(report[0]);
	if (n == sizeof(exec_err)) {
		waitpid(*pid, NULL, 0);
		return -exec_err;
	}
	return 0;
}

static void finish(pid_t pid, struct tool_result *r)
{
	int status = 0;

	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	r->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	r->status = r->signal ? 128 + r->signal : WEXITSTATUS(status);
}

int tool_run(char *const argv[], const char *tmpdir, struct tool_result *r)
{
	struct sigaction saved[NR_STOP_SIGNALS];
	pid_t pid;
	int err;

	memset(r, 0, sizeof(*r));
	catch_stop_signals(saved);
	err = start(argv, tmpdir, -1, &pid);
	if (!err)
		finish(pid, r);
	r->interrupted = got_signal != 0;
	restore_stop_signals(saved);
	return err;
}

int tool_first_line(char *const argv[], char *line, size_t len)
{
	struct tool_result r;
	int out[2], err;
	ssize_t n;
	size_t used = 0;
	pid_t pid;

	if (pipe2(out, O_CLOEXEC))
		return -errno;
	err = start(argv, NULL, out[1], &pid);
	close(out[1]);
	while (!err && used + 1 < len && (n = read(out[0], line + used, len - 1 - used)) != 0) {
		if (n < 0 && errno != EINTR)
			break;
		used += n > 0 ? n : 0;
	}
	close(out[0]);
	line[used] = 0;
	line[strcspn(line, "\n")] = 0;
	if (!err)
		finish(pid, &r);
	return err ?: (line[0] ? 0 : -EIO);
}

int tool_find(const char *cmd, char *path, size_t len)
{
	const char *dirs = getenv("PATH"), *p, *end;
	struct stat st;

	if (strchr(cmd, '/')) {
		snprintf(path, len, "%s", cmd);
		return access(cmd, X_OK) ? -errno : 0;
	}
	for (p = dirs ? dirs : "/usr/bin:/bin"; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, ':');
		if (end == p) /* an empty entry is the current directory */
			snprintf(path, len, "./%s", cmd);
		else
			snprintf(path, len, "%.*s/%s", (int)(end - p), p, cmd);
		if (!stat(path, &st) && S_ISREG(st.st_mode) && !access(path, X_OK))
			return 0;
	}
	return -ENOENT;
}
