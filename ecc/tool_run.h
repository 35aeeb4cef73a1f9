/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Runs the compiler tools ecc uses (clang, llvm-strip): found on PATH as exec finds them,
 * their output and diagnostics passed through, their exit status returned. A SIGINT, SIGTERM
 * or SIGHUP that arrives meanwhile ends the tool (it shares the terminal's process group, or
 * is sent the signal) and is reported, so the caller can clean up before exiting.
 */
#ifndef ECC_TOOL_RUN_H
#define ECC_TOOL_RUN_H

#include <stdbool.h>
#include <stddef.h>

struct tool_result {
	int status;	  /* exit status, or 128 + the signal that ended it */
	int signal;	  /* that signal, or 0 */
	bool interrupted; /* ecc itself got SIGINT, SIGTERM or SIGHUP while it ran */
};

/*
 * argv[0] is looked up on PATH. With tmpdir, the tool's TMPDIR is that directory, so
 * whatever temporary files it leaves are removed with it. 0, or a negative errno when the
 * tool could not be started (-ENOENT: not found).
 */
int tool_run(char *const argv[], const char *tmpdir, struct tool_result *r);

/* The first line the tool prints on stdout (e.g. for --version), without its newline. */
int tool_first_line(char *const argv[], char *line, size_t len);

/* Where exec finds cmd: cmd itself when it has a '/', else the first match on PATH. */
int tool_find(const char *cmd, char *path, size_t len);

#endif
