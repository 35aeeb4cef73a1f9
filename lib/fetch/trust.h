/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Which keys a package must be signed with: the cosign public keys (*.pub) in /etc/ecli/keys.d,
 * or in the folder $ECLI_KEYS names, and the files given with --key. The folder and its keys
 * must be root's (or the user's own, when not run as root) and writable by no one else, and the
 * keys files, not links: a key anyone can add is no key; such a folder or key is refused, not
 * skipped.
 */
#ifndef FETCH_TRUST_H
#define FETCH_TRUST_H

#include <limits.h>
#include <stddef.h>
#include "core/diag.h"
#include "fetch/sig_crypto.h"

#define TRUST_KEYS_DIR "/etc/ecli/keys.d"
#define TRUST_MAX_KEYS 64

struct trust_key {
	char path[PATH_MAX];
	struct sig_key *key;
};

struct trust {
	struct trust_key keys[TRUST_MAX_KEYS];
	int n;
	char dir[PATH_MAX]; /* the keys folder looked in */
};

/* The folder's keys and the extra files. */
int trust_load(struct trust *t, const char *const *extra, int n_extra, struct diag *d);
void trust_free(struct trust *t);
/* The key (its file) whose signature sig_b64 (base64 DER) of data is, or NULL. */
const char *trust_verify(const struct trust *t, const void *data, size_t len, const char *sig_b64);
/* "keys tried: a.pub, b.pub" or "no keys in /etc/ecli/keys.d (and no --key)". */
void trust_tried(const struct trust *t, char *buf, size_t size);

#endif
