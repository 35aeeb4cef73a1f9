// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "login.h"
#include "core/file_io.h"
#include "fetch/oci_client.h"
#include "fetch/oci_ref.h"
#include "fetch/registry_auth.h"

static const struct option login_options[] = {
	{"help", no_argument, NULL, 'h'},
	{"verbose", no_argument, NULL, 'v'},
	{"username", required_argument, NULL, 'u'},
	{"password-stdin", no_argument, NULL, OPT_PASSWORD_STDIN},
	{"fetch-timeout", required_argument, NULL, OPT_FETCH_TIMEOUT},
	{"plain-http", no_argument, NULL, OPT_PLAIN_HTTP},
	{0},
};

struct login_args {
	struct fetch_opts f;
	const char *host;
	const char *user;
	bool password_stdin;
};

/* HOST[:PORT] as a reference's host is written. */
static int check_host(const char *cmd, const char *host)
{
	char ref[300];
	struct oci_ref r;
	struct diag d;

	if (strlen(host) < 256 && !strchr(host, '/') &&
	    snprintf(ref, sizeof(ref), "%s/x", host) > 0 && !oci_ref_parse(ref, &r, &d) &&
	    !strcmp(r.host, host))
		return 0;
	diag_print("%s: '%s' is not a registry (HOST[:PORT], with a dot, a port or localhost)", cmd,
		   host);
	return -EINVAL;
}

static int parse_login_args(const char *cmd, int argc, char **argv, struct login_args *a)
{
	int opt, fetch;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":hvu:", login_options, NULL)) != -1) {
		if (opt == 'h')
			return 1;
		if (opt == 'v')
			a->f.verbose++;
		else if (opt == 'u' && !strcmp(cmd, "login"))
			a->user = optarg;
		else if (opt == OPT_PASSWORD_STDIN && !strcmp(cmd, "login"))
			a->password_stdin = true;
		else if ((fetch = cli_fetch_option(opt, optarg, &a->f)) < 0)
			return -EINVAL;
		else if (!fetch)
			return cli_bad_option(opt, argv, cmd, "ecli help");
	}
	if (optind + 1 != argc) {
		diag_print("%s: needs one HOST[:PORT] (see ecli help)", cmd);
		return -EINVAL;
	}
	a->host = argv[optind];
	return check_host(cmd, a->host);
}

/* The first line of standard input, without its newline. */
static int read_stdin_line(char *buf, size_t size)
{
	char *text = NULL;
	size_t len = 0;
	struct diag d;
	int err = file_read("-", size - 1, &text, &len, &d);

	if (err)
		return err;
	len = strcspn(text, "\r\n");
	memcpy(buf, text, len);
	buf[len] = 0;
	explicit_bzero(text, strlen(text));
	free(text);
	return 0;
}

static int ask(const struct login_args *a, char *user, char *pass)
{
	char prompt[AUTH_USER_MAX + 64];
	int err = 0;

	if (a->user) {
		snprintf(user, AUTH_USER_MAX, "%s", a->user);
	} else if (cli_read_tty("Username: ", user, AUTH_USER_MAX, true)) {
		diag_print("login: %s: give the user name with -u USER", a->host);
		return -EINVAL;
	}
	if (a->password_stdin)
		err = read_stdin_line(pass, AUTH_PASS_MAX);
	else {
		snprintf(prompt, sizeof(prompt), "Password for %s at %s: ", user, a->host);
		err = cli_read_secret(NULL, prompt, pass, AUTH_PASS_MAX);
	}
	if (err)
		diag_print("login: %s: no password: give it on standard input with "
			   "--password-stdin, or run on a terminal",
			   a->host);
	else if (!user[0] || !pass[0])
		diag_print("login: %s: empty user name or password", a->host), err = -EINVAL;
	return err;
}

int cmd_login(int argc, char **argv)
{
	char user[AUTH_USER_MAX], pass[AUTH_PASS_MAX] = "", file[PATH_MAX];
	struct login_args a = {0};
	struct diag d = {""};
	int err = parse_login_args("login", argc, argv, &a);

	if (err == 1) {
		fputs(cli_usage, stdout);
		return 0;
	}
	if (err || ask(&a, user, pass))
		return EXIT_BAD_INPUT;
	err = oci_check_login(&a.f, a.host, user, pass, &d);
	err = err ?: registry_auth_store(a.host, user, pass, file, sizeof(file), &d);
	explicit_bzero(pass, sizeof(pass));
	if (err)
		return cli_fail(EXIT_BAD_INPUT, d.msg);
	diag_print("logged in to %s as %s (saved in %s)", a.host, user, file);
	return 0;
}

int cmd_logout(int argc, char **argv)
{
	struct login_args a = {0};
	struct diag d = {""};
	char file[PATH_MAX];
	int err = parse_login_args("logout", argc, argv, &a);

	if (err == 1) {
		fputs(cli_usage, stdout);
		return 0;
	}
	if (err)
		return EXIT_BAD_INPUT;
	err = registry_auth_remove(a.host, file, sizeof(file), &d);
	if (err == -ENOENT) {
		diag_print("logout: %s: no login for it in %s", a.host, file);
		return EXIT_BAD_INPUT;
	}
	if (err)
		return cli_fail(EXIT_BAD_INPUT, d.msg);
	diag_print("removed the login for %s from %s", a.host, file);
	return 0;
}
