/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The structure of a package's BPF object, checked before libbpf sees it. libbpf 1.1 (and
 * libelf under it) trusts much of an object: symbol and relocation indices, symbol extents,
 * the last instruction of a program, and the whole of .BTF and .BTF.ext past their headers
 * (btf_check.h, btf_ext_check.h). A corrupt object made it read out of bounds and crash; here
 * it is refused with one line naming what is wrong and where.
 */
#ifndef OBJECT_OBJECT_CHECK_H
#define OBJECT_OBJECT_CHECK_H

#include <stddef.h>
#include "core/diag.h"

/*
 * 0, or a negative errno with one line in d: "bpf_object: ELF section 4 (.relfexit/inet_bind)
 * relocation 3 refers to symbol 9999 past the last symbol 405". Checked: the ELF header and
 * the section header table; every section within the object and off its header; the
 * section-name and symbol string tables (NUL-terminated, every name inside); every symbol
 * (its section exists, its extent inside it); every relocation (entry size, symbol index,
 * offset inside the section it applies to); no program ending in half of a 16-byte load;
 * .BTF and .BTF.ext.
 */
int object_check(const void *obj, size_t size, struct diag *d);

/* A checked object's (object_check) .BTF section; -ENOENT when it has none. */
int object_btf_section(const void *obj, size_t obj_size, const void **data, size_t *size,
		       struct diag *d);

/*
 * A checked object (object_check) with its .BTF section moved to data (size bytes, appended to
 * the object by the caller at offset at): the section header now says so. The old bytes stay,
 * unreferenced. -ENOENT when the object has no .BTF.
 */
int object_move_btf(void *obj, size_t obj_size, size_t at, size_t size, struct diag *d);

#endif
