/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Where CO-RE finds the kernel's BTF: the kernel's own, --btf, or the BTF the package embeds for
 * this kernel's release. Without any of them an object that needs one is refused before
 * anything loads, in one line that says how to give one.
 */
#ifndef LOAD_KERNEL_BTF_H
#define LOAD_KERNEL_BTF_H

#include <stdbool.h>
#include <bpf/libbpf.h>
#include "core/diag.h"
#include "format/package_read.h"

#define KERNEL_BTF_PATH "/sys/kernel/btf/vmlinux"

struct kernel_btf {
	int fd;	       /* the memfd holding an embedded BTF; -1: none */
	char path[40]; /* /proc/self/fd/N, given to libbpf as btf_custom_path */
};

/*
 * With *btf_path NULL (no --btf) and the kernel without BTF: points *btf_path at the package's
 * BTF for this release when obj needs kernel BTF, or refuses. kb starts with fd -1.
 */
int kernel_btf_resolve(const struct package *pkg, struct bpf_object *obj, const char **btf_path,
		       struct kernel_btf *kb, bool verbose, struct diag *d);
void kernel_btf_release(struct kernel_btf *kb);

#endif
