// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include "cli.h"

int cli_fail(int status, const char *msg)
{
	diag_print("%s", msg);
	return status;
}

int cli_parse_uint(const char *opt, const char *text, unsigned long long max,
		   unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(text, &end, 10);
	if (!*text || *end || text[0] == '-' || errno || *out > max) {
		diag_print("%s: '%s' is not a number up to %llu", opt, text, max);
		return -EINVAL;
	}
	return 0;
}

int cli_fetch_option(int opt, const char *value, struct fetch_opts *f)
{
	unsigned long long secs;

	if (opt == OPT_PLAIN_HTTP) {
		f->plain_http = true;
		return 1;
	}
	if (opt == OPT_SKIP_VERIFY) {
		f->skip_verify = true;
		return 1;
	}
	if (opt == OPT_KEY) {
		if (f->nr_keys == FETCH_MAX_KEYS) {
			diag_print("--key: at most %d", FETCH_MAX_KEYS);
			return -EINVAL;
		}
		f->keys[f->nr_keys++] = value;
		return 1;
	}
	if (opt != OPT_FETCH_TIMEOUT)
		return 0;
	if (cli_parse_uint("--fetch-timeout", value, 86400, &secs))
		return -EINVAL;
	if (secs == 0) {
		diag_print("--fetch-timeout: give at least 1 second");
		return -EINVAL;
	}
	f->timeout_s = secs;
	return 1;
}

int cli_bad_option(int opt, char **argv, const char *cmd, const char *hint)
{
	char shown[3] = {'-', (char)optopt, 0};
	const char *token = argv[optind - 1];
	/*
	 * A long option is named as it was written: it is the argument getopt just passed. A short
	 * one is named alone, as it may stand in a cluster (-jx) that getopt has not passed yet.
	 */
	bool is_long =
		!optopt || optopt >= OPT_FETCH_TIMEOUT || (opt == ':' && !strncmp(token, "--", 2));
	const char *what = is_long ? token : shown;

	if (opt == ':')
		diag_print("%s: needs a value", what);
	else
		diag_print("%s%sunknown option '%s' (see %s)", cmd ?: "", cmd ? ": " : "", what,
			   hint);
	return -EINVAL;
}

int cli_about_package(const char *label, int err, struct diag *d)
{
	return err ? diag_wrap(d, err, "%s", label) : 0;
}

int cli_read_tty(const char *prompt, char *buf, size_t size, bool echo)
{
	struct termios old, quiet;
	ssize_t n;
	int fd, err = 0;

	fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -ENXIO;
	if (tcgetattr(fd, &old)) {
		close(fd);
		return -ENXIO;
	}
	quiet = old;
	if (!echo)
		quiet.c_lflag &= ~(ECHO | ECHONL);
	quiet.c_lflag |= ICANON;
	if (write(fd, prompt, strlen(prompt)) < 0 || tcsetattr(fd, TCSAFLUSH, &quiet))
		err = -EIO;
	n = err ? -1 : read(fd, buf, size - 1);
	tcsetattr(fd, TCSAFLUSH, &old);
	if (!echo && write(fd, "\n", 1) < 0 && !err)
		err = -EIO;
	close(fd);
	if (n < 0)
		return err ?: -EIO;
	buf[n] = 0;
	buf[strcspn(buf, "\r\n")] = 0;
	return 0;
}

int cli_read_secret(const char *env, const char *prompt, char *buf, size_t size)
{
	const char *v = env ? getenv(env) : NULL;

	if (!v)
		return cli_read_tty(prompt, buf, size, false);
	if (strlen(v) >= size)
		return -E2BIG;
	strcpy(buf, v);
	return 0;
}
