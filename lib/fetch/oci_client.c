// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fetch/oci_client.h"
#include "fetch/oci_manifest.h"
#include "format/package_read.h"

#define URL_MAX 1024

struct registry {
	const struct fetch_opts *o;
	const char *name; /* the reference as given */
	char origin[300]; /* "http://localhost:5000" */
	char base[URL_MAX];
};

static void registry_init(struct registry *r, const struct fetch_opts *o, const char *name,
			  const struct oci_ref *ref)
{
	bool plain = o->plain_http || oci_host_is_loopback(ref->host);

	r->o = o;
	r->name = name;
	snprintf(r->origin, sizeof(r->origin), "%s://%s", plain ? "http" : "https", ref->host);
	snprintf(r->base, sizeof(r->base), "%s/v2/%s", r->origin, ref->repo);
}

static int request(struct registry *r, const char *what, const struct http_request *rq,
		   struct http_response *rs, struct diag *d)
{
	int err = http_perform(r->o, rq, rs, d);

	if (!err)
		return 0;
	return diag_wrap(d, err, "%s: %s", r->name, what);
}

/* An answer other than the one expected: its status and the registry's own error. */
static int unexpected(struct registry *r, const char *what, const struct http_response *rs,
		      struct diag *d)
{
	char status[96], detail[200];

	http_status_text(rs, status, sizeof(status));
	oci_registry_error(rs->body, rs->len, detail, sizeof(detail));
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

int oci_pull(const struct fetch_opts *o, const char *name, const struct oci_ref *ref, char **data,
	     size_t *len, char manifest_digest[DIGEST_STR_LEN + 1], struct diag *d)
{
	struct http_response manifest = {0}, blob = {0};
	struct oci_descriptor layer;
	char url[URL_MAX + 100], got[DIGEST_STR_LEN + 1];
	struct http_request rq = {.url = url,
				  .accept = OCI_MANIFEST_MEDIA_TYPE,
				  .max_bytes = OCI_MANIFEST_MAX_BYTES,
				  .follow = true};
	struct registry r;
	int err;

	registry_init(&r, o, name, ref);
	snprintf(url, sizeof(url), "%s/manifests/%s", r.base, oci_ref_target(ref));
	err = request(&r, "manifest", &rq, &manifest, d);
	if (err)
		return err;
	if (manifest.status != 200) {
		err = unexpected(&r, "manifest", &manifest, d);
		goto out;
	}
	err = hash(&r, manifest.body, manifest.len, got, d);
	if (err)
		goto out;
	if (ref->digest[0] && strcmp(got, ref->digest)) {
		err = diag_set(
			d, -EBADMSG,
			"%s: the manifest the registry sent has digest %s, not the one asked "
			"for; refused",
			name, got);
		goto out;
	}
	if (!ref->digest[0] && manifest.digest && strcmp(got, manifest.digest)) {
		err = diag_set(d, -EBADMSG,
			       "%s: the manifest received has digest %s, the registry says %s; "
			       "refused",
			       name, got, manifest.digest);
		goto out;
	}
	err = oci_manifest_package_layer(manifest.body, manifest.len, &layer, d);
	if (err) {
		err = diag_wrap(d, err, "%s", name);
		goto out;
	}
	if (layer.size > PACKAGE_MAX_FILE_BYTES) {
		err = diag_set(d, -EFBIG,
			       "%s: the package layer is %llu bytes, over the %u MiB a package may "
			       "have; refused",
			       name, (unsigned long long)layer.size, PACKAGE_MAX_FILE_BYTES >> 20);
		goto out;
	}
	snprintf(url, sizeof(url), "%s/blobs/%s", r.base, layer.digest);
	rq = (struct http_request){.url = url, .max_bytes = layer.size, .follow = true};
	err = request(&r, "package blob", &rq, &blob, d);
	if (err)
		goto out;
	if (blob.status != 200) {
		err = unexpected(&r, "package blob", &blob, d);
		goto out;
	}
	if (blob.len != layer.size) {
		err = diag_set(d, -EBADMSG,
			       "%s: the package blob is %zu bytes, the manifest says %llu; refused",
			       name, blob.len, (unsigned long long)layer.size);
		goto out;
	}
	err = hash(&r, blob.body, blob.len, got, d);
	if (!err && strcmp(got, layer.digest))
		err = diag_set(d, -EBADMSG,
			       "%s: the package blob has digest %s, the manifest says %s; refused",
			       name, got, layer.digest);
	if (err)
		goto out;
	hash(&r, manifest.body, manifest.len, manifest_digest, d);
	*data = blob.body;
	*len = blob.len;
	blob.body = NULL;
out:
	http_response_free(&manifest);
	http_response_free(&blob);
	return err;
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

int oci_push(const struct fetch_opts *o, const char *name, const struct oci_ref *ref,
	     const char *data, size_t len, const char *title,
	     char manifest_digest[DIGEST_STR_LEN + 1], struct diag *d)
{
	struct oci_descriptor config = {.size = strlen(ECLI_CONFIG_BLOB)}, layer = {.size = len};
	struct http_response rs = {0};
	char url[URL_MAX + 100], *manifest = NULL;
	size_t manifest_len = 0;
	struct http_request rq;
	struct registry r;
	int err;

	registry_init(&r, o, name, ref);
	err = hash(&r, ECLI_CONFIG_BLOB, config.size, config.digest, d);
	err = err ?: hash(&r, data, len, layer.digest, d);
	if (err)
		return err;
	if (oci_manifest_build(&config, &layer, title, &manifest, &manifest_len))
		return diag_set(d, -ENOMEM, "%s: out of memory", name);
	err = hash(&r, manifest, manifest_len, manifest_digest, d);
	if (!err && ref->digest[0] && strcmp(ref->digest, manifest_digest))
		err = diag_set(d, -EINVAL,
			       "%s: this package's manifest has digest %s; push it by tag or by "
			       "that digest",
			       name, manifest_digest);
	err = err ?: push_blob(&r, "uploading the package", data, len, layer.digest, d);
	err = err
		      ?: push_blob(&r, "uploading the config", ECLI_CONFIG_BLOB, config.size,
				   config.digest, d);
	if (err)
		goto out;
	snprintf(url, sizeof(url), "%s/manifests/%s", r.base, oci_ref_target(ref));
	rq = (struct http_request){.method = "PUT",
				   .url = url,
				   .content_type = OCI_MANIFEST_MEDIA_TYPE,
				   .body = manifest,
				   .body_len = manifest_len,
				   .max_bytes = 1 << 16};
	err = request(&r, "uploading the manifest", &rq, &rs, d);
	if (!err && rs.status != 201)
		err = unexpected(&r, "uploading the manifest", &rs, d);
	if (!err && rs.digest && strcmp(rs.digest, manifest_digest))
		err = diag_set(d, -EBADMSG,
			       "%s: the registry stored the manifest as %s, not %s (it changed "
			       "the bytes)",
			       name, rs.digest, manifest_digest);
out:
	http_response_free(&rs);
	free(manifest);
	return err;
}
