// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include "core/file_io.h"
#include "fetch/registry_auth.h"
#include "format/base64.h"
#include "format/meta_json.h"

#define AUTH_FILE_MAX (1u << 20)
#define AUTH_FILES    4

static const char *home(void)
{
	const char *h = getenv("HOME");
	struct passwd *pw;

	if (h && *h)
		return h;
	pw = getpwuid(geteuid());
	return pw ? pw->pw_dir : "/";
}

void registry_auth_file(char *path, size_t size)
{
	const char *env = getenv("REGISTRY_AUTH_FILE"), *run = getenv("XDG_RUNTIME_DIR");

	if (env && *env)
		snprintf(path, size, "%s", env);
	else if (run && *run)
		snprintf(path, size, "%s/containers/auth.json", run);
	else
		snprintf(path, size, "/run/containers/%u/auth.json", (unsigned)geteuid());
}

static int auth_files(char files[AUTH_FILES][PATH_MAX])
{
	registry_auth_file(files[0], PATH_MAX);
	snprintf(files[1], PATH_MAX, "%s/.config/containers/auth.json", home());
	snprintf(files[2], PATH_MAX, "%s/.docker/config.json", home());
	return 3;
}

/* "https://host/x/" -> "host/x" */
static void normalize_key(const char *key, char *out, size_t size)
{
	size_t n;

	if (!strncmp(key, "https://", 8))
		key += 8;
	else if (!strncmp(key, "http://", 7))
		key += 7;
	snprintf(out, size, "%s", key);
	n = strlen(out);
	while (n && out[n - 1] == '/')
		out[--n] = 0;
}

/* 0 when key is not for host/repo; else how specific it is. */
static size_t key_match(const char *key, const char *host, const char *repo)
{
	size_t hl = strlen(host), pl;
	char k[512];

	normalize_key(key, k, sizeof(k));
	if (strncmp(k, host, hl))
		return 0;
	if (!k[hl])
		return 1;
	if (k[hl] != '/' || !repo)
		return 0;
	pl = strlen(k + hl + 1);
	if (strncmp(repo, k + hl + 1, pl) || (repo[pl] && repo[pl] != '/'))
		return 0;
	return 1 + pl;
}

static int decode_entry(const cJSON *entry, const char *file, const char *key,
			struct registry_login *l, struct diag *d)
{
	const cJSON *auth = cJSON_GetObjectItemCaseSensitive(entry, "auth");
	uint8_t *raw = NULL;
	size_t len = 0, bad;
	char *colon;
	int err = 0;

	if (!cJSON_IsString(auth) ||
	    base64_decode(auth->valuestring, strlen(auth->valuestring), &raw, &len, &bad))
		return diag_set(d, -EINVAL, "%s: auths.%s.auth is not base64 of user:password",
				file, key);
	colon = memchr(raw, ':', len);
	if (!colon || (size_t)(colon - (char *)raw) >= sizeof(l->user) ||
	    len - (colon + 1 - (char *)raw) >= sizeof(l->password) || memchr(raw, 0, len)) {
		err = diag_set(d, -EINVAL, "%s: auths.%s.auth is not base64 of user:password", file,
			       key);
		goto out;
	}
	snprintf(l->user, sizeof(l->user), "%.*s", (int)(colon - (char *)raw), (char *)raw);
	snprintf(l->password, sizeof(l->password), "%.*s", (int)(len - (colon + 1 - (char *)raw)),
		 colon + 1);
	snprintf(l->file, sizeof(l->file), "%.*s", (int)sizeof(l->file) - 1, file);
out:
	if (raw)
		explicit_bzero(raw, len);
	free(raw);
	return err;
}

/* The file's document, or NULL in *root when it does not exist. */
static int read_auth_file(const char *file, cJSON **root, struct diag *d)
{
	char *text = NULL;
	size_t len = 0;
	int err;

	*root = NULL;
	if (access(file, F_OK) && errno == ENOENT)
		return 0;
	err = file_read(file, AUTH_FILE_MAX, &text, &len, d);
	err = err ?: json_parse_document(text, len, file, root, d);
	if (!err && !cJSON_IsObject(*root))
		err = diag_set(d, -EINVAL, "%s: not a JSON object", file);
	if (text)
		explicit_bzero(text, len);
	free(text);
	if (err) {
		cJSON_Delete(*root);
		*root = NULL;
	}
	return err;
}

static int find_in_file(const char *file, const char *host, const char *repo,
			struct registry_login *l, struct diag *d)
{
	const cJSON *auths, *entry, *best = NULL;
	size_t score, best_score = 0;
	cJSON *root;
	int err = read_auth_file(file, &root, d);

	if (err || !root)
		return err ?: -ENOENT;
	auths = cJSON_GetObjectItemCaseSensitive(root, "auths");
	if (!cJSON_IsObject(auths))
		auths = NULL;
	cJSON_ArrayForEach(entry, auths) {
		score = entry->string ? key_match(entry->string, host, repo) : 0;
		if (score > best_score && cJSON_IsObject(entry)) {
			best = entry;
			best_score = score;
		}
	}
	err = best ? decode_entry(best, file, best->string, l, d) : -ENOENT;
	cJSON_Delete(root);
	return err;
}

int registry_auth_find(const char *host, const char *repo, struct registry_login *l, struct diag *d)
{
	char files[AUTH_FILES][PATH_MAX];
	int i, n = auth_files(files), err;

	memset(l, 0, sizeof(*l));
	for (i = 0; i < n; i++) {
		err = find_in_file(files[i], host, repo, l, d);
		if (err != -ENOENT)
			return err;
	}
	return -ENOENT;
}

/* mkdir -p of the file's folder, the folders made private. */
static int make_parent(const char *file, struct diag *d)
{
	char dir[PATH_MAX], *p;

	snprintf(dir, sizeof(dir), "%s", file);
	p = strrchr(dir, '/');
	if (!p || p == dir)
		return 0;
	*p = 0;
	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(dir, 0700) && errno != EEXIST)
			return diag_set(d, -errno, "%s: %s", dir, strerror(errno));
		*p = '/';
	}
	if (mkdir(dir, 0700) && errno != EEXIST)
		return diag_set(d, -errno, "%s: %s", dir, strerror(errno));
	return 0;
}

static int write_auth_file(const char *file, cJSON *root, struct diag *d)
{
	char *text = cJSON_Print(root);
	int err;

	if (!text)
		return diag_set(d, -ENOMEM, "out of memory");
	err = make_parent(file, d);
	err = err ?: file_write_private(file, text, strlen(text), d);
	registry_auth_free_secret(text);
	return err;
}

/* Removes every entry for host however written ("https://host/", "host"): how many. */
static int remove_host(cJSON *auths, const char *host)
{
	cJSON *e = auths->child, *next;
	char k[512];
	int n = 0;

	for (; e; e = next) {
		next = e->next;
		normalize_key(e->string ? e->string : "", k, sizeof(k));
		if (!strcmp(k, host)) {
			cJSON_Delete(cJSON_DetachItemViaPointer(auths, e));
			n++;
		}
	}
	return n;
}

/* The login file's document with an "auths" object (made when missing). */
static int open_login_file(char *path, size_t size, cJSON **root, cJSON **auths, struct diag *d)
{
	int err;

	registry_auth_file(path, size);
	err = read_auth_file(path, root, d);
	if (err)
		return err;
	if (!*root && !(*root = cJSON_CreateObject()))
		return diag_set(d, -ENOMEM, "out of memory");
	*auths = cJSON_GetObjectItemCaseSensitive(*root, "auths");
	if (!*auths)
		*auths = cJSON_AddObjectToObject(*root, "auths");
	if (!cJSON_IsObject(*auths)) {
		cJSON_Delete(*root);
		*root = NULL;
		return diag_set(d, -EINVAL, "%s: auths is not an object", path);
	}
	return 0;
}

char *registry_auth_encode(const char *user, const char *password)
{
	char pair[AUTH_USER_MAX + AUTH_PASS_MAX + 2], *b64;
	int n = snprintf(pair, sizeof(pair), "%s:%s", user, password);

	b64 = n > 0 && (size_t)n < sizeof(pair) ? base64_encode(pair, n) : NULL;
	explicit_bzero(pair, sizeof(pair));
	return b64;
}

void registry_auth_free_secret(char *s)
{
	if (s)
		explicit_bzero(s, strlen(s));
	free(s);
}

int registry_auth_store(const char *host, const char *user, const char *password, char *path,
			size_t size, struct diag *d)
{
	cJSON *root = NULL, *auths, *entry;
	char *b64 = NULL;
	int err;

	if (strchr(user, ':'))
		return diag_set(d, -EINVAL, "user name '%s' has a ':'", user);
	if (strlen(user) >= AUTH_USER_MAX || strlen(password) >= AUTH_PASS_MAX)
		return diag_set(d, -EINVAL, "user name or password too long");
	err = open_login_file(path, size, &root, &auths, d);
	if (err)
		goto out;
	b64 = registry_auth_encode(user, password);
	entry = cJSON_CreateObject();
	if (!b64 || !entry || !cJSON_AddStringToObject(entry, "auth", b64)) {
		cJSON_Delete(entry);
		err = diag_set(d, -ENOMEM, "out of memory");
		goto out;
	}
	remove_host(auths, host);
	cJSON_AddItemToObject(auths, host, entry);
	err = write_auth_file(path, root, d);
out:
	registry_auth_free_secret(b64);
	cJSON_Delete(root);
	return err;
}

int registry_auth_remove(const char *host, char *path, size_t size, struct diag *d)
{
	cJSON *root = NULL, *auths;
	int err = open_login_file(path, size, &root, &auths, d);

	if (err)
		return err;
	err = remove_host(auths, host) ? write_auth_file(path, root, d) : -ENOENT;
	cJSON_Delete(root);
	return err;
}
