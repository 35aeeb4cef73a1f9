/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Registry credentials in the files podman, skopeo and docker keep them in: a JSON object whose
 * "auths" maps a registry ("host[:port]", optionally "/repo" for one repository, optionally with
 * "https://" before it) to {"auth": base64("user:password")}. Read from, in this order:
 *
 *   $REGISTRY_AUTH_FILE, else ${XDG_RUNTIME_DIR}/containers/auth.json (/run/containers/UID/
 *   auth.json without XDG_RUNTIME_DIR), then ~/.config/containers/auth.json, ~/.docker/config.json
 *
 * the first file with an entry for the registry deciding. `ecli login` writes the first of
 * these (mode 0600, other entries and keys kept), as podman login does.
 */
#ifndef FETCH_REGISTRY_AUTH_H
#define FETCH_REGISTRY_AUTH_H

#include <limits.h>
#include <stddef.h>
#include "core/diag.h"

#define AUTH_USER_MAX 256
#define AUTH_PASS_MAX 1024

struct registry_login {
	char user[AUTH_USER_MAX];
	char password[AUTH_PASS_MAX];
	char file[PATH_MAX]; /* where it was found */
};

/*
 * The credentials for repo on host, the most specific entry of the first file that has one:
 * 0, -ENOENT when no file has any, or an error naming a file that cannot be read or parsed.
 */
int registry_auth_find(const char *host, const char *repo, struct registry_login *l,
		       struct diag *d);
/* base64("user:password"), as the files and Basic auth carry it (malloc'd; NULL: no memory). */
char *registry_auth_encode(const char *user, const char *password);
/* Frees a string that held a secret, zeroed first. */
void registry_auth_free_secret(char *s);
/* The file `ecli login` writes (PATH_MAX bytes). */
void registry_auth_file(char *path, size_t size);
/* Adds or replaces host's entry in the login file; path gets the file. */
int registry_auth_store(const char *host, const char *user, const char *password, char *path,
			size_t size, struct diag *d);
/* Removes host's entry from the login file: 0, or -ENOENT when it had none. */
int registry_auth_remove(const char *host, char *path, size_t size, struct diag *d);

#endif
