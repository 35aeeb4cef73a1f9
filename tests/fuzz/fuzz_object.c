// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target: a BPF object's bytes, as the package's bpf_object inflates to. Whatever
 * the structural check (object_check.h) accepts goes on to libbpf's bpf_object__open_mem, as
 * in ecli: libbpf must then open it or refuse it, never crash. Seeded by run_fuzz.sh with the
 * objects of the built packages, the test packages and the eunomia fixtures.
 *
 * Two things keep inputs reaching libbpf. Most mutations are made in place (a custom mutator
 * hands libFuzzer a window of up to 16 bytes): an object's offsets are absolute, and an insert
 * or an erase would shift everything after it past the check. And libbpf is not
 * instrumented, so what it made of an object (its error, or how many programs and maps it
 * found) is turned into branches here: objects it opens, or refuses in a new way, count as
 * coverage and stay in the corpus.
 */
#include "fuzz.h"
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "object/object_check.h"

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static void __attribute__((noinline)) seen(int what)
{
	__asm__ volatile("" : : "r"(what));
}

static void note_result(struct bpf_object *obj, int err)
{
	struct bpf_program *prog;
	struct bpf_map *map;
	int progs = 0, maps = 0, i;

	if (!obj) {
		for (i = 1; i < 64; i++)
			if (err == -i)
				seen(i);
		if (err < -4000) /* libbpf's own codes: LIBBPF_ERRNO__FORMAT and others */
			seen(err + 4000 - 100);
		return;
	}
	bpf_object__for_each_program(prog, obj)
		progs++;
	bpf_object__for_each_map(map, obj)
		maps++;
	for (i = 0; i < 16; i++) {
		if (progs == i)
			seen(200 + i);
		if (maps == i)
			seen(300 + i);
	}
	if (bpf_object__btf(obj))
		seen(400);
}

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	uint8_t window[16];
	size_t at, len, got;

	if (size < sizeof(window) || seed % 8 == 0) /* now and then anything, sizes too */
		return LLVMFuzzerMutate(data, size, max_size);
	len = 1 + (seed >> 3) % sizeof(window);
	at = ((size_t)seed * 2654435761u) % (size - len + 1);
	memcpy(window, data + at, len);
	got = LLVMFuzzerMutate(window, len, len);
	memcpy(data + at, window, got); /* a shrunk window keeps the bytes it lost */
	return size;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	libbpf_set_print(quiet);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "fuzz");
	struct bpf_object *obj;
	struct diag d;
	void *copy;

	/* a heap copy of exactly the input, as the package reader hands it over */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (!object_check(copy, size, &d)) {
		obj = bpf_object__open_mem(copy, size, &opts);
		note_result(obj, obj ? 0 : -errno);
		bpf_object__close(obj);
	}
	free(copy);
	return 0;
}
