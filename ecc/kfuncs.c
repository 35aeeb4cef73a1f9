// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include "kfuncs.h"

static void print_to(void *ctx, const char *fmt, va_list args)
{
	vfprintf(ctx, fmt, args);
}

/* The function a "bpf_kfunc" tag names, or 0. */
static uint32_t tagged_function(const struct btf *btf, const struct btf_type *t)
{
	const struct btf_type *target;

	if (!btf_is_decl_tag(t) || btf_decl_tag(t)->component_idx != -1 ||
	    strcmp(btf__name_by_offset(btf, t->name_off), "bpf_kfunc"))
		return 0;
	target = btf__type_by_id(btf, t->type);
	return target && btf_is_func(target) ? t->type : 0;
}

/* "extern RET NAME(PARAMS)": btf_dump's form, with (void) where it would write (). */
static int declare(const struct btf *btf, struct btf_dump *dump, uint32_t func, FILE *out)
{
	LIBBPF_OPTS(btf_dump_emit_type_decl_opts, opts);
	const struct btf_type *f = btf__type_by_id(btf, func),
			      *proto = btf__type_by_id(btf, f->type);
	const char *fname = btf__name_by_offset(btf, f->name_off);
	char name[256];

	fprintf(out, "extern ");
	if (btf_vlen(proto)) {
		opts.field_name = fname;
		return btf_dump__emit_type_decl(dump, f->type, &opts);
	}
	snprintf(name, sizeof(name), "%s(void)", fname); /* the return type, then the name */
	opts.field_name = name;
	return btf_dump__emit_type_decl(dump, proto->type, &opts);
}

int kfuncs_print(const char *btf_path, FILE *out, struct diag *d)
{
	struct btf *btf = btf__parse(btf_path, NULL);
	struct btf_dump *dump = NULL;
	uint32_t id, func, n;
	bool *done = NULL;
	int err = 0;

	if (!btf)
		return diag_set(d, -errno, "%s: not BTF: %s", btf_path, strerror(errno));
	n = btf__type_cnt(btf);
	done = calloc(n, sizeof(*done));
	dump = btf_dump__new(btf, print_to, out, NULL);
	if (!done || !dump)
		err = diag_set(d, -ENOMEM, "out of memory");
	fprintf(out, "\n/* kfuncs (BTF decl tag bpf_kfunc), written by ecc --kfuncs */\n"
		     "#ifndef __VMLINUX_KFUNCS_H__\n#define __VMLINUX_KFUNCS_H__\n");
	for (id = 1; !err && id < n; id++) {
		func = tagged_function(btf, btf__type_by_id(btf, id));
		if (!func || done[func])
			continue;
		done[func] = true;
		err = declare(btf, dump, func, out);
		fprintf(out, " __attribute__((weak)) __attribute__((section(\".ksyms\")));\n");
		if (err)
			err = diag_set(
				d, err, "%s: cannot declare kfunc %s", btf_path,
				btf__name_by_offset(btf, btf__type_by_id(btf, func)->name_off));
	}
	fprintf(out, "#endif\n");
	if (!err && (fflush(out) || ferror(out)))
		err = diag_set(d, -EIO, "writing kfunc declarations failed");
	btf_dump__free(dump);
	free(done);
	btf__free(btf);
	return err;
}
