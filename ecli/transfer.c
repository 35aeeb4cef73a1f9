// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ecli push and ecli pull: a package to and from an OCI registry, checked to be one `ecli run`
 * can read before it is sent or written.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"
#include "transfer.h"
#include "core/file_io.h"
#include "fetch/cosign_key.h"
#include "fetch/oci_client.h"
#include "fetch/oci_manifest.h"
#include "fetch/package_source.h"
#include "fetch/package_verify.h"
#include "format/meta.h"
#include "format/package_read.h"

static const struct option push_options[] = {
	{"help", no_argument, NULL, 'h'},
	{"verbose", no_argument, NULL, 'v'},
	{"sign", required_argument, NULL, OPT_SIGN},
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

/* push and pull take fetch options, -v, and positional arguments (pull also -o FILE, push
 * --sign KEY: *extra gets either). */
static int parse_transfer_opts(const char *cmd, int argc, char **argv, struct fetch_opts *f,
			       const char **pos, int npos, const char **extra)
{
	const char **output = npos == 1 ? extra : NULL;
	const struct option *longs = output ? pull_options : push_options;
	int opt, fetch, n = 0;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, output ? ":hvo:" : ":hv", longs, NULL)) != -1) {
		if (opt == 'h')
			return 1;
		if (opt == 'v') {
			f->verbose++;
		} else if (opt == 'o' || opt == OPT_SIGN) { /* pull's -o, push's --sign */
			*extra = optarg;
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

/* The private key of --sign, opened before anything is uploaded. */
static int open_sign_key(const char *path, struct sig_key **key, struct diag *d)
{
	char pass[1024], prompt[PATH_MAX + 64], *text = NULL;
	size_t len = 0;
	int err;

	err = file_read(path, 1 << 20, &text, &len, d);
	if (err)
		return diag_wrap(d, err, "--sign");
	snprintf(prompt, sizeof(prompt), "Enter password for private key %s: ", path);
	err = cli_read_secret("COSIGN_PASSWORD", prompt, pass, sizeof(pass));
	if (err)
		err = diag_set(d, err,
			       "--sign %s: no password: set COSIGN_PASSWORD, or run on a terminal",
			       path);
	err = err ?: cosign_key_decrypt(text, len, path, pass, key, d);
	explicit_bzero(pass, sizeof(pass));
	explicit_bzero(text, len);
	free(text);
	return err;
}

int cmd_push(int argc, char **argv)
{
	struct fetch_opts f = {0};
	const char *pos[2], *sign = NULL;
	char label[PACKAGE_LABEL_MAX], digest[DIGEST_STR_LEN + 1], *text = NULL;
	struct package_origin origin = {0};
	struct sig_key *key = NULL;
	struct diag d = {""};
	struct oci_ref ref;
	size_t len = 0;
	int err;

	err = parse_transfer_opts("push", argc, argv, &f, pos, 2, &sign);
	if (err == 1)
		fputs(cli_usage, stdout);
	if (err)
		return err == 1 ? 0 : EXIT_BAD_INPUT;
	err = oci_ref_parse(pos[1], &ref, &d);
	err = err ?: sign ? open_sign_key(sign, &key, &d) : 0;
	err = err ?: package_source_bytes(pos[0], &f, &text, &len, label, &origin, &d);
	err = err ?: check_package(label, text, len, &d);
	err = err ?: oci_push(&f, pos[1], &ref, text, len, title_of(pos[0], label), digest, &d);
	err = err ?: key ? package_sign_oci(&f, pos[1], &ref, key, digest, &d) : 0;
	free(text);
	sig_key_free(key);
	package_origin_free(&origin);
	if (err)
		return cli_fail(EXIT_BAD_INPUT, d.msg);
	printf("%s\n", digest);
	if (sign)
		diag_print("signed %s/%s@%s with %s", ref.host, ref.repo, digest, sign);
	if (f.verbose > 0)
		diag_print("pushed %s as %s/%s@%s", label, ref.host, ref.repo, digest);
	return 0;
}

/*
 * FILE.sig beside a pulled FILE: the signature that verified it, so that `ecli run FILE`
 * checks it again; a stale one from an earlier pull is removed when this pull has none.
 */
static int save_signature(const char *output, const struct package_origin *g, struct diag *d)
{
	char path[PATH_MAX + 8];
	struct stat st;

	/* beside a file; not beside a pipe, a device or a descriptor */
	if (!output || lstat(output, &st) || !S_ISREG(st.st_mode) || !strncmp(output, "/dev/", 5) ||
	    !strncmp(output, "/proc/", 6))
		return 0;
	if (snprintf(path, sizeof(path), "%s.sig", output) >= (int)sizeof(path))
		return diag_set(d, -ENAMETOOLONG, "%s.sig: name too long", output);
	if (g->bundle)
		return file_write(path, g->bundle, strlen(g->bundle), d);
	if (!lstat(path, &st) && S_ISREG(st.st_mode) && unlink(path))
		return diag_set(d, -errno, "%s: %s", path, strerror(errno));
	return 0;
}

int cmd_pull(int argc, char **argv)
{
	struct fetch_opts f = {0};
	const char *pos[1], *output = NULL;
	char line[PATH_MAX + 300];
	struct package_origin origin = {0};
	struct oci_pulled p = {0};
	struct diag d = {""};
	struct oci_ref ref;
	int err;

	err = parse_transfer_opts("pull", argc, argv, &f, pos, 1, &output);
	if (err == 1)
		fputs(cli_usage, stdout);
	if (err)
		return err == 1 ? 0 : EXIT_BAD_INPUT;
	err = oci_ref_parse(pos[0], &ref, &d);
	err = err ?: oci_pull(&f, pos[0], &ref, &p, &d);
	err = err ?: package_verify_oci(&f, pos[0], &p, &origin, &d);
	/* verified bytes that are not a package are not written either */
	err = err ?: check_package(pos[0], p.data, p.len, &d);
	err = err ?: file_write(output ?: "-", p.data, p.len, &d);
	err = err ?: save_signature(output, &origin, &d);
	if (!err) {
		package_origin_text(pos[0], &origin, "pulled", line, sizeof(line));
		diag_print("%s (%zu bytes)%s%s", line, p.len,
			   output && strcmp(output, "-") ? " to " : "",
			   output && strcmp(output, "-") ? output : "");
	}
	oci_pulled_free(&p);
	package_origin_free(&origin);
	return err ? cli_fail(EXIT_BAD_INPUT, d.msg) : 0;
}
