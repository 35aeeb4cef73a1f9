// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* oci_ref: OCI references (host, repository, tag, digest), what looks like one, loopback hosts. */
#include "fetch/oci_ref.h"
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
