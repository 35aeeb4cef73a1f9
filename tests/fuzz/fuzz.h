/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The entry points libFuzzer calls. */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <bpf/libbpf.h>
#include "output/btf_layout.h"
#include "format/meta.h"
#include "format/package_read.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_package {
	struct package pkg;
	struct package_meta meta;
	struct bpf_object *obj;
	int event_type;
};

/* Reads $FUZZ_PACKAGE or the built bindsnoop package; exits if it cannot. */
void fuzz_load_package(struct fuzz_package *fp, const char *fuzzer);

#endif
