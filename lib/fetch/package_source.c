// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "core/file_io.h"
#include "fetch/oci_client.h"
#include "fetch/oci_ref.h"
#include "fetch/package_source.h"
#include "fetch/package_verify.h"

static const char *const default_dirs[] = {"/usr/share/ecli/packages",
					   "/usr/local/share/ecli/packages"};

/* "scheme://": letters first, then letters, digits, '+', '-', '.'. */
static bool has_scheme(const char *s)
{
	const char *p = s;

	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		return false;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
	       *p == '+' || *p == '-' || *p == '.')
		p++;
	return !strncmp(p, "://", 3);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* tools.d/bindsnoop, when ./tools.d is a folder: a path (missing), not a registry host. */
static bool local_folder_first(const char *arg)
{
	const char *slash = strchr(arg, '/');
	char first[PATH_MAX];
	struct stat st;

	if (!slash || slash == arg || (size_t)(slash - arg) >= sizeof(first))
		return false;
	snprintf(first, sizeof(first), "%.*s", (int)(slash - arg), arg);
	return !stat(first, &st) && S_ISDIR(st.st_mode);
}

enum package_source_kind package_source_kind(const char *arg)
{
	struct stat st;

	if (!strcmp(arg, "-"))
		return PACKAGE_STDIN;
	if (has_scheme(arg))
		return PACKAGE_URL;
	/* a bare word is an installed tool's name, never a file in the working folder */
	if (*arg && !strchr(arg, '/') && !ends_with(arg, ".json") && strcmp(arg, ".") &&
	    strcmp(arg, ".."))
		return PACKAGE_NAME;
	if (!stat(arg, &st) && !S_ISDIR(st.st_mode))
		return PACKAGE_PATH;
	if (local_folder_first(arg) || !oci_ref_looks_like(arg))
		return PACKAGE_PATH;
	return PACKAGE_OCI;
}

static int add_dir(char dirs[PACKAGE_DIRS_MAX][PATH_MAX], int n, const char *dir, size_t len)
{
	int i;

	if (len == 0 || len >= PATH_MAX || n >= PACKAGE_DIRS_MAX)
		return n;
	for (i = 0; i < n; i++)
		if (strlen(dirs[i]) == len && !strncmp(dirs[i], dir, len))
			return n;
	memcpy(dirs[n], dir, len);
	dirs[n][len] = 0;
	return n + 1;
}

int package_dirs(char dirs[PACKAGE_DIRS_MAX][PATH_MAX])
{
	const char *env = getenv("ECLI_PACKAGES"), *p, *colon;
	char exe[PATH_MAX], dir[PATH_MAX + 32], *slash;
	ssize_t n;
	int count = 0;
	size_t i;

	if (env) {
		for (p = env; *p; p = colon + 1) {
			colon = strchrnul(p, ':');
			count = add_dir(dirs, count, p, colon - p);
			if (!*colon)
				break;
		}
		return count;
	}
	/* <ecli's folder>/.. written without "..": /proc/self/exe has no symbolic links left */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = 0;
		for (i = 0; i < 2 && (slash = strrchr(exe, '/')); i++)
			*slash = 0;
		if (i == 2) {
			snprintf(dir, sizeof(dir), "%s/share/ecli/packages", exe);
			count = add_dir(dirs, count, dir, strlen(dir));
		}
	}
	for (i = 0; i < sizeof(default_dirs) / sizeof(default_dirs[0]); i++)
		count = add_dir(dirs, count, default_dirs[i], strlen(default_dirs[i]));
	return count;
}

/* A file of that name in the working folder is run only as a path: say how. */
static const char *here_note(const char *name, char *buf, size_t size)
{
	struct stat st;

	buf[0] = 0;
	if (!stat(name, &st) && !S_ISDIR(st.st_mode))
		snprintf(buf, size, "; the file here runs as ./%s", name);
	return buf;
}

/*
 * Run as root, an installed package must be one only root can change: root's, not writable by
 * group or others, in a folder that is the same; else anyone who can change it runs code as root.
 */
static int owned_safely(const char *name, const char *path, struct diag *d)
{
	char dir[PATH_MAX];
	struct stat st;
	const char *bad = NULL;

	if (geteuid() != 0)
		return 0;
	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = 0;
	if (stat(path, &st) || !file_owned_safely(&st))
		bad = path;
	else if (stat(dir, &st) || !file_owned_safely(&st))
		bad = dir;
	if (!bad)
		return 0;
	return diag_set(
		d, -EPERM,
		"%s: %s is not root's, or its group or others may write to it: an installed "
		"package runs as root only when root alone can change it",
		name, bad);
}

int package_find_installed(const char *name, char *path, size_t size, struct diag *d)
{
	static char dirs[PACKAGE_DIRS_MAX][PATH_MAX];
	char looked[sizeof(d->msg)] = "", note[300];
	size_t used = 0;
	struct stat st;
	int i, n = package_dirs(dirs);

	for (i = 0; i < n; i++) {
		snprintf(path, size, "%s/%s.json", dirs[i], name);
		if (!stat(path, &st) && !S_ISDIR(st.st_mode))
			return owned_safely(name, path, d);
		used += snprintf(looked + used, used < sizeof(looked) ? sizeof(looked) - used : 0,
				 "%s%s", i ? ", " : "", dirs[i]);
		if (used >= sizeof(looked))
			used = sizeof(looked) - 1;
	}
	path[0] = 0;
	if (getenv("ECLI_PACKAGES"))
		return diag_set(
			d, -ENOENT, "%s: no installed package %s.json in $ECLI_PACKAGES (%s)%s",
			name, name, n ? looked : "no folders", here_note(name, note, sizeof(note)));
	return diag_set(d, -ENOENT,
			"%s: no installed package %s.json in %s ($ECLI_PACKAGES sets where to "
			"look)%s",
			name, name, looked, here_note(name, note, sizeof(note)));
}

static int fetch_oci(const char *arg, const struct fetch_opts *o, char **text, size_t *len,
		     struct package_origin *g, struct diag *d)
{
	struct oci_pulled p;
	struct oci_ref ref;
	int err = oci_ref_parse(arg, &ref, d);

	err = err ?: oci_pull(o, arg, &ref, &p, d);
	if (err)
		return err;
	err = package_verify_oci(o, arg, &p, g, d);
	if (!err) {
		*text = p.data;
		*len = p.len;
		p.data = NULL;
	}
	if (!err && o->verbose > 0)
		diag_print("%s: manifest %s, package layer checked", arg, p.digest);
	oci_pulled_free(&p);
	return err;
}

/* The host of an http URL (after "http://", without user info) is this machine. */
static bool url_is_loopback(const char *rest)
{
	size_t end = strcspn(rest, "/?#");
	const char *at = memchr(rest, '@', end);
	char host[256];

	if (at) {
		end -= (size_t)(at + 1 - rest);
		rest = at + 1;
	}
	if (!end || end >= sizeof(host))
		return false;
	memcpy(host, rest, end);
	host[end] = 0;
	return oci_host_is_loopback(host);
}

/* "#sha256=HEX" at the end of a URL: HEX in pin (65 bytes) and the URL without it in url. */
static int url_pin(const char *arg, char *url, size_t size, char *pin, struct diag *d)
{
	const char *hash = strchr(arg, '#');
	char digest[DIGEST_STR_LEN + 1];

	pin[0] = 0;
	if ((size_t)snprintf(url, size, "%.*s", hash ? (int)(hash - arg) : (int)strlen(arg), arg) >=
	    size)
		return diag_set(d, -ENAMETOOLONG, "%.200s...: URL too long", arg);
	if (!hash || strncmp(hash + 1, "sha256=", 7))
		return 0;
	snprintf(digest, sizeof(digest), "sha256:%s", hash + 8);
	if (!digest_valid(digest))
		return diag_set(d, -EINVAL,
				"%s: #sha256= must be followed by 64 lowercase hex digits", arg);
	strcpy(pin, hash + 8);
	return 0;
}

/* URL.sig when the server has one: *sig is NULL when it answers 404. */
static int fetch_url_sig(const struct fetch_opts *o, const char *url, char **sig, struct diag *d)
{
	struct http_request rq = {.max_bytes = PACKAGE_SIG_MAX_BYTES, .follow = true};
	struct http_response rs;
	char sig_url[PATH_MAX + 8], status[96];
	int err;

	*sig = NULL;
	/* the file's name gets ".sig", before any query */
	snprintf(sig_url, sizeof(sig_url), "%.*s.sig%s", (int)strcspn(url, "?"), url,
		 url + strcspn(url, "?"));
	rq.url = sig_url;
	err = http_perform(o, &rq, &rs, d);
	if (err)
		return diag_wrap(d, err, "%s", sig_url);
	if (rs.status == 200) {
		*sig = rs.body;
		rs.body = NULL;
	} else if (rs.status != 404 && rs.status != 410) {
		http_status_text(&rs, status, sizeof(status));
		err = diag_set(d, -EPROTO, "%s: %s", sig_url, status);
	}
	http_response_free(&rs);
	return err;
}

static int fetch_url(const char *arg, const struct fetch_opts *o, char **text, size_t *len,
		     struct package_origin *g, struct diag *d)
{
	char url[PATH_MAX], pin[65], *sig = NULL;
	int err;

	if (strncasecmp(arg, "http://", 7) && strncasecmp(arg, "https://", 8))
		return diag_set(d, -EINVAL, "%s: only http:// and https:// URLs are fetched", arg);
	err = url_pin(arg, url, sizeof(url), pin, d);
	if (err)
		return err;
	/* a pinned digest makes the way the bytes come irrelevant */
	if (!strncasecmp(url, "http://", 7) && !o->plain_http && !pin[0] &&
	    !url_is_loopback(url + 7))
		return diag_set(d, -EPERM,
				"%s: plain http from another machine: what ecli loads could be "
				"changed on the way; use https, a #sha256= pin, or --plain-http",
				arg);
	err = http_get(o, url, "application/json, */*", PACKAGE_MAX_FILE_BYTES, text, len, d);
	if (!err && !pin[0] && !o->skip_verify)
		err = fetch_url_sig(o, url, &sig, d);
	err = err ?: package_verify_url(o, arg, *text, *len, pin[0] ? pin : NULL, sig, g, d);
	free(sig);
	if (err) {
		free(*text);
		*text = NULL;
	}
	return err;
}

static int read_file_verified(const char *path, const struct fetch_opts *o, char **text,
			      size_t *len, struct package_origin *g, struct diag *d)
{
	int err = package_read_bytes(path, text, len, d);

	err = err ?: package_verify_file(o, path, *text, *len, g, d);
	if (err) {
		free(*text);
		*text = NULL;
	}
	return err;
}

int package_source_bytes(const char *arg, const struct fetch_opts *o, char **text, size_t *len,
			 char *label, struct package_origin *g, struct diag *d)
{
	enum package_source_kind kind = package_source_kind(arg);
	char path[PATH_MAX + 64];
	int err;

	*text = NULL;
	*len = 0;
	memset(g, 0, sizeof(*g));
	snprintf(label, PACKAGE_LABEL_MAX, "%s", kind == PACKAGE_STDIN ? "(stdin)" : arg);
	switch (kind) {
	case PACKAGE_URL:
		return fetch_url(arg, o, text, len, g, d);
	case PACKAGE_OCI:
		return fetch_oci(arg, o, text, len, g, d);
	case PACKAGE_NAME:
		err = package_find_installed(arg, path, sizeof(path), d);
		if (err)
			return err;
		snprintf(label, PACKAGE_LABEL_MAX, "%s", path);
		return read_file_verified(path, o, text, len, g, d);
	case PACKAGE_STDIN:
		return package_read_bytes(arg, text, len, d);
	default:
		return read_file_verified(arg, o, text, len, g, d);
	}
}

int package_source_read(const char *arg, const struct fetch_opts *o, struct package *pkg,
			char *label, struct package_origin *g, struct diag *d)
{
	enum package_source_kind kind = package_source_kind(arg);
	char *text = NULL;
	size_t len = 0;
	int err;

	memset(pkg, 0, sizeof(*pkg));
	err = package_source_bytes(arg, o, &text, &len, label, g, d);
	if (err)
		return err;
	err = package_parse(text, len, pkg, d);
	free(text);
	/* files and stdin keep their messages; what came from elsewhere is named */
	if (err && kind != PACKAGE_PATH && kind != PACKAGE_STDIN) {
		diag_wrap(d, err, "%s", label);
	}
	return err;
}
