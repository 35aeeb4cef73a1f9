// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ecli push and ecli pull: a package to and from an OCI registry, checked to be one `ecli run`
 * can read before it is sent or written.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "transfer.h"
#include "core/file_io.h"
#include "fetch/oci_client.h"
#include "fetch/oci_manifest.h"
#include "fetch/package_source.h"
#include "format/meta.h"
#include "format/package_read.h"

static const struct option push_options[] = {
	{"help", no_argument, NULL, 'h'},
	{"verbose", no_argument, NULL, 'v'},
	CLI_FETCH_OPTIONS,
	{0},
};

static const struct option pull_options[] = {
	{"help", no_argument, NULL, 'h'},
	{"verbose", no_argument, NULL, 'v'},
	{"output", required_argument, NULL, 'o'},
	CLI_FETCH_OPTIONS,
	{0},
};

/* push and pull take fetch options, -v, and positional arguments (pull also -o FILE). */
static int parse_transfer_opts(const char *cmd, int argc, char **argv, struct fetch_opts *f,
			       const char **pos, int npos, const char **output)
{
	const struct option *longs = output ? pull_options : push_options;
	int opt, fetch, n = 0;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, output ? ":hvo:" : ":hv", longs, NULL)) != -1) {
		if (opt == 'h')
			return 1;
		if (opt == 'v') {
			f->verbose++;
		} else if (opt == 'o') { /* only pull's options have it */
			*output = optarg;
		} else if ((fetch = cli_fetch_option(opt, optarg, f)) < 0) {
			return -EINVAL;
		} else if (!fetch) {
			return cli_bad_option(opt, argv, cmd, "ecli help");
		}
	}
	for (; optind < argc; optind++) {
		if (n == npos) {
			diag_print("%s: unexpected argument '%s' (see ecli help)", cmd,
				   argv[optind]);
			return -EINVAL;
		}
		pos[n++] = argv[optind];
	}
	if (n < npos) {
		diag_print("%s: needs %s (see ecli help)", cmd,
			   npos == 2 ? "PACKAGE and REF" : "REF");
		return -EINVAL;
	}
	return 0;
}

/* The layer's title: the file name a package had, when it has one. */
static const char *title_of(const char *arg, const char *label)
{
	const char *base = strrchr(label, '/');

	if (!strcmp(arg, "-"))
		return NULL;
	base = base ? base + 1 : label;
	return strchr(base, '?') ? NULL : base;
}

/*
 * push and pull move only what `ecli run` can read: the package and its meta, and the objects of
 * every architecture, whichever machine moves them.
 */
static int check_package(const char *label, const char *text, size_t len, struct diag *d)
{
	struct package_meta meta = {0};
	struct package pkg;
	int err = package_parse_all(text, len, &pkg, d);

	err = err ?: meta_parse(pkg.meta, &meta, d);
	meta_free(&meta);
	package_free(&pkg);
	return cli_about_package(label, err, d);
}

int cmd_push(int argc, char **argv)
{
	struct fetch_opts f = {0};
	const char *pos[2];
	char label[PACKAGE_LABEL_MAX], digest[DIGEST_STR_LEN + 1], *text = NULL;
	struct diag d = {""};
	struct oci_ref ref;
	size_t len = 0;
	int err;

	err = parse_transfer_opts("push", argc, argv, &f, pos, 2, NULL);
	if (err == 1)
		fputs(cli_usage, stdout);
	if (err)
		return err == 1 ? 0 : EXIT_BAD_INPUT;
	err = oci_ref_parse(pos[1], &ref, &d);
	err = err ?: package_source_bytes(pos[0], &f, &text, &len, label, &d);
	err = err ?: check_package(label, text, len, &d);
	err = err ?: oci_push(&f, pos[1], &ref, text, len, title_of(pos[0], label), digest, &d);
	free(text);
	if (err)
		return cli_fail(EXIT_BAD_INPUT, d.msg);
	printf("%s\n", digest);
	if (f.verbose > 0)
		diag_print("pushed %s as %s/%s@%s", label, ref.host, ref.repo, digest);
	return 0;
}

int cmd_pull(int argc, char **argv)
{
	struct fetch_opts f = {0};
	const char *pos[1], *output = NULL;
	char digest[DIGEST_STR_LEN + 1], *text = NULL;
	struct diag d = {""};
	struct oci_ref ref;
	size_t len = 0;
	int err;

	err = parse_transfer_opts("pull", argc, argv, &f, pos, 1, &output);
	if (err == 1)
		fputs(cli_usage, stdout);
	if (err)
		return err == 1 ? 0 : EXIT_BAD_INPUT;
	err = oci_ref_parse(pos[0], &ref, &d);
	err = err ?: oci_pull(&f, pos[0], &ref, &text, &len, digest, &d);
	/* verified bytes that are not a package are not written either */
	err = err ?: check_package(pos[0], text, len, &d);
	err = err ?: file_write(output ?: "-", text, len, &d);
	free(text);
	if (err)
		return cli_fail(EXIT_BAD_INPUT, d.msg);
	diag_print("pulled %s/%s@%s (%zu bytes)%s%s", ref.host, ref.repo, digest, len,
		   output && strcmp(output, "-") ? " to " : "",
		   output && strcmp(output, "-") ? output : "");
	return 0;
}
