// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The pure parts of fetching: OCI references, what a PACKAGE argument is, sha256 digests, the
 * manifest ecli writes and the manifests it accepts, registry error bodies. */
#include <stdlib.h>
#include "fetch/digest.h"
#include "fetch/oci_manifest.h"
#include "fetch/oci_ref.h"
#include "fetch/package_source.h"
#include "unit.h"

#define HEX64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void check_ref(const char *s, const char *host, const char *repo, const char *tag,
		      const char *digest)
{
	struct oci_ref r;
	struct diag d = {""};

	CHECK(oci_ref_looks_like(s));
	CHECK(oci_ref_parse(s, &r, &d) == 0);
	CHECK_STR(r.host, host);
	CHECK_STR(r.repo, repo);
	CHECK_STR(r.tag, tag);
	CHECK_STR(r.digest, digest);
}

TEST(oci_ref_accepts_the_usual_forms)
{
	check_ref("localhost:5000/bindsnoop:1.0", "localhost:5000", "bindsnoop", "1.0", "");
	check_ref("localhost/bindsnoop", "localhost", "bindsnoop", "latest", "");
	check_ref("ghcr.io/org/tools/bind-snoop_x:v1_2-3", "ghcr.io", "org/tools/bind-snoop_x",
		  "v1_2-3", "");
	check_ref("127.0.0.1:5000/a__b@sha256:" HEX64, "127.0.0.1:5000", "a__b", "",
		  "sha256:" HEX64);
	check_ref("[::1]:5000/x:t@sha256:" HEX64, "[::1]:5000", "x", "t", "sha256:" HEX64);
	check_ref("myhost:80/x", "myhost:80", "x", "latest", "");
}

static void check_bad_ref(const char *s, const char *want)
{
	struct oci_ref r;
	struct diag d = {""};

	CHECK(oci_ref_parse(s, &r, &d) < 0);
	if (!strstr(d.msg, want))
		CHECK_STR(d.msg, want);
}

TEST(oci_ref_refuses_malformed_parts)
{
	check_bad_ref("localhost:5000/Upper", "repository \"Upper\"");
	check_bad_ref("localhost:5000/a//b", "repository");
	check_bad_ref("localhost:5000/a-", "repository");
	check_bad_ref("localhost:5000/x:", "tag \"\"");
	check_bad_ref("localhost:5000/x:-t", "tag \"-t\"");
	check_bad_ref("localhost:5000/x@sha256:" HEX64 "0", "64 lowercase hex");
	check_bad_ref("localhost:5000/x@sha256:ABCDEF", "64 lowercase hex");
	check_bad_ref("localhost:5000/x@sha512:" HEX64, "only sha256");
	check_bad_ref("localhost:0/x", "not an OCI reference");
	check_bad_ref("localhost:65536/x", "not an OCI reference");
	check_bad_ref("plainname/x", "not an OCI reference");
	check_bad_ref("x", "not an OCI reference");
}

TEST(oci_ref_shapes_and_loopback)
{
	CHECK(!oci_ref_looks_like("build/packages/x.json"));
	CHECK(!oci_ref_looks_like("./localhost:5000/x"));
	CHECK(!oci_ref_looks_like("../x.y/z"));
	CHECK(!oci_ref_looks_like("/abs/path"));
	CHECK(!oci_ref_looks_like("localhost:5000/"));
	CHECK(oci_ref_looks_like("registry.example.com/x"));
	CHECK(oci_host_is_loopback("localhost:5000"));
	CHECK(oci_host_is_loopback("127.0.0.1"));
	CHECK(oci_host_is_loopback("127.1.2.3:80"));
	CHECK(oci_host_is_loopback("[::1]:5000"));
	CHECK(!oci_host_is_loopback("127.evil.example"));
	CHECK(!oci_host_is_loopback("localhost.example.com"));
	CHECK(!oci_host_is_loopback("ghcr.io"));
}

TEST(package_source_kinds)
{
	CHECK(package_source_kind("-") == PACKAGE_STDIN);
	CHECK(package_source_kind("http://127.0.0.1/x.json") == PACKAGE_URL);
	CHECK(package_source_kind("HTTPS://h/x") == PACKAGE_URL);
	CHECK(package_source_kind("ftp://h/x") == PACKAGE_URL); /* refused when read */
	CHECK(package_source_kind("build/packages/bindsnoop/package.json") == PACKAGE_PATH);
	CHECK(package_source_kind("no/such/file.json") == PACKAGE_PATH);
	CHECK(package_source_kind("nosuch.json") == PACKAGE_PATH);
	CHECK(package_source_kind("localhost:5000/bindsnoop:1.0") == PACKAGE_OCI);
	CHECK(package_source_kind("bindsnoop") == PACKAGE_NAME);
	CHECK(package_source_kind("build") == PACKAGE_NAME); /* a folder is not a package file */
	CHECK(package_source_kind("..") == PACKAGE_PATH);
}

TEST(sha256_digests)
{
	char out[DIGEST_STR_LEN + 1];
	struct diag d;

	CHECK(digest_sha256("", 0, out, &d) == 0);
	CHECK_STR(out, "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	CHECK(digest_sha256("{}", 2, out, &d) == 0);
	CHECK_STR(out, "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
	CHECK(digest_valid(out));
	CHECK(!digest_valid(
		"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8"));
	CHECK(!digest_valid(
		"sha256:44136FA355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"));
}

TEST(manifest_written_and_read_back)
{
	struct oci_descriptor config = {.size = 2}, layer = {.size = 1234}, got;
	struct diag d = {""};
	char *m = NULL;
	size_t len = 0;

	strcpy(config.digest, "sha256:" HEX64);
	strcpy(layer.digest, "sha256:" HEX64);
	CHECK(oci_manifest_build(&config, &layer, "bindsnoop.json", &m, &len) == 0);
	CHECK(m && strstr(m, "\"org.opencontainers.image.title\":\"bindsnoop.json\""));
	CHECK(oci_manifest_package_layer(m, len, &got, &d) == 0);
	CHECK_STR(got.digest, layer.digest);
	CHECK(got.size == 1234);
	free(m);
	CHECK(oci_manifest_build(&config, &layer, "a\"b", &m, &len) == 0);
	CHECK(m && !strstr(m, "annotations")); /* a title that would need escaping is left out */
	free(m);
}

static void check_bad_manifest(const char *text, const char *want)
{
	struct oci_descriptor got;
	struct diag d = {""};

	CHECK(oci_manifest_package_layer(text, strlen(text), &got, &d) < 0);
	if (!strstr(d.msg, want))
		CHECK_STR(d.msg, want);
}

TEST(manifests_refused)
{
	check_bad_manifest("[]", "not a JSON object");
	check_bad_manifest("{\"schemaVersion\":1,\"layers\":[]}", "schemaVersion is not 2");
	check_bad_manifest("{\"schemaVersion\":2,\"mediaType\":\"x\",\"layers\":[]}",
			   "media type x");
	check_bad_manifest("{\"schemaVersion\":2}", "no layers array");
	check_bad_manifest("{\"schemaVersion\":2,\"layers\":[]}", "no layers");
	check_bad_manifest("{\"schemaVersion\":2,\"layers\":[{\"mediaType\":\"t\"}]}",
			   "not an ecli package: layer media type t");
	check_bad_manifest(
		"{\"schemaVersion\":2,\"layers\":[{\"mediaType\":\"" ECLI_PACKAGE_MEDIA_TYPE
		"\",\"digest\":\"sha256:00\",\"size\":1}]}",
		"layers[0].digest");
	check_bad_manifest(
		"{\"schemaVersion\":2,\"layers\":[{\"mediaType\":\"" ECLI_PACKAGE_MEDIA_TYPE
		"\",\"digest\":\"sha256:" HEX64 "\",\"size\":-1}]}",
		"layers[0].size");
	check_bad_manifest(
		"{\"schemaVersion\":2,\"layers\":[{\"mediaType\":\"" ECLI_PACKAGE_MEDIA_TYPE
		"\",\"digest\":\"sha256:" HEX64
		"\",\"size\":1},{\"mediaType\":\"" ECLI_PACKAGE_MEDIA_TYPE
		"\",\"digest\":\"sha256:" HEX64 "\",\"size\":1}]}",
		"more than one layer");
}

TEST(registry_errors_on_one_line)
{
	char out[100];
	const char *body =
		"{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"no\\nsuch\"}]}";

	oci_registry_error(body, strlen(body), out, sizeof(out));
	CHECK_STR(out, "MANIFEST_UNKNOWN: no such");
	oci_registry_error("oops", 4, out, sizeof(out));
	CHECK_STR(out, "");
}
