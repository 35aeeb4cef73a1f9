// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fetch/oci_ref.h"

/* Checks HOST[:PORT] (len bytes) and sets *name_len to the length of HOST. */
static bool split_port(const char *host, size_t len, size_t *name_len)
{
	const char *colon;
	size_t i;

	if (host[0] == '[') {
		const char *close = memchr(host, ']', len);

		if (!close)
			return false;
		for (i = 1; host + i < close; i++)
			if (!isxdigit((unsigned char)host[i]) && host[i] != ':' && host[i] != '.')
				return false;
		*name_len = close + 1 - host;
		colon = *name_len < len ? close + 1 : NULL;
		if (colon && *colon != ':')
			return false;
	} else {
		colon = memchr(host, ':', len);
		*name_len = colon ? (size_t)(colon - host) : len;
	}
	if (colon) {
		size_t digits = len - (colon + 1 - host);
		unsigned long port;

		if (digits == 0 || digits > 5)
			return false;
		for (i = 0; i < digits; i++)
			if (!isdigit((unsigned char)colon[1 + i]))
				return false;
		port = strtoul(colon + 1, NULL, 10);
		if (port == 0 || port > 65535)
			return false;
	}
	return *name_len > 0;
}

/* A registry host: localhost, a dotted name, an IPv4 or a bracketed IPv6 address, or any name
 * with a port. */
static bool registry_host(const char *host, size_t len)
{
	size_t name_len, i;

	if (len == 0 || len >= sizeof(((struct oci_ref *)0)->host) ||
	    !split_port(host, len, &name_len))
		return false;
	if (host[0] == '[')
		return true;
	if (host[0] == '.' || host[0] == '-' || host[name_len - 1] == '.' ||
	    host[name_len - 1] == '-')
		return false;
	for (i = 0; i < name_len; i++)
		if (!isalnum((unsigned char)host[i]) && host[i] != '.' && host[i] != '-')
			return false;
	return name_len < len || memchr(host, '.', name_len) ||
	       (name_len == 9 && !strncmp(host, "localhost", 9));
}

bool oci_ref_looks_like(const char *s)
{
	const char *slash = strchr(s, '/');

	return slash && slash[1] && registry_host(s, slash - s);
}

static bool lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Path components of [a-z0-9]+ joined by '.', '_', "__" or dashes, separated by '/'. */
static bool repo_valid(const char *s)
{
	const char *p = s;

	if (!*p)
		return false;
	while (*p) {
		if (!lower_alnum(*p))
			return false;
		while (lower_alnum(*p))
			p++;
		if (!*p)
			break;
		if (*p == '/') {
			p++;
		} else if (*p == '.' || *p == '-' || *p == '_') {
			const char *sep = p;

			while (*p == '-')
				p++;
			if (p == sep)
				p += p[0] == '_' && p[1] == '_' ? 2 : 1;
		} else {
			return false;
		}
		if (!lower_alnum(*p))
			return false;
	}
	return true;
}

static bool tag_valid(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > OCI_TAG_MAX || s[0] == '.' || s[0] == '-')
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("._-", s[i]))
			return false;
	return true;
}

int oci_ref_parse(const char *s, struct oci_ref *ref, struct diag *d)
{
	const char *slash = strchr(s, '/'), *at, *name, *colon;
	size_t host_len, name_len;

	memset(ref, 0, sizeof(*ref));
	if (!slash || !registry_host(s, slash - s))
		return diag_set(d, -EINVAL,
				"%s: not an OCI reference (HOST[:PORT]/REPO[:TAG] or "
				"HOST[:PORT]/REPO@sha256:HEX)",
				s);
	host_len = slash - s;
	memcpy(ref->host, s, host_len);
	name = slash + 1;
	at = strchr(name, '@');
	name_len = at ? (size_t)(at - name) : strlen(name);
	if (at) {
		if (strncmp(at + 1, DIGEST_SHA256_PREFIX, sizeof(DIGEST_SHA256_PREFIX) - 1) &&
		    strchr(at + 1, ':'))
			return diag_set(d, -EINVAL, "%s: only sha256 digests are supported", s);
		if (!digest_valid(at + 1))
			return diag_set(d, -EINVAL,
					"%s: the digest is not sha256: and 64 lowercase hex digits",
					s);
		strcpy(ref->digest, at + 1);
	}
	colon = memchr(name, ':', name_len);
	if (colon) {
		size_t tag_len = name_len - (colon + 1 - name);

		if (tag_len > OCI_TAG_MAX)
			return diag_set(d, -EINVAL, "%s: the tag is longer than %d characters", s,
					OCI_TAG_MAX);
		memcpy(ref->tag, colon + 1, tag_len);
		if (!tag_valid(ref->tag))
			return diag_set(d, -EINVAL,
					"%s: tag \"%s\" is not letters, digits, '.', '_' or '-' "
					"(not starting with '.' or '-')",
					s, ref->tag);
		name_len = colon - name;
	}
	if (name_len >= sizeof(ref->repo))
		return diag_set(d, -EINVAL, "%s: the repository name is too long", s);
	memcpy(ref->repo, name, name_len);
	if (!repo_valid(ref->repo))
		return diag_set(
			d, -EINVAL,
			"%s: repository \"%s\" is not lowercase letters and digits joined by "
			"'.', '_', '__', '-' or '/'",
			s, ref->repo);
	if (!ref->tag[0] && !ref->digest[0])
		strcpy(ref->tag, "latest");
	return 0;
}

const char *oci_ref_target(const struct oci_ref *ref)
{
	return ref->digest[0] ? ref->digest : ref->tag;
}

bool oci_host_is_loopback(const char *host)
{
	size_t name_len;
	const char *h = host;

	if (!split_port(host, strlen(host), &name_len))
		return false;
	if (name_len == 9 && !strncmp(h, "localhost", 9))
		return true;
	if (name_len == 5 && !strncmp(h, "[::1]", 5))
		return true;
	if (name_len < 7 || strncmp(h, "127.", 4))
		return false;
	for (size_t i = 4; i < name_len; i++)
		if (!isdigit((unsigned char)h[i]) && h[i] != '.')
			return false;
	return true;
}
