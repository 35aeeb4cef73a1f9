/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Compiles a BPF source as the project's tools are compiled: clang ($CLANG, else clang on
 * PATH) with -g -O2 -target bpf -D__TARGET_ARCH_<arch>, and on the include path the source's
 * own directories and the -I DIRs, then the include dir (vmlinux.h, libbpf's bpf/ headers, the
 * project's BPF headers), so an author's header wins over one of ours of the same name; then
 * llvm-strip -g ($LLVM_STRIP) drops DWARF and keeps BTF. Everything happens in a private
 * temporary directory that is removed whatever happens; clang's diagnostics go to stderr as
 * clang writes them.
 */
#ifndef ECC_COMPILE_H
#define ECC_COMPILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "core/diag.h"

#define COMPILE_MAX_INCLUDES 32
#define COMPILE_MAX_EXPORTS  32

#define COMPILE_MAX_ARCHES 2

/* The architectures a package is built for, as uname -m names them: x86_64, aarch64. */
struct compile_arches {
	const char *names[COMPILE_MAX_ARCHES];
	int nr;
};

/*
 * list (--arch: "x86_64,aarch64", or NULL: every architecture the include dir has kernel types
 * for, vmlinux-ARCH.h; an include dir of one vmlinux.h: this machine's). A name ecc has no
 * kernel types for is refused in one line.
 */
int compile_arches(const char *list, struct compile_arches *a, struct diag *d);

/* An architecture as uname -m names it that ecc knows (x86_64, aarch64, riscv64, ...). */
bool compile_arch_known(const char *name);

struct compile_opts {
	const char *arch; /* -D__TARGET_ARCH_* for it; NULL: this machine's */
	const char *source;
	const char *header;			    /* or NULL; its directory is searched too */
	const char *includes[COMPILE_MAX_INCLUDES]; /* -I DIR, in order */
	int nr_includes;
	/* structs made visible in BTF: the event type, or every candidate for it */
	const char *export_types[COMPILE_MAX_EXPORTS];
	int nr_exports;
	bool verbose; /* print the commands on stderr */
};

/* The compiled, stripped object in *object (malloc'd). */
int compile_source(const struct compile_opts *o, char **object, size_t *size, struct diag *d);

/* "clang: PATH: FIRST LINE OF clang --version" and "include: DIR"; -ENOENT without clang. */
int compile_describe_tools(FILE *out);

#endif
