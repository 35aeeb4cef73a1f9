/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The structure of an object's .BTF.ext (func_info, line_info and CO-RE relocation records),
 * checked against its checked .BTF before libbpf parses it. libbpf 1.1 checks that the
 * sections and records fit, then looks up each section name, type id and access string
 * without checking: every one of them is checked here.
 */
#ifndef OBJECT_RAW_BTF_EXT_H
#define OBJECT_RAW_BTF_EXT_H

#include <stddef.h>
#include <stdint.h>
#include "object/raw_btf.h"
#include "core/diag.h"

/* 0, or -EINVAL with one line in d: "bpf_object: .BTF.ext core_relo section 2 (...) ...". */
int raw_btf_ext_check(const uint8_t *data, size_t size, const struct raw_btf_index *btf,
		      struct diag *d);

#endif
