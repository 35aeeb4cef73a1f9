/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The package's optional "btf_for": minimal kernel BTFs (bpftool gen min_core_btf) that ecc
 * --btf-for embedded, one per kernel release, each zlib-compressed and base64-encoded.
 */
#ifndef FORMAT_PACKAGE_BTF_FOR_H
#define FORMAT_PACKAGE_BTF_FOR_H

#include <cjson/cJSON.h>
#include "core/diag.h"
#include "format/package_read.h"

/*
 * Fills pkg->btfs; each must be non-empty, unique by release and architecture ("arch", optional:
 * the same release string may name two architectures' kernels), and parse as BTF.
 */
int package_btf_for_parse(const cJSON *root, struct package *pkg, struct diag *d);
void package_btf_for_free(struct package *pkg);

/* The embedded BTF for release and the package's object's architecture, or NULL. */
const struct embedded_btf *package_btf_for_release(const struct package *pkg, const char *release);

#endif
