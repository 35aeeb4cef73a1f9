/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The kernel functions BPF programs may call (kfuncs), as C declarations for vmlinux.h: every
 * function a kernel's BTF tags "bpf_kfunc" (BTF_KIND_DECL_TAG), declared extern, weak and in
 * .ksyms, as newer bpftool writes them and current sources (libbpf-tools' sigsnoop calling
 * bpf_task_from_pid) expect. Debian 12's bpftool 7.1 writes none.
 */
#ifndef ECC_KFUNCS_H
#define ECC_KFUNCS_H

#include <stdio.h>
#include "core/diag.h"

/* Writes the declarations of btf_path's kfuncs (raw BTF or an ELF file with .BTF) to out. */
int kfuncs_print(const char *btf_path, FILE *out, struct diag *d);

#endif
