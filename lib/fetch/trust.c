// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "core/file_io.h"
#include "fetch/trust.h"
#include "format/base64.h"

#define KEY_FILE_MAX (64u << 10)

/* Root's, or the user's own when not root, and writable by no one else. */
static int owned_safely(const char *path, const struct stat *st, struct diag *d)
{
	if (file_owned_safely(st))
		return 0;
	return diag_set(d, -EPERM,
			"%s: %s, or its group or others may write to it: a key anyone can add "
			"proves nothing; refused",
			path, geteuid() ? "is neither root's nor yours" : "is not root's");
}

static int add_key(struct trust *t, const char *path, bool check_owner, struct diag *d)
{
	struct trust_key *k = &t->keys[t->n];
	char *text = NULL;
	size_t len = 0;
	struct stat st;
	int err;

	if (t->n >= TRUST_MAX_KEYS)
		return diag_set(d, -E2BIG, "%s: more than %d keys", path, TRUST_MAX_KEYS);
	/* in the keys folder, a link could lead to a file in a folder others may change */
	if ((check_owner ? lstat(path, &st) : stat(path, &st)))
		return diag_set(d, -errno, "%s: %s", path, strerror(errno));
	if (check_owner && S_ISLNK(st.st_mode))
		return diag_set(d, -EPERM, "%s: is a symbolic link: a key in %s must be a file",
				path, t->dir);
	if (!S_ISREG(st.st_mode))
		return diag_set(d, -EINVAL, "%s: not a file", path);
	err = check_owner ? owned_safely(path, &st, d) : 0;
	err = err ?: file_read(path, KEY_FILE_MAX, &text, &len, d);
	err = err ?: sig_public_key_parse(text, len, path, &k->key, d);
	free(text);
	if (err)
		return err;
	snprintf(k->path, sizeof(k->path), "%s", path);
	t->n++;
	return 0;
}

static bool is_pub(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && n > 4 && !strcmp(name + n - 4, ".pub");
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int load_dir(struct trust *t, struct diag *d)
{
	struct dirent **names = NULL;
	char path[PATH_MAX * 2];
	struct stat st;
	int i, n, err = 0;

	if (stat(t->dir, &st))
		return errno == ENOENT ? 0 : diag_set(d, -errno, "%s: %s", t->dir, strerror(errno));
	err = owned_safely(t->dir, &st, d);
	if (err)
		return err;
	n = scandir(t->dir, &names, NULL, NULL);
	if (n < 0)
		return diag_set(d, -errno, "%s: %s", t->dir, strerror(errno));
	qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n; i++) {
		if (!err && is_pub(names[i]->d_name)) {
			snprintf(path, sizeof(path), "%s/%s", t->dir, names[i]->d_name);
			err = add_key(t, path, true, d);
		}
		free(names[i]);
	}
	free(names);
	return err;
}

int trust_load(struct trust *t, const char *const *extra, int n_extra, struct diag *d)
{
	const char *env = getenv("ECLI_KEYS");
	int i, err;

	memset(t, 0, sizeof(*t));
	snprintf(t->dir, sizeof(t->dir), "%s", env && *env ? env : TRUST_KEYS_DIR);
	err = load_dir(t, d);
	/* a --key file is the user's choice, where it is */
	for (i = 0; !err && i < n_extra; i++)
		err = add_key(t, extra[i], false, d);
	if (err)
		trust_free(t);
	return err;
}

void trust_free(struct trust *t)
{
	int i;

	for (i = 0; i < t->n; i++)
		sig_key_free(t->keys[i].key);
	t->n = 0;
}

const char *trust_verify(const struct trust *t, const void *data, size_t len, const char *sig_b64)
{
	uint8_t *sig = NULL;
	size_t sig_len = 0, bad;
	const char *by = NULL;
	int i;

	if (base64_decode(sig_b64, strlen(sig_b64), &sig, &sig_len, &bad))
		return NULL;
	for (i = 0; i < t->n && !by; i++)
		if (sig_verify(t->keys[i].key, data, len, sig, sig_len))
			by = t->keys[i].path;
	free(sig);
	return by;
}

void trust_tried(const struct trust *t, char *buf, size_t size)
{
	size_t used;
	int i;

	if (!t->n) {
		snprintf(buf, size, "no keys in %s and no --key", t->dir);
		return;
	}
	used = snprintf(buf, size, "keys tried: ");
	for (i = 0; i < t->n && used < size; i++)
		used += snprintf(buf + used, size - used, "%s%s", i ? ", " : "", t->keys[i].path);
}
