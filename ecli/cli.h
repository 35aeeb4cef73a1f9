/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What ecli's commands share: the usage text, exit statuses, and the options parsed with
 * getopt_long by more than one command (the fetch options, numbers with a range).
 */
#ifndef ECLI_CLI_H
#define ECLI_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include "core/diag.h"
#include "fetch/fetch_http.h"

#define EXIT_BAD_INPUT 2

/* ecli help, and each command's -h. */
extern const char cli_usage[];

/* Long options without a short form: getopt_long's values past any character. */
enum cli_option {
	OPT_FETCH_TIMEOUT = 256,
	OPT_PLAIN_HTTP,
	OPT_RINGBUF_SIZE,
	OPT_PERFBUF,
	OPT_BTF,
	OPT_VARIANT,
	OPT_DURATION,
	OPT_INTERVAL,
	OPT_KEY,
	OPT_SKIP_VERIFY,
	OPT_SIGN,
	OPT_PASSWORD_STDIN,
	OPT_METRICS,
	OPT_METRICS_MAX_SERIES,
	OPT_NO_EVENTS,
	OPT_CGROUP_ROOT,
};

/* The fetch options' entries, for a command's table of long options. */
/* clang-format off */
#define CLI_FETCH_OPTIONS						\
	{"fetch-timeout", required_argument, NULL, OPT_FETCH_TIMEOUT},	\
	{"plain-http", no_argument, NULL, OPT_PLAIN_HTTP},		\
	{"key", required_argument, NULL, OPT_KEY},			\
	{"insecure-skip-verify", no_argument, NULL, OPT_SKIP_VERIFY}
/* clang-format on */

/* Prints msg (one line, already escaped) and returns status. */
int cli_fail(int status, const char *msg);

/* A whole decimal number up to max; otherwise prints why, naming opt, and returns -EINVAL. */
int cli_parse_uint(const char *opt, const char *text, unsigned long long max,
		   unsigned long long *out);

/* getopt_long's opt, if a fetch option, into f: 1 if it was one, 0 if not, -EINVAL if bad. */
int cli_fetch_option(int opt, const char *value, struct fetch_opts *f);

/*
 * Prints why getopt_long returned opt ('?': unknown, ':': no value) for the option it just
 * read in argv, and returns -EINVAL. An unknown option's line starts with cmd (when not NULL)
 * and ends with hint.
 */
int cli_bad_option(int opt, char **argv, const char *cmd, const char *hint);

/* A line read from the terminal (not stdin) after prompt; -ENXIO without one. */
int cli_read_tty(const char *prompt, char *buf, size_t size, bool echo);
/*
 * A secret: the environment variable env when set, else read from the terminal without echo
 * after prompt. -ENXIO without a terminal.
 */
int cli_read_secret(const char *env, const char *prompt, char *buf, size_t size);

/* A package's messages name it: "LABEL: message". Returns err (0 leaves d alone). */
int cli_about_package(const char *label, int err, struct diag *d);

#endif
