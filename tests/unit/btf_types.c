// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "btf_types.h"

struct btf *btf_with_base_types(struct base_types *t)
{
	struct btf *btf = btf__new_empty();

	t->u8 = btf__add_int(btf, "unsigned char", 1, 0);
	t->s8 = btf__add_int(btf, "signed char", 1, BTF_INT_SIGNED);
	t->u16 = btf__add_int(btf, "unsigned short", 2, 0);
	t->s16 = btf__add_int(btf, "short", 2, BTF_INT_SIGNED);
	t->u32 = btf__add_int(btf, "unsigned int", 4, 0);
	t->s32 = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	t->u64 = btf__add_int(btf, "unsigned long long", 8, 0);
	t->s64 = btf__add_int(btf, "long long", 8, BTF_INT_SIGNED);
	t->u128 = btf__add_int(btf, "unsigned __int128", 16, 0);
	t->s128 = btf__add_int(btf, "__int128", 16, BTF_INT_SIGNED);
	t->boolean = btf__add_int(btf, "_Bool", 1, BTF_INT_BOOL);
	t->chr = btf__add_int(btf, "char", 1, BTF_INT_SIGNED);
	t->flt = btf__add_float(btf, "float", 4);
	t->dbl = btf__add_float(btf, "double", 8);
	t->ldbl = btf__add_float(btf, "long double", 16);
	return btf;
}
