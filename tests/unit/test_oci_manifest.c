// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* oci_manifest: the manifest ecli writes, the manifests it accepts, registry error bodies. */
#include <stdlib.h>
#include "fetch/oci_manifest.h"
#include "unit.h"

#define HEX64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

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
	/* "layers" twice: readers disagree on which counts (CVE-2021-41190's class) */
	check_bad_manifest(
		"{\"schemaVersion\":2,\"layers\":[{\"mediaType\":\"" ECLI_PACKAGE_MEDIA_TYPE
		"\",\"digest\":\"sha256:" HEX64 "\",\"size\":1}],\"layers\":[]}",
		"manifest: (top level): key \"layers\" is given twice");
	check_bad_manifest("{\"schemaVersion\":2} {}", "manifest: ");
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
