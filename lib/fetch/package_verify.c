// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cjson/cJSON.h>
#include "core/file_io.h"
#include "fetch/cosign_sig.h"
#include "fetch/oci_manifest.h"
#include "fetch/package_verify.h"
#include "fetch/trust.h"
#include "format/base64.h"
#include "format/meta_json.h"

#define SKIP_HINT "--insecure-skip-verify runs it anyway"

void package_origin_free(struct package_origin *g)
{
	free(g->bundle);
	g->bundle = NULL;
}

void package_origin_text(const char *name, const struct package_origin *g, const char *verb,
			 char *buf, size_t size)
{
	if (g->unverified)
		snprintf(buf, size, "%s: %s %s, NOT VERIFIED (--insecure-skip-verify)", name, verb,
			 g->digest);
	else
		snprintf(buf, size, "%s: %s %s, verified by %s", name, verb, g->digest, g->by);
}

/* The keys to check name's signatures with, and the list of them for messages. */
static int load_keys(const struct fetch_opts *o, const char *name, struct trust *t, char *tried,
		     size_t size, struct diag *d)
{
	int err = trust_load(t, o->keys, o->nr_keys, d);

	if (err)
		return diag_wrap(d, err, "%s: keys", name);
	trust_tried(t, tried, size);
	return 0;
}

/* {"mediaType", "manifest", "payload", "signature"}: what re-checks a pull offline. */
static char *make_bundle(const struct oci_pulled *p, size_t i)
{
	char *m = base64_encode(p->manifest, p->manifest_len),
	     *pl = base64_encode(p->payloads[i], p->sigs[i].payload.size), *out = NULL;
	cJSON *o = cJSON_CreateObject();

	if (m && pl && o && cJSON_AddStringToObject(o, "mediaType", PACKAGE_SIG_BUNDLE_TYPE) &&
	    cJSON_AddStringToObject(o, "manifest", m) &&
	    cJSON_AddStringToObject(o, "payload", pl) &&
	    cJSON_AddStringToObject(o, "signature", p->sigs[i].signature))
		out = cJSON_Print(o);
	cJSON_Delete(o);
	free(m);
	free(pl);
	return out;
}

/* Which payload of digest's signatures a key of t signed: its index, or -1 (why in *why). */
static int signed_payload(const struct trust *t, const char *digest, char *const *payloads,
			  const struct cosign_layer *sigs, size_t n, const char **by, char *why,
			  size_t why_size)
{
	struct diag pd;
	size_t i;

	why[0] = 0;
	for (i = 0; i < n; i++) {
		if (cosign_payload_check(payloads[i], sigs[i].payload.size, digest, &pd)) {
			snprintf(why, why_size, "%.200s", pd.msg);
			continue;
		}
		*by = trust_verify(t, payloads[i], sigs[i].payload.size, sigs[i].signature);
		if (*by)
			return (int)i;
	}
	return -1;
}

int package_verify_oci(const struct fetch_opts *o, const char *name, const struct oci_pulled *p,
		       struct package_origin *g, struct diag *d)
{
	char tried[1024], why[256] = "";
	const char *by = NULL;
	struct trust t;
	int i, err;

	memset(g, 0, sizeof(*g));
	g->remote = true;
	snprintf(g->digest, sizeof(g->digest), "%s", p->digest);
	if (o->skip_verify) {
		g->unverified = true;
		return 0;
	}
	err = load_keys(o, name, &t, tried, sizeof(tried), d);
	if (err)
		return err;
	i = signed_payload(&t, p->digest, p->payloads, p->sigs, p->nr_sigs, &by, why, sizeof(why));
	if (i >= 0) {
		snprintf(g->by, sizeof(g->by), "key %s", by);
		g->bundle = make_bundle(p, i);
		err = g->bundle ? 0 : diag_set(d, -ENOMEM, "out of memory");
	} else if (!p->nr_sigs) {
		err = diag_set(d, -EACCES, "%s: %s is not signed (%s); " SKIP_HINT, name, p->digest,
			       tried);
	} else {
		err = diag_set(d, -EACCES,
			       "%s: none of the %zu signatures of %s verifies (%s%s%s); " SKIP_HINT,
			       name, p->nr_sigs, p->digest, tried, why[0] ? "; " : "", why);
	}
	trust_free(&t);
	return err;
}

/* sign-blob's signature (base64 text, white space around it) of data. */
static int verify_blob(const struct fetch_opts *o, const char *name, const char *sig_name,
		       const char *data, size_t len, const char *sig, struct package_origin *g,
		       struct diag *d)
{
	char tried[1024], text[1024];
	const char *by;
	struct trust t;
	size_t n;
	int err;

	while (*sig == ' ' || *sig == '\n' || *sig == '\r' || *sig == '\t')
		sig++;
	n = strcspn(sig, " \r\n\t");
	if (n >= sizeof(text) || sig[n + strspn(sig + n, " \r\n\t")])
		return diag_set(d, -EINVAL, "%s: %s is not one base64 signature", name, sig_name);
	snprintf(text, sizeof(text), "%.*s", (int)n, sig);
	err = load_keys(o, name, &t, tried, sizeof(tried), d);
	if (err)
		return err;
	by = trust_verify(&t, data, len, text);
	if (by)
		snprintf(g->by, sizeof(g->by), "key %s", by);
	else
		err = diag_set(d, -EACCES, "%s: the signature %s does not verify (%s); " SKIP_HINT,
			       name, sig_name, tried);
	trust_free(&t);
	return err;
}

int package_verify_url(const struct fetch_opts *o, const char *url, const char *data, size_t len,
		       const char *pin, const char *sig, struct package_origin *g, struct diag *d)
{
	char tried[1024], sig_name[32];
	struct trust t;
	int err;

	memset(g, 0, sizeof(*g));
	g->remote = true;
	err = digest_sha256(data, len, g->digest, d);
	if (err)
		return diag_wrap(d, err, "%s", url);
	if (pin && strcmp(pin, g->digest + strlen(DIGEST_SHA256_PREFIX)))
		return diag_set(d, -EBADMSG,
				"%s: the package has digest %s, not the pinned one; "
				"refused",
				url, g->digest);
	if (pin) {
		snprintf(g->by, sizeof(g->by), "the pinned digest");
		return 0;
	}
	if (o->skip_verify) {
		g->unverified = true;
		return 0;
	}
	if (sig) {
		snprintf(sig_name, sizeof(sig_name), "at URL.sig");
		return verify_blob(o, url, sig_name, data, len, sig, g, d);
	}
	err = load_keys(o, url, &t, tried, sizeof(tried), d);
	if (err)
		return err;
	trust_free(&t);
	return diag_set(
		d, -EACCES,
		"%s: not signed: no URL.sig beside it, and no #sha256= pin (%s); " SKIP_HINT, url,
		tried);
}

/* pull's bundle: the file is the manifest's package layer, whose digest the payload signs. */
static int verify_bundle(const struct fetch_opts *o, const char *path, const char *sig_path,
			 const char *data, size_t len, const char *text, size_t text_len,
			 struct package_origin *g, struct diag *d)
{
	struct oci_pulled p = {.nr_sigs = 1};
	struct cosign_layer sig;
	struct oci_descriptor layer;
	uint8_t *manifest = NULL, *payload = NULL;
	size_t manifest_len = 0, payload_len = 0, n;
	char got[DIGEST_STR_LEN + 1], *payloads[1];
	const cJSON *s;
	cJSON *root = NULL;
	int err = json_parse_document(text, text_len, sig_path, &root, d);

	memset(&sig, 0, sizeof(sig));
	s = cJSON_GetObjectItemCaseSensitive(root, "signature");
	err = err ?: json_base64_member(root, "manifest", sig_path, &manifest, &manifest_len, d);
	err = err ?: json_base64_member(root, "payload", sig_path, &payload, &payload_len, d);
	if (!err && (!cJSON_IsString(s) || (n = strlen(s->valuestring)) >= sizeof(sig.signature)))
		err = diag_set(d, -EINVAL, "%s: no signature", sig_path);
	err = err ?: oci_manifest_package_layer((char *)manifest, manifest_len, &layer, d);
	err = err ?: digest_sha256(data, len, got, d);
	if (!err && strcmp(got, layer.digest))
		err = diag_set(
			d, -EBADMSG,
			"%s: the package has digest %s, its signed manifest says %s; refused", path,
			got, layer.digest);
	err = err ?: digest_sha256(manifest, manifest_len, p.digest, d);
	if (err)
		goto out;
	strcpy(sig.signature, s->valuestring);
	sig.payload.size = payload_len;
	payloads[0] = (char *)payload;
	p.sigs = &sig;
	p.payloads = payloads;
	err = package_verify_oci(o, path, &p, g, d);
	g->remote = false;
out:
	cJSON_Delete(root);
	free(manifest);
	free(payload);
	return err;
}

int package_verify_file(const struct fetch_opts *o, const char *path, const char *data, size_t len,
			struct package_origin *g, struct diag *d)
{
	char sig_path[PATH_MAX + 8], *text = NULL;
	size_t text_len = 0;
	struct stat st;
	int err;

	memset(g, 0, sizeof(*g));
	if (snprintf(sig_path, sizeof(sig_path), "%s.sig", path) >= (int)sizeof(sig_path) ||
	    stat(sig_path, &st))
		return 0; /* no signature: a file is the user's choice */
	if (o->skip_verify) {
		g->unverified = true;
		return digest_sha256(data, len, g->digest, d);
	}
	err = file_read(sig_path, PACKAGE_SIG_MAX_BYTES, &text, &text_len, d);
	if (err)
		return err;
	if (text[strspn(text, " \t\r\n")] == '{')
		err = verify_bundle(o, path, sig_path, data, len, text, text_len, g, d);
	else
		err = verify_blob(o, path, sig_path, data, len, text, g, d)
			      ?: digest_sha256(data, len, g->digest, d);
	free(text);
	return err;
}

int package_sign_oci(const struct fetch_opts *o, const char *name, const struct oci_ref *ref,
		     const struct sig_key *key, const char *digest, struct diag *d)
{
	char docker_ref[sizeof(ref->host) + sizeof(ref->repo) + 2], *payload = NULL, *b64 = NULL;
	unsigned char *sig = NULL;
	size_t payload_len = 0, sig_len = 0;
	int err;

	snprintf(docker_ref, sizeof(docker_ref), "%s/%s", ref->host, ref->repo);
	if (cosign_payload_build(docker_ref, digest, &payload, &payload_len))
		return diag_set(d, -ENOMEM, "out of memory");
	err = sig_sign(key, payload, payload_len, &sig, &sig_len, d);
	if (!err && !(b64 = base64_encode(sig, sig_len)))
		err = diag_set(d, -ENOMEM, "out of memory");
	err = err ?: oci_push_signature(o, name, ref, digest, payload, payload_len, b64, d);
	free(payload);
	free(sig);
	free(b64);
	return err;
}
