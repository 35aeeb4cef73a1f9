// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* digest: sha256 digests as OCI writes them, and which strings are one. */
#include "fetch/digest.h"
#include "unit.h"

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
