// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <dlfcn.h>
#include <errno.h>
#include "core/lazy_lib.h"

int lazy_lib_open(const char *soname, const struct lazy_symbol *syms, size_t n, struct diag *d)
{
	void *lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	size_t i;

	if (!lib)
		return diag_set(d, -ELIBACC, "%s is needed here and cannot be loaded: %s", soname,
				dlerror());
	for (i = 0; i < n; i++)
		if (!dlsym(lib, syms[i].name))
			return diag_set(d, -ELIBACC,
					"%s has no %s: an older version than ecli needs", soname,
					syms[i].name);
	for (i = 0; i < n; i++)
		*syms[i].addr = dlsym(lib, syms[i].name);
	return 0;
}
