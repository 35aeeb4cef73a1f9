// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* package_source: what a PACKAGE argument is (stdin, URL, path, OCI reference, installed name). */
#include "fetch/package_source.h"
#include "unit.h"

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
	/* a bare word is a name even where a file has it; a local folder first is a path */
	CHECK(package_source_kind("Makefile") == PACKAGE_NAME);
	CHECK(package_source_kind("tools/nosuch") == PACKAGE_PATH);
	CHECK(package_source_kind("tools.d/x") == PACKAGE_OCI); /* no such folder: a host */
}
