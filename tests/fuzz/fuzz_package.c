// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target: reading a package. Any bytes go through the JSON parser, the checks of
 * keys and types, base64, the bounded inflate, the ELF check and the meta parser.
 */
#include "fuzz.h"
#include <stddef.h>
#include <stdint.h>
#include "meta.h"
#include "package_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct package pkg;
	struct package_meta meta;
	struct diag d;

	if (package_parse((const char *)data, size, &pkg, &d))
		return 0;
	if (!meta_parse(pkg.meta, &meta, &d))
		meta_free(&meta);
	package_free(&pkg);
	return 0;
}
