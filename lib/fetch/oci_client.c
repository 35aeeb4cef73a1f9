// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cjson/cJSON.h>
#include "fetch/oci_client.h"
#include "fetch/oci_manifest.h"
#include "fetch/registry_auth.h"
#include "format/meta_json.h"
#include "format/package_read.h"

#define URL_MAX		1024
#define TOKEN_MAX_BYTES (1u << 20)

struct registry {
	const struct fetch_opts *o;
	const char *name; /* the reference as given */
	const char *host;
	const char *repo; /* NULL: the registry itself (login) */
	char origin[300]; /* "http://localhost:5000" */
	char base[URL_MAX];
	char *authorization; /* what each request sends, once the registry asked for it */
	struct registry_login login;
	int login_state; /* 0 not looked for, 1 found (or given), -1 none */
};

static void registry_init(struct registry *r, const struct fetch_opts *o, const char *name,
			  const char *host, const char *repo)
{
	bool plain = o->plain_http || oci_host_is_loopback(host);

	memset(r, 0, sizeof(*r));
	r->o = o;
	r->name = name;
	r->host = host;
	r->repo = repo;
	snprintf(r->origin, sizeof(r->origin), "%s://%s", plain ? "http" : "https", host);
	snprintf(r->base, sizeof(r->base), "%s/v2/%s", r->origin, repo ?: "");
}

static void registry_free(struct registry *r)
{
	registry_auth_free_secret(r->authorization);
	explicit_bzero(&r->login, sizeof(r->login));
	r->authorization = NULL;
}

/* "the login for HOST from FILE", or "the user name and password given" (ecli login). */
static const char *login_source(const struct registry *r, char *buf, size_t size)
{
	if (!r->login.file[0])
		return "the user name and password given";
	snprintf(buf, size, "the login for %s from %s", r->host, r->login.file);
	return buf;
}

static int find_login(struct registry *r, struct diag *d)
{
	int err;

	if (r->login_state)
		return 0;
	err = registry_auth_find(r->host, r->repo, &r->login, d);
	if (err && err != -ENOENT)
		return diag_wrap(d, err, "%s: reading the registry login", r->name);
	r->login_state = err ? -1 : 1;
	return 0;
}

/* "Basic base64(user:password)" (malloc'd). */
static char *basic_auth(const struct registry_login *l)
{
	char *b64 = registry_auth_encode(l->user, l->password), *out = NULL;

	if (b64 && asprintf(&out, "Basic %s", b64) < 0)
		out = NULL;
	registry_auth_free_secret(b64);
	return out;
}

/* One parameter of a challenge (`realm="..."`), unquoted, into out; false when absent. */
static bool challenge_param(const char *ch, const char *key, char *out, size_t size)
{
	size_t kl = strlen(key), n = 0;
	const char *p = ch;

	while ((p = strcasestr(p, key))) {
		bool starts = p == ch || p[-1] == ' ' || p[-1] == ',';

		p += kl;
		if (!starts || *p != '=')
			continue;
		p++;
		if (*p == '"') {
			for (p++; *p && *p != '"' && n + 1 < size; p++)
				out[n++] = *p == '\\' && p[1] ? *++p : *p;
		} else {
			for (; *p && *p != ',' && *p != ' ' && n + 1 < size; p++)
				out[n++] = *p;
		}
		out[n] = 0;
		return true;
	}
	return false;
}

/* Percent-encodes s onto the end of url. */
static void url_append_encoded(char *url, size_t size, const char *s)
{
	size_t n = strlen(url);

	for (; *s && n + 4 < size; s++) {
		unsigned char c = *s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("-._~", c))
			url[n++] = c;
		else
			n += snprintf(url + n, size - n, "%%%02X", c);
	}
	url[n] = 0;
}

static int token_url(struct registry *r, const char *ch, char *url, size_t size, struct diag *d)
{
	char realm[URL_MAX], service[256] = "", scope[512] = "";

	if (!challenge_param(ch, "realm", realm, sizeof(realm)))
		return diag_set(d, -EPROTO, "%s: the registry's Bearer challenge has no realm",
				r->name);
	if (strncmp(realm, "https://", 8) && strncmp(realm, "http://", 7))
		return diag_set(d, -EPROTO, "%s: token realm '%s' is not an http(s) URL", r->name,
				realm);
	if (!strncmp(r->origin, "https://", 8) && strncmp(realm, "https://", 8))
		return diag_set(d, -EPROTO,
				"%s: token realm %s is plain http for an https registry; refused",
				r->name, realm);
	challenge_param(ch, "service", service, sizeof(service));
	challenge_param(ch, "scope", scope, sizeof(scope));
	snprintf(url, size, "%s%c", realm, strchr(realm, '?') ? '&' : '?');
	if (service[0]) {
		strncat(url, "service=", size - strlen(url) - 1);
		url_append_encoded(url, size, service);
	}
	if (scope[0]) {
		strncat(url, service[0] ? "&scope=" : "scope=", size - strlen(url) - 1);
		url_append_encoded(url, size, scope);
	}
	return 0;
}

/* The distribution token flow: the realm gives a token (for the login, or anonymous). */
static int fetch_token(struct registry *r, const char *ch, struct diag *d)
{
	char url[URL_MAX * 2], status[96], text[PATH_MAX + 300], *basic = NULL;
	struct http_request rq = {.url = url, .max_bytes = TOKEN_MAX_BYTES, .follow = true};
	struct http_response rs = {0};
	const cJSON *tok;
	cJSON *root = NULL;
	int err = token_url(r, ch, url, sizeof(url), d);

	if (err)
		return err;
	if (r->login_state > 0 && !(basic = basic_auth(&r->login)))
		return diag_set(d, -ENOMEM, "out of memory");
	rq.authorization = basic;
	err = http_perform(r->o, &rq, &rs, d);
	if (err) {
		err = diag_wrap(d, err, "%s: token from %s", r->name, url);
		goto out;
	}
	if (rs.status == 401 || rs.status == 403) {
		http_status_text(&rs, status, sizeof(status));
		err = r->login_state > 0
			      ? diag_set(d, -EACCES, "%s: the token service refused %s (%s)",
					 r->name, login_source(r, text, sizeof(text)), status)
			      : diag_set(d, -EACCES,
					 "%s: the registry needs a login (%s from its token "
					 "service): "
					 "ecli login %s",
					 r->name, status, r->host);
		goto out;
	}
	if (rs.status != 200) {
		http_status_text(&rs, status, sizeof(status));
		err = diag_set(d, -EPROTO, "%s: token from %s: %s", r->name, url, status);
		goto out;
	}
	err = json_parse_document(rs.body, rs.len, "token response", &root, d);
	if (err) {
		err = diag_wrap(d, err, "%s: token from %s", r->name, url);
		goto out;
	}
	tok = cJSON_GetObjectItemCaseSensitive(root, "token");
	if (!cJSON_IsString(tok) || !*tok->valuestring)
		tok = cJSON_GetObjectItemCaseSensitive(root, "access_token");
	if (!cJSON_IsString(tok) || !*tok->valuestring ||
	    tok->valuestring[strcspn(tok->valuestring, " \t\r\n\"")]) {
		err = diag_set(d, -EPROTO, "%s: the token service's answer has no usable token",
			       r->name);
		goto out;
	}
	registry_auth_free_secret(r->authorization);
	if (asprintf(&r->authorization, "Bearer %s", tok->valuestring) < 0) {
		r->authorization = NULL;
		err = diag_set(d, -ENOMEM, "out of memory");
	}
out:
	cJSON_Delete(root);
	registry_auth_free_secret(basic);
	http_response_free(&rs);
	return err;
}

/* The registry answered 401 with challenge ch: get what the next try sends. */
static int authorize(struct registry *r, const char *ch, struct diag *d)
{
	char scheme[16];
	size_t n = strcspn(ch, " ");
	int err = find_login(r, d);

	if (err)
		return err;
	snprintf(scheme, sizeof(scheme), "%.*s", (int)(n < 15 ? n : 15), ch);
	if (!strcasecmp(scheme, "Bearer"))
		return fetch_token(r, ch, d);
	if (strcasecmp(scheme, "Basic"))
		return diag_set(d, -EPROTO,
				"%s: the registry asks for '%s' authentication; ecli speaks Basic "
				"and Bearer (token) only",
				r->name, scheme);
	if (r->login_state < 0)
		return diag_set(d, -EACCES, "%s: the registry needs a login: ecli login %s",
				r->name, r->host);
	registry_auth_free_secret(r->authorization);
	r->authorization = basic_auth(&r->login);
	if (!r->authorization)
		return diag_set(d, -ENOMEM, "out of memory");
	return 0;
}

/* A request, sent again once with credentials (or a token) when the registry asks for them. */
static int request(struct registry *r, const char *what, struct http_request *rq,
		   struct http_response *rs, struct diag *d)
{
	int err, tries;

	for (tries = 0;; tries++) {
		rq->authorization = r->authorization;
		err = http_perform(r->o, rq, rs, d);
		if (err)
			return diag_wrap(d, err, "%s: %s", r->name, what);
		/* Basic credentials refused once are refused again */
		if (rs->status != 401 || !rs->challenge || tries ||
		    (r->authorization && !strncmp(r->authorization, "Basic ", 6)))
			return 0;
		err = authorize(r, rs->challenge, d);
		http_response_free(rs);
		if (err)
			return err;
	}
}

/* An answer other than the one expected: its status and the registry's own error. */
static int unexpected(struct registry *r, const char *what, const struct http_response *rs,
		      struct diag *d)
{
	char status[96], detail[200], text[PATH_MAX + 300];

	http_status_text(rs, status, sizeof(status));
	oci_registry_error(rs->body, rs->len, detail, sizeof(detail));
	if ((rs->status == 401 || rs->status == 403) && r->login_state > 0)
		return diag_set(d, -EACCES, "%s: %s: %s: %s %s refused, or may not do this",
				r->name, what, status, login_source(r, text, sizeof(text)),
				r->login.file[0] ? "was" : "were");
	if (rs->status == 401 || rs->status == 403)
		return diag_set(d, -EACCES, "%s: %s: %s: the registry needs a login: ecli login %s",
				r->name, what, status, r->host);
	if (detail[0])
		return diag_set(d, -EPROTO, "%s: %s: %s (%s)", r->name, what, status, detail);
	return diag_set(d, -EPROTO, "%s: %s: %s", r->name, what, status);
}

static int hash(struct registry *r, const void *data, size_t len, char out[DIGEST_STR_LEN + 1],
		struct diag *d)
{
	int err = digest_sha256(data, len, out, d);

	if (!err)
		return 0;
	return diag_wrap(d, err, "%s", r->name);
}

/* A manifest by tag or digest; status 404 is left to the caller when missing_ok. */
static int get_manifest(struct registry *r, const char *what, const char *target, bool missing_ok,
			struct http_response *rs, struct diag *d)
{
	char url[URL_MAX + 200];
	struct http_request rq = {.url = url,
				  .accept = OCI_MANIFEST_MEDIA_TYPE,
				  .max_bytes = OCI_MANIFEST_MAX_BYTES,
				  .follow = true};
	int err;

	snprintf(url, sizeof(url), "%s/manifests/%s", r->base, target);
	err = request(r, what, &rq, rs, d);
	if (err || rs->status == 200 || (missing_ok && rs->status == 404))
		return err;
	err = unexpected(r, what, rs, d);
	http_response_free(rs);
	return err;
}

/* A blob of the size and digest a manifest gives; its bytes are rs->body. */
static int get_blob(struct registry *r, const char *what, const struct oci_descriptor *desc,
		    struct http_response *rs, struct diag *d)
{
	char url[URL_MAX + 100], got[DIGEST_STR_LEN + 1];
	struct http_request rq = {.url = url, .max_bytes = desc->size, .follow = true};
	int err;

	snprintf(url, sizeof(url), "%s/blobs/%s", r->base, desc->digest);
	err = request(r, what, &rq, rs, d);
	if (err)
		return err;
	if (rs->status != 200)
		err = unexpected(r, what, rs, d);
	else if (rs->len != desc->size)
		err = diag_set(d, -EBADMSG,
			       "%s: the %s is %zu bytes, the manifest says %llu; refused", r->name,
			       what, rs->len, (unsigned long long)desc->size);
	else
		err = hash(r, rs->body, rs->len, got, d);
	if (!err && strcmp(got, desc->digest))
		err = diag_set(d, -EBADMSG,
			       "%s: the %s has digest %s, the manifest says %s; refused", r->name,
			       what, got, desc->digest);
	if (err)
		http_response_free(rs);
	return err;
}

static int check_manifest_digest(struct registry *r, const struct oci_ref *ref,
				 const struct http_response *rs, char got[DIGEST_STR_LEN + 1],
				 struct diag *d)
{
	int err = hash(r, rs->body, rs->len, got, d);

	if (err)
		return err;
	if (ref->digest[0] && strcmp(got, ref->digest))
		return diag_set(d, -EBADMSG,
				"%s: the manifest the registry sent has digest %s, not the one "
				"asked for; refused",
				r->name, got);
	if (!ref->digest[0] && rs->digest && strcmp(got, rs->digest))
		return diag_set(d, -EBADMSG,
				"%s: the manifest received has digest %s, the registry says %s; "
				"refused",
				r->name, got, rs->digest);
	return 0;
}

static int pull_package(struct registry *r, const struct oci_ref *ref, struct oci_pulled *p,
			struct diag *d)
{
	struct http_response manifest = {0}, blob = {0};
	struct oci_descriptor layer;
	int err = get_manifest(r, "manifest", oci_ref_target(ref), false, &manifest, d);

	if (err)
		return err;
	err = check_manifest_digest(r, ref, &manifest, p->digest, d);
	if (err)
		goto out;
	err = oci_manifest_package_layer(manifest.body, manifest.len, &layer, d);
	if (err) {
		err = diag_wrap(d, err, "%s", r->name);
		goto out;
	}
	if (layer.size > PACKAGE_MAX_FILE_BYTES) {
		err = diag_set(d, -EFBIG,
			       "%s: the package layer is %llu bytes, over the %u MiB a package may "
			       "have; refused",
			       r->name, (unsigned long long)layer.size,
			       PACKAGE_MAX_FILE_BYTES >> 20);
		goto out;
	}
	err = get_blob(r, "package blob", &layer, &blob, d);
	if (err)
		goto out;
	p->data = blob.body;
	p->len = blob.len;
	blob.body = NULL;
	p->manifest = manifest.body;
	p->manifest_len = manifest.len;
	manifest.body = NULL;
out:
	http_response_free(&manifest);
	http_response_free(&blob);
	return err;
}

/* The signature tag's payloads, each checked against its digest. */
static int pull_signatures(struct registry *r, struct oci_pulled *p, struct diag *d)
{
	struct http_response manifest = {0}, blob = {0};
	char tag[OCI_TAG_MAX + 1];
	size_t i;
	int err;

	cosign_sig_tag(p->digest, tag, sizeof(tag));
	err = get_manifest(r, "signature manifest", tag, true, &manifest, d);
	if (err || manifest.status == 404)
		goto out;
	err = cosign_sig_layers(manifest.body, manifest.len, &p->sigs, &p->nr_sigs, d);
	if (err) {
		err = diag_wrap(d, err, "%s: %s", r->name, tag);
		goto out;
	}
	p->payloads = calloc(p->nr_sigs + 1, sizeof(*p->payloads));
	if (!p->payloads) {
		err = diag_set(d, -ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < p->nr_sigs && !err; i++) {
		err = get_blob(r, "signature payload", &p->sigs[i].payload, &blob, d);
		p->payloads[i] = err ? NULL : blob.body;
		blob.body = NULL;
		http_response_free(&blob);
	}
out:
	http_response_free(&manifest);
	return err;
}

int oci_pull(const struct fetch_opts *o, const char *name, const struct oci_ref *ref,
	     struct oci_pulled *p, struct diag *d)
{
	struct registry r;
	int err;

	memset(p, 0, sizeof(*p));
	registry_init(&r, o, name, ref->host, ref->repo);
	err = pull_package(&r, ref, p, d);
	if (!err && !o->skip_verify)
		err = pull_signatures(&r, p, d);
	registry_free(&r);
	if (err)
		oci_pulled_free(p);
	return err;
}

void oci_pulled_free(struct oci_pulled *p)
{
	size_t i;

	for (i = 0; p->payloads && i < p->nr_sigs; i++)
		free(p->payloads[i]);
	free(p->payloads);
	free(p->sigs);
	free(p->data);
	free(p->manifest);
	memset(p, 0, sizeof(*p));
}

/* The upload URL the registry gave, with the digest that completes the upload. */
static int upload_url(struct registry *r, const char *location, const char *digest, char *url,
		      size_t size, struct diag *d)
{
	bool https_origin = !strncmp(r->origin, "https://", 8);

	if (!location)
		return diag_set(d, -EPROTO, "%s: the registry gave no upload location", r->name);
	if (!strncmp(location, "https://", 8) || !strncmp(location, "http://", 7)) {
		if (https_origin && strncmp(location, "https://", 8))
			return diag_set(d, -EPROTO,
					"%s: upload location %s is plain http for an https "
					"registry; refused",
					r->name, location);
		snprintf(url, size, "%s", location);
	} else if (location[0] == '/') {
		snprintf(url, size, "%s%s", r->origin, location);
	} else {
		return diag_set(d, -EPROTO,
				"%s: upload location %s is not a URL or an absolute path", r->name,
				location);
	}
	if (strlen(url) + strlen(digest) + 10 >= size)
		return diag_set(d, -EPROTO, "%s: upload location too long", r->name);
	strcat(url, strchr(url, '?') ? "&digest=" : "?digest=");
	strcat(url, digest);
	return 0;
}

/* One blob: skipped when the registry has it, else a POST that opens an upload and a PUT of the
 * whole content that closes it. */
static int push_blob(struct registry *r, const char *what, const void *data, size_t len,
		     const char *digest, struct diag *d)
{
	struct http_response rs = {0};
	char url[URL_MAX * 2];
	struct http_request rq = {.method = "HEAD", .url = url, .max_bytes = 1 << 16};
	int err;

	snprintf(url, sizeof(url), "%s/blobs/%s", r->base, digest);
	err = request(r, what, &rq, &rs, d);
	if (err || rs.status == 200)
		goto out;
	http_response_free(&rs);
	snprintf(url, sizeof(url), "%s/blobs/uploads/", r->base);
	rq = (struct http_request){.method = "POST", .url = url, .max_bytes = 1 << 16};
	err = request(r, what, &rq, &rs, d);
	if (err)
		goto out;
	if (rs.status != 202) {
		err = unexpected(r, what, &rs, d);
		goto out;
	}
	err = upload_url(r, rs.location, digest, url, sizeof(url), d);
	if (err)
		goto out;
	http_response_free(&rs);
	rq = (struct http_request){.method = "PUT",
				   .url = url,
				   .content_type = "application/octet-stream",
				   .body = data,
				   .body_len = len,
				   .max_bytes = 1 << 16};
	err = request(r, what, &rq, &rs, d);
	if (!err && rs.status != 201)
		err = unexpected(r, what, &rs, d);
out:
	http_response_free(&rs);
	return err;
}

/* PUT of a manifest at target (a tag or digest); the registry must keep its digest. */
static int put_manifest(struct registry *r, const char *what, const char *target,
			const char *manifest, size_t len, const char *digest, struct diag *d)
{
	struct http_response rs = {0};
	char url[URL_MAX + 200];
	struct http_request rq = {.method = "PUT",
				  .url = url,
				  .content_type = OCI_MANIFEST_MEDIA_TYPE,
				  .body = manifest,
				  .body_len = len,
				  .max_bytes = 1 << 16};
	int err;

	snprintf(url, sizeof(url), "%s/manifests/%s", r->base, target);
	err = request(r, what, &rq, &rs, d);
	if (!err && rs.status != 201)
		err = unexpected(r, what, &rs, d);
	if (!err && rs.digest && strcmp(rs.digest, digest))
		err = diag_set(d, -EBADMSG,
			       "%s: the registry stored the manifest as %s, not %s (it changed "
			       "the bytes)",
			       r->name, rs.digest, digest);
	http_response_free(&rs);
	return err;
}

static int push_package(struct registry *r, const struct oci_ref *ref, const char *data, size_t len,
			const char *title, char manifest_digest[DIGEST_STR_LEN + 1], struct diag *d)
{
	struct oci_descriptor config = {.size = strlen(ECLI_CONFIG_BLOB)}, layer = {.size = len};
	char *manifest = NULL;
	size_t manifest_len = 0;
	int err;

	err = hash(r, ECLI_CONFIG_BLOB, config.size, config.digest, d);
	err = err ?: hash(r, data, len, layer.digest, d);
	if (err)
		return err;
	if (oci_manifest_build(&config, &layer, title, &manifest, &manifest_len))
		return diag_set(d, -ENOMEM, "%s: out of memory", r->name);
	err = hash(r, manifest, manifest_len, manifest_digest, d);
	if (!err && ref->digest[0] && strcmp(ref->digest, manifest_digest))
		err = diag_set(d, -EINVAL,
			       "%s: this package's manifest has digest %s; push it by tag or by "
			       "that digest",
			       r->name, manifest_digest);
	err = err ?: push_blob(r, "uploading the package", data, len, layer.digest, d);
	err = err
		      ?: push_blob(r, "uploading the config", ECLI_CONFIG_BLOB, config.size,
				   config.digest, d);
	err = err
		      ?: put_manifest(r, "uploading the manifest", oci_ref_target(ref), manifest,
				      manifest_len, manifest_digest, d);
	free(manifest);
	return err;
}

int oci_push(const struct fetch_opts *o, const char *name, const struct oci_ref *ref,
	     const char *data, size_t len, const char *title,
	     char manifest_digest[DIGEST_STR_LEN + 1], struct diag *d)
{
	struct registry r;
	int err;

	registry_init(&r, o, name, ref->host, ref->repo);
	err = push_package(&r, ref, data, len, title, manifest_digest, d);
	registry_free(&r);
	return err;
}

static int push_signature(struct registry *r, const char *digest, const char *payload,
			  size_t payload_len, const char *signature, struct diag *d)
{
	struct cosign_layer add = {.payload.size = payload_len};
	struct http_response old = {0};
	char tag[OCI_TAG_MAX + 1], mdigest[DIGEST_STR_LEN + 1], cdigest[DIGEST_STR_LEN + 1];
	char *config = NULL, *manifest = NULL;
	size_t config_len = 0, manifest_len = 0;
	int err;

	if (strlen(signature) >= sizeof(add.signature))
		return diag_set(d, -EINVAL, "%s: signature too long", r->name);
	strcpy(add.signature, signature);
	cosign_sig_tag(digest, tag, sizeof(tag));
	err = hash(r, payload, payload_len, add.payload.digest, d);
	err = err ?: get_manifest(r, "signature manifest", tag, true, &old, d);
	if (err)
		return err;
	err = cosign_sig_manifest(old.status == 200 ? old.body : NULL, old.len, &add, &config,
				  &config_len, &manifest, &manifest_len, d);
	if (err) {
		err = diag_wrap(d, err, "%s: %s", r->name, tag);
		goto out;
	}
	err = hash(r, config, config_len, cdigest, d);
	err = err ?: hash(r, manifest, manifest_len, mdigest, d);
	err = err
		      ?: push_blob(r, "uploading the signature payload", payload, payload_len,
				   add.payload.digest, d);
	err = err ?: push_blob(r, "uploading the signature config", config, config_len, cdigest, d);
	err = err
		      ?: put_manifest(r, "uploading the signature manifest", tag, manifest,
				      manifest_len, mdigest, d);
out:
	http_response_free(&old);
	free(config);
	free(manifest);
	return err;
}

int oci_push_signature(const struct fetch_opts *o, const char *name, const struct oci_ref *ref,
		       const char *digest, const char *payload, size_t payload_len,
		       const char *signature, struct diag *d)
{
	struct registry r;
	int err;

	registry_init(&r, o, name, ref->host, ref->repo);
	err = push_signature(&r, digest, payload, payload_len, signature, d);
	registry_free(&r);
	return err;
}

int oci_check_login(const struct fetch_opts *o, const char *host, const char *user,
		    const char *password, struct diag *d)
{
	struct http_response rs = {0};
	char url[URL_MAX + 100];
	struct http_request rq = {.url = url, .max_bytes = 1 << 16, .follow = true};
	struct registry r;
	int err;

	registry_init(&r, o, host, host, NULL);
	snprintf(r.login.user, sizeof(r.login.user), "%s", user);
	snprintf(r.login.password, sizeof(r.login.password), "%s", password);
	r.login_state = 1;
	snprintf(url, sizeof(url), "%s/v2/", r.origin);
	err = request(&r, "login", &rq, &rs, d);
	if (!err && rs.status != 200)
		err = unexpected(&r, "login", &rs, d);
	http_response_free(&rs);
	registry_free(&r);
	return err;
}
