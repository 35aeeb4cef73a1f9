// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fetch/oci_client.h"
#include "fetch/oci_ref.h"
#include "fetch/package_source.h"

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

enum package_source_kind package_source_kind(const char *arg)
{
	struct stat st;

	if (!strcmp(arg, "-"))
		return PACKAGE_STDIN;
	if (has_scheme(arg))
		return PACKAGE_URL;
	if (!stat(arg, &st) && !S_ISDIR(st.st_mode))
		return PACKAGE_PATH;
	if (oci_ref_looks_like(arg))
		return PACKAGE_OCI;
	if (*arg && !strchr(arg, '/') && !ends_with(arg, ".json") && strcmp(arg, ".") &&
	    strcmp(arg, ".."))
		return PACKAGE_NAME;
	return PACKAGE_PATH;
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

int package_find_installed(const char *name, char *path, size_t size, struct diag *d)
{
	static char dirs[PACKAGE_DIRS_MAX][PATH_MAX];
	char looked[sizeof(d->msg)] = "";
	size_t used = 0;
	struct stat st;
	int i, n = package_dirs(dirs);

	for (i = 0; i < n; i++) {
		snprintf(path, size, "%s/%s.json", dirs[i], name);
		if (!stat(path, &st) && !S_ISDIR(st.st_mode))
			return 0;
		used += snprintf(looked + used, used < sizeof(looked) ? sizeof(looked) - used : 0,
				 "%s%s", i ? ", " : "", dirs[i]);
		if (used >= sizeof(looked))
			used = sizeof(looked) - 1;
	}
	path[0] = 0;
	if (getenv("ECLI_PACKAGES"))
		return diag_set(
			d, -ENOENT,
			"%s: not a file, and no installed package %s.json in $ECLI_PACKAGES "
			"(%s)",
			name, name, n ? looked : "no folders");
	return diag_set(d, -ENOENT,
			"%s: not a file, and no installed package %s.json in %s ($ECLI_PACKAGES "
			"sets where to look)",
			name, name, looked);
}

static int fetch_oci(const char *arg, const struct fetch_opts *o, char **text, size_t *len,
		     struct diag *d)
{
	char manifest[DIGEST_STR_LEN + 1];
	struct oci_ref ref;
	int err = oci_ref_parse(arg, &ref, d);

	err = err ?: oci_pull(o, arg, &ref, text, len, manifest, d);
	if (!err && o->verbose > 0)
		diag_print("%s: manifest %s, package verified", arg, manifest);
	return err;
}

int package_source_bytes(const char *arg, const struct fetch_opts *o, char **text, size_t *len,
			 char *label, struct diag *d)
{
	enum package_source_kind kind = package_source_kind(arg);
	char path[PATH_MAX + 64];
	int err;

	*text = NULL;
	*len = 0;
	snprintf(label, PACKAGE_LABEL_MAX, "%s", kind == PACKAGE_STDIN ? "(stdin)" : arg);
	switch (kind) {
	case PACKAGE_URL:
		if (strncasecmp(arg, "http://", 7) && strncasecmp(arg, "https://", 8))
			return diag_set(d, -EINVAL,
					"%s: only http:// and https:// URLs are fetched", arg);
		return http_get(o, arg, "application/json, */*", PACKAGE_MAX_FILE_BYTES, text, len,
				d);
	case PACKAGE_OCI:
		return fetch_oci(arg, o, text, len, d);
	case PACKAGE_NAME:
		err = package_find_installed(arg, path, sizeof(path), d);
		if (err)
			return err;
		snprintf(label, PACKAGE_LABEL_MAX, "%s", path);
		return package_read_bytes(path, text, len, d);
	default:
		return package_read_bytes(arg, text, len, d);
	}
}

int package_source_read(const char *arg, const struct fetch_opts *o, struct package *pkg,
			char *label, struct diag *d)
{
	enum package_source_kind kind = package_source_kind(arg);
	char *text = NULL;
	size_t len = 0;
	int err;

	memset(pkg, 0, sizeof(*pkg));
	err = package_source_bytes(arg, o, &text, &len, label, d);
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
